"""The progress letter to parliament, composed from a :class:`~imvo.programme.letter.ProgressReport`
in Dutch or English, and its exporters ``progress.md|html|json|docx|pdf``.

:func:`compose` writes the letter once into a :class:`~imvo.reports.document.Document` (the
structure of the letter of 10 July 2015: letterhead, the sentence naming the commitment it
answers, §1 Inleiding … §5 Tot slot, then the annex with the key figures, the overview per
trajectory, the chart against the target, what changed and the register of commitments and
motions). Every statement taken from the record carries a footnote with its source: the
official reference (Kamerstuk number) first, then the title, date and passage. The renderers
only lay that document out, so every format says the same. Deterministic: the same report
gives the same bytes; the report states the data version it was made from.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from imvo.core.bilingual import Text, labels_in, pick
from imvo.core.dates import PartialDate, Precision
from imvo.reports import document as D
from imvo.reports.charts import MONTHS, format_date
from imvo.reports.exporters import Exporter, register
from imvo.reports.forecast import percent

FORMATS = ("docx", "pdf", "html", "md", "json")

L: dict[str, Text] = {
    "title": {
        "nl": "Voortgangsrapportage IMVO-convenanten",
        "en": "Progress report on the IRBC agreements",
    },
    "draft": {
        "nl": "Concept, opgesteld uit de gegevens van IMVO Monitor",
        "en": "Draft, composed from the IMVO Monitor record",
    },
    "date": {"nl": "Datum", "en": "Date"},
    "subject": {"nl": "Betreft", "en": "Subject"},
    "reference": {"nl": "Onze referentie", "en": "Our reference"},
    "annexes": {"nl": "Bijlage(n)", "en": "Annex(es)"},
    "salutation": {"nl": "Geachte Voorzitter,", "en": "Dear Madam Speaker,"},
    "opening": {
        "nl": "Hierbij vindt u de stand van zaken van de gesprekken met Nederlandse sectoren over "
        "IMVO-convenanten op {date}",
        "en": "Please find here the state of the talks with Dutch sectors about IRBC agreements "
        "on {date}",
    },
    "as_committed": {
        "nl": ", zoals toegezegd tijdens het {debate} op {made}",
        "en": ", as committed during the {debate} of {made}",
    },
    "as_moved": {
        "nl": ", zoals gevraagd in de motie {reference} ({by}) van {made}",
        "en": ", as asked in the motion {reference} ({by}) of {made}",
    },
    "h_intro": {"nl": "1. Inleiding", "en": "1. Introduction"},
    "h_progress": {"nl": "2. Voortgang", "en": "2. Progress"},
    "h_government": {"nl": "3. Rol van de overheid", "en": "3. The role of government"},
    "h_stakeholders": {
        "nl": "4. Betrokkenheid van stakeholders",
        "en": "4. Stakeholder involvement",
    },
    "h_closing": {"nl": "5. Tot slot", "en": "5. Conclusion"},
    "h_annex": {
        "nl": "Bijlage: kerncijfers en totaaloverzicht",
        "en": "Annex: key figures and overview",
    },
    "h_changes": {
        "nl": "Wat veranderde sinds de vorige brief",
        "en": "What changed since the previous letter",
    },
    "h_commitments": {
        "nl": "Afdoening toezeggingen en moties",
        "en": "Commitments and motions answered",
    },
    "h_colophon": {"nl": "Verantwoording", "en": "About this report"},
    "sra": {
        "nl": "In opdracht van het kabinet is onderzoek gedaan naar IMVO-risico's in sectoren "
        "van de Nederlandse economie. Deze IMVO Sector Risico Analyse (SRA) wees {n} sectoren met "
        "verhoogde risico's aan: {sectors}.",
        "en": "At the government's request, the IRBC risks in sectors of the Dutch economy were "
        "studied. This IRBC Sector Risk Analysis (SRA) identified {n} sectors with elevated "
        "risks: {sectors}.",
    },
    "count": {
        "nl": "Op {date} zijn er {total} trajecten: {parts}.",
        "en": "On {date} there are {total} trajectories: {parts}.",
    },
    "ser_advice": {
        "nl": "Voor het maken van afspraken binnen een convenant geldt dat ze moeten voldoen aan "
        "het SER-advies IMVO-convenanten: zoveel mogelijk SMART (specifiek, meetbaar, ambitieus, "
        "realistisch en tijdgebonden), gericht op resultaat, en voortbouwend op bestaande "
        "(inter)nationale sectorinitiatieven.",
        "en": "Agreements within a covenant must meet the SER advice on IRBC agreements: as SMART "
        "as possible (specific, measurable, ambitious, realistic and time-bound), aimed at "
        "results, and building on existing (inter)national sector initiatives.",
    },
    "g_signed": {
        "nl": "{n} convenanten zijn ondertekend en in uitvoering:",
        "en": "{n} agreements have been signed and are being implemented:",
    },
    "g_negotiation": {
        "nl": "{names} zijn de koplopers: zij onderhandelen over een convenant:",
        "en": "{names} are the front runners: they are negotiating an agreement:",
    },
    "g_dialogue": {
        "nl": "Een aantal sectoren heeft een multi-stakeholderdialoog opgezet en onderzoekt welke "
        "stappen nodig zijn om tot een convenant te komen:",
        "en": "A number of sectors have set up a multi-stakeholder dialogue and are looking into "
        "the steps towards an agreement:",
    },
    "g_exploration": {
        "nl": "Andere sectoren zijn nog in een verkennende fase:",
        "en": "Other sectors are still exploring:",
    },
    "g_no_initiative": {
        "nl": "{n} sectoren hebben op dit moment nog geen initiatief genomen tot verdere "
        "verkenning:",
        "en": "{n} sectors have not yet taken an initiative to explore further:",
    },
    "g_no_initiative_1": {
        "nl": "Eén sector heeft op dit moment nog geen initiatief genomen tot verdere verkenning:",
        "en": "One sector has not yet taken an initiative to explore further:",
    },
    "g_signed_1": {
        "nl": "Eén convenant is ondertekend en in uitvoering:",
        "en": "One agreement has been signed and is being implemented:",
    },
    "g_negotiation_1": {
        "nl": "{names} is de koploper: deze sector onderhandelt over een convenant:",
        "en": "{names} is the front runner: it is negotiating an agreement:",
    },
    "g_joining": {
        "nl": "Naast de sectoren uit de SRA hebben ook andere sectoren het initiatief genomen om "
        "aan te sluiten bij het convenantentraject:",
        "en": "Besides the sectors of the SRA, other sectors have taken the initiative to join "
        "the programme:",
    },
    "g_ended": {"nl": "Deze convenanten zijn afgelopen:", "en": "These agreements have ended:"},
    "g_stopped": {
        "nl": "In deze trajecten zijn de gesprekken gestopt zonder convenant:",
        "en": "In these trajectories the talks stopped without an agreement:",
    },
    "and": {"nl": "en", "en": "and"},
    "since": {"nl": "sinds {date}", "en": "since {date}"},
    "observed": {"nl": "laatst vastgesteld {date}", "en": "as last observed {date}"},
    "p_signed": {"nl": "convenant ondertekend {date}", "en": "agreement signed {date}"},
    "p_ended": {"nl": "convenant afgelopen {date}", "en": "agreement ended {date}"},
    "on": {"nl": "op {date}", "en": "on {date}"},
    "in": {"nl": "in {date}", "en": "in {date}"},
    "convenor": {"nl": "Begeleiding: {names}.", "en": "Convened by: {names}."},
    "parties": {"nl": "Partijen: {names}.", "en": "Parties: {names}."},
    "held": {"nl": "Sinds de vorige brief: {items}.", "en": "Since the previous letter: {items}."},
    "next": {"nl": "Volgende stap: {item}.", "en": "Next step: {item}."},
    "no_date": {"nl": "datum nog niet bekend", "en": "date not yet known"},
    "builds_on": {"nl": "Bouwt voort op: {items}.", "en": "Builds on: {items}."},
    "note": {"nl": "Toelichting van de redactie: ", "en": "Editors' note: "},
    "reported_with": {"nl": "(bij {name})", "en": "(with {name})"},
    "events_government": {
        "nl": "Bijeenkomsten en activiteiten van het programma:",
        "en": "Meetings and activities of the programme:",
    },
    "events_stakeholders": {
        "nl": "Overleg met stakeholders in deze periode:",
        "en": "Consultations with stakeholders in this period:",
    },
    "action_new": {"nl": "nieuw", "en": "new"},
    "status_planned": {"nl": "gepland", "en": "planned"},
    "status_ongoing": {"nl": "lopend", "en": "ongoing"},
    "status_done": {"nl": "afgerond", "en": "done"},
    "government_intro": {
        "nl": "De overheid vervult uiteenlopende rollen in het convenantentraject:",
        "en": "Government plays several roles in the programme:",
    },
    "stakeholders_intro": {
        "nl": "Het IMVO-convenantentraject is een multi-stakeholderproces. Deze organisaties "
        "nemen deel aan de trajecten:",
        "en": "The IRBC agreements programme is a multi-stakeholder process. These organisations "
        "take part in the trajectories:",
    },
    "advice_intro": {
        "nl": "Advies over sectoroverstijgende thema's:",
        "en": "Advice on cross-sector themes:",
    },
    "stakeholder": {
        "nl": "{name}: {roles} bij {trajectories}",
        "en": "{name}: {roles} in {trajectories}",
    },
    "none_recorded": {"nl": "Niets vastgelegd.", "en": "Nothing recorded."},
    "target_line": {
        "nl": "Doel van {decided}: {value} convenanten vóór {deadline} ({convention}); op {date} "
        "zijn het er {achieved}: {verdict}.",
        "en": "Target of {decided}: {value} agreements by {deadline} ({convention}); on {date} "
        "there are {achieved}: {verdict}.",
    },
    "target_line_past": {
        "nl": "Doel van {decided}: {value} convenanten vóór {deadline} ({convention}); op de "
        "deadline waren het er {achieved}: {verdict}.",
        "en": "Target of {decided}: {value} agreements by {deadline} ({convention}); at the "
        "deadline there were {achieved}: {verdict}.",
    },
    "met": {"nl": "gehaald", "en": "met"},
    "open": {"nl": "nog niet gehaald", "en": "not yet met"},
    "missed": {"nl": "niet gehaald", "en": "missed"},
    "forecast": {
        "nl": "Kans dat het doel van {value} wordt gehaald: {p} (80\u00a0%-band: {low}–{high} "
        "convenanten op {deadline}; {runs} simulaties).",
        "en": "Chance that the target of {value} is met: {p} (80\u00a0% band: {low}–{high} "
        "agreements on {deadline}; {runs} runs).",
    },
    "target_sentence": {
        "nl": "Betrokkenen werken aan de doelstelling om {deadline} {value} IMVO-convenanten met "
        "het Nederlands bedrijfsleven te hebben afgesloten; op {date} zijn het er {achieved}.",
        "en": "Those involved are working towards the target of {value} IRBC agreements with Dutch "
        "business {deadline}; on {date} there are {achieved}.",
    },
    "before_year": {"nl": "voor {year}", "en": "before {year}"},
    "by_date": {"nl": "uiterlijk {date}", "en": "by {date}"},
    "kerncijfers": {
        "nl": "Kerncijfers: trajecten per fase op {date}",
        "en": "Key figures: trajectories per phase on {date}",
    },
    "phase": {"nl": "Fase", "en": "Phase"},
    "trajectories": {"nl": "Trajecten", "en": "Trajectories"},
    "number": {"nl": "Aantal", "en": "Number"},
    "overview": {"nl": "Totaaloverzicht per traject", "en": "Overview per trajectory"},
    "trajectory": {"nl": "Traject", "en": "Trajectory"},
    "history": {"nl": "Fasegeschiedenis", "en": "Phase history"},
    "original": {"nl": "Oorspronkelijke streefdatum", "en": "Original target date"},
    "revised": {"nl": "Bijgestelde streefdatum", "en": "Revised target date"},
    "actual": {"nl": "Ondertekend", "en": "Signed"},
    "slippage": {"nl": "Vertraging (maanden)", "en": "Slippage (months)"},
    "changed_col": {"nl": "Gewijzigd", "en": "Changed"},
    "yes": {"nl": "ja", "en": "yes"},
    "changed": {
        "nl": "gewijzigd sinds de vorige brief",
        "en": "changed since the previous letter",
    },
    "changes_caption": {
        "nl": "Wijzigingen van {since} tot en met {until}",
        "en": "Changes from {since} to {until}",
    },
    "change": {"nl": "Wijziging", "en": "Change"},
    "source": {"nl": "Bron", "en": "Source"},
    "when": {"nl": "Datum", "en": "Date"},
    "no_changes": {
        "nl": "Geen wijzigingen vastgelegd in deze periode.",
        "en": "No changes recorded in this period.",
    },
    "commitments_caption": {"nl": "Toezeggingen en moties", "en": "Commitments and motions"},
    "c_reference": {"nl": "Kamerstuk", "en": "Parliamentary paper"},
    "c_made": {"nl": "Datum", "en": "Date"},
    "c_text": {"nl": "Toezegging of motie", "en": "Commitment or motion"},
    "c_status": {"nl": "Stand", "en": "Status"},
    "commitment": {"nl": "Toezegging", "en": "Commitment"},
    "motion": {"nl": "Motie", "en": "Motion"},
    "answered_here": {
        "nl": "Afgedaan met deze brief ({section})",
        "en": "Answered by this letter ({section})",
    },
    "answered": {"nl": "Afgedaan met {reference}", "en": "Answered by {reference}"},
    "open_c": {"nl": "Open", "en": "Open"},
    "rejected": {"nl": "Verworpen; geen afdoening nodig", "en": "Rejected; no answer due"},
    "unverified": {"nl": " (niet bevestigd)", "en": " (unverified)"},
    "chart_title": {
        "nl": "Aantal convenanten tegen het doel",
        "en": "Number of agreements against the target",
    },
    "chart_alt": {
        "nl": "Trapgrafiek van het cumulatieve aantal ondertekende convenanten ({convention}) tot "
        "{date}: {points}. Het doel: {targets}.",
        "en": "Step chart of the cumulative number of signed agreements ({convention}) up to "
        "{date}: {points}. The target: {targets}.",
    },
    "chart_none": {"nl": "nog geen convenant", "en": "no agreement yet"},
    "colophon": {
        "nl": "Stand op {as_of}, zoals vastgelegd op {known_at}; wijzigingen vanaf {since}. "
        "Opgesteld met IMVO Monitor {software} uit gegevensversie {version} (laatst gewijzigd "
        "{changed}). Elke uitspraak noemt haar bron in een voetnoot. Dit is een concept: de "
        "beleidsmedewerker vult het aan en ondertekent het.",
        "en": "Position on {as_of}, as recorded at {known_at}; changes from {since}. Composed by "
        "IMVO Monitor {software} from data version {version} (last changed {changed}). Every "
        "statement names its source in a footnote. This is a draft: the policy officer completes "
        "and signs it.",
    },
    "footnotes": {"nl": "Voetnoten", "en": "Notes"},
    "unverified_note": {"nl": "niet bevestigd door een bron", "en": "not confirmed by a source"},
}
PHASES: dict[str, Text] = {
    "no_initiative": {"nl": "nog geen initiatief", "en": "no initiative yet"},
    "exploration": {"nl": "verkennend", "en": "exploring"},
    "dialogue": {"nl": "multi-stakeholderdialoog", "en": "multi-stakeholder dialogue"},
    "negotiation": {"nl": "in onderhandeling", "en": "negotiating"},
    "signed": {"nl": "ondertekend", "en": "signed"},
    "ended": {"nl": "afgelopen", "en": "ended"},
    "stopped": {"nl": "gestopt zonder convenant", "en": "stopped without an agreement"},
}
ROLES: dict[str, Text] = {
    "initiator": {"nl": "initiatiefnemer", "en": "initiator"},
    "convenor": {"nl": "convenor", "en": "convenor"},
    "mediator": {"nl": "mediator", "en": "mediator"},
    "penvoerder": {"nl": "penvoerder", "en": "drafter"},
    "chair": {"nl": "voorzitter", "en": "chair"},
    "lead": {"nl": "trekker", "en": "lead"},
    "party": {"nl": "partij", "en": "party"},
    "knowledge_partner": {"nl": "kennispartner", "en": "knowledge partner"},
    "facilitator": {"nl": "begeleider", "en": "facilitator"},
    "advisor": {"nl": "adviseur", "en": "advisor"},
    "government": {"nl": "overheid", "en": "government"},
    "advice_intro": {
        "nl": "Advies over sectoroverstijgende thema's:",
        "en": "Advice on cross-sector themes:",
    },
    "stakeholder": {"nl": "stakeholder", "en": "stakeholder"},
}
GOVERNMENT_ROLES: dict[str, Text] = {
    "convening": {"nl": "Partijen bij elkaar brengen", "en": "Bringing parties together"},
    "knowledge": {"nl": "Kennisopbouw", "en": "Knowledge building"},
    "direct_dialogue": {
        "nl": "Directe dialoog met sectoren en bedrijven",
        "en": "Direct dialogue with sectors and companies",
    },
    "international": {
        "nl": "Internationaal gelijk speelveld",
        "en": "International level playing field",
    },
    "stakeholder_engagement": {"nl": "Betrekken van stakeholders", "en": "Stakeholder engagement"},
}
SECTION_NAMES: dict[str, Text] = {
    "introduction": {"nl": "§ 1", "en": "§ 1"},
    "progress": {"nl": "§ 2", "en": "§ 2"},
    "government": {"nl": "§ 3", "en": "§ 3"},
    "stakeholders": {"nl": "§ 4", "en": "§ 4"},
    "closing": {"nl": "§ 5", "en": "§ 5"},
}


# --------------------------------------------------------------------------- small words


def pdate(value: PartialDate | None, lang: str) -> str:
    """A date at its precision: '22 juni 2015', 'juni 2015', '2015'."""
    if value is None:
        return ""
    if value.precision == Precision.YEAR:
        return str(value.start.year)
    if value.precision == Precision.MONTH:
        return f"{MONTHS[lang].split()[value.start.month - 1]} {value.start.year}"
    return format_date(value.start, lang)


def _join(names: list[str], lang: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {pick(L['and'], lang)} {names[-1]}"


def _moment(moment: dt.datetime, lang: str) -> str:
    return f"{format_date(moment.date(), lang)} {moment:%H:%M}"


class _Notes:
    """Footnotes numbered in order of first use; one per document and passage."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.texts: list[str] = []
        self.index: dict[tuple[Any, ...], int] = {}

    def cite(self, cite: Any, certainty: str = "confirmed") -> int:
        key = (*cite.document, cite.locator, certainty)
        if key not in self.index:
            parts = [p for p in (cite.reference, cite.title) if p]
            if cite.date is not None:
                parts.append(pdate(cite.date, self.lang))
            if cite.locator:
                parts.append(cite.locator)
            text = ", ".join(dict.fromkeys(parts))
            if cite.url:
                text += f" ({cite.url})"
            if certainty != "confirmed":
                text += f" [{pick(L['unverified_note'], self.lang)}]"
            self.texts.append(text)
            self.index[key] = len(self.texts)
        return self.index[key]


