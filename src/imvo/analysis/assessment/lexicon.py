"""Word lists behind the commitment finder and the 'specific' check, in Dutch and English.

Kept as plain data so that reviewers can read and extend them; each entry is a regular
expression fragment matched case-insensitively on word boundaries.
"""

from __future__ import annotations

import re

# Party groups: the five the SER advice names, plus the covenant's own bodies and "parties".
PARTY_GROUPS: dict[str, tuple[str, ...]] = {
    "companies": (
        r"(?:deelnemende\s+|aangesloten\s+)?(?:bedrijven|bedrijf|ondernemingen|onderneming|banken"
        r"|bank|verzekeraars|verzekeraar|pensioenfondsen|pensioenfonds|retailers|leden|deelnemers"
        r"|toetreders|producenten)",
        r"(?:participating\s+|member\s+|signatory\s+)?(?:companies|company|banks|bank|insurers"
        r"|insurer|pension\s+funds|pension\s+fund|businesses|enterprises|retailers|members"
        r"|participants)",
    ),
    "association": (
        r"(?:brancheorganisaties?|sectororganisaties?|branchevereniging(?:en)?|branche-organisaties?"
        r"|brancheverenigingen)",
        r"(?:sector|industry|trade|branch)\s+associations?|the\s+association",
    ),
    "ngos": (
        r"ngo'?s|ngo|maatschappelijke\s+organisaties?",
        r"ngos|ngo|civil\s+society\s+organi[sz]ations?",
    ),
    "unions": (r"vakbonden|vakbond|fnv|cnv", r"(?:trade\s+)?unions?"),
    "government": (
        r"(?:rijks)?overheid|overheden|ministeries|ministerie|minister|staatssecretaris|de\s+staat",
        r"(?:the\s+)?(?:dutch\s+)?government|ministry|ministries|minister|state\s+secretary",
    ),
    "parties": (r"partijen|ondertekenaars|convenantpartijen", r"parties|signatories"),
    "bodies": (
        r"secretariaat|stuurgroep|werkgroep|bestuur|voorzitter|ser|monitoringcommissie"
        r"|geschillencommissie|klachtencommissie|commissie",
        r"secretariat|steering\s+(?:group|committee)|working\s+group|board|chair|ser"
        r"|monitoring\s+committee|disputes?\s+committee|complaints\s+committee|committee",
    ),
}

PARTY_RE: dict[str, re.Pattern[str]] = {
    group: re.compile(rf"(?<![\w-])(?:{'|'.join(forms)})(?![\w-])", re.IGNORECASE)
    for group, forms in PARTY_GROUPS.items()
}

# Words that make a sentence a commitment.
TRIGGERS = re.compile(
    r"(?<!\w)(?:zullen|zal|verplicht(?:en)?\s+zich|verbind(?:en|t)\s+zich|zet(?:ten)?\s+zich"
    r"|span(?:nen|t)\s+zich|streven|streeft|stre?ven\s+ernaar|committeren\s+zich|committeert"
    r"|nemen\s+op\s+zich|neemt\s+op\s+zich|dragen\s+zorg|draagt\s+zorg|zorg(?:en|t)\s+(?:ervoor|dat)"
    r"|moeten|moet|spreken\s+af|komen\s+overeen|willen|wil|gaan|will|shall|commit(?:s|ted)?\s+to"
    r"|undertakes?\s+to|agrees?\s+(?:to|that)|endeavou?r|strives?|aims?\s+(?:to|for)|seeks?\s+to"
    r"|pledges?|must|are\s+expected\s+to|want(?:s)?\s+(?:to|the)|should)(?!\w)",
    re.IGNORECASE,
)

