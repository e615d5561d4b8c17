"""Two pictures of the programme as SVG text, each with the rows of the table beside it: the
timeline of all trajectories (one swimlane each, by phase) and the cumulative number of
agreements per counting convention against every version of the target.

Pure: the selectors' plain dataclasses are read by attribute, no Django and no model query.
Every text is escaped and the output is deterministic. Labels are Dutch or English (``lang``);
the phase names come from the caller (they are gettext strings). Colours reach 3:1 against white
(graphics) and 4.5:1 (text); phases also differ by pattern, conventions by dash and marker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

from imvo.core.bilingual import Text, labels_in

LABELS: dict[str, Text] = {
    "timeline_title": {"nl": "Tijdlijn van alle trajecten", "en": "Timeline of all trajectories"},
    "timeline_desc": {
        "nl": "{lanes} trajecten van {start} tot {end}, één baan per traject, gekleurd en "
        "gearceerd per fase; {signed} ondertekeningen en {ended} beëindigingen van "
        "overeenkomsten gemarkeerd. De tabel bij de figuur geeft elke fase en datum.",
        "en": "{lanes} trajectories from {start} to {end}, one lane each, coloured and "
        "patterned by phase; {signed} signings and {ended} ends of agreements marked. The "
        "table with the figure gives every phase and date.",
    },
    "timeline_table": {
        "nl": "Fasen en overeenkomsten per traject",
        "en": "Phases and agreements per trajectory",
    },
    "curves_title": {
        "nl": "Aantal overeenkomsten tegen het doel",
        "en": "Number of agreements against the target",
    },
    "curves_desc": {
        "nl": "Cumulatief aantal ondertekende overeenkomsten tot {end}, één traplijn per "
        "telwijze ({curves}); horizontale lijnen tonen {versions} versies van het doel (de "
        "waarde op de deadline). De tabellen bij de figuur geven elke waarde.",
        "en": "Cumulative number of signed agreements up to {end}, one step line per "
        "counting convention ({curves}); horizontal lines show {versions} versions of the "
        "target (the value at the deadline). The tables with the figure give every value.",
    },
    "counts_table": {
        "nl": "Cumulatief aantal per telwijze; (+1): de overeenkomst telt mee in die telwijze",
        "en": "Cumulative number per counting convention; (+1): the agreement counts in it",
    },
    "versions_table": {"nl": "Versies van het doel", "en": "Versions of the target"},
    "signed": {"nl": "ondertekend", "en": "signed"},
    "ended": {"nl": "beëindigd", "en": "ended"},
    "trajectory": {"nl": "Traject", "en": "Trajectory"},
    "phases": {"nl": "Fasen", "en": "Phases"},
    "agreements": {"nl": "Overeenkomsten", "en": "Agreements"},
    "nothing": {"nl": "niets vastgelegd", "en": "nothing recorded"},
    "since": {"nl": "vanaf", "en": "from"},
    "date": {"nl": "Datum", "en": "Date"},
    "agreement": {"nl": "Overeenkomst", "en": "Agreement"},
    "decided": {"nl": "Besloten", "en": "Decided"},
    "value": {"nl": "Waarde", "en": "Value"},
    "deadline": {"nl": "Deadline", "en": "Deadline"},
    "convention": {"nl": "Telwijze", "en": "Counting convention"},
    "worded": {"nl": "Zoals verwoord", "en": "As worded"},
    "target": {"nl": "doel", "en": "target"},
    "target_legend": {
        "nl": "doel: waarde op de deadline (jaar van het besluit)",
        "en": "target: value at the deadline (year decided)",
    },
    "reference": {"nl": "peildatum", "en": "reference date"},
    "mark_signed": {"nl": "ondertekening van een overeenkomst", "en": "agreement signed"},
    "mark_ended": {"nl": "einde van een overeenkomst", "en": "agreement ended"},
    "to_table": {"nl": "Naar de tabel met alle waarden", "en": "To the table with every value"},
    "image": {"nl": "Afbeelding (SVG)", "en": "Image (SVG)"},
}
MONTHS = {
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "en": "January February March April May June July August September October November December",
}
INK, GRID, FONT = "#1b1b1b", "#d9d9d9", "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
#: Phase colour and pattern (``None``: solid); ``no_initiative`` is drawn as a thin line.
PHASE_STYLE = {
    "no_initiative": ("#767676", None),
    "exploration": ("#b26a00", "diagonal"),
    "dialogue": ("#6a1b9a", "dots"),
    "negotiation": ("#1565c0", "horizontal"),
    "signed": ("#2e7d32", None),
    "ended": ("#424242", "cross"),
    "stopped": ("#b00020", "backslash"),
}
PATTERNS = {
    "diagonal": '<path d="M-1 1 L1 -1 M0 6 L6 0 M5 7 L7 5" stroke="#fff" stroke-width="1.5"/>',
    "backslash": '<path d="M-1 5 L1 7 M0 0 L6 6 M5 -1 L7 1" stroke="#fff" stroke-width="1.5"/>',
    "dots": '<circle cx="3" cy="3" r="1.3" fill="#fff"/>',
    "horizontal": '<path d="M0 3 H6" stroke="#fff" stroke-width="1.3"/>',
    "cross": '<path d="M0 0 L6 6 M6 0 L0 6" stroke="#fff" stroke-width="1"/>',
}
#: Per counting convention, in order: colour, dash pattern, marker shape.
CURVE_STYLE = (
    ("#1565c0", "", "circle"),
    ("#b26a00", "7 3", "square"),
    ("#2e7d32", "2 2", "triangle"),
    ("#6a1b9a", "9 3 2 3", "diamond"),
    ("#b00020", "4 4", "cross"),
)


@dataclass(frozen=True)
class Table:
    """A data table: each row's first cell is its header; each cell is a list of lines."""

    id: str
    caption: str
    headers: list[str]
    rows: list[list[list[str]]]


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    desc: str
    svg: str
    tables: list[Table]
    texts: dict[str, str]  # the labels of the page around it (links), in the same language