# --------------------------------------------------------------------------- composition


def compose(report: Any, lang: str) -> D.Document:
    """The letter of ``report`` in ``lang`` as a document every renderer lays out."""
    t = labels_in(L, lang)
    notes = _Notes(lang)
    blocks: list[D.Block] = []
    as_of = format_date(report.as_of, lang)
    head = report.letterhead
    blocks.append(
        D.Fields(
            sender=pick(head.sender, lang),
            address=head.addressee.get(lang) or head.addressee["nl"],
            fields=(
                (t["date"], as_of),
                (t["subject"], pick(head.subject, lang)),
                (t["reference"], head.reference),
                (t["annexes"], str(head.annexes)),
            ),
        )
    )
    blocks.append(D.Heading(1, t["title"], "title"))
    blocks.append(D.Paragraph((D.Run(t["draft"], emphasis=True),)))
    blocks.append(D.Paragraph((D.Run(t["salutation"]),)))
    blocks.append(D.Paragraph(_opening(report, lang, notes)))
    blocks += _introduction(report, lang, notes)
    blocks += _progress(report, lang, notes)
    blocks += _government(report, lang, notes)
    blocks += _stakeholders(report, lang, notes)
    blocks += _closing(report, lang, notes)
    blocks += _annex(report, lang, notes)
    return D.Document(
        lang=lang,
        title=f"{t['title']} — {as_of}",
        subject=pick(head.subject, lang),
        author="IMVO Monitor",
        date=report.as_of.isoformat(),
        blocks=tuple(blocks),
        footnotes=tuple(notes.texts),
        labels={"footnotes": t["footnotes"], "changed": t["changed"]},
    )


