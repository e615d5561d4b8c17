"""Rendering an :class:`Assessment` as text, JSON or CSV, and the data for the HTML report.

JSON and CSV carry stable codes (``yes``/``no``/``review``, ``present``/``partly``/``absent``)
for machines, plus labels in the report language; text and HTML use the labels.
"""

from __future__ import annotations

import io
import json
from typing import Any

from imvo.analysis.assessment.labels import label
from imvo.analysis.assessment.model import CRITERIA, Assessment, Commitment, Lang, Location
from imvo.core.csvsafe import SafeWriter
from imvo.reports.exporters import Exporter, register

CSV_COLUMNS = ("line", *CRITERIA)
CSV_EXTRA = ("page", "paragraph", "lang", "party", "party_group", "text", "evidence")


def location_text(location: Location, lang: Lang) -> str:
    parts = []
    if location.page is not None:
        parts.append(f"{label('page', lang)} {location.page}")
    if location.paragraph is not None:
        parts.append(f"{label('paragraph', lang)} {location.paragraph}")
    parts.append(f"{label('line', lang)} {location.line}")
    return ", ".join(parts)


def commitment_dict(commitment: Commitment, lang: Lang) -> dict[str, Any]:
    return {
        "text": commitment.text,
        "location": commitment.location.as_dict(),
        "lang": commitment.lang,
        "party": (
            {"text": commitment.party.text, "group": commitment.party.group}
            if commitment.party
            else None
        ),
        "trigger": commitment.trigger,
        "smart": {
            result.criterion: {
                "verdict": result.verdict,
                "label": label(result.verdict, lang),
                "evidence": list(result.evidence),
                "reason": result.reason.get(lang, ""),
            }
            for result in commitment.results
        },
    }


def to_dict(assessment: Assessment, lang: Lang) -> dict[str, Any]:
    data: dict[str, Any] = {
        "source": assessment.source,
        "mode": assessment.mode,
        "document_lang": assessment.lang,
        "report_lang": lang,
        "pages": assessment.pages,
        "sentences_read": assessment.sentences_read,
        "summary": summary(assessment),
        "commitments": [commitment_dict(c, lang) for c in assessment.commitments],
    }
    if assessment.checklist is not None:
        data["checklist"] = [
            {
                "element": e.element,
                "label": label(e.element, lang),
                "status": e.status,
                "status_label": label(e.status, lang),
                "found": list(e.found),
                "missing": list(e.missing),
                "evidence": [
                    {"quote": ev.quote, "location": ev.location.as_dict()} for ev in e.evidence
                ],
            }
            for e in assessment.checklist
        ]
    return data


def summary(assessment: Assessment) -> dict[str, dict[str, int]]:
    """How many commitments got each verdict, per criterion."""
    counts = {c: {"yes": 0, "no": 0, "review": 0} for c in CRITERIA}
    for commitment in assessment.commitments:
        for result in commitment.results:
            counts[result.criterion][result.verdict] += 1
    return counts


def render_json(assessment: Assessment, lang: Lang) -> str:
    return json.dumps(to_dict(assessment, lang), ensure_ascii=False, indent=2) + "\n"


def render_csv(assessment: Assessment, lang: Lang) -> str:
    out = io.StringIO()
    writer = SafeWriter(out, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, *CSV_EXTRA])
    for c in assessment.commitments:
        evidence = "; ".join(
            f"{r.criterion}: {', '.join(r.evidence)}" for r in c.results if r.evidence
        )
        writer.writerow(
            [
                c.location.line,
                *(c.result(criterion).verdict for criterion in CRITERIA),
                c.location.page if c.location.page is not None else "",
                c.location.paragraph if c.location.paragraph is not None else "",
                c.lang,
                c.party.text if c.party else "",
                c.party.group if c.party else "",
                c.text,
                evidence,
            ]
        )
    return out.getvalue()


