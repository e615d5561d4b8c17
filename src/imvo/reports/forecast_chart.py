"""The forecast as a fan chart: the expected cumulative number of agreements at each quarter
end, with its 50 % and 80 % bands, against the target; and the table that carries every value.

Pure like :mod:`imvo.reports.charts` (plain dataclasses in, escaped SVG text out; no Django);
``fan_png`` draws the same with matplotlib for the command line.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from imvo.core.bilingual import Text, decimal, labels_in
from imvo.reports.charts import GRID, INK, Figure, Table, _axis, _el, _n, _svg, _text, _tip
from imvo.reports.charts import format_date as long_date

LABELS: dict[str, Text] = {
    "title": {"nl": "Verwachting: aantal convenanten", "en": "Forecast: number of agreements"},
    "desc": {
        "nl": "Verwacht cumulatief aantal overeenkomsten ({convention}) per kwartaal van "
        "{origin} tot {end}: de mediaan als lijn, de 50 %- en 80 %-banden als vlakken, "
        "het doel van {value} als horizontale lijn tot de deadline van {deadline}. Nu "
        "{achieved}. De tabel bij de figuur geeft elke waarde.",
        "en": "Expected cumulative number of agreements ({convention}) per quarter from "
        "{origin} to {end}: the median as a line, the 50 % and 80 % bands as areas, the "
        "target of {value} as a horizontal line up to the deadline of {deadline}. Now "
        "{achieved}. The table with the figure gives every value.",
    },
    "table": {
        "nl": "Verwacht aantal per kwartaal: mediaan en banden",
        "en": "Expected number per quarter: median and bands",
    },
    "date": {"nl": "Einde kwartaal", "en": "End of quarter"},
    "median": {"nl": "Mediaan", "en": "Median"},
    "band50": {"nl": "50 %-band", "en": "50 % band"},
    "band80": {"nl": "80 %-band", "en": "80 % band"},
    "mean": {"nl": "Gemiddelde", "en": "Mean"},
    "target": {"nl": "doel", "en": "target"},
    "now": {"nl": "nu", "en": "now"},
    "to_table": {"nl": "Naar de tabel met alle waarden", "en": "To the table with every value"},
    "image": {"nl": "Afbeelding (SVG)", "en": "Image (SVG)"},
}
#: Band colours (blue, light to dark): ≥ 3:1 for the median line against the bands and white.
BAND80, BAND50, MEDIAN = "#c6dbef", "#6baed6", "#08306b"


#: The chart runs this far past the deadline (the forecast itself runs further, for the date
#: the target is reached).
SHOWN_PAST_DEADLINE = dt.timedelta(days=366)


def _shown(tf: Any, origin: dt.date) -> list[tuple[dt.date, Any]]:
    """(date, quantiles) from the origin (the count then, no spread) to a year past the
    deadline."""
    from imvo.analysis.forecast import Quantiles

    last = tf.target.deadline + SHOWN_PAST_DEADLINE
    bands = [(b.date, b.quantiles) for b in tf.bands if b.date <= last]
    return [(origin, Quantiles.point(tf.achieved)), *bands]


def fan_figure(tf: Any, *, origin: dt.date, convention_title: str, lang: str) -> Figure:
    """The fan chart of one :class:`~imvo.analysis.forecast.TargetForecast` made on ``origin``."""

    t = labels_in(LABELS, lang)
    points = _shown(tf, origin)
    end = max(points[-1][0], tf.target.deadline)
    top_value = max([1, tf.target.value, *(q.p90 for _d, q in points)])
    step = 5 if top_value > 10 else 2 if top_value > 4 else 1
    y_max = -(-top_value // step) * step
    width, left, top, plot_h = 560, 30, 14, 220
    right = width - 14
    x, body = _axis(origin, end, left, right, top, top + plot_h, top + plot_h + 16)

    def y(value: float) -> float:
        return top + plot_h * (1 - value / y_max)

    for value in range(0, y_max + 1, step):
        body.append(_el("line", x1=left, x2=right, y1=y(value), y2=y(value), stroke=GRID))
        body.append(_text(left - 6, y(value) + 4, str(value), "end"))

    def area(low: str, high: str, colour: str, name: str) -> str:
        upper = " L".join(f"{_n(x(d))} {_n(y(getattr(q, high)))}" for d, q in points)
        lower = " L".join(f"{_n(x(d))} {_n(y(getattr(q, low)))}" for d, q in reversed(points))
        return _el("path", _tip(name), d=f"M{upper} L{lower} Z", fill=colour, stroke="none")

    body.append(area("p10", "p90", BAND80, t["band80"]))
    body.append(area("p25", "p75", BAND50, t["band50"]))
    median = " L".join(f"{_n(x(d))} {_n(y(q.p50))}" for d, q in points)
    body.append(_el("path", _tip(t["median"]), d=f"M{median}", fill="none", stroke=MEDIAN,
                    stroke_width=2.5))  # fmt: skip
    body.append(_el("path", d=f"M{left} {top} V{top + plot_h} H{right}", fill="none", stroke=INK))
    ty, tx = y(tf.target.value), x(tf.target.deadline)
    label = f"{t['target']} {tf.target.value}"
    body.append(
        _el(
            "g",
            _tip(f"{label}: {long_date(tf.target.deadline, lang)}")
            + _el(
                "path",
                d=f"M{left} {_n(ty)} H{_n(tx)} M{_n(tx)} {_n(ty - 6)} V{_n(ty + 6)}",
                stroke=INK,
                stroke_width=1.5,
                stroke_dasharray="6 3",
                fill="none",
            )
            + _text(
                tx - 3,
                ty - 5,
                label,
                "end",
                11,
                stroke="#fff",
                stroke_width="3",
                paint_order="stroke",
            ),
            class_="target-line",
        )
    )
    legend = top + plot_h + 40
    for i, (colour, name) in enumerate(((BAND80, t["band80"]), (BAND50, t["band50"]))):
        lx = 10 + i * 130
        body.append(_el("rect", x=lx, y=legend - 10, width=24, height=12, fill=colour))
        body.append(_text(lx + 30, legend, name))
    body.append(_el("path", d=f"M270 {legend - 4} H294", stroke=MEDIAN, stroke_width=2.5))
    body.append(_text(300, legend, t["median"]))
    desc = t["desc"].format(
        convention=convention_title,
        origin=long_date(origin, lang),
        end=long_date(points[-1][0], lang),
        deadline=long_date(tf.target.deadline, lang),
        value=tf.target.value,
        achieved=tf.achieved,
    )
    svg = _svg("forecast", width, legend + 12, t["title"], desc, body)
    rows = [
        [
            [long_date(d, lang) + (f" ({t['now']})" if i == 0 else "")],
            [str(q.p50)],
            [f"{q.p25}–{q.p75}"],
            [f"{q.p10}–{q.p90}"],
            [decimal(q.mean, 1, lang)],
        ]
        for i, (d, q) in enumerate(points)
    ]
    table = Table(
        "forecast-table",
        t["table"],
        [t["date"], t["median"], t["band50"], t["band80"], t["mean"]],
        rows,
    )
    return Figure("forecast", t["title"], desc, svg, [table], t)


def fan_svg(tf: Any, *, origin: dt.date, lang: str, convention_title: str = "") -> str:
    """The fan chart of a forecast made on ``origin`` as a standalone SVG document."""
    figure = fan_figure(
        tf, origin=origin, convention_title=convention_title or tf.convention, lang=lang
    )
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + figure.svg + "\n"


def fan_png(tf: Any, *, origin: dt.date, lang: str) -> bytes:
    """The fan chart drawn with matplotlib (for the command line: ``--format png``)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    t = labels_in(LABELS, lang)
    points = _shown(tf, origin)
    dates = [d for d, _q in points]
    figure, axes = plt.subplots(figsize=(7, 3.6), dpi=150)
    axes.fill_between(dates, [q.p10 for _d, q in points], [q.p90 for _d, q in points],
                      color=BAND80, label=t["band80"], step=None)  # fmt: skip
    axes.fill_between(dates, [q.p25 for _d, q in points], [q.p75 for _d, q in points],
                      color=BAND50, label=t["band50"])  # fmt: skip
    axes.plot(dates, [q.p50 for _d, q in points], color=MEDIAN, linewidth=2, label=t["median"])
    axes.hlines(tf.target.value, origin, tf.target.deadline, colors=INK, linestyles="dashed",
                label=f"{t['target']} {tf.target.value}")  # fmt: skip
    from matplotlib import dates as mdates

    axes.xaxis.set_major_locator(mdates.YearLocator())
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    axes.set_title(t["title"])
    axes.grid(color=GRID)
    axes.legend(loc="upper left", fontsize=8)
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()
