"""The forecast and its backtest as data others read (JSON, CSV) and as text for people.

The JSON keys are a contract (issue 11): ``imvo forecast --format json`` holds at the top the
main target (the latest target version in force, or ``--target``) under its own counting
convention — ``target``, ``deadline``, ``p_target_met``, ``count_at_deadline`` with ``p10`` …
``p90`` — and every target version under every convention in ``forecasts``. ``imvo forecast
backtest --format json`` holds ``pairs`` (origin, horizon, actual, p10, p90, rps, …),
``coverage_80`` and ``mean_rps`` per method for the programme's convention, and the same per
convention under ``conventions``. Keys are only ever added.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from imvo.core.bilingual import decimal
from imvo.core.csvsafe import SafeWriter
from imvo.reports.charts import format_date


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _quantiles(q: Any) -> dict[str, Any]:
    return {
        "p10": q.p10,
        "p25": q.p25,
        "p50": q.p50,
        "p75": q.p75,
        "p90": q.p90,
        "mean": round(q.mean, 3),
    }


def _number(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return round(value, 4)


def main_forecast(forecast: Any) -> Any:
    """The headline: the latest target version in force, under its own convention."""
    own = [t for t in forecast.targets if t.convention == t.target.convention]
    return own[-1] if own else forecast.targets[-1]


def target_dict(tf: Any) -> dict[str, Any]:
    return {
        "target": tf.target.key,
        "value": tf.target.value,
        "deadline": tf.target.deadline.isoformat(),
        "convention": tf.convention,
        "target_convention": tf.target.convention,
        "achieved": tf.achieved,
        "p_target_met": round(tf.p_target_met, 4),
        "count_at_deadline": _quantiles(tf.count_at_deadline),
        "distribution": [round(p, 5) for p in tf.distribution],
        "quarters": [{"date": b.date.isoformat(), **_quantiles(b.quantiles)} for b in tf.bands],
        "reached": {
            "p10": _iso(tf.reach.p10),
            "p50": _iso(tf.reach.p50),
            "p90": _iso(tf.reach.p90),
            "share_reached": round(tf.reach.share_reached, 4),
        },
        "required_per_quarter": _number(tf.required_per_quarter),
        "trajectories": [
            {
                "trajectory": t.key,
                "p_signed_by_deadline": round(t.p_signed_by_deadline, 4),
                "expected_signing": _iso(t.expected_signing),
            }
            for t in tf.trajectories
        ],
        "baselines": {
            "target": _quantiles(tf.baseline_target),
            "rate": _quantiles(tf.baseline_rate),
        },
    }


def to_dict(forecast: Any) -> dict[str, Any]:
    return {
        **target_dict(main_forecast(forecast)),
        "as_of": forecast.origin.isoformat(),
        "known_at": forecast.known_at.isoformat(),
        "runs": forecast.runs,
        "seed": forecast.seed,
        "forecasts": [target_dict(tf) for tf in forecast.targets],
        "parameters": [
            {
                "name": p.name,
                "value": p.value,
                "source": p.source,
                "knowable": p.knowable.isoformat(),
            }
            for p in forecast.parameters
        ],
    }


def render_csv(forecast: Any) -> str:
    """One row per target version, convention and quarter end: the count's quantiles."""
    buffer = io.StringIO()
    out = SafeWriter(buffer, lineterminator="\n")
    out.writerow(
        ["target", "convention", "date", "p10", "p25", "p50", "p75", "p90", "mean", "p_target_met"]
    )
    for tf in forecast.targets:
        for band in tf.bands:
            q = band.quantiles
            out.writerow(
                [tf.target.key, tf.convention, band.date.isoformat(), q.p10, q.p25, q.p50,
                 q.p75, q.p90, f"{q.mean:.3f}", f"{tf.p_target_met:.4f}"]
            )  # fmt: skip
    return buffer.getvalue()


def percent(p: float, lang: str) -> str:
    """A probability for people: '4 %', '< 1 %', '> 99 %' (no-break spaces: never split)."""
    if p < 0.005:
        return "<\u00a01\u00a0%"
    if p > 0.995:
        return ">\u00a099\u00a0%"
    return f"{round(100 * p)}\u00a0%"


def summary(tf: Any, lang: str) -> str:
    """One sentence in ``lang``: the chance of meeting the target and the 80 % band of the count
    at the deadline, e.g. 'Kans dat het doel wordt gehaald: 4 % (80 %-band: 2–6 convenanten eind
    2016).'"""
    with translation.override(lang):
        q = tf.count_at_deadline
        return _(
            "Chance that the target of %(value)d is met: %(p)s (80 %% band: %(low)d–%(high)d "
            "agreements on %(deadline)s)."
        ) % {
            "value": tf.target.value,
            "p": percent(tf.p_target_met, lang),
            "low": q.p10,
            "high": q.p90,
            "deadline": format_date(tf.target.deadline, lang),
        }