def render_text(assessment: Assessment, lang: Lang) -> str:
    lines = [
        label("title", lang),
        f"{label('file', lang)}: {assessment.source}",
        f"{label('language', lang)}: {assessment.lang}",
        f"{label('commitments', lang)}: {len(assessment.commitments)}"
        f" ({assessment.sentences_read} {label('sentences_read', lang)})",
        "",
    ]
    counts = summary(assessment)
    lines.append(label("summary", lang))
    for criterion in CRITERIA:
        tally = ", ".join(f"{label(v, lang)} {n}" for v, n in counts[criterion].items())
        lines.append(f"  {label(criterion, lang):<13} {tally}")
    lines.append("")
    if not assessment.commitments:
        lines.append(label("none_found", lang))
    for number, c in enumerate(assessment.commitments, start=1):
        party = f" — {label('party', lang)}: {c.party.text}" if c.party else ""
        lines.append(f"[{number}] {location_text(c.location, lang)}{party}")
        lines.append(f"    {c.text}")
        for result in c.results:
            lines.append(
                f"    {label(result.criterion, lang):<13} {label(result.verdict, lang):<11}"
                f" {result.reason.get(lang, '')}"
            )
        lines.append("")
    if assessment.checklist is not None:
        lines.append(label("checklist", lang))
        for element in assessment.checklist:
            lines.append(f"  [{label(element.status, lang)}] {label(element.element, lang)}")
            if element.missing:
                missing = ", ".join(label(m, lang) for m in element.missing)
                lines.append(f"      {label('missing', lang)}: {missing}")
            for evidence in element.evidence:
                lines.append(f"      “{evidence.quote}” ({location_text(evidence.location, lang)})")
        lines.append("")
    lines.append(label("disclaimer", lang))
    return "\n".join(lines) + "\n"


def html_context(assessment: Assessment, lang: Lang) -> dict[str, Any]:
    """Plain data for the HTML template: every label already in the report language."""
    return {
        "lang": lang,
        "labels": {key: label(key, lang) for key in _HTML_LABEL_KEYS},
        "source": assessment.source,
        "document_lang": assessment.lang,
        "sentences_read": assessment.sentences_read,
        "criteria": [{"code": c, "label": label(c, lang)} for c in CRITERIA],
        "summary": [
            {
                "label": label(c, lang),
                "counts": [
                    {"verdict": v, "label": label(v, lang), "count": n}
                    for v, n in summary(assessment)[c].items()
                ],
            }
            for c in CRITERIA
        ],
        "commitments": [
            {
                "number": n,
                "text": c.text,
                "location": location_text(c.location, lang),
                "party": c.party.text if c.party else "",
                "results": [
                    {
                        "verdict": r.verdict,
                        "label": label(r.verdict, lang),
                        "criterion": label(r.criterion, lang),
                        "reason": r.reason.get(lang, ""),
                    }
                    for r in c.results
                ],
            }
            for n, c in enumerate(assessment.commitments, start=1)
        ],
        "checklist": [
            {
                "label": label(e.element, lang),
                "status": e.status,
                "status_label": label(e.status, lang),
                "missing": ", ".join(label(m, lang) for m in e.missing),
                "evidence": [
                    {"quote": ev.quote, "location": location_text(ev.location, lang)}
                    for ev in e.evidence
                ],
            }
            for e in (assessment.checklist or ())
        ]
        if assessment.checklist is not None
        else None,
    }


_HTML_LABEL_KEYS = (
    "title", "file", "language", "commitments", "commitment", "checklist", "element", "status",
    "evidence", "missing", "location", "party", "summary", "sentences_read", "none_found",
    "disclaimer", "why",
)  # fmt: skip


def render_html(assessment: Assessment, lang: Lang) -> str:
    from django.template.loader import render_to_string

    return render_to_string("reports/assessment.html", html_context(assessment, lang))


for _fmt, _mimetype, _renderer in (
    ("text", "text/plain; charset=utf-8", render_text),
    ("json", "application/json", render_json),
    ("csv", "text/csv; charset=utf-8", render_csv),
    ("html", "text/html; charset=utf-8", render_html),
):
    register(
        Exporter(
            identifier=f"assessment.{_fmt}",
            label={"nl": f"Beoordeling ({_fmt.upper()})", "en": f"Assessment ({_fmt.upper()})"},
            mimetype=_mimetype,
            extension="txt" if _fmt == "text" else _fmt,
            renderer=_renderer,
        )
    )
