"""Precision and recall of the SMART check on the labelled sets (issue 4's quality targets)."""

from __future__ import annotations

from collections import Counter

from imvo.analysis.assessment.evaluation import HELDOUT_SET, evaluate, load_labelled
from imvo.analysis.assessment.model import CRITERIA


def _report(name: str, scores: dict) -> str:
    rows = [f"{name}: criterion precision recall agreement"]
    for criterion in CRITERIA:
        s = scores[criterion]
        rows.append(f"  {criterion:<11} {s.precision:.3f} {s.recall:.3f} {s.agreement:.3f}")
    return "\n".join(rows)


def test_labelled_set_is_large_bilingual_and_complete() -> None:
    items = load_labelled()
    assert len(items) >= 80
    languages = Counter(item["lang"] for item in items)
    assert set(languages) == {"nl", "en"}
    assert abs(languages["nl"] - languages["en"]) <= len(items) * 0.2
    assert len({item["id"] for item in items}) == len(items)
    hard = [item for item in items if item.get("note")]
    assert len(hard) >= 20
    # both verdicts occur for the criteria the targets are set on
    for criterion in ("specific", "measurable", "time_bound"):
        assert {item[criterion] for item in items} >= {"yes", "no"}


def test_measurable_and_time_bound_reach_the_targets() -> None:
    scores, mistakes = evaluate(load_labelled())
    print(_report("labelled", scores))
    for criterion in ("measurable", "time_bound"):
        assert scores[criterion].precision >= 0.9, (criterion, mistakes)
        assert scores[criterion].recall >= 0.9, (criterion, mistakes)


def test_other_criteria_agree_with_the_labels() -> None:
    scores, mistakes = evaluate(load_labelled())
    assert scores["specific"].precision >= 0.85, mistakes
    assert scores["specific"].recall >= 0.85, mistakes
    for criterion in ("ambitious", "realistic"):
        assert scores[criterion].agreement >= 0.9, (criterion, mistakes)


def test_heldout_set_stays_close() -> None:
    """Not used for developing the rules: a guard against rules fitted to the main set."""
    scores, mistakes = evaluate(load_labelled(HELDOUT_SET))
    print(_report("held-out", scores))
    for criterion in ("measurable", "time_bound"):
        assert scores[criterion].precision >= 0.8, (criterion, mistakes)
        assert scores[criterion].recall >= 0.8, (criterion, mistakes)
