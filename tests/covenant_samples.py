"""Covenant texts for the assessment tests, and writers of generated files of every format."""

from __future__ import annotations

from pathlib import Path

COVENANT_NL = """\
Convenant Duurzame Kleding en Textiel (testtekst)

Artikel 1 Grondslag
Partijen baseren dit convenant op de OESO-richtlijnen voor multinationale ondernemingen en de
UN Guiding Principles on Business and Human Rights.

Artikel 2 Risicoanalyse
Partijen stellen binnen zes maanden na ondertekening een sectorrisicoanalyse op die aansluit bij
bestaande initiatieven in de sector.

Artikel 3 Afspraken van bedrijven
- De deelnemende bedrijven voeren uiterlijk eind 2018 een due diligence uit.
- Bedrijven die later toetreden, voldoen binnen een jaar na toetreding aan dezelfde eisen.
- Binnen drie jaar na ondertekening heeft 80 procent van de bedrijven de productielocaties
  openbaar gemaakt.

Artikel 4 Afspraken van andere partijen
De brancheorganisatie organiseert jaarlijks ten minste twee trainingen voor haar leden.
De vakbonden zullen signalen van misstanden binnen vijf werkdagen doorgeven aan het secretariaat.
De ngo's delen hun kennis van lokale risico's met de bedrijven.
De overheid stelt voor de periode 2017-2021 jaarlijks € 500.000 beschikbaar voor gezamenlijke
projecten.
Partijen zetten zich in voor het verbeteren van de arbeidsomstandigheden.

Artikel 5 Monitoring, klachten en geschillen
Het secretariaat rapporteert jaarlijks openbaar over de voortgang.
Een onafhankelijke monitoringcommissie zal de voortgang van de bedrijven jaarlijks toetsen.
Partijen zullen een klachtenmechanisme inrichten; geschillen worden voorgelegd aan een
geschillencommissie.

Artikel 6 Governance en looptijd
De stuurgroep onder leiding van een onafhankelijke voorzitter zal vier keer per jaar vergaderen.
Het secretariaat wordt gefinancierd door de overheid en de brancheorganisatie.
Het convenant heeft een looptijd van vijf jaar.
"""

PLAIN_EN = """\
Agreement on responsible banking (test text)

The banks will publish a human rights policy by the end of 2017.
Parties will strive for a significant reduction in the use of hazardous chemicals.
"""


def write_docx(path: Path, paragraphs: list[str]) -> Path:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def write_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF with a real text layer (TrueType fonts), one list of lines per page."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with plt.rc_context({"pdf.fonttype": 42}), PdfPages(str(path)) as pdf:
        for lines in pages:
            figure = plt.figure(figsize=(8.27, 11.69))
            figure.text(0.08, 0.95, "\n".join(lines), va="top", fontsize=9)
            pdf.savefig(figure)
            plt.close(figure)
    return path


def write_image_pdf(path: Path) -> Path:
    """A PDF holding only a picture: no text layer, like a scan."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    figure = plt.figure(figsize=(4, 4))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.imshow(np.random.default_rng(1).random((20, 20)))
    axes.axis("off")
    figure.savefig(str(path), format="pdf")
    plt.close(figure)
    return path