def render_text(forecast: Any, lang: str) -> str:
    lines: list[str] = []
    with translation.override(lang):
        lines.append(
            _("Forecast on %(date)s (known at %(known)s; %(runs)s runs, seed %(seed)d)")
            % {
                "date": format_date(forecast.origin, lang),
                "known": format_date(forecast.known_at, lang),
                "runs": f"{forecast.runs:,}".replace(",", "." if lang == "nl" else ","),
                "seed": forecast.seed,
            }
        )
        for tf in forecast.targets:
            if tf.convention != tf.target.convention:
                continue
            lines.append("")
            lines.append(
                _(
                    "Target %(key)s: %(value)d by %(deadline)s (convention %(convention)s); "
                    "now %(n)d"
                )
                % {
                    "key": tf.target.key,
                    "value": tf.target.value,
                    "deadline": format_date(tf.target.deadline, lang),
                    "convention": tf.convention,
                    "n": tf.achieved,
                }
            )
            lines.append("  " + summary(tf, lang))
            q = tf.count_at_deadline
            lines.append(
                "  "
                + _(
                    "Count at the deadline: median %(p50)d, 50 %% band %(p25)d–%(p75)d, "
                    "mean %(mean)s"
                )
                % {"p50": q.p50, "p25": q.p25, "p75": q.p75, "mean": decimal(q.mean, 1, lang)}
            )
            if tf.reach.p50:
                lines.append(
                    "  "
                    + _("Target reached (median): %(p50)s; 80 %% band %(p10)s – %(p90)s")
                    % {
                        "p50": format_date(tf.reach.p50, lang),
                        "p10": format_date(tf.reach.p10, lang) if tf.reach.p10 else "?",
                        "p90": format_date(tf.reach.p90, lang) if tf.reach.p90 else _("later"),
                    }
                )
            else:
                lines.append(
                    "  "
                    + _("Target reached in %(share)s of the runs within the simulated span.")
                    % {"share": percent(tf.reach.share_reached, lang)}
                )
            pace = tf.required_per_quarter
            if pace is not None and math.isfinite(pace) and pace > 0:
                lines.append(
                    "  "
                    + _("Pace needed: %(pace)s signings per quarter from now")
                    % {"pace": decimal(pace, 1, lang)}
                )
            lines.append(
                "  "
                + _("Baselines at the deadline: the target itself %(t)d; the recent rate %(r)d")
                % {"t": tf.baseline_target.p50, "r": tf.baseline_rate.p50}
            )
            decisive = sorted(
                (t for t in tf.trajectories if t.p_signed_by_deadline > 0.02),
                key=lambda t: -t.p_signed_by_deadline,
            )[:8]
            if decisive:
                lines.append("  " + _("Trajectories (chance of signing by the deadline):"))
                for t in decisive:
                    when = format_date(t.expected_signing, lang) if t.expected_signing else "—"
                    lines.append(
                        f"    {t.key:<20} {percent(t.p_signed_by_deadline, lang):>6}  {when}"
                    )
    return "\n".join(lines) + "\n"


def backtest_dict(result: Any) -> dict[str, Any]:
    """The backtest as the JSON contract (see the module docstring)."""
    from imvo.analysis.forecast import to_json

    return to_json(result)


def render_backtest_text(result: Any, lang: str) -> str:
    data = backtest_dict(result)
    lines = []
    with translation.override(lang):
        lines.append(_("Backtest at the real letters to parliament (convention: programme)"))
        origin, horizon, actual = _("origin"), _("horizon"), _("actual")
        lines.append(f"{origin:<11} {horizon:<11} {actual:>6} {'p10':>4} {'p90':>4} {'RPS':>6}")
        for pair in data["pairs"]:
            lines.append(
                f"{pair['origin']:<11} {pair['horizon']:<11} {pair['actual']:>6} {pair['p10']:>4} "
                f"{pair['p90']:>4} {decimal(pair['rps'], 3, lang):>6}"
            )
        rps = data["mean_rps"]
        lines.append("")
        lines.append(
            _("Mean RPS: model %(m)s, target baseline %(t)s, rate baseline %(r)s")
            % {
                "m": decimal(rps["model"], 3, lang),
                "t": decimal(rps["target_baseline"], 3, lang),
                "r": decimal(rps["rate_baseline"], 3, lang),
            }
        )
        lines.append(
            _("80 %% bands cover the real count in %(share)s of the pairs")
            % {"share": percent(data["coverage_80"], lang)}
        )
    return "\n".join(lines) + "\n"