def _opening(report: Any, lang: str, notes: _Notes) -> tuple[D.Run, ...]:
    t = labels_in(L, lang)
    text = t["opening"].format(date=format_date(report.as_of, lang))
    c = report.trigger
    if c is None:
        return (D.Run(text + "."),)
    made = pdate(c.made, lang)
    if c.kind == "motion":
        text += t["as_moved"].format(by=pick(c.by, lang), reference=c.reference, made=made)
    else:
        text += t["as_committed"].format(debate=pick(c.made_in, lang) or "—", made=made)
    return (D.Run(text + ".", note=notes.cite(c.source, c.certainty)),)


def _introduction(report: Any, lang: str, notes: _Notes) -> list[D.Block]:
    t = labels_in(L, lang)
    blocks: list[D.Block] = [D.Heading(2, t["h_intro"], "inleiding")]
    runs: list[D.Run] = []
    if report.sra_sectors:
        names = [pick(s, lang).lower() for s in report.sra_sectors]
        text = t["sra"].format(n=len(names), sectors=_join(names, lang))
        note = notes.cite(report.sra_source) if report.sra_source else None
        runs.append(D.Run(text, note=note))
    counts = [(g, len(g.trajectories)) for g in report.groups]
    parts = [f"{n} {_group_name(g.code, lang)}" for g, n in counts]
    total = sum(n for _g, n in counts)
    runs.append(D.Run(" " + t["count"].format(date=format_date(report.as_of, lang), total=total,
                                              parts="; ".join(parts))))  # fmt: skip
    blocks.append(D.Paragraph(tuple(runs)))
    return blocks