def format_date(date: dt.date, lang: str) -> str:
    """'4 juli 2016' or '4 July 2016'."""
    return f"{date.day} {MONTHS.get(lang, MONTHS['nl']).split()[date.month - 1]} {date.year}"


def _n(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    return escape(str(value))


def _el(tag: str, body: str = "", **attrs: object) -> str:
    """An element; ``class_`` → class, ``stroke_width`` → stroke-width; values escaped."""
    text = "".join(f' {k.rstrip("_").replace("_", "-")}="{_n(v)}"' for k, v in attrs.items())
    return f"<{tag}{text}>{body}</{tag}>" if body else f"<{tag}{text}/>"


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 12, **kw: str) -> str:
    return _el("text", escape(text), x=x, y=y, font_size=size, text_anchor=anchor, fill=INK, **kw)


def _tip(text: str) -> str:
    return _el("title", escape(text))


def _svg(fig_id: str, width: int, height: float, title: str, desc: str, body: list[str]) -> str:
    head = _el("title", escape(title), id=f"{fig_id}-title") + _el(
        "desc", escape(desc), id=f"{fig_id}-desc"
    )
    inner = "\n".join([head, _el("rect", width=width, height=height, fill="#fff"), *body])
    return _el(
        "svg",
        f"\n{inner}\n",
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {width} {_n(height)}",
        width="100%",
        role="img",
        aria_labelledby=f"{fig_id}-title {fig_id}-desc",
        class_=f"chart chart-{fig_id}",
        font_family=FONT,
    )