# Concrete actions: something a reader can check was done.
CONCRETE = re.compile(
    r"(?<!\w)(?:publice\w*|gepubliceerd|openbaar|opstel\w*|opgesteld|uitvoer\w*|uitgevoerd"
    r"|voer(?:t|en)|in\s+kaart|inricht\w*|ingericht|richt(?:en)?\s+\w+\s+in|opzet\w*|opgezet"
    r"|benoem\w*|organise\w*|train(?:t|en|ing\w*)?|rapporte\w*|deel(?:t|en)|delen|betrek\w*"
    r"|toets\w*|getoetst|vaststel\w*|vastgesteld|vast|beschikbaar|herzien\w*|herziet|bespre\w*"
    r"|bijeen|onderschrij\w*|onderteken\w*|door(?:geven|gegeven)|geven\s+\w+\s+door|geeft\s+door"
    r"|terug(?:brengen|gebracht)|brengen\s+.{0,60}terug|halver\w*|aanpass\w*|pass(?:en|t)\s+.{0,60}aan"
    r"|opnemen|opgenomen|ontwikkel\w*|screen\w*|audit\w*|monitor\w*|evalue\w*|meld(?:t|en)"
    r"|instel\w*|ingesteld|aanstel\w*|financier\w*|betal\w*|stuurt|sturen|verstrekken|verstrekt"
    r"|publish\w*|disclos\w*|draw(?:s|n)?\s+up|draft\w*|carr(?:y|ies|ied)\s+out|(?<!business\s)(?<!of\s)conduct\w*"
    r"|set(?:s|ting)?\s+up|establish\w*|appoint\w*|organi[sz]e\w*|train(?:s|ed|ing)?|report(?:s|ed|ing)?"
    r"|share\w*|involve\w*|screen\w*|adopt\w*|review\w*|discuss\w*|meet(?:s|ing)?|endorse\w*"
    r"|forward\w*|halve\w*|adapt\w*|include\w*|develop\w*|map(?:s|ped|ping)?|monitor\w*"
    r"|evaluat\w*|available|fund\w*|pay(?:s|ing)?|implement\w*|introduc\w*|provide\w*|send\w*"
    r"|submit\w*|sign(?:s)?|verif\w*)(?!\w)",
    re.IGNORECASE,
)

# Deliverables: a concrete object when introduced as something new or of the party's own.
DELIVERABLE = re.compile(
    r"(?<!\w)(?:een|a|an|hun|their|haar|its|eigen|own)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:[\w-]*(?:beleid|plan|actieplan|rapport|verslag|rapportage|klachtenmechanisme"
    r"|klachtenprocedure|klachtenregeling|risicoanalyse|analyse|gedragscode|lijst|overzicht"
    r"|procedure|protocol|database|website|training|handreiking|stappenplan|code)"
    r"|polic(?:y|ies)|plan|report|complaints?\s+(?:procedure|mechanism)|grievance\s+mechanism"
    r"|risk\s+(?:analysis|assessment)|analysis|code\s+of\s+conduct|list|overview|procedure"
    r"|protocol|database|website|training|guidance|roadmap|purchasing\s+practices)(?!\w)",
    re.IGNORECASE,
)

# Directions of change: specific only together with a quantity.
DIRECTIONAL = re.compile(
    r"(?<!\w)(?:verbeter\w*|vergrot\w*|verminder\w*|verhog\w*|verlag\w*|intensive\w*"
    r"|versterk\w*|stijg\w*|uitbreid\w*|groei\w*|improv\w*|increas\w*|reduc\w*|expand\w*"
    r"|intensif\w*|strengthen\w*|enhanc\w*|rais\w*|ris(?:e|es|ing)|grow\w*)(?!\w)",
    re.IGNORECASE,
)

# Intentions and efforts without a concrete act.
VAGUE = re.compile(
    r"(?<!\w)(?:zetten\s+zich\s+in|zet\s+zich\s+in|inzet|inspann\w*|spannen\s+zich\s+in"
    r"|streven|streeft|gestreefd|bijdragen|dragen\s+\w*\s*bij|draagt\s+bij|bevorder\w*"
    r"|stimuler\w*|aandacht|rekening|verkennen|verkent|aanpakken|aangepakt|pakken\s+aan"
    r"|bewustwording|meenemen|mee\s+te\s+nemen|nemen\s+mee|werken\s+aan|zoeken\s+naar"
    r"|passende\s+maatregelen|maatregelen\s+nemen|strive\w*|endeavou?r\w*|contribut\w*\s+to"
    r"|promot\w*|encourag\w*|stimulat\w*|take\s+into\s+account|explor\w*|address\w*|tackl\w*"
    r"|seek\w*\s+to|work\s+towards|awareness|pay\s+attention|look\s+for\s+ways"
    r"|appropriate\s+measures|aims?\s+for)(?!\w)",
    re.IGNORECASE,
)

# Passive constructions without a named agent ("er wordt gestreefd", "efforts will be made").
NO_AGENT = re.compile(
    r"^\s*(?:er\s+(?:wordt|worden|zal|zullen)|efforts?\s+(?:will|shall)\s+be|it\s+is"
    r"|attention\s+will\s+be)\b",
    re.IGNORECASE,
)

# Verbs showing a clause reports the past, not a commitment.
PAST = re.compile(
    r"(?<!\w)(?:tekenden|ondertekenden|sloten|startten|begonnen|begon|waren|werd|werden|was"
    r"|hadden|signed|started|began|were|was|had|launched|concluded)(?!\w)",
    re.IGNORECASE,
)
FUTURE = re.compile(r"(?<!\w)(?:zullen|zal|will|shall|gaan)(?!\w)", re.IGNORECASE)