GROUP_NAMES: dict[str, Text] = {
    "signed": {"nl": "ondertekend en in uitvoering", "en": "signed and being implemented"},
    "negotiation": {"nl": "in onderhandeling", "en": "negotiating"},
    "dialogue": {"nl": "in een multi-stakeholderdialoog", "en": "in a multi-stakeholder dialogue"},
    "exploration": {"nl": "verkennend", "en": "exploring"},
    "no_initiative": {"nl": "zonder initiatief", "en": "without an initiative"},
    "joining": {"nl": "buiten de SRA aangesloten", "en": "joined from outside the SRA"},
    "ended": {"nl": "afgelopen", "en": "ended"},
    "stopped": {"nl": "gestopt", "en": "stopped"},
}


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _group_name(code: str, lang: str) -> str:
    return pick(GROUP_NAMES[code], lang)


def _progress(report: Any, lang: str, notes: _Notes) -> list[D.Block]:
    t = labels_in(L, lang)
    blocks: list[D.Block] = [D.Heading(2, t["h_progress"], "voortgang")]
    for group in report.groups:
        leaders = [pick(i.name, lang) for i in group.trajectories if not i.reported_with]
        key = f"g_{group.code}_1" if len(leaders) == 1 and f"g_{group.code}_1" in t else ""
        intro = t[key or f"g_{group.code}"].format(n=len(leaders), names=_join(leaders, lang))
        blocks.append(D.Paragraph((D.Run(intro),)))
        blocks.append(
            D.Bullets(tuple(_paragraph(i, report, lang, notes) for i in group.trajectories))
        )
    blocks.append(D.Paragraph((D.Run(t["ser_advice"]),)))
    return blocks


