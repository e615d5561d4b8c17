"""The heat-map colours: every step of the scale keeps WCAG AA contrast with its text colour,
and the legend, the cells and the picture use the same steps."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from imvo.reports.sra import (
    HEAT_PALETTE,
    HEAT_STEPS,
    SCORE_MAX,
    contrast_ratio,
    heat_cell,
    heat_colours,
    heat_legend,
    heat_step,
    relative_luminance,
    shown_score,
)


def test_contrast_follows_wcag():
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    assert relative_luminance("#000000") == pytest.approx(0.0)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the AA grey


@pytest.mark.parametrize("step", heat_legend(), ids=lambda s: s["label"])
def test_every_step_keeps_aa_contrast_with_its_text(step):
    assert contrast_ratio(step["bg"], step["fg"]) >= 4.5
    assert step["fg"] in ("#000000", "#ffffff")


def test_each_score_gets_the_step_of_the_number_it_prints():
    for score in range(SCORE_MAX + 1):
        step = heat_step(score)
        assert HEAT_STEPS[step] <= score
        assert step == len(HEAT_STEPS) - 1 or score < HEAT_STEPS[step + 1]
    assert shown_score(4.5) == 5 and heat_step(4.5) == 1  # half up, as floatformat
    assert shown_score(4.49) == 4 and heat_step(4.49) == 0
    assert shown_score(-1) == 0 and shown_score(250) == SCORE_MAX and shown_score(float("nan")) == 0
    cell = heat_cell(37.6)
    assert cell["text"] == 38 and (cell["bg"], cell["fg"]) == heat_colours(37.6) == (
        HEAT_PALETTE[5],
        "#ffffff",
    )


def test_the_legend_covers_0_to_100_without_gaps():
    steps = heat_legend()
    assert steps[0]["low"] == 0 and steps[-1]["high"] == SCORE_MAX
    for before, after in pairwise(steps):
        assert after["low"] == before["high"] + 1
    assert [s["label"] for s in steps] == [f"{s['low']}–{s['high']}" for s in steps]
    assert [s["bg"] for s in steps] == list(HEAT_PALETTE)


@pytest.mark.django_db
def test_the_picture_and_the_file_use_the_same_steps():
    from imvo.reports.sra import heatmap, to_html
    from imvo.risks.selectors import compute_sra

    result = compute_sra()
    svg = heatmap(result, fmt="svg", lang="en", top=5).decode()
    for step in heat_legend():
        assert step["label"] in svg  # the colour bar names each step
    assert "IRBC Sector Risk Analysis" in svg
    document = to_html(result, lang="nl", top=5)
    labels = re.findall(
        r'<li style="background:(#[0-9a-f]{6});color:#[0-9a-f]{6}">([^<]+)</li>', document
    )
    assert labels == [(s["bg"], s["label"]) for s in heat_legend()]
