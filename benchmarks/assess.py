"""Benchmark: assess a generated 60-page covenant (commitments and SER checklist).

Prints the figures and, as its last line, ``assess_60_pages_seconds=<float>``. The text is
generated here (about 500 words a page, Dutch, with articles, list items and background
prose) so the benchmark needs no covenant file. Run: ``.venv/bin/python benchmarks/assess.py``.
"""

from __future__ import annotations

import random
import time
import tracemalloc

from imvo.analysis.assessment.engine import assess_text

PAGES = 60
WORDS_PER_PAGE = 500

_PARTIES = ("De deelnemende bedrijven", "De brancheorganisatie", "De vakbonden", "De ngo's",
            "De overheid", "Partijen", "Het secretariaat", "De stuurgroep")  # fmt: skip
_ACTIONS = (
    "zullen uiterlijk eind {year} een openbaar beleid publiceren over {topic}.",
    "voeren binnen {n} maanden na toetreding een risicoanalyse uit naar {topic}.",
    "zetten zich in voor het verbeteren van {topic} in de keten.",
    "rapporteren jaarlijks over de voortgang op het gebied van {topic}.",
    "zorgen ervoor dat het aandeel leveranciers met beleid op {topic} stijgt van {a} procent in"
    " {year} naar {b} procent in {year2}.",
    "organiseren ten minste {n} trainingen over {topic} voor hun leden.",
    "streven naar een substantiële vermindering van risico's rond {topic}.",
)
_TOPICS = ("kinderarbeid", "leefbaar loon", "vrijheid van vakvereniging", "milieuvervuiling",
           "dierenwelzijn", "landrechten", "gezondheid en veiligheid", "discriminatie")  # fmt: skip
_PROSE = (
    "De sector kent een lange keten met veel schakels in verschillende landen.",
    "Bij de totstandkoming van dit convenant is gebruikgemaakt van het SER-advies van 2014.",
    "In de toelichting wordt de context van de afspraken nader beschreven.",
    "De risico's verschillen per productiegroep en per land van herkomst.",
)
_FIXED = """\
Artikel 1 Grondslag
Partijen baseren dit convenant op de OESO-richtlijnen voor multinationale ondernemingen en de
UN Guiding Principles on Business and Human Rights.

Artikel 2 Toezicht en klachten
Een onafhankelijke monitoringcommissie zal jaarlijks de voortgang toetsen. Partijen zullen een
klachtenmechanisme inrichten; geschillen worden voorgelegd aan een geschillencommissie.

Artikel 3 Governance
De stuurgroep onder leiding van een onafhankelijke voorzitter vergadert vier keer per jaar. Het
secretariaat wordt gefinancierd door de overheid. Het convenant heeft een looptijd van vijf jaar.
"""


def generate_covenant(*, pages: int = PAGES, seed: int = 2016) -> str:
    """A synthetic covenant of about ``pages`` pages, separated by form feeds."""
    rng = random.Random(seed)
    out = []
    article = 4
    for _ in range(pages):
        words = 0
        page: list[str] = []
        while words < WORDS_PER_PAGE:
            page.append(f"Artikel {article} Afspraken over {rng.choice(_TOPICS)}")
            article += 1
            paragraph = [rng.choice(_PROSE)]
            for _ in range(rng.randint(2, 5)):
                year = rng.randint(2016, 2020)
                a = rng.randint(5, 60)
                sentence = rng.choice(_PARTIES) + " " + rng.choice(_ACTIONS).format(
                    year=year, year2=year + rng.randint(2, 5), n=rng.randint(2, 12),
                    topic=rng.choice(_TOPICS), a=a, b=min(100, a + rng.randint(5, 40)),
                )  # fmt: skip
                paragraph.append(sentence)
            items = [f"- {rng.choice(_PARTIES)} {rng.choice(_ACTIONS)}" for _ in range(2)]
            items = [
                i.format(year=2018, year2=2021, n=3, topic=rng.choice(_TOPICS), a=20, b=40)
                for i in items
            ]
            block = " ".join(paragraph) + "\n" + "\n".join(items)
            page.append(block)
            words += len(block.split())
        out.append("\n\n".join(page))
    out[0] = _FIXED + "\n" + out[0]
    return "\f".join(out)


def main() -> None:
    text = generate_covenant()
    started = time.perf_counter()
    assessment = assess_text(text, source="generated-60-pages", checklist=True)
    seconds = time.perf_counter() - started
    # Memory is measured in a second run: tracing slows Python down and would skew the time.
    tracemalloc.start()
    assess_text(text, source="generated-60-pages", checklist=True)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    present = sum(1 for e in assessment.checklist or () if e.status == "present")
    print(f"pages={assessment.pages} words={len(text.split())} characters={len(text)}")
    print(f"sentences={assessment.sentences_read} commitments={len(assessment.commitments)}")
    print(f"checklist_present={present}/{len(assessment.checklist or ())}")
    print(f"peak_memory_mb={peak / 1024 / 1024:.1f}")
    print(f"assess_60_pages_seconds={seconds:.3f}")


if __name__ == "__main__":
    main()
