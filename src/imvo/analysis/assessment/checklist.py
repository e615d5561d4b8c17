"""The SER core-element checklist for a whole covenant.

Each element has one or more *parts* (for example "OECD Guidelines" and "UN Guiding
Principles"), each a list of Dutch and English term patterns. An element is

- present  when every part is found (and, for elements that need an undertaking such as
           monitoring or a complaints mechanism, at least one finding is in a commitment),
           or for the commitment-based elements when their threshold is met;
- partly   when only some parts are found, or the terms only appear in non-committing text;
- absent   when none of its terms occur.

The sources of the elements are described in docs/methodology/ser-checklist.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from imvo.analysis.assessment.model import Commitment, ElementResult, Evidence, Sentence

ELEMENTS: tuple[str, ...] = (
    "oecd_ungp",
    "risk_analysis",
    "smart_objectives",
    "party_commitments",
    "collective_projects",
    "due_diligence_accession",
    "transparency_reporting",
    "independent_monitoring",
    "complaints_disputes",
    "governance_duration",
)


@dataclass(frozen=True)
class _Part:
    name: str
    pattern: re.Pattern[str]


def _part(name: str, *terms: str) -> _Part:
    return _Part(name, re.compile(r"(?<!\w)(?:" + "|".join(terms) + r")(?!\w)", re.IGNORECASE))


_KEYWORD_ELEMENTS: dict[str, tuple[_Part, ...]] = {
    "oecd_ungp": (
        _part(
            "oecd_guidelines",
            r"oeso[- ]richtlijnen",
            r"oecd[- ]guidelines",
            r"oeso[- ]richtlijnen\s+voor\s+multinationale\s+ondernemingen",
            r"guidelines\s+for\s+multinational\s+enterprises",
        ),
        _part(
            "un_guiding_principles",
            r"ungps?",
            r"un[- ]guiding\s+principles",
            r"united\s+nations\s+guiding\s+principles",
            r"vn[- ]richtlijnen",
            r"un[- ]richtlijnen",
            r"vn[- ]beginselen",
            r"leidende\s+principes\s+van\s+de\s+verenigde\s+naties",
            r"guiding\s+principles\s+on\s+business\s+and\s+human\s+rights",
        ),
    ),
    "risk_analysis": (
        _part(
            "risk_analysis_term",
            r"(?:sector)?risicoanalyse\w*",
            r"risico'?s\s+in\s+kaart",
            r"(?:sector\s+)?risk\s+(?:analysis|assessment)",
            r"prioritaire\s+risico'?s",
            r"priority\s+risks",
            r"risks?\s+mapping",
        ),
        _part(
            "existing_initiatives",
            r"bestaande\s+(?:\w+\s+)?initiatieven",
            r"aansluiten\s+bij",
            r"sluit\w*\s+aan\s+bij",
            r"voortbouwen\s+op",
            r"bouwen?\s+voort\s+op",
            r"existing\s+(?:\w+\s+)?initiatives",
            r"build(?:s|ing)?\s+on",
            r"sectorinitiatieven",
            r"sector\s+initiatives",
        ),
    ),
    "collective_projects": (
        _part(
            "projects",
            r"gezamenlijke?\s+projecten",
            r"gezamenlijk\s+project",
            r"collectieve?\s+projecten",
            r"collectief\s+project",
            r"collective\s+projects?",
            r"joint\s+projects?",
            r"gezamenlijke\s+activiteiten",
            r"joint\s+activities",
        ),
    ),
    "due_diligence_accession": (
        _part("due_diligence", r"due[- ]diligence\w*", r"gepaste\s+zorgvuldigheid"),
        _part(
            "accession_conditions",
            r"toetreding\w*",
            r"toetreden",
            r"treden\s+toe",
            r"treedt\s+toe",
            r"deelnamevoorwaarden",
            r"accession",
            r"joining",
            r"conditions\s+for\s+(?:joining|participation)",
            r"accede\w*",
        ),
    ),
    "transparency_reporting": (
        _part(
            "reporting",
            r"rapporte\w+",
            r"rapportage\w*",
            r"(?:voortgangs|jaar)?verslag\w*",
            r"report(?:s|ing)?",
            r"progress\s+reports?",
        ),
        _part(
            "transparency",
            r"transparan\w+",
            r"openbaar\w*",
            r"publice\w+",
            r"transparency",
            r"transparent",
            r"publicly",
            r"publish\w*",
            r"disclos\w*",
        ),
    ),
    "independent_monitoring": (
        _part(
            "monitoring",
            r"monitoring\w*",
            r"monitor\w*",
            r"toezicht",
            r"voortgangstoets\w*",
            r"toetsing",
            r"evaluatie\w*",
            r"evaluation",
            r"verification",
            r"verificatie",
            r"assurance",
        ),
        _part(
            "independent",
            r"onafhankelijke?",
            r"independent\w*",
            r"externe?",
            r"external",
            r"third[- ]party",
        ),
    ),
    "complaints_disputes": (
        _part(
            "complaints",
            r"klachten\w*",
            r"klachtenmechanisme",
            r"grievance\w*",
            r"complaints?",
            r"klacht",
        ),
        _part(
            "disputes",
            r"geschil\w*",
            r"disputes?",
            r"dispute\s+(?:settlement|resolution)",
            r"arbitrage",
            r"arbitration",
            r"mediation",
            r"bemiddeling",
        ),
    ),
    "governance_duration": (
        _part("chair", r"voorzitter", r"chair(?:person|man|woman)?"),
        _part("secretariat", r"secretariaat", r"secretariat"),
        _part(
            "steering_group",
            r"stuurgroep",
            r"stuurcommissie",
            r"steering\s+(?:group|committee)",
            r"governance\s+board",
        ),
        _part(
            "funding",
            r"financiering\w*",
            r"gefinancierd",
            r"begroting",
            r"budget",
            r"funding",
            r"financing",
            r"funded",
            r"kosten",
            r"costs",
        ),
        _part(
            "duration",
            r"looptijd",
            r"duur\s+van\s+(?:het|dit)\s+convenant",
            r"treedt\s+in\s+werking",
            r"in\s+werking\s+treden",
            r"term\s+of\s+(?:the|this)\s+agreement",
            r"duration",
            r"enters?\s+into\s+force",
            r"expires?",
            r"eindigt",
        ),
    ),
}

# Elements that are only "present" when a party undertakes them; the others (the basis in
# international standards, the risk analysis, governance) may be stated declaratively.
_MUST_BE_COMMITTED = frozenset(
    {
        "collective_projects",
        "due_diligence_accession",
        "transparency_reporting",
        "independent_monitoring",
        "complaints_disputes",
    }
)

PARTY_GROUPS_SER: tuple[str, ...] = ("companies", "association", "ngos", "unions", "government")
MIN_SMART_COMMITMENTS = 3


def _quote(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def check_document(
    *, sentences: list[Sentence], commitments: list[Commitment]
) -> tuple[ElementResult, ...]:
    """Check every SER core element in a document's sentences and commitments."""
    committed = {(c.location, c.text) for c in commitments}
    results: dict[str, ElementResult] = {}
    for element, parts in _KEYWORD_ELEMENTS.items():
        results[element] = _keyword_element(element, parts, sentences, committed)
    results["smart_objectives"] = _smart_objectives(commitments)
    results["party_commitments"] = _party_commitments(commitments)
    return tuple(results[element] for element in ELEMENTS)