def _axis(
    start: dt.date,
    end: dt.date,
    left: float,
    right: float,
    top: float,
    bottom: float,
    label_y: float,
) -> tuple[Callable[[dt.date], float], list[str]]:
    """The date → x function and the year ticks, labelled at ``label_y``."""
    span = max((end - start).days, 1)

    def x(date: dt.date) -> float:
        return left + (right - left) * (min(max(date, start), end) - start).days / span

    step = next((k for k in (1, 2, 5, 10) if (right - left) * 365.25 / span * k >= 30), 20)
    first = start.year + (start != dt.date(start.year, 1, 1))
    parts = []
    for year in (y for y in range(first, end.year + 1) if step == 1 or y % step == 0):
        tx = x(dt.date(year, 1, 1))
        parts.append(_el("line", x1=tx, x2=tx, y1=float(top), y2=float(bottom), stroke=GRID))
        parts.append(_text(tx, label_y, str(year), "middle"))
    return x, parts


def _phase_bar(phase: str, x: float, y: float, width: float, tip: str = "") -> str:
    colour, pattern = PHASE_STYLE.get(phase, (INK, None))
    thin = phase == "no_initiative"  # drawn as a line: nothing is happening
    fill = f"url(#tl-{phase})" if pattern else colour
    return _el(
        "rect", tip, x=x, y=y - (2 if thin else 7), width=width, height=4 if thin else 14, fill=fill
    )


SIGNED = {"class_": "mark-signed", "fill": INK, "stroke": "#fff", "stroke_width": 1.5}
ENDED = {"class_": "mark-ended", "r": 5, "fill": "#fff", "stroke": INK, "stroke_width": 2.5}


def _mark(kind: str, x: float, y: float, tip: str = "") -> str:
    """Signed: a dark diamond with a white rim; ended: a white ring with a dark edge."""
    if kind == "signed":
        points = " ".join(f"{_n(x + a)},{_n(y + b)}" for a, b in ((0, -7), (7, 0), (0, 7), (-7, 0)))
        return _el("polygon", tip, points=points, **SIGNED)
    return _el("circle", tip, cx=x, cy=y, **ENDED)


