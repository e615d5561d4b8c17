"""``imvo assess``: check a covenant's commitments (SMART) and SER core elements."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.analysis.assessment.engine import assess_file, assess_sentences_file
from imvo.analysis.assessment.model import Lang
from imvo.commands.base import ImvoCommand, UserError
from imvo.reports.exporters import exporter


class Command(ImvoCommand):
    help = gettext_lazy(
        "Assess covenant commitments against the SER advice (SMART, core elements)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=gettext_lazy("covenant file: .txt, .md, .docx or .pdf"))
        parser.add_argument(
            "--format", choices=("text", "json", "csv", "html"), default="text", dest="fmt"
        )
        parser.add_argument(
            "--lang",
            choices=("auto", "nl", "en"),
            default="auto",
            help=gettext_lazy("document and report language (default: detected)"),
        )
        parser.add_argument(
            "--checklist",
            action="store_true",
            help=gettext_lazy("also check the SER core elements"),
        )
        parser.add_argument(
            "--sentences",
            action="store_true",
            help=gettext_lazy("FILE is a text file with one commitment on every non-empty line"),
        )
        parser.add_argument("--output", "-o", help=gettext_lazy("write the report to this file"))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        fmt, lang = options["fmt"], options["lang"]
        if options["sentences"] and options["checklist"]:
            raise UserError(
                _("%(path)s: --checklist needs a whole covenant, not --sentences") % {"path": path}
            )
        if fmt == "csv" and options["checklist"]:
            raise UserError(
                _("%(path)s: --checklist cannot be written as CSV; use --format text, json or html")
                % {"path": path}
            )
        if options["sentences"]:
            assessment = assess_sentences_file(path, lang=lang)
        else:
            assessment = assess_file(path, lang=lang, checklist=options["checklist"])
        report_lang: Lang = assessment.lang if lang == "auto" else lang
        export = exporter(f"assessment.{fmt}").render(assessment, lang=report_lang)
        self.emit(export.content, options["output"])