def _keyword_element(
    element: str,
    parts: tuple[_Part, ...],
    sentences: list[Sentence],
    committed: set,
) -> ElementResult:
    hits: dict[str, list[Sentence]] = {part.name: [] for part in parts}
    joint: list[Sentence] = []
    for sentence in sentences:
        matched = [part.name for part in parts if part.pattern.search(sentence.text)]
        for name in matched:
            if len(hits[name]) < 3:
                hits[name].append(sentence)
        if len(matched) == len(parts) and len(joint) < 3:
            joint.append(sentence)
    found = tuple(name for name, found_in in hits.items() if found_in)
    missing = tuple(name for name, found_in in hits.items() if not found_in)
    if not found:
        return ElementResult(element, "absent", (), (), missing)
    # Parts that must occur together (e.g. "independent" with "monitoring") count only jointly.
    if element == "independent_monitoring" and not joint:
        found, missing = ("monitoring",) if hits["monitoring"] else (), ("independent",)
        if not found:
            return ElementResult(element, "absent", (), (), ("monitoring", "independent"))
    chosen = joint or [s for name in found for s in hits[name][:1]]
    if element == "independent_monitoring" and not joint:
        chosen = hits["monitoring"][:2]
    evidence = tuple(Evidence(_quote(s.text), s.location) for s in dict.fromkeys(chosen))[:3]
    is_committed = any((s.location, s.text) in committed for name in found for s in hits[name])
    needs_commitment = element in _MUST_BE_COMMITTED
    status = "present" if not missing and (is_committed or not needs_commitment) else "partly"
    return ElementResult(element, status, evidence, found, missing)


def _smart_objectives(commitments: list[Commitment]) -> ElementResult:
    smart = [
        c
        for c in commitments
        if c.result("measurable").verdict == "yes" and c.result("time_bound").verdict == "yes"
    ]
    evidence = tuple(Evidence(_quote(c.text), c.location) for c in smart[:3])
    found = (f"{len(smart)}/{len(commitments)}",)
    if len(smart) >= MIN_SMART_COMMITMENTS:
        return ElementResult("smart_objectives", "present", evidence, found)
    if smart:
        return ElementResult("smart_objectives", "partly", evidence, found)
    return ElementResult("smart_objectives", "absent", (), found, ("measurable_time_bound",))


def _party_commitments(commitments: list[Commitment]) -> ElementResult:
    by_group: dict[str, Commitment] = {}
    for commitment in commitments:
        party = commitment.party
        if party and party.group in PARTY_GROUPS_SER and party.group not in by_group:
            by_group[party.group] = commitment
    found = tuple(g for g in PARTY_GROUPS_SER if g in by_group)
    missing = tuple(g for g in PARTY_GROUPS_SER if g not in by_group)
    evidence = tuple(Evidence(_quote(by_group[g].text), by_group[g].location) for g in found)
    if not found:
        return ElementResult("party_commitments", "absent", (), (), missing)
    status = "present" if len(found) >= 4 and "companies" in found else "partly"
    return ElementResult("party_commitments", status, evidence, found, missing)