def _phase_words(item: Any, report: Any, lang: str) -> str:
    t = labels_in(L, lang)
    if item.agreement and item.phase in ("signed", "ended"):
        words = t["p_signed"].format(date=_on(item.agreement.signed, lang))
        if item.agreement.ended:
            words += "; " + t["p_ended"].format(date=_on(item.agreement.ended, lang))
        return words
    words = pick(PHASES[item.phase], lang)
    if item.since is None:
        return words
    if item.basis == "observed":
        if item.since.start != report.as_of:
            words += " (" + t["observed"].format(date=_on(item.since, lang)) + ")"
        return words
    return f"{words} {t['since'].format(date=pdate(item.since, lang))}"


def _on(value: PartialDate, lang: str) -> str:
    t = labels_in(L, lang)
    return (t["on"] if value.precision == Precision.DAY else t["in"]).format(
        date=pdate(value, lang)
    )


def _event_words(e: Any, lang: str) -> str:
    when = pdate(e.date, lang) if e.date else (e.date_text or pick(L["no_date"], lang))
    return f"{pick(e.title, lang)} ({when})"


def _paragraph(item: Any, report: Any, lang: str, notes: _Notes) -> tuple[D.Run, ...]:
    t = labels_in(L, lang)
    runs: list[D.Run] = []
    phase_note = notes.cite(item.phase_source) if item.phase_source else None
    if item.agreement and item.phase in ("signed", "ended"):
        phase_note = notes.cite(item.agreement.source)
    name = pick(item.name, lang)
    if item.reported_with:
        parent = next(i for i in report.trajectories if i.slug == item.reported_with)
        name += " " + t["reported_with"].format(name=pick(parent.name, lang))
    runs.append(D.Run(f"{name}: ", emphasis=True))
    runs.append(D.Run(_phase_words(item, report, lang) + ".", note=phase_note))
    if item.agreement and item.phase in ("signed", "ended"):
        runs.append(D.Run(" " + pick(item.agreement.title, lang) + "."))
    summary = pick(item.summary, lang) if _summary_is_current(item) else ""
    if summary:
        runs.append(D.Run(" " + summary, note=notes.cite(item.source)))
    if item.convenors:
        names = _join(list(dict.fromkeys(_party_name(p, lang) for p in item.convenors)), lang)
        runs.append(
            D.Run(
                " " + t["convenor"].format(names=names), note=notes.cite(item.convenors[0].source)
            )
        )
    if item.parties:
        names = _join(list(dict.fromkeys(_party_name(p, lang) for p in item.parties)), lang)
        runs.append(
            D.Run(" " + t["parties"].format(names=names), note=notes.cite(item.parties[0].source))
        )
    if item.events_held:
        held = list(item.events_held)
        label = t["held"].split("{items}")[0]
        runs.append(D.Run(" " + label))
        for index, e in enumerate(held):
            runs.append(D.Run(_event_words(e, lang), note=notes.cite(e.source, e.certainty)))
            runs.append(D.Run("." if index == len(held) - 1 else "; "))
    if item.next_step:
        e = item.next_step
        runs.append(
            D.Run(
                " " + t["next"].format(item=_event_words(e, lang)),
                note=notes.cite(e.source, e.certainty),
            )
        )
    if item.initiatives:
        names = _join([pick(i.name, lang) for i in item.initiatives], lang)
        runs.append(
            D.Run(
                " " + t["builds_on"].format(items=names),
                note=notes.cite(item.initiatives[0].source),
            )
        )
    if item.note and pick(item.note.text, lang):
        runs.append(D.Run(" " + t["note"], emphasis=True))
        runs.append(D.Run(pick(item.note.text, lang)))
    return _one_note_per_claim(runs)


def _one_note_per_claim(runs: list[D.Run]) -> tuple[D.Run, ...]:
    """Sentences in a row from the same source carry its footnote once, after the last."""
    out = list(runs)
    following: int | None = None
    for index in range(len(out) - 1, -1, -1):
        note = out[index].note
        if note is None:
            continue
        if note == following:
            out[index] = D.Run(out[index].text, None, out[index].emphasis)
        following = note
    return tuple(out)


def _summary_is_current(item: Any) -> bool:
    """The trajectory's summary describes the phase it is in: its source is not older than the
    start of that phase (a summary of 2015 says nothing true of a covenant signed in 2016)."""
    if item.since is None or item.source.date is None or item.basis == "observed":
        return True
    return item.source.date.start >= item.since.start


def _party_name(p: Any, lang: str) -> str:
    return p.abbreviation or pick(p.name, lang)


