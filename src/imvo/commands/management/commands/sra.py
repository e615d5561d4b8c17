"""``imvo sra``: the Sector Risk Analysis heat map, tables and explanations.

User data imported with ``imvo data import`` is read from ``settings.VAR_DIR / "userdata"``
(see :mod:`imvo.risks.selectors`);
the existing initiatives recorded in the database (with their coverage estimates) feed the
residual score, and the sectors' NACE codes in the database map programme sectors onto divisions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.db import DatabaseError

from imvo.analysis.sra import THEME_CODES, SRADataError, SRAResult, default_model, explain
from imvo.commands.base import ImvoCommand, UserError
from imvo.opendata import DataPackError
from imvo.opendata.userdata import UserDataError
from imvo.reports.sra import explanation_text, heatmap, to_csv, to_html, to_json, to_text
from imvo.risks.selectors import compute_sra

FORMATS = ("text", "csv", "json", "html", "svg", "png")


def compute(*, lang: str) -> SRAResult:
    """Run the analysis (shipped data, user imports, default initiatives) for the CLI."""
    try:
        return compute_sra(lang=lang)
    except (DataPackError, SRADataError, UserDataError) as exc:
        raise UserError(str(exc)) from None
    except DatabaseError:
        raise UserError("the database is not initialised: run 'imvo init' first") from None


class Command(ImvoCommand):
    help = (
        "Sectorrisicoanalyse: risico's per NACE-divisie en thema / Sector Risk Analysis: "
        "risk per NACE division and theme. 'imvo sra explain NACE' explains one sector."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            nargs="?",
            choices=("explain",),
            help="'explain' breaks one sector's score down (give the NACE division)",
        )
        parser.add_argument("nace", nargs="?", help="NACE division for 'explain', e.g. 14")
        parser.add_argument("--format", choices=FORMATS, default="text", dest="fmt")
        parser.add_argument("--output", "-o", help="write to this file instead of stdout")
        parser.add_argument("--theme", choices=THEME_CODES, help="only this theme")
        parser.add_argument("--sector", help="only this NACE division (two digits)")
        parser.add_argument("--lang", choices=("nl", "en"), default="nl", help="labels")
        parser.add_argument("--top", type=int, help="heat maps: only the N highest sectors")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt, lang, theme = options["fmt"], options["lang"], options["theme"]
        naces = set(default_model().sectors["nace"])
        sector = options["sector"]
        if sector is not None and sector not in naces:
            raise UserError(
                f"--sector {sector}: not a NACE Rev.2 division (use two digits, e.g. 14)"
            )
        if options["top"] is not None and options["top"] < 1:
            raise UserError("--top: must be a positive number")
        if options["action"] == "explain":
            nace = options["nace"]
            if not nace:
                raise UserError("explain: give a NACE division, e.g. 'imvo sra explain 14'")
            if nace not in naces:
                raise UserError(f"explain {nace}: not a NACE Rev.2 division (two digits, e.g. 14)")
            if fmt not in ("text", "json"):
                raise UserError(f"explain: --format {fmt} is not supported; use text or json")
            result = compute(lang=lang)
            explanation = explain(result=result, nace=nace, theme=theme)
            if fmt == "json":
                output = json.dumps(explanation.as_dict(), ensure_ascii=False, indent=2) + "\n"
            else:
                output = explanation_text(explanation, lang=lang)
            self._emit(output, options["output"])
            return
        if options["nace"]:
            raise UserError(f"unexpected argument {options['nace']!r}; did you mean --sector?")
        if fmt == "png" and not options["output"]:
            raise UserError("--format png: give --output FILE (binary output)")
        result = compute(lang=lang)
        kwargs = {"theme": theme, "sector": sector}
        if fmt in ("svg", "png"):
            self._emit(heatmap(result, fmt=fmt, top=options["top"], **kwargs), options["output"])
            return
        renderers = {"text": to_text, "csv": to_csv, "json": to_json}
        if fmt == "html":
            output = to_html(result, top=options["top"], **kwargs)
        else:
            output = renderers[fmt](result, **kwargs)
        self._emit(output, options["output"])

    def _emit(self, output: str | bytes, target: str | None) -> None:
        if target:
            path = Path(target)
            try:
                if isinstance(output, bytes):
                    path.write_bytes(output)
                else:
                    path.write_text(output, encoding="utf-8")
            except OSError as exc:
                raise UserError(f"--output {path}: cannot write ({exc.strerror})") from None
            return
        if isinstance(output, bytes):
            output = output.decode("utf-8")
        self.stdout.write(output, ending="")