def timeline_figure(timeline: Any, *, phase_labels: Mapping[str, str], lang: str) -> Figure:
    """The swimlanes of :class:`~imvo.trajectories.selectors.Timeline` and their table."""
    t = labels_in(LABELS, lang)
    width, left, top, lane_h = 560, 150, 24, 20
    bottom = top + lane_h * len(timeline.lanes)
    x, body = _axis(timeline.start, timeline.end, left, width - 10, top, bottom, top - 6)
    patterns = "".join(
        _el(
            "pattern",
            _el("rect", width=6, height=6, fill=colour) + PATTERNS[pattern],
            id=f"tl-{phase}",
            width=6,
            height=6,
            patternUnits="userSpaceOnUse",
        )
        for phase, (colour, pattern) in PHASE_STYLE.items()
        if pattern
    )
    body.insert(0, _el("defs", patterns))
    rows, totals = [], {"signed": 0, "ended": 0}
    for index, lane in enumerate(timeline.lanes):
        y = top + index * lane_h + lane_h / 2
        short = lane.name if len(lane.name) <= 26 else lane.name[:25] + "…"
        body.append(_el("g", _tip(lane.name) + _text(left - 6, y + 4, short, "end")))
        phases = []
        for seg in lane.segments:
            until = min(seg.end, timeline.end)
            when = (
                f"{t['since']} {format_date(seg.start, lang)}"
                if until == timeline.end
                else f"{format_date(seg.start, lang)} – {format_date(until, lang)}"
            )
            phases.append(f"{phase_labels.get(seg.phase, seg.phase)}: {when}")
            x0, x1 = x(seg.start), x(until)
            bar = max(x1 - x0 - (1 if x1 - x0 > 3 else 0), 2.0)
            body.append(_phase_bar(seg.phase, x0, y, bar, _tip(f"{lane.name}: {phases[-1]}")))
        agreements = []
        for mark in lane.marks:
            totals[mark.kind] = totals.get(mark.kind, 0) + 1
            agreements.append(
                f"{t.get(mark.kind, mark.kind)} {format_date(mark.date, lang)}: {mark.label}"
            )
            body.append(_mark(mark.kind, x(mark.date), y, _tip(f"{lane.name}: {agreements[-1]}")))
        rows.append([[lane.name], phases or [t["nothing"]], agreements or ["—"]])
    keys = [*PHASE_STYLE, "mark_signed", "mark_ended"]
    for i, key in enumerate(keys):  # the legend, two to a row
        lx, ly = 10 + (i % 2) * 275, bottom + 22 + (i // 2) * 20
        sample = (
            _phase_bar(key, lx, ly - 4, 24.0)
            if key in PHASE_STYLE
            else _mark(key[5:], lx + 12, ly - 4)
        )
        body.append(sample + _text(lx + 30, ly, phase_labels.get(key, t.get(key, key))))
    desc = t["timeline_desc"].format(
        lanes=len(timeline.lanes),
        start=format_date(timeline.start, lang),
        end=format_date(timeline.end, lang),
        **totals,
    )
    headers = [t["trajectory"], t["phases"], t["agreements"]]
    svg = _svg(
        "timeline", width, bottom + 10 + 20 * -(-len(keys) // 2), t["timeline_title"], desc, body
    )
    table = Table("timeline-table", t["timeline_table"], headers, rows)
    return Figure("timeline", t["timeline_title"], desc, svg, [table], t)


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return _el("circle", cx=x, cy=y, r=3.5, fill=colour)
    if shape == "square":
        return _el("rect", x=x - 3, y=y - 3, width=6, height=6, fill=colour)
    if shape == "cross":
        d = f"M{_n(x - 3.5)} {_n(y - 3.5)} l7 7 m0 -7 l-7 7"
        return _el("path", d=d, stroke=colour, stroke_width=2)
    corners = (
        ((0, -4.5), (4, 3), (-4, 3))
        if shape == "triangle"
        else ((0, -4.5), (4.5, 0), (0, 4.5), (-4.5, 0))
    )
    return _el(
        "polygon", points=" ".join(f"{_n(x + a)},{_n(y + b)}" for a, b in corners), fill=colour
    )


def curves_figure(curves: Any, *, lang: str, start: dt.date = dt.date(2013, 1, 1)) -> Figure:
    """The step lines of :class:`~imvo.agreements.selectors.AgreementCurves`, each target
    version as a horizontal line ending at its deadline, and the two tables."""
    t = labels_in(LABELS, lang)
    end = max([curves.as_of, *(v.deadline for v in curves.versions)])
    counts = [p.count for c in curves.curves for p in c.points]
    top_value = max([1, *counts, *(v.value for v in curves.versions)])
    step = 5 if top_value > 10 else 2 if top_value > 4 else 1
    y_max = -(-top_value // step) * step
    width, left, top, plot_h = 560, 30, 14, 240
    x, body = _axis(start, end, left, width - 14, top, top + plot_h, top + plot_h + 16)

    def y(value: float) -> float:
        return top + plot_h * (1 - value / y_max)

    for value in range(0, y_max + 1, step):
        body.append(_el("line", x1=left, x2=width - 14, y1=y(value), y2=y(value), stroke=GRID))
        body.append(_text(left - 6, y(value) + 4, str(value), "end"))
    body.append(
        _el("path", d=f"M{left} {top} V{top + plot_h} H{width - 14}", fill="none", stroke=INK)
    )
    if end > curves.as_of:
        ax = x(curves.as_of)
        body.append(
            _el("line", x1=ax, x2=ax, y1=top, y2=top + plot_h, stroke=INK, stroke_dasharray="1 3")
        )
        body.append(_text(ax - 3, top + plot_h - 6, t["reference"], "end", 11))
    groups: dict[tuple[int, dt.date], list[Any]] = {}
    for version in curves.versions:
        groups.setdefault((version.value, version.deadline), []).append(version)
    for (value, deadline), group in groups.items():
        x0, x1, vy = x(min(v.decided for v in group)), x(deadline), y(value)
        years = ", ".join(dict.fromkeys(str(v.decided.year) for v in group))
        label = f"{t['target']} {value} ({years})"
        d = f"M{_n(x0)} {_n(vy)} H{_n(x1)} M{_n(x1)} {_n(vy - 6)} V{_n(vy + 6)}"
        line = _el("path", d=d, stroke=INK, stroke_width=1.5, stroke_dasharray="6 3", fill="none")
        text = _text(
            x1 - 3, vy - 5, label, "end", 11, stroke="#fff", stroke_width="3", paint_order="stroke"
        )
        tip = _tip(f"{label}: {t['deadline'].lower()} {format_date(deadline, lang)}")
        body.append(_el("g", tip + line + text, class_="target-line"))
    n, legend = len(curves.curves), top + plot_h + 42
    for i, curve in enumerate(curves.curves):
        colour, dash, shape = CURVE_STYLE[i % len(CURVE_STYLE)]
        offset = (i - (n - 1) / 2) * 2  # keeps coinciding lines apart
        d = f"M{left} {_n(y(0) + offset)}" + "".join(
            f" H{_n(x(p.date))} V{_n(y(p.count) + offset)}" for p in curve.points
        )
        d += f" H{_n(x(curves.as_of))}"
        style = {"stroke": colour, "stroke_width": 2, "stroke_dasharray": dash or "none"}
        title, final = curve.convention.title, curve.points[-1].count if curve.points else 0
        markers = "".join(
            _marker(shape, x(p.date), y(p.count) + offset, colour) for p in curve.points
        )
        body.append(
            _el(
                "g",
                _tip(f"{title}: {final}") + _el("path", d=d, fill="none", **style) + markers,
                class_="curve",
            )
        )
        ly = legend + i * 20
        body.append(
            _el("path", d=f"M10 {ly - 4} H40", **style) + _marker(shape, 25, ly - 4, colour)
        )
        body.append(_text(48, ly, f"{title} ({final})"))
    ly = legend + n * 20
    d = f"M10 {ly - 4} H40 M40 {ly - 10} V{ly + 2}"
    body.append(_el("path", d=d, stroke=INK, stroke_width=1.5, stroke_dasharray="6 3"))
    body.append(_text(48, ly, t["target_legend"]))
    desc = t["curves_desc"].format(
        end=format_date(curves.as_of, lang),
        curves="; ".join(
            f"{c.convention.title}: {c.points[-1].count if c.points else 0}" for c in curves.curves
        ),
        versions=len(curves.versions),
    )
    svg = _svg("curves", width, ly + 12, t["curves_title"], desc, body)
    return Figure("curves", t["curves_title"], desc, svg, _curve_tables(curves, t, lang), t)


def _curve_tables(curves: Any, t: Mapping[str, str], lang: str) -> list[Table]:
    events: dict[tuple[dt.date, str], None] = {}
    for curve in curves.curves:
        events.update(dict.fromkeys((p.date, p.agreement) for p in curve.points))
    counts = [{(p.date, p.agreement): p.count for p in c.points} for c in curves.curves]
    running = [0] * len(counts)
    rows = []
    for event in sorted(events, key=lambda e: e[0]):  # stable: first seen first on a day
        cells = []
        for i, own in enumerate(counts):
            running[i] = own.get(event, running[i])
            cells.append([f"{running[i]} (+1)" if event in own else str(running[i])])
        rows.append([[format_date(event[0], lang)], [event[1]], *cells])
    headers = [t["date"], t["agreement"], *(c.convention.title for c in curves.curves)]
    versions = [
        [
            [format_date(v.decided, lang)],
            [str(v.value)],
            [format_date(v.deadline, lang)],
            [v.convention.title],
            [v.text or "—"],
        ]
        for v in curves.versions
    ]
    return [
        Table("curves-table", t["counts_table"], headers, rows),
        Table(
            "versions-table",
            t["versions_table"],
            [t["decided"], t["value"], t["deadline"], t["convention"], t["worded"]],
            versions,
        ),
    ]