def _government(report: Any, lang: str, notes: _Notes) -> list[D.Block]:
    t = labels_in(L, lang)
    blocks: list[D.Block] = [D.Heading(2, t["h_government"], "overheid")]
    if not report.actions:
        blocks.append(D.Paragraph((D.Run(t["none_recorded"]),)))
    blocks += _general_events(report, lang, notes, stakeholders=False)
    if not report.actions:
        return blocks
    blocks.append(D.Paragraph((D.Run(t["government_intro"]),)))
    for role, text in GOVERNMENT_ROLES.items():
        own = [a for a in report.actions if a.role == role]
        if not own:
            continue
        items = []
        for a in own:
            status = t[f"status_{a.status}"] + (f", {t['action_new']}" if a.new else "")
            words = f"{pick(a.title, lang)} ({status})"
            description = pick(a.description, lang)
            if description:
                words += f": {description}"
            items.append((D.Run(words, note=notes.cite(a.source)),))
        blocks.append(D.Paragraph((D.Run(pick(text, lang), emphasis=True),)))
        blocks.append(D.Bullets(tuple(items)))
    return blocks


#: Events of the programme as a whole: reported in §3 (government) or §4 (stakeholders).
STAKEHOLDER_EVENT_KINDS = ("stakeholder_meeting", "meeting", "roundtable")


def _general_events(report: Any, lang: str, notes: _Notes, stakeholders: bool) -> list[D.Block]:
    t = labels_in(L, lang)
    own = [e for e in report.general_events if (e.kind in STAKEHOLDER_EVENT_KINDS) == stakeholders]
    if not own:
        return []
    items = []
    for e in own:
        status = "" if e.status == "held" else f" — {t['status_planned']}"
        items.append(
            (D.Run(_event_words(e, lang) + status, note=notes.cite(e.source, e.certainty)),)
        )
    label = t["events_stakeholders"] if stakeholders else t["events_government"]
    return [D.Paragraph((D.Run(label, emphasis=True),)), D.Bullets(tuple(items))]


def _stakeholders(report: Any, lang: str, notes: _Notes) -> list[D.Block]:
    t = labels_in(L, lang)
    blocks: list[D.Block] = [D.Heading(2, t["h_stakeholders"], "stakeholders")]
    blocks += _general_events(report, lang, notes, stakeholders=True)
    if not report.stakeholders:
        return [*blocks, D.Paragraph((D.Run(t["none_recorded"]),))]
    names = {i.slug: pick(i.name, lang) for i in report.trajectories}
    if report.advice:
        blocks.append(D.Paragraph((D.Run(t["advice_intro"], emphasis=True),)))
        themes: dict[str, list[Any]] = {}
        for a in report.advice:
            themes.setdefault(pick(a.theme, lang), []).append(a)
        items = []
        for theme, given in themes.items():
            who = _join(list(dict.fromkeys(pick(a.advisor, lang) for a in given)), lang)
            items.append((D.Run(f"{theme}: {who}", note=notes.cite(given[0].source)),))
        blocks.append(D.Bullets(tuple(items)))
    blocks.append(D.Paragraph((D.Run(t["stakeholders_intro"]),)))
    items = []
    for s in report.stakeholders:
        roles = _join([pick(ROLES.get(r, {"nl": r}), lang) for r in s.roles], lang)
        where = _join([names.get(slug, slug) for slug in s.trajectories], lang)
        words = t["stakeholder"].format(name=pick(s.name, lang), roles=roles, trajectories=where)
        items.append((D.Run(words + ".", note=notes.cite(s.source)),))
    blocks.append(D.Bullets(tuple(items)))
    return blocks


NUMBERS = {
    "nl": "nul één twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien "
    "vijftien zestien zeventien achttien negentien twintig",
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen twenty",
}


def number_words(n: int, lang: str) -> str:
    """'tien', 'eleven': numbers up to twenty in words, as letters write them; digits above."""
    words = NUMBERS[lang].split()
    return words[n] if 0 <= n < len(words) else str(n)


def _deadline_words(deadline: dt.date, lang: str) -> str:
    t = labels_in(L, lang)
    if (deadline.month, deadline.day) == (12, 31):
        return t["before_year"].format(year=deadline.year + 1)
    return t["by_date"].format(date=format_date(deadline, lang))


def _closing(report: Any, lang: str, notes: _Notes) -> list[D.Block]:
    t = labels_in(L, lang)
    blocks: list[D.Block] = [D.Heading(2, t["h_closing"], "tot-slot")]
    date = format_date(report.as_of, lang)
    items = []
    for line in report.targets:
        verdict = (
            t["met"] if line.met else t["missed"] if line.deadline < report.as_of else t["open"]
        )
        key = "target_line_past" if line.deadline < report.as_of else "target_line"
        words = t[key].format(
            decided=pdate(line.decided, lang), value=line.value,
            deadline=format_date(line.deadline, lang), convention=pick(line.convention_title, lang),
            date=date, achieved=line.achieved, verdict=verdict,
        )  # fmt: skip
        items.append((D.Run(words, note=notes.cite(line.source, line.certainty)),))
    if items:
        blocks.append(D.Bullets(tuple(items)))
    runs: list[D.Run] = []
    f = report.forecast
    if f is not None:
        runs.append(
            D.Run(
                t["forecast"].format(
                    value=f.value, p=percent(f.p_target_met, lang), low=f.p10, high=f.p90,
                    deadline=format_date(f.deadline, lang),
                    runs=f"{f.runs:,}".replace(",", "." if lang == "nl" else ","),
                ) + " "
            )
        )  # fmt: skip
    current = _main_target(report)
    if current is not None:
        runs.append(
            D.Run(
                t["target_sentence"].format(
                    deadline=_deadline_words(current.deadline, lang),
                    value=number_words(current.value, lang),
                    date=date, achieved=current.achieved,
                ),
                note=notes.cite(current.source),
            )
        )  # fmt: skip
    if runs:
        blocks.append(D.Paragraph(tuple(runs)))
    return blocks


def _main_target(report: Any) -> Any:
    """The latest target version decided, whose deadline is the latest in force."""
    in_force = [t for t in report.targets if t.deadline >= report.as_of]
    chosen = in_force or list(report.targets)
    return chosen[-1] if chosen else None


