"""``imvo sra``: the Sector Risk Analysis heat map, tables and explanations.

User data imported with ``imvo data import`` is read from ``settings.VAR_DIR / "userdata"``
(see :mod:`imvo.risks.selectors`); the existing initiatives recorded in the database (with
their coverage estimates) feed the residual score, and the sectors' NACE codes in the database
map programme sectors onto divisions. Data errors end in one line and exit code 2
(:class:`~imvo.commands.base.ImvoCommand`).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.analysis.sra import THEME_CODES, explain
from imvo.commands.base import ImvoCommand, UserError
from imvo.reports.exporters import exporter
from imvo.reports.sra_explain import explanation_payload, explanation_text
from imvo.risks.selectors import compute_sra, nace_divisions

FORMATS = ("text", "csv", "json", "html", "svg", "png")


class Command(ImvoCommand):
    help = gettext_lazy(
        "Sector Risk Analysis: risk per NACE division and theme. "
        "'imvo sra explain NACE' explains one sector."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            nargs="?",
            choices=("explain",),
            help=gettext_lazy("'explain' breaks one sector's score down (give the NACE division)"),
        )
        parser.add_argument(
            "nace", nargs="?", help=gettext_lazy("NACE division for 'explain', e.g. 14")
        )
        parser.add_argument("--format", choices=FORMATS, default="text", dest="fmt")
        parser.add_argument(
            "--output", "-o", help=gettext_lazy("write to this file instead of stdout")
        )
        parser.add_argument("--theme", choices=THEME_CODES, help=gettext_lazy("only this theme"))
        parser.add_argument("--sector", help=gettext_lazy("only this NACE division (two digits)"))
        parser.add_argument("--lang", choices=("nl", "en"), default=None)
        parser.add_argument(
            "--top", type=int, help=gettext_lazy("heat maps: only the N highest sectors")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fmt, lang, theme = options["fmt"], options["lang"], options["theme"]
        naces = set(nace_divisions())
        sector = options["sector"]
        if sector is not None and sector not in naces:
            raise UserError(
                _("--sector %(sector)s: not a NACE Rev.2 division (use two digits, e.g. 14)")
                % {"sector": sector}
            )
        if options["top"] is not None and options["top"] < 1:
            raise UserError(_("--top: must be a positive number"))
        if options["action"] == "explain":
            nace = options["nace"]
            if not nace:
                raise UserError(_("explain: give a NACE division, e.g. 'imvo sra explain 14'"))
            if nace not in naces:
                raise UserError(
                    _("explain %(nace)s: not a NACE Rev.2 division (two digits, e.g. 14)")
                    % {"nace": nace}
                )
            if fmt not in ("text", "json"):
                raise UserError(
                    _("explain: --format %(fmt)s is not supported; use text or json") % {"fmt": fmt}
                )
            result = compute_sra()
            explanation = explain(result=result, nace=nace, theme=theme)
            payload = explanation_payload(explanation, model=result.model, lang=lang)
            if fmt == "json":
                output = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
            else:
                output = explanation_text(payload, lang=lang)
            self.emit(output, options["output"])
            return
        if options["nace"]:
            raise UserError(
                _("unexpected argument '%(value)s'; did you mean --sector?")
                % {"value": options["nace"]}
            )
        if fmt == "png" and not options["output"]:
            raise UserError(_("--format png: give --output FILE (binary output)"))
        export = exporter(f"sra.{fmt}").render(
            compute_sra(), lang=lang, theme=theme, sector=sector, top=options["top"]
        )
        self.emit(export.content, options["output"])
