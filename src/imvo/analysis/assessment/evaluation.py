"""Measuring the SMART check against the labelled sets in ``data/``."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from imvo.analysis.assessment.model import CRITERIA
from imvo.analysis.assessment.smart import assess_commitment

LABELLED_SET = "labelled_commitments.yaml"
HELDOUT_SET = "heldout_commitments.yaml"


def load_labelled(name: str = LABELLED_SET) -> list[dict[str, Any]]:
    """The items of a labelled set shipped in ``imvo/assessment/data``."""
    text = resources.files("imvo.analysis.assessment").joinpath("data", name).read_text("utf-8")
    items = yaml.safe_load(text)["items"]
    for item in items:
        for criterion in CRITERIA:
            if item[criterion] not in ("yes", "no", "review"):
                raise ValueError(f"{name}: {item['id']}: bad label {criterion}={item[criterion]!r}")
    return items


@dataclass(frozen=True)
class Score:
    """Precision and recall of the verdict 'yes' for one criterion, plus 3-way agreement."""

    criterion: str
    tp: int
    fp: int
    fn: int
    agree: int
    total: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def agreement(self) -> float:
        return self.agree / self.total if self.total else 1.0


@dataclass(frozen=True)
class Mistake:
    item_id: str
    criterion: str
    gold: str
    predicted: str
    text: str


def evaluate(items: list[dict[str, Any]]) -> tuple[dict[str, Score], list[Mistake]]:
    """Score the engine on ``items``: per-criterion precision/recall of 'yes', and mistakes."""
    counts = {c: [0, 0, 0, 0] for c in CRITERIA}
    mistakes: list[Mistake] = []
    for item in items:
        _, results = assess_commitment(item["text"], lang=item["lang"])
        for result in results:
            gold, predicted = item[result.criterion], result.verdict
            tally = counts[result.criterion]
            tally[0] += gold == "yes" and predicted == "yes"
            tally[1] += gold != "yes" and predicted == "yes"
            tally[2] += gold == "yes" and predicted != "yes"
            tally[3] += gold == predicted
            if gold != predicted:
                mistakes.append(
                    Mistake(item["id"], result.criterion, gold, predicted, item["text"])
                )
    scores = {c: Score(c, *counts[c], total=len(items)) for c in CRITERIA}
    return scores, mistakes