def _annex(report: Any, lang: str, notes: _Notes) -> list[D.Block]:
    from imvo.reports.progress_chart import curve_figure

    t = labels_in(L, lang)
    date = format_date(report.as_of, lang)
    blocks: list[D.Block] = [D.Heading(2, t["h_annex"], "bijlage")]
    blocks.append(
        D.Table(
            "kerncijfers",
            t["kerncijfers"].format(date=date),
            (t["phase"], t["number"], t["trajectories"]),
            tuple(
                (_upper_first(_group_name(g.code, lang)), str(len(g.trajectories)),
                 ", ".join(pick(i.name, lang) for i in g.trajectories))
                for g in report.groups
            ),
        )
    )  # fmt: skip
    rows, marked = [], set()
    for index, row in enumerate(report.annex):
        history = "; ".join(
            f"{pick(PHASES[s.phase], lang)} {pdate(s.since, lang)}" for s in row.history
        )
        rows.append(
            (
                pick(row.name, lang),
                pick(PHASES[row.phase], lang),
                history or "—",
                pdate(row.original_target, lang) or "—",
                pdate(row.revised_target, lang) or "—",
                pdate(row.actual, lang) or "—",
                "—" if row.slippage_months is None else str(row.slippage_months),
            )
        )
        if row.changed:
            marked.add(index)
    blocks.append(
        D.Table(
            "totaaloverzicht",
            t["overview"],
            (t["trajectory"], t["phase"], t["history"], t["original"], t["revised"], t["actual"],
             t["slippage"]),
            tuple(rows),
            frozenset(marked),
        )
    )  # fmt: skip
    target = _main_target(report)
    blocks.append(
        curve_figure(report.curve, target, report.as_of, pick(report.curve_convention, lang), lang)
    )
    blocks.append(D.Heading(2, t["h_changes"], "wijzigingen"))
    if report.changes:
        blocks.append(
            D.Table(
                "wijzigingen",
                t["changes_caption"].format(since=format_date(report.since, lang), until=date),
                (t["when"], t["change"], t["source"]),
                tuple(
                    (pdate(c.date, lang), c.title,
                     ", ".join(p for p in (c.source.reference, c.source.title) if p))
                    for c in report.changes
                ),
            )
        )  # fmt: skip
    else:
        blocks.append(D.Paragraph((D.Run(t["no_changes"]),)))
    blocks.append(D.Heading(2, t["h_commitments"], "toezeggingen"))
    if report.commitments:
        blocks.append(
            D.Table(
                "toezeggingen",
                t["commitments_caption"],
                (t["c_reference"], t["c_made"], t["c_text"], t["c_status"]),
                tuple(_commitment_row(c, lang) for c in report.commitments),
            )
        )
    else:
        blocks.append(D.Paragraph((D.Run(t["none_recorded"]),)))
    blocks.append(D.Heading(2, t["h_colophon"], "verantwoording"))
    blocks.append(
        D.Paragraph(
            (
                D.Run(
                    t["colophon"].format(
                        as_of=date, known_at=_moment(report.known_at, lang),
                        since=format_date(report.since, lang), software=report.software_version,
                        version=report.data_version or "—",
                        changed=_moment(report.data_changed_at, lang),
                    )
                ),
            )
        )
    )  # fmt: skip
    return blocks


def _commitment_row(c: Any, lang: str) -> tuple[str, ...]:
    t = labels_in(L, lang)
    kind = t[c.kind]
    text = f"{kind}: {pick(c.text, lang)}"
    if pick(c.made_in, lang):
        text += f" ({pick(c.made_in, lang)})"
    if c.status == "answered_here":
        status = t["answered_here"].format(
            section=pick(SECTION_NAMES[c.section or "progress"], lang)
        )
    elif c.status == "rejected":
        status = t["rejected"]
    elif c.status == "answered" and c.answered_by is not None:
        status = t["answered"].format(reference=c.answered_by.reference or c.answered_by.title)
    else:
        status = t["open_c"]
    if c.certainty != "confirmed":
        status += t["unverified"]
    return (c.reference or "—", pdate(c.made, lang), text, status)


# --------------------------------------------------------------------------- data (JSON)


def _pd(value: PartialDate | None) -> str | None:
    return value.iso() if value is not None else None


def _source(c: Any) -> dict[str, Any] | None:
    if c is None:
        return None
    return {"key": c.key, "reference": c.reference, "title": c.title, "date": _pd(c.date),
            "url": c.url, "locator": c.locator}  # fmt: skip


