"""Open downloads of the public pages: CSV and JSON of what each page shows.

Builders turn a selector's page (``overview_page``, ``trajectory_page``, ``programme_page``,
``programme_changes``, ``sra_division_page``) into plain data: a ``meta`` block (page, reference
date, known-at, language, source and licence note) and one or more named tables of rows
(dicts of text, numbers, dates). The renderers write that as spreadsheet-safe CSV (through
:mod:`imvo.core.csvsafe`) or as UTF-8 JSON with ISO dates. A page with several tables (the
overview, a trajectory) is one CSV in long form: the first column ``section`` names the table,
the other columns are the union of the tables' columns, empty where a table has none.

The exporters are registered as ``"<page>.csv"`` and ``"<page>.json"`` for the pages
``overview``, ``trajectory``, ``events``, ``changes`` and ``division``; the SRA table is the
existing ``sra.csv``/``sra.json``. Like every exporter they never query the database: the
selectors' pages carry what they need, prefetched.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

from imvo import __version__
from imvo.core.csvsafe import SafeDictWriter
from imvo.core.dates import PartialDate
from imvo.reports.exporters import Exporter, register
from imvo.reports.sra_explain import explanation_payload

#: The pages with downloads, in menu order (``sra`` is served by the ``sra.*`` exporters).
PAGES = ("overview", "trajectory", "events", "changes", "sra", "division")
#: The pages whose download names one item (a trajectory slug, a NACE division).
ITEM_PAGES = ("trajectory", "division")
FORMATS = ("csv", "json")

SOURCE_NOTE = {
    "nl": (
        "De referentiegegevens zijn een eigen samenstelling van het project IMVO Monitor uit "
        "openbare overheidsbronnen (Kamerbrieven, Kamerstukken, convenanten, SER-publicaties); "
        "elke rij noemt haar bron."
    ),
    "en": (
        "The reference data are the IMVO Monitor project's own compilation of public government "
        "sources (letters and papers to parliament, covenants, SER publications); every row "
        "names its source."
    ),
}
SRA_NOTE = {
    "nl": (
        "Sectorrisicoanalyse van IMVO Monitor over de meegeleverde open datasets (elk met eigen "
        "licentie en bronvermelding, zie 'datasets') en de eigen samenstelling van het "
        "programma uit openbare overheidsbronnen."
    ),
    "en": (
        "Sector Risk Analysis of IMVO Monitor over the shipped open data sets (each with its own "
        "licence and attribution, see 'datasets') and the project's own compilation of the "
        "programme from public government sources."
    ),
}
LICENCE_NOTE = {
    "nl": (
        "Software: EUPL-1.2. De samenstelling mag vrij worden hergebruikt met bronvermelding "
        "(IMVO Monitor en de genoemde bronnen); meegeleverde datasets houden hun eigen licentie."
    ),
    "en": (
        "Software: EUPL-1.2. The compilation may be reused freely with attribution (IMVO Monitor "
        "and the sources named); shipped data sets keep their own licences."
    ),
}


# --------------------------------------------------------------------------- plain values


def _iso(value: Any) -> Any:
    """Dates and partial dates as ISO text; None stays None; anything else unchanged."""
    if value is None:
        return None
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _partial(value: dt.date | None, precision: str) -> str | None:
    return PartialDate.of(value, precision).iso() if value is not None else None


def _label(field: Any) -> str:
    return str(field) if field is not None else ""


def _source(item: Any) -> dict[str, Any]:
    """The source columns of a cited record (or of a source and a locator)."""
    source = item.source
    return {
        "source": source.title,
        "source_reference": source.reference,
        "source_locator": getattr(item, "source_locator", ""),
        "source_url": source.url,
    }


def meta(
    page: str,
    *,
    lang: str,
    as_of: dt.date | None = None,
    known_at: dt.datetime | None = None,
    note: Mapping[str, str] = SOURCE_NOTE,
    **extra: Any,
) -> dict[str, Any]:
    """The ``meta`` block of a download: what page, on what date, as known when, and from what."""
    lang = lang if lang in ("nl", "en") else "nl"
    return {
        "page": page,
        "reference_date": _iso(as_of),
        "known_at": _iso(known_at),
        **{key: _iso(value) for key, value in extra.items()},
        "language": lang,
        "generator": f"IMVO Monitor {__version__}",
        "source": note[lang],
        "licence": LICENCE_NOTE[lang],
    }


# --------------------------------------------------------------------------- builders


def overview_data(
    page: Any, *, lang: str, as_of: dt.date | None = None, known_at: dt.datetime | None = None
) -> dict[str, Any]:
    """The overview (an ``OverviewPage``): trajectories by phase on the date, and every target
    version decided by then with its count under each counting convention."""
    trajectories = [
        {
            "slug": state.slug,
            "name": state.trajectory.name,
            "phase": state.phase,
            "phase_label": state.phase_label,
            "since": _iso(state.since),
            "basis": state.basis,
        }
        for group in page.groups
        for state in group.states
    ]
    versions = []
    for progress in page.progress:
        target = progress.target
        for version_progress in progress.versions:
            version = version_progress.version
            for count in version_progress.counts:
                versions.append(
                    {
                        "target": target.key,
                        "target_title": target.title,
                        "version": version.key,
                        "decided": _partial(version.decided, version.decided_precision),
                        "value": version.value,
                        "deadline": _iso(version.deadline),
                        "convention": count.convention.key,
                        "convention_title": count.convention.title,
                        "own_convention": count.convention.pk == version.convention_id,
                        "achieved": count.achieved,
                        **_source(version),
                    }
                )
    return {
        "meta": meta(
            "overview",
            lang=lang,
            as_of=as_of or page.as_of,
            known_at=known_at if known_at is not None else page.known_at,
            data_until=page.data_until,
            last_updated=page.last_updated,
        ),
        "tables": {"trajectories": trajectories, "target_versions": versions},
    }


def _event_row(event: Any, *, trajectories: Iterable[str] | None = None) -> dict[str, Any]:
    row = {
        "key": event.key,
        "date": _partial(event.date, event.date_precision),
        "date_text": event.date_text,
        "status": event.status,
        "status_label": _label(event.get_status_display()),
        "kind": event.kind,
        "kind_label": _label(event.get_kind_display()),
        "title": event.title,
    }
    if trajectories is not None:
        row["trajectories"] = " ".join(trajectories)
    return {**row, "certainty": event.certainty, **_source(event)}


def trajectory_data(
    page: Any, *, lang: str, as_of: dt.date | None = None, known_at: dt.datetime | None = None
) -> dict[str, Any]:
    """A trajectory (a ``TrajectoryPage``): its phase history (superseded records included,
    with when they were recorded and superseded), participations, events and agreements."""
    trajectory = page.trajectory
    phases = [
        {
            "key": record.key,
            "phase": record.phase,
            "phase_label": _label(record.get_phase_display()),
            "valid_from": _iso(record.valid_from_partial),
            "basis": record.date_basis,
            "date_text": record.date_text,
            "recorded_at": _iso(record.recorded_at),
            "superseded_at": _iso(record.superseded_at),
            "certainty": record.certainty,
            **_source(record),
        }
        for record in page.history
    ]
    participations = [
        {
            "organisation": p.organisation.name,
            "role": p.role,
            "role_label": _label(p.get_role_display()),
            "valid_from": _partial(p.valid_from, p.valid_from_precision),
            "valid_until": _partial(p.valid_until, p.valid_until_precision),
            "certainty": p.certainty,
            **_source(p),
        }
        for p in page.participations
    ]
    events = [_event_row(event) for event in page.events]
    agreements = [
        {
            "key": a.key,
            "kind": a.kind,
            "title": a.title,
            "signed": _partial(a.signed, a.signed_precision),
            "in_force": _partial(a.in_force, a.in_force_precision),
            "ended": _partial(a.ended, a.ended_precision),
            "end_reason": a.end_reason,
            "certainty": a.certainty,
            **_source(a),
        }
        for a in page.agreements
    ]
    state = page.state
    return {
        "meta": meta(
            "trajectory",
            lang=lang,
            as_of=as_of,
            known_at=known_at,
            trajectory=trajectory.slug,
        ),
        "trajectory": {
            "slug": trajectory.slug,
            "name": trajectory.name,
            "phase": state.phase,
            "phase_label": state.phase_label,
            "since": _iso(state.since),
            "basis": state.basis,
        },
        "tables": {
            "phases": phases,
            "participations": participations,
            "events": events,
            "agreements": agreements,
        },
    }


def events_data(
    page: Any, *, lang: str, as_of: dt.date | None = None, known_at: dt.datetime | None = None
) -> dict[str, Any]:
    """Every event of the programme page (a ``ProgrammePage``) as known at ``known_at``."""
    events = [
        _event_row(event, trajectories=(t.slug for t in event.trajectories.all()))
        for event in page.events
    ]
    return {
        "meta": meta("events", lang=lang, as_of=as_of, known_at=known_at),
        "tables": {"events": events},
    }


def changes_data(page: Any, *, lang: str, **_options: Any) -> dict[str, Any]:
    """The changes page (a ``Changes``): every change from ``since`` to ``until``."""
    changes = [
        {
            "date": _iso(change.date),
            "kind": change.kind,
            "kind_label": change.kind_label,
            "title": change.title,
            "trajectories": " ".join(change.trajectories),
            "certainty": change.certainty,
            "source": change.source.title,
            "source_reference": change.source.reference,
            "source_locator": change.locator,
            "source_url": change.source.url,
        }
        for change in page.changes
    ]
    return {
        "meta": meta(
            "changes", lang=lang, known_at=page.known_at, since=page.since, until=page.until
        ),
        "tables": {"changes": changes},
    }


#: The columns of a division's theme rows (CSV), in order.
THEME_COLUMNS = ("theme", "name", "score", "severity", "likelihood", "sources")


def _rounded(value: Any, digits: int = 4) -> Any:
    """Scores as the SRA table gives them: floats rounded to four decimals."""
    return round(float(value), digits) if isinstance(value, float) else value


def division_data(page: Any, *, lang: str, **_options: Any) -> dict[str, Any]:
    """A division's explanation (a ``DivisionPage``) with names in ``lang``; its theme rows by
    score are the table."""
    model = page.result.model
    explanation = explanation_payload(page.explanation, model=model, lang=lang)
    detail = explanation_payload(page.detail, model=model, lang=lang) if page.detail else None
    themes = sorted(explanation["themes"], key=lambda t: t["score"], reverse=True)
    rows = [
        {
            "nace": explanation["nace"],
            **{key: _rounded(theme.get(key)) for key in THEME_COLUMNS},
        }
        for theme in themes
    ]
    return {
        "meta": meta(
            "division",
            lang=lang,
            note=SRA_NOTE,
            nace=explanation["nace"],
            method_version=page.result.method_version,
        ),
        "explanation": explanation,
        "theme_detail": detail,
        "sectors": page.sectors,
        "trajectories": page.trajectories,
        "initiatives": page.initiatives,
        "datasets": page.result.datasets,
        "tables": {"themes": rows},
    }


# --------------------------------------------------------------------------- renderers


def _plain(value: Any) -> Any:
    """JSON's fallback: dates as ISO text, numpy numbers and arrays as Python ones."""
    iso = _iso(value)
    if iso is not value:
        return iso
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    if hasattr(value, "tolist"):  # numpy array
        return value.tolist()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def to_json(data: Mapping[str, Any]) -> str:
    """The plain data as indented UTF-8 JSON (ISO dates)."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_plain) + "\n"


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return _iso(value)


def to_csv(data: Mapping[str, Any]) -> str:
    """The tables as one spreadsheet-safe CSV: a single table as it is; several in long form
    with a first column ``section``."""
    tables: Mapping[str, list[Mapping[str, Any]]] = data["tables"]
    several = len(tables) > 1
    columns: list[str] = ["section"] if several else []
    for name, rows in tables.items():
        for key in _columns(name, rows, data):
            if key not in columns:
                columns.append(key)
    out = io.StringIO()
    writer = SafeDictWriter(out, fieldnames=columns, lineterminator="\n", restval="")
    writer.writeheader()
    for name, rows in tables.items():
        for row in rows:
            cells = {key: _cell(value) for key, value in row.items()}
            writer.writerow({"section": name, **cells} if several else cells)
    return out.getvalue()


def _columns(name: str, rows: list[Mapping[str, Any]], data: Mapping[str, Any]) -> list[str]:
    """A table's columns: those of its rows (an empty table still names its columns when a
    builder knows them)."""
    if rows:
        return list(rows[0])
    if name == "themes":
        return ["nace", *THEME_COLUMNS]
    return []


BUILDERS = {
    "overview": overview_data,
    "trajectory": trajectory_data,
    "events": events_data,
    "changes": changes_data,
    "division": division_data,
}

LABELS = {
    "overview": {"nl": "Overzicht", "en": "Overview"},
    "trajectory": {"nl": "Traject", "en": "Trajectory"},
    "events": {"nl": "Gebeurtenissen", "en": "Events"},
    "changes": {"nl": "Wijzigingen", "en": "Changes"},
    "division": {"nl": "Toelichting NACE-afdeling", "en": "NACE division explanation"},
}


def _renderer(build: Any, write: Any) -> Any:
    def render(page: Any, *, lang: str = "nl", **options: Any) -> str:
        return write(build(page, lang=lang, **options))  # type: ignore[no-any-return]

    return render


def filename_stem(
    page: str,
    *,
    item: str | None = None,
    as_of: dt.date | None = None,
    known_at: dt.datetime | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> str:
    """The file name (without extension) of a download: page, item, dates; e.g.
    ``overview-2016-12-31-known-2015-07-11`` or ``changes-2015-01-01-2015-12-31``."""
    parts = [page]
    if item:
        parts.append(item)
    for day in (as_of, since, until):
        if day is not None:
            parts.append(day.isoformat())
    if known_at is not None:
        parts += ["known", known_at.date().isoformat()]
    return "-".join(parts)


for _page, _build in BUILDERS.items():
    for _fmt, _mimetype, _write in (
        ("csv", "text/csv; charset=utf-8", to_csv),
        ("json", "application/json; charset=utf-8", to_json),
    ):
        register(
            Exporter(
                identifier=f"{_page}.{_fmt}",
                label={lang: f"{text} ({_fmt.upper()})" for lang, text in LABELS[_page].items()},
                mimetype=_mimetype,
                extension=_fmt,
                renderer=_renderer(_build, _write),
            )
        )
