"""``imvo report``: the progress letter to parliament, drafted from the record (DOCX to edit,
PDF/UA and HTML to publish, Markdown, and its data as JSON), in Dutch or English."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.commands.base import ImvoCommand, UserError, argument_type
from imvo.core.moments import parse_as_of, parse_known_at
from imvo.programme.selectors import progress_report
from imvo.reports.exporters import exporter
from imvo.reports.progress import FORMATS, stem

#: Formats that are text and may go to the terminal; the others need --output.
TEXT_FORMATS = ("md", "html", "json")


class Command(ImvoCommand):
    help = gettext_lazy(
        "Draft the progress letter to parliament from the record: DOCX, PDF, HTML, "
        "Markdown or JSON."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--as-of",
            type=argument_type(parse_as_of, "date"),
            required=True,
            help=gettext_lazy("The letter's reference date YYYY-MM-DD."),
        )
        parser.add_argument(
            "--since",
            type=argument_type(parse_as_of, "date"),
            help=gettext_lazy(
                "Report changes from this date YYYY-MM-DD (default: the day after the "
                "previous letter)."
            ),
        )
        parser.add_argument(
            "--known-at",
            type=argument_type(parse_known_at, "moment"),
            help=gettext_lazy(
                "Use only what was recorded at this date or date-time (default: the end of "
                "the reference date)."
            ),
        )
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default="md",
            help=gettext_lazy("docx, pdf, html, md or json (default md)."),
        )
        parser.add_argument(
            "--output",
            metavar="FILE",
            help=gettext_lazy("Write to this file (needed for docx and pdf)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fmt, lang, target = options["format"], options["lang"], options["output"]
        if fmt not in TEXT_FORMATS and not target:
            raise UserError(
                _("--format %(format)s is a binary file: give --output FILE") % {"format": fmt},
                field="output",
            )
        report = progress_report(
            as_of=options["as_of"], since=options["since"], known_at=options["known_at"]
        )
        export = exporter(f"progress.{fmt}").render(report, stem=stem(report, lang), lang=lang)
        self.emit(export.content, target)
