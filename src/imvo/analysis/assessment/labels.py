"""Bilingual labels for reports: Dutch first, English second. Plain data, no gettext."""

from __future__ import annotations

from imvo.analysis.assessment.model import Lang

LABELS: dict[str, dict[str, str]] = {
    # criteria
    "specific": {"nl": "specifiek", "en": "specific"},
    "measurable": {"nl": "meetbaar", "en": "measurable"},
    "ambitious": {"nl": "ambitieus", "en": "ambitious"},
    "realistic": {"nl": "realistisch", "en": "realistic"},
    "time_bound": {"nl": "tijdgebonden", "en": "time-bound"},
    # verdicts and statuses
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
    "review": {"nl": "beoordelen", "en": "review"},
    "present": {"nl": "aanwezig", "en": "present"},
    "partly": {"nl": "gedeeltelijk", "en": "partly"},
    "absent": {"nl": "ontbreekt", "en": "absent"},
    # core elements
    "oecd_ungp": {
        "nl": "Basis in OESO-richtlijnen en UN Guiding Principles",
        "en": "Basis in OECD Guidelines and UN Guiding Principles",
    },
    "risk_analysis": {
        "nl": "Risicoanalyse die voortbouwt op bestaande initiatieven",
        "en": "Risk analysis building on existing initiatives",
    },
    "smart_objectives": {"nl": "SMART-doelstellingen", "en": "SMART objectives"},
    "party_commitments": {
        "nl": "Afspraken per partij (bedrijven, brancheorganisatie, ngo's, vakbonden, overheid)",
        "en": "Commitments per party (companies, sector association, NGOs, unions, government)",
    },
    "collective_projects": {"nl": "Gezamenlijke projecten", "en": "Collective projects"},
    "due_diligence_accession": {
        "nl": "Due diligence door bedrijven en toetredingsvoorwaarden",
        "en": "Company due diligence and accession conditions",
    },
    "transparency_reporting": {
        "nl": "Transparantie en rapportage",
        "en": "Transparency and reporting",
    },
    "independent_monitoring": {
        "nl": "Onafhankelijke monitoring",
        "en": "Independent monitoring",
    },
    "complaints_disputes": {
        "nl": "Klachten- en geschillenmechanisme",
        "en": "Complaints and disputes mechanism",
    },
    "governance_duration": {
        "nl": "Governance (voorzitter, secretariaat, stuurgroep, financiering) en looptijd",
        "en": "Governance (chair, secretariat, steering group, funding) and duration",
    },
    # element parts and party groups
    "oecd_guidelines": {"nl": "OESO-richtlijnen", "en": "OECD Guidelines"},
    "un_guiding_principles": {"nl": "UN Guiding Principles", "en": "UN Guiding Principles"},
    "risk_analysis_term": {"nl": "risicoanalyse", "en": "risk analysis"},
    "projects": {"nl": "gezamenlijke projecten", "en": "collective projects"},
    "existing_initiatives": {"nl": "bestaande initiatieven", "en": "existing initiatives"},
    "due_diligence": {"nl": "due diligence", "en": "due diligence"},
    "accession_conditions": {"nl": "toetreding", "en": "accession"},
    "reporting": {"nl": "rapportage", "en": "reporting"},
    "transparency": {"nl": "openbaarheid", "en": "transparency"},
    "monitoring": {"nl": "monitoring", "en": "monitoring"},
    "independent": {"nl": "onafhankelijkheid", "en": "independence"},
    "complaints": {"nl": "klachten", "en": "complaints"},
    "disputes": {"nl": "geschillen", "en": "disputes"},
    "chair": {"nl": "voorzitter", "en": "chair"},
    "secretariat": {"nl": "secretariaat", "en": "secretariat"},
    "steering_group": {"nl": "stuurgroep", "en": "steering group"},
    "funding": {"nl": "financiering", "en": "funding"},
    "duration": {"nl": "looptijd", "en": "duration"},
    "measurable_time_bound": {
        "nl": "meetbare en tijdgebonden afspraken",
        "en": "measurable and time-bound commitments",
    },
    "companies": {"nl": "bedrijven", "en": "companies"},
    "association": {"nl": "brancheorganisatie", "en": "sector association"},
    "ngos": {"nl": "ngo's", "en": "NGOs"},
    "unions": {"nl": "vakbonden", "en": "unions"},
    "government": {"nl": "overheid", "en": "government"},
    "parties": {"nl": "partijen", "en": "parties"},
    "bodies": {"nl": "convenantorgaan", "en": "covenant body"},
    # report words
    "title": {"nl": "Toets van convenantafspraken", "en": "Covenant commitment assessment"},
    "file": {"nl": "Bestand", "en": "File"},
    "language": {"nl": "Taal", "en": "Language"},
    "commitments": {"nl": "Afspraken", "en": "Commitments"},
    "commitment": {"nl": "Afspraak", "en": "Commitment"},
    "checklist": {"nl": "SER-kernelementen", "en": "SER core elements"},
    "element": {"nl": "Element", "en": "Element"},
    "status": {"nl": "Status", "en": "Status"},
    "evidence": {"nl": "Bewijs", "en": "Evidence"},
    "missing": {"nl": "Ontbreekt", "en": "Missing"},
    "location": {"nl": "Vindplaats", "en": "Location"},
    "party": {"nl": "Partij", "en": "Party"},
    "page": {"nl": "p.", "en": "p."},
    "paragraph": {"nl": "alinea", "en": "para."},
    "line": {"nl": "regel", "en": "line"},
    "none_found": {"nl": "Geen afspraken gevonden.", "en": "No commitments found."},
    "summary": {"nl": "Samenvatting", "en": "Summary"},
    "sentences_read": {"nl": "zinnen gelezen", "en": "sentences read"},
    "why": {"nl": "Toelichting", "en": "Explanation"},
    "disclaimer": {
        "nl": "Automatische toets op woorden en patronen: een hulpmiddel bij het lezen, geen"
        " oordeel. Ambitie en haalbaarheid vragen vrijwel altijd menselijke beoordeling.",
        "en": "Automatic check of words and patterns: an aid to reading, not a verdict."
        " Ambition and feasibility almost always need human review.",
    },
}


def label(key: str, lang: Lang) -> str:
    """The label for ``key`` in ``lang``; the key itself when there is none."""
    return LABELS.get(key, {}).get(lang, key)
