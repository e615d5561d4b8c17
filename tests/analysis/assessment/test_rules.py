"""The rules behind each SMART criterion, on the hard cases the issue names."""

from __future__ import annotations

import pytest

from imvo.analysis.assessment.ambition import find_baseline_target
from imvo.analysis.assessment.extract import commitment_trigger, split_sentences
from imvo.analysis.assessment.language import detect_language
from imvo.analysis.assessment.numbers import word_value
from imvo.analysis.assessment.smart import assess_commitment


def verdicts(text: str, lang: str) -> dict[str, str]:
    _, results = assess_commitment(text, lang=lang)
    return {r.criterion: r.verdict for r in results}


def evidence(text: str, lang: str, criterion: str) -> tuple[str, ...]:
    _, results = assess_commitment(text, lang=lang)
    return next(r.evidence for r in results if r.criterion == criterion)


@pytest.mark.parametrize(
    ("word", "value"),
    [("tachtig", 80), ("vijfentwintig", 25), ("twenty-five", 25), ("thirty", 30),
     ("1.000", 1000), ("300,000", 300000), ("2,5", 2.5), ("twaalf", 12), ("hmm", None)],
)  # fmt: skip
def test_number_words(word: str, value: float | None) -> None:
    assert word_value(word) == value


@pytest.mark.parametrize(
    ("text", "lang", "words"),
    [
        ("De bedrijven publiceren uiterlijk eind 2018 een beleid.", "nl", "uiterlijk eind 2018"),
        (
            "Partijen stellen binnen drie jaar na ondertekening een plan op.",
            "nl",
            "binnen drie jaar",
        ),
        ("The banks will publish a policy by late 2017.", "en", "late 2017"),
        ("Het secretariaat rapporteert jaarlijks aan de stuurgroep.", "nl", "jaarlijks"),
        ("The board will review the code every two years.", "en", "every two years"),
        ("De stuurgroep komt vier keer per jaar bijeen.", "nl", "per jaar"),
        ("Parties will publish a plan within 30 days after each meeting.", "en", "within 30 days"),
    ],
)
def test_time_expressions_are_time_bound(text: str, lang: str, words: str) -> None:
    assert verdicts(text, lang)["time_bound"] == "yes"
    assert words in evidence(text, lang, "time_bound")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("De bedrijven passen zo snel mogelijk hun inkoopbeleid aan.", "nl"),
        ("Partijen verhogen het aantal deelnemers met 25% ten opzichte van 2017.", "nl"),
        ("The parties commit to reducing water use by 20% compared to 2016.", "en"),
        ("In 2015 tekenden 13 banken; partijen zullen het aantal deelnemers vergroten.", "nl"),
        ("Conform het SER-advies van 2014 zullen partijen een plan opstellen.", "nl"),
    ],
)
def test_years_and_vague_time_that_are_not_deadlines(text: str, lang: str) -> None:
    assert verdicts(text, lang)["time_bound"] == "no"


@pytest.mark.parametrize(
    ("text", "lang", "words"),
    [
        ("De helft van de leden voert in 2019 een analyse uit.", "nl", "De helft"),
        ("80 procent van de bedrijven publiceert een lijst.", "nl", "80 procent"),
        ("80% van de bedrijven publiceert een lijst.", "nl", "80%"),
        ("Tachtig procent van de bedrijven publiceert een lijst.", "nl", "Tachtig procent"),
        ("Two thirds of the banks will adopt a policy.", "en", "Two thirds"),
        ("The ministry will contribute EUR 300,000 per year.", "en", "EUR 300,000"),
        ("Parties will involve at least thirty suppliers.", "en", "thirty"),
        ("Partijen zorgen dat in 2025 geen kinderarbeid meer voorkomt.", "nl", "geen kinderarbeid"),
    ],
)
def test_quantities_are_measurable(text: str, lang: str, words: str) -> None:
    assert verdicts(text, lang)["measurable"] == "yes"
    assert words in evidence(text, lang, "measurable")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Zoals bepaald in artikel 3 stellen de ondernemingen een risicoanalyse op.", "nl"),
        ("In 2016 tekenden 13 banken de verklaring; partijen zullen meer banken werven.", "nl"),
        ("Companies will take into account the ten principles of the UN Global Compact.", "en"),
        ("Het secretariaat rapporteert jaarlijks over de voortgang.", "nl"),
        ("Bedrijven voeren hun due diligence uit binnen 12 maanden.", "nl"),
        ("Every company will follow chapter II of the OECD Guidelines within one year.", "en"),
    ],
)
def test_numbers_that_are_not_targets(text: str, lang: str) -> None:
    assert verdicts(text, lang)["measurable"] == "no"


def test_specific_needs_an_actor_and_a_concrete_act() -> None:
    assert verdicts("Er wordt gestreefd naar meer transparantie.", "nl")["specific"] == "no"
    assert verdicts("Partijen bevorderen verantwoord ondernemen.", "nl")["specific"] == "no"
    assert verdicts("De banken publiceren een mensenrechtenbeleid.", "nl")["specific"] == "yes"
    assert verdicts("Parties will contribute to raising awareness.", "en")["specific"] == "no"


def test_ambitious_and_realistic_from_baseline_and_target() -> None:
    steady = (
        "Partijen zorgen dat het aandeel stijgt van 20 procent in 2016 naar 50 procent in 2020."
    )
    assert verdicts(steady, "nl") | {} == {
        "specific": "yes",
        "measurable": "yes",
        "ambitious": "yes",
        "realistic": "yes",
        "time_bound": "yes",
    }
    small = "Parties ensure the share rises from 60% in 2018 to 65% in 2021."
    assert verdicts(small, "en")["ambitious"] == "no"
    steep = "Parties ensure the share rises from 10% in 2018 to 90% in 2020."
    assert verdicts(steep, "en")["realistic"] == "review"
    found = find_baseline_target("from EUR 1 billion in 2017 to EUR 3 billion in 2022", lang="en")
    assert found is not None
    assert (found.baseline, found.target, found.baseline_year, found.target_year) == (
        1e9, 3e9, 2017, 2022,
    )  # fmt: skip


def test_without_baseline_ambition_and_realism_are_left_for_review() -> None:
    result = verdicts("De banken publiceren uiterlijk in 2018 een beleid.", "nl")
    assert result["ambitious"] == result["realistic"] == "review"


def test_language_detection() -> None:
    assert detect_language("De partijen zullen het beleid van de sector verbeteren.") == "nl"
    assert detect_language("The parties will improve the policy of the sector.") == "en"


def test_commitment_triggers() -> None:
    assert commitment_trigger("Partijen verplichten zich om een plan op te stellen.")
    assert commitment_trigger("The banks will publish a policy.")
    assert commitment_trigger("De bedrijven publiceren jaarlijks een verslag.")
    assert commitment_trigger("Dit convenant beschrijft de context van de sector.") is None
    assert commitment_trigger("In dit convenant wordt verstaan onder keten: de productie.") is None


def test_sentence_split_keeps_abbreviations_and_article_numbers() -> None:
    text = "Zie art. 3 en bijv. de OESO. Partijen zullen o.a. rapporteren. Daarna volgt 4. Klaar."
    parts = [s.strip() for _, s in split_sentences(text)]
    assert parts[0] == "Zie art. 3 en bijv. de OESO."
    assert parts[1] == "Partijen zullen o.a. rapporteren."