def to_dict(report: Any, lang: str) -> dict[str, Any]:
    """The report's data: the groups in the letter's order, each trajectory's paragraph facts,
    the targets, the forecast, the annex, the changes and the commitments."""

    def party(p: Any) -> dict[str, Any]:
        return {"organisation": p.key, "name": pick(p.name, lang), "role": p.role}

    def event(e: Any) -> dict[str, Any]:
        return {
            "key": e.key,
            "date": _pd(e.date),
            "date_text": e.date_text,
            "status": e.status,
            "kind": e.kind,
            "title": pick(e.title, lang),
            "source": _source(e.source),
        }

    f = report.forecast
    return {
        "as_of": report.as_of.isoformat(),
        "since": report.since.isoformat() if report.since else None,
        "known_at": report.known_at.isoformat(),
        "lang": lang,
        "data_version": report.data_version,
        "data_changed_at": report.data_changed_at.isoformat(),
        "software_version": report.software_version,
        "trigger": report.trigger.key if report.trigger else None,
        "groups": [
            {
                "phase": g.code,
                "label": _group_name(g.code, lang),
                "trajectories": [i.slug for i in g.trajectories],
            }
            for g in report.groups
        ],
        "trajectories": [
            {
                "trajectory": i.slug,
                "name": pick(i.name, lang),
                "phase": i.phase,
                "since": _pd(i.since),
                "basis": i.basis,
                "reported_with": i.reported_with,
                "in_sra": i.in_sra,
                "convenors": [party(p) for p in i.convenors],
                "parties": [party(p) for p in i.parties],
                "events_held": [event(e) for e in i.events_held],
                "next_step": event(i.next_step) if i.next_step else None,
                "initiatives": [x.key for x in i.initiatives],
                "note": pick(i.note.text, lang) if i.note else None,
                "changed": i.changed,
                "source": _source(i.phase_source),
            }
            for i in report.trajectories
        ],
        "government_actions": [
            {
                "key": a.key,
                "role": a.role,
                "status": a.status,
                "title": pick(a.title, lang),
                "new": a.new,
                "trajectories": list(a.trajectories),
                "source": _source(a.source),
            }
            for a in report.actions
        ],
        "stakeholders": [
            {
                "organisation": s.key,
                "kind": s.kind,
                "name": pick(s.name, lang),
                "roles": list(s.roles),
                "trajectories": list(s.trajectories),
            }
            for s in report.stakeholders
        ],
        "targets": [
            {
                "key": x.key,
                "value": x.value,
                "deadline": x.deadline.isoformat(),
                "decided": _pd(x.decided),
                "convention": x.convention,
                "achieved": x.achieved,
                "met": x.met,
                "source": _source(x.source),
            }
            for x in report.targets
        ],
        "forecast": None
        if f is None
        else {
            "target": f.target,
            "value": f.value,
            "deadline": f.deadline.isoformat(),
            "p_target_met": round(f.p_target_met, 4),
            "p10": f.p10,
            "p50": f.p50,
            "p90": f.p90,
            "runs": f.runs,
            "seed": f.seed,
        },
        "annex": [
            {
                "trajectory": r.slug,
                "phase": r.phase,
                "history": [{"phase": s.phase, "since": _pd(s.since)} for s in r.history],
                "original_target": _pd(r.original_target),
                "revised_target": _pd(r.revised_target),
                "actual": _pd(r.actual),
                "slippage_months": r.slippage_months,
                "changed": r.changed,
            }
            for r in report.annex
        ],
        "changes": [
            {
                "date": c.date.iso(),
                "kind": c.kind,
                "title": c.title,
                "trajectories": list(c.trajectories),
                "source": _source(c.source),
            }
            for c in report.changes
        ],
        "curve": [
            {"date": p.date.isoformat(), "count": p.count, "agreement": p.agreement}
            for p in report.curve
        ],
        "commitments": [
            {
                "key": c.key,
                "kind": c.kind,
                "reference": c.reference,
                "made": _pd(c.made),
                "text": pick(c.text, lang),
                "status": c.status,
                "section": c.section,
                "answered_by": _source(c.answered_by),
                "certainty": c.certainty,
            }
            for c in report.commitments
        ],
        "notes_missing": list(report.notes_missing),
    }


def render_json(report: Any, lang: str = "nl") -> str:
    return json.dumps(to_dict(report, lang), ensure_ascii=False, indent=2) + "\n"


def render_md(report: Any, lang: str = "nl") -> str:
    from imvo.reports.progress_render import markdown

    return markdown(compose(report, lang))


def render_html(report: Any, lang: str = "nl") -> str:
    from imvo.reports.progress_render import html

    return html(compose(report, lang))


def render_docx(report: Any, lang: str = "nl") -> bytes:
    from imvo.reports.progress_docx import render_docx as docx

    return docx(compose(report, lang))


def render_pdf(report: Any, lang: str = "nl") -> bytes:
    from imvo.reports.progress_pdf import render_pdf as pdf

    return pdf(compose(report, lang))


def published_letter_data(report: Any, lang: str) -> dict[str, Any]:
    """What a published letter keeps: every format's bytes and what it was made from. The
    letter is composed once (its chart drawn once) and laid out in every format."""
    from imvo.reports.progress_docx import render_docx as docx
    from imvo.reports.progress_pdf import render_pdf as pdf
    from imvo.reports.progress_render import article, html, markdown

    doc = compose(report, lang)
    return {
        "as_of": report.as_of,
        "since": report.since,
        "known_at": report.known_at,
        "lang": lang,
        "title": doc.title,
        "data_version": report.data_version,
        "software_version": report.software_version,
        "article": article(doc),
        "html": html(doc),
        "md": markdown(doc),
        "json": render_json(report, lang),
        "pdf": pdf(doc),
        "docx": docx(doc),
    }


def letter_stem(as_of: dt.date, lang: str) -> str:
    """The file name without extension: 'voortgang-imvo-2015-07-10-nl'."""
    word = "voortgang-imvo" if lang == "nl" else "progress-irbc"
    return f"{word}-{as_of.isoformat()}-{lang}"


def stem(report: Any, lang: str) -> str:
    return letter_stem(report.as_of, lang)


MIMETYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
RENDERERS = {
    "md": render_md,
    "html": render_html,
    "json": render_json,
    "docx": render_docx,
    "pdf": render_pdf,
}
LABELS_FORMAT: dict[str, Text] = {
    "md": {"nl": "Voortgangsbrief (Markdown)", "en": "Progress letter (Markdown)"},
    "html": {
        "nl": "Voortgangsbrief (HTML, voor publicatie)",
        "en": "Progress letter (HTML, to publish)",
    },
    "json": {"nl": "Voortgangsbrief: gegevens (JSON)", "en": "Progress letter: data (JSON)"},
    "docx": {
        "nl": "Voortgangsbrief (Word, om te bewerken)",
        "en": "Progress letter (Word, to edit)",
    },
    "pdf": {
        "nl": "Voortgangsbrief (PDF/UA, toegankelijk)",
        "en": "Progress letter (PDF/UA, accessible)",
    },
}

for _format in FORMATS:
    register(
        Exporter(
            f"progress.{_format}",
            LABELS_FORMAT[_format],
            MIMETYPES[_format],
            _format,
            RENDERERS[_format],
        )
    )
