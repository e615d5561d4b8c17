"""The progress letter drafted from the record (issue 12): the letter of 10 July 2015 as the
record knew it that day, grouped as the letter itself groups the sectors in §2."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from imvo.core.audit import Actor
from imvo.core.errors import ImvoError
from imvo.core.moments import end_of_day
from imvo.programme.selectors import progress_report
from imvo.reports.progress import compose, render_json, render_md
from imvo.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db
LETTER = dt.date(2015, 7, 10)

#: §2 of the letter of 10 July 2015, paragraph by paragraph (coal is told under energy,
#: electronics under metal).
SEED_GROUPS = [
    ("negotiation", {"textile", "banking"}),
    ("dialogue", {"retail", "insurance", "wood", "floriculture", "gold", "food"}),
    ("exploration", {"construction", "chemicals", "energy", "coal", "wholesale", "metal",
                     "electronics"}),
    ("no_initiative", {"pension_funds", "agriculture", "oil_gas"}),
    ("joining", {"shipbuilding", "tourism"}),
]  # fmt: skip


@pytest.fixture(scope="module")
def seed_report(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return progress_report(as_of=LETTER, known_at=end_of_day(LETTER))


def test_groups_all_twenty_trajectories_as_the_letter_does(seed_report) -> None:
    groups = [(g.code, {t.slug for t in g.trajectories}) for g in seed_report.groups]
    assert groups == SEED_GROUPS
    assert sum(len(g.trajectories) for g in seed_report.groups) == 20
    data = json.loads(render_json(seed_report, "nl"))
    assert [g["phase"] for g in data["groups"]] == [code for code, _ in SEED_GROUPS]
    assert data["as_of"] == "2015-07-10"
    # coal directly after energy, electronics after metal: told in their paragraph
    exploration = data["groups"][2]["trajectories"]
    assert exploration.index("coal") == exploration.index("energy") + 1
    assert exploration.index("electronics") == exploration.index("metal") + 1


def test_names_the_events_and_dates_the_letter_names(seed_report) -> None:
    text = render_md(seed_report, "nl")
    for words in [
        "zoals toegezegd tijdens het Algemeen Overleg IMVO op 25 februari 2015",
        "Terugkoppelingsbijeenkomst bancair convenant bij de SER (22 juni 2015)",
        "SER wil convenor, mediator en penvoerder zijn voor het textielconvenant (18 mei 2015)",
        "Nationale rondetafel over goud (9 juni 2015)",
        "Werkbijeenkomst ketenverantwoordelijkheid voor leden van VNMI (januari 2015)",
        "Vervolgbijeenkomst metaalsector (VNMI) (juli 2015)",
        "Kamer separaat geïnformeerd over het steenkoolconvenant (25 juni 2015)",
        "(30 juni 2015)",
        "convenant ondertekend op 17 november 2014",
        "Streven naar een goudconvenant (december 2015)",
    ]:
        assert words in text, words


def test_ends_with_the_target_sentence(seed_report) -> None:
    doc = compose(seed_report, "nl")
    headings = [b.text for b in doc.blocks if type(b).__name__ == "Heading"]
    closing = headings.index("5. Tot slot")
    assert headings[closing + 1].startswith("Bijlage")
    index = next(i for i, b in enumerate(doc.blocks) if getattr(b, "text", "") == "5. Tot slot")
    annex = next(i for i, b in enumerate(doc.blocks) if getattr(b, "id", "") == "bijlage")
    last = doc.blocks[annex - 1]
    sentence = "".join(r.text for r in last.runs).strip()
    assert sentence.endswith(
        "Betrokkenen werken aan de doelstelling om voor 2017 tien IMVO-convenanten met het "
        "Nederlands bedrijfsleven te hebben afgesloten; op 10 juli 2015 zijn het er 0."
    )
    assert index < annex - 1
    # the forecast in one sentence with its band, before the target sentence
    assert re.search(r"Kans dat het doel van 10 wordt gehaald: .+ \(80\s%-band: \d+–\d+", sentence)


def test_every_statement_has_a_footnote_and_every_note_a_source(seed_report) -> None:
    doc = compose(seed_report, "nl")
    bullets = [b for b in doc.blocks if type(b).__name__ == "Bullets"]
    for block in bullets:
        for item in block.items:
            assert any(r.note for r in item), item
    used = {r.note for b in doc.blocks for r in getattr(b, "runs", ()) if r.note}
    used |= {r.note for b in bullets for item in b.items for r in item if r.note}
    assert used == set(range(1, len(doc.footnotes) + 1))
    assert any(n.startswith("Kamerstuk 26 485, nr. 195") for n in doc.footnotes)


def test_register_of_commitments_answers_the_ao_of_february_2015(seed_report) -> None:
    assert seed_report.trigger.key == "ao-imvo-2015-02-25-voortgang"
    assert seed_report.trigger.status == "answered_here"
    text = render_md(seed_report, "nl")
    assert "## Afdoening toezeggingen en moties" in text
    assert "Afgedaan met deze brief (§ 2)" in text


def test_the_report_states_its_data_version(seed_report) -> None:
    from imvo.core.models import DataVersion

    token = DataVersion.objects.get().token
    assert seed_report.data_version == token
    assert token in render_md(seed_report, "nl")


def test_knowledge_time_keeps_later_facts_out() -> None:
    later = progress_report(as_of=dt.date(2017, 9, 28))
    known = progress_report(as_of=dt.date(2017, 9, 28), known_at=end_of_day(dt.date(2015, 7, 10)))
    signed_now = {t.slug for g in later.groups if g.code == "signed" for t in g.trajectories}
    assert {"textile", "banking", "wood", "gold"} <= signed_now
    assert all(g.code != "signed" or not g.trajectories for g in known.groups)
    assert later.since == dt.date(2016, 6, 18)  # the day after the letter of 17 June 2016


def test_annex_gives_original_target_actual_date_and_slippage() -> None:
    report = progress_report(as_of=dt.date(2017, 9, 28))
    gold = next(r for r in report.annex if r.slug == "gold")
    assert gold.original_target.iso() == "2015-12"
    assert gold.actual.start == dt.date(2017, 6, 19)
    assert gold.slippage_months == 18


def test_the_officers_note_for_the_period_is_in_the_letter() -> None:
    from imvo.proposals.services import progress_note_create

    textile = Trajectory.objects.get(slug="textile")
    progress_note_create(
        data={"trajectory": textile, "period": "2017", "text_nl": "Toelichting voor 2017.",
              "text_en": "Note for 2017."},
        actor=Actor(reason="test"),
    )  # fmt: skip
    # written now: a letter as known at the end of its day does not have it, one known now has
    assert "Toelichting voor 2017" not in render_md(progress_report(as_of=dt.date(2017, 9, 28)))
    report = progress_report(as_of=dt.date(2017, 9, 28), known_at=timezone.now())
    assert "**Toelichting van de redactie:** Toelichting voor 2017." in render_md(report, "nl")
    assert "**Editors' note:** Note for 2017." in render_md(report, "en")
    assert "textile" not in report.notes_missing


def test_english_letter_is_english_only(seed_report) -> None:
    # the sources keep their own (Dutch) titles in the notes; the letter itself is English
    text = render_md(seed_report, "en").split("[^1]:")[0]
    assert "Dear Madam Speaker," in text
    for dutch in (
        "Geachte",
        "Aan de Voorzitter",
        "Den Haag",
        "Tot slot",
        "Voortgang",
        "sinds",
        "Bijlage",
    ):
        assert dutch not in text, dutch


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"as_of": dt.date(2014, 1, 1)}, "as_of"),
        ({"as_of": LETTER, "since": dt.date(2015, 8, 1)}, "since"),
        ({"as_of": LETTER, "known_at": end_of_day(dt.date(2014, 1, 1))}, "known_at"),
    ],
)
def test_bad_moments_are_refused_naming_the_option(kwargs, field) -> None:
    with pytest.raises(ImvoError) as refused:
        progress_report(**kwargs)
    assert refused.value.field == field


def test_same_data_same_bytes(seed_report) -> None:
    again = progress_report(as_of=LETTER, known_at=end_of_day(LETTER))
    assert render_json(again, "nl") == render_json(seed_report, "nl")
    assert render_md(again, "en") == render_md(seed_report, "en")
