"""The chart of the progress letter's annex: the cumulative number of agreements against the
target, as SVG (HTML) and PNG (DOCX, PDF), with a text alternative that gives every value.

Deterministic: the SVG is written by hand; the PNG by matplotlib without a time stamp.
"""

from __future__ import annotations

import datetime as dt
import io
from html import escape
from typing import Any

from imvo.core.bilingual import labels_in
from imvo.reports import document as D
from imvo.reports.charts import GRID, INK, format_date

LINE = "#1565c0"
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 300, 44, 16, 24, 40


def _span(points: tuple[Any, ...], target: Any, as_of: dt.date) -> tuple[dt.date, dt.date, int]:
    start = min([as_of.replace(month=1, day=1) - dt.timedelta(days=366),
                 *(p.date for p in points)])  # fmt: skip
    end = max([as_of, *([target.deadline] if target else [])]) + dt.timedelta(days=60)
    top = max([1, *(p.count for p in points), *([target.value] if target else [])])
    return start.replace(month=1, day=1), end, top


def _svg(points: tuple[Any, ...], target: Any, as_of: dt.date, title: str, alt: str) -> str:
    start, end, top = _span(points, target, as_of)
    days = (end - start).days or 1

    def x(day: dt.date) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - start).days / days, 1)

    def y(value: float) -> float:
        return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top), 1)

    body = []
    step = 2 if top > 6 else 1
    for value in range(0, top + 1, step):
        body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value)}" y2="{y(value)}" '
                    f'stroke="{GRID}"/><text x="{LEFT - 6}" y="{y(value) + 4}" '
                    f'text-anchor="end">{value}</text>')  # fmt: skip
    for year in range(start.year, end.year + 1):
        day = dt.date(year, 1, 1)
        if start <= day <= end:
            body.append(f'<text x="{x(day)}" y="{HEIGHT - BOTTOM + 18}" '
                        f'text-anchor="middle">{year}</text>')  # fmt: skip
    path = f"M{x(start)} {y(0)}"
    for p in points:
        path += f" H{x(p.date)} V{y(p.count)}"
    path += f" H{x(as_of)}"
    body.append(f'<path d="{path}" fill="none" stroke="{LINE}" stroke-width="2.5"/>')
    if target is not None:
        body.append(f'<path d="M{x(target.decided.start)} {y(target.value)} H{x(target.deadline)}" '
                    f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="6 3" fill="none"/>'
                    f'<text x="{x(target.deadline)}" y="{y(target.value) - 6}" text-anchor="end">'
                    f"{target.value}</text>")  # fmt: skip
    body.append(f'<path d="M{LEFT} {TOP} V{HEIGHT - BOTTOM} H{WIDTH - RIGHT}" fill="none" '
                f'stroke="{INK}"/>')  # fmt: skip
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="curve-title curve-desc" font-family="system-ui, sans-serif" '
        f'font-size="12" fill="{INK}"><title id="curve-title">{escape(title)}</title>'
        f'<desc id="curve-desc">{escape(alt)}</desc>{"".join(body)}</svg>'
    )


def _png(points: tuple[Any, ...], target: Any, as_of: dt.date, title: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import dates as mdates
    from matplotlib import pyplot as plt

    start, end, top = _span(points, target, as_of)
    xs = [start] + [p.date for p in points] + [as_of]
    ys = [0] + [p.count for p in points] + [points[-1].count if points else 0]
    figure, axes = plt.subplots(figsize=(7, 3.2), dpi=150)
    axes.step(xs, ys, where="post", color=LINE, linewidth=2.2)
    if target is not None:
        axes.hlines(target.value, target.decided.start, target.deadline, colors=INK,
                    linestyles="dashed", linewidth=1.4)  # fmt: skip
        axes.annotate(str(target.value), (target.deadline, target.value), ha="right",
                      va="bottom", fontsize=9)  # fmt: skip
    axes.set_xlim(start, end)
    axes.set_ylim(0, top + 0.5)
    axes.xaxis.set_major_locator(mdates.YearLocator())
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    axes.set_title(title, fontsize=11)
    axes.grid(color=GRID)
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def curve_figure(
    points: tuple[Any, ...], target: Any, as_of: dt.date, convention: str, lang: str
) -> D.Figure:
    """The figure with its title and a text alternative naming every step and the target."""
    from imvo.reports.progress import L

    t = labels_in(L, lang)
    steps = "; ".join(f"{format_date(p.date, lang)}: {p.count} ({p.agreement})" for p in points)
    goal = (
        f"{target.value} {'vóór' if lang == 'nl' else 'by'} {format_date(target.deadline, lang)}"
        if target is not None
        else "—"
    )
    alt = t["chart_alt"].format(
        convention=convention, date=format_date(as_of, lang), points=steps or t["chart_none"],
        targets=goal,
    )  # fmt: skip
    title = t["chart_title"]
    return D.Figure("curve", title, alt, _svg(points, target, as_of, title, alt),
                    _png(points, target, as_of, title))  # fmt: skip
