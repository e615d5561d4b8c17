"""``imvo forecast``: will the programme reach its target? And ``imvo forecast backtest``: how
good were such forecasts at the real letters to parliament (see docs/methodology/forecast.md)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.commands.base import ImvoCommand, UserError, argument_type
from imvo.core.moments import parse_as_of, parse_known_at
from imvo.programme.selectors import programme_backtest, programme_forecast
from imvo.reports import forecast as report

#: More runs than this take minutes and say nothing more (the bands settle long before).
MAX_RUNS = 2_000_000


def _runs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(_("'%(text)s' is not a whole number") % {"text": text}) from None
    if not 1 <= value <= MAX_RUNS:
        raise ValueError(
            _("%(value)s is not between 1 and %(max)s") % {"value": text, "max": f"{MAX_RUNS:,}"}
        )
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(_("'%(text)s' is not a whole number") % {"text": text}) from None
    if not 0 <= value < 2**32:
        raise ValueError(_("%(value)s is not between 0 and 4294967295") % {"value": text})
    return value


class Command(ImvoCommand):
    help = gettext_lazy(
        "Forecast the chance of reaching each target, with bands; 'imvo forecast backtest' "
        "scores the forecast at the real letters."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "action",
            nargs="?",
            choices=["backtest"],
            help=gettext_lazy("backtest: score the forecast at the real letters to parliament"),
        )
        parser.add_argument(
            "--as-of",
            type=argument_type(parse_as_of, "date"),
            help=gettext_lazy("Forecast from this date YYYY-MM-DD (default: today)."),
        )
        parser.add_argument(
            "--known-at",
            type=argument_type(parse_known_at, "moment"),
            help=gettext_lazy(
                "Use only what was recorded at this date or date-time (default: now)."
            ),
        )
        parser.add_argument(
            "--target",
            metavar="KEY",
            help=gettext_lazy("Only this target version, e.g. target-2015."),
        )
        parser.add_argument(
            "--runs",
            type=argument_type(_runs, "runs"),
            default=10_000,
            help=gettext_lazy("Monte Carlo runs (default 10000)."),
        )
        parser.add_argument(
            "--seed",
            type=argument_type(_seed, "seed"),
            default=0,
            help=gettext_lazy("Seed of the random numbers (default 0): same seed, same result."),
        )
        parser.add_argument(
            "--format", choices=["text", "json", "csv", "png", "svg"], default="text"
        )
        parser.add_argument("--output", metavar="FILE", help=gettext_lazy("Write to FILE."))
        parser.add_argument("--lang", choices=["nl", "en"], default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        lang = options["lang"] or translation.get_language() or "nl"
        fmt = options["format"]
        if fmt == "png" and not options["output"]:
            raise UserError(_("--format png: give --output FILE (binary output)"), field="output")
        with translation.override(lang):
            if options["action"] == "backtest":
                self._backtest(options, lang, fmt)
                return
            as_of: dt.date = options["as_of"] or timezone.localdate()
            known_at: dt.datetime | None = options["known_at"]
            if known_at is not None and timezone.localdate(known_at) < dt.date(2014, 1, 1):
                raise UserError(
                    _("--known-at %(date)s: nothing of the programme was recorded before 2014")
                    % {"date": timezone.localdate(known_at).isoformat()},
                    field="known_at",
                )
            result = programme_forecast(
                as_of=as_of,
                known_at=known_at,
                target=options["target"],
                runs=options["runs"],
                seed=options["seed"],
            )
            if fmt == "json":
                output: str | bytes = (
                    json.dumps(report.to_dict(result), ensure_ascii=False, indent=2) + "\n"
                )
            elif fmt == "csv":
                output = report.render_csv(result)
            elif fmt in ("svg", "png"):
                from imvo.reports import forecast_chart

                main = report.main_forecast(result)
                output = (
                    forecast_chart.fan_svg(main, origin=result.origin, lang=lang)
                    if fmt == "svg"
                    else forecast_chart.fan_png(main, origin=result.origin, lang=lang)
                )
            else:
                output = report.render_text(result, lang)
            self.emit(output, options["output"])

    def _backtest(self, options: dict[str, Any], lang: str, fmt: str) -> None:
        for name in ("as_of", "known_at", "target"):
            if options[name] is not None:
                raise UserError(
                    _("--%(option)s: the backtest has its own origins (the real letters)")
                    % {"option": name.replace("_", "-")},
                    field=name,
                )
        if fmt not in ("text", "json"):
            raise UserError(
                _("--format %(format)s: the backtest is text or json") % {"format": fmt},
                field="format",
            )
        result = programme_backtest(runs=options["runs"], seed=options["seed"])
        if fmt == "json":
            output = json.dumps(report.backtest_dict(result), ensure_ascii=False, indent=2) + "\n"
        else:
            output = report.render_backtest_text(result, lang)
        self.emit(output, options["output"])
