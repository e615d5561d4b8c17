"""The progress letters to parliament, drafted from the record as it stood on each letter's day.

``/voortgangsbrieven/`` lists the letters to parliament on the programme as a whole that the
record holds; ``/voortgangsbrieven/<datum>/`` shows the letter composed from what was known at
the end of that day (the page's language), with downloads ``.pdf``, ``.docx``, ``.html``,
``.md`` and ``.json``. Only those days are public: drafts on other days are for signed-in staff
(``/redactie/voortgangsbrief/``).
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from imvo.core.i18n import active_language
from imvo.core.moments import end_of_day
from imvo.programme.selectors import programme_letters, progress_report
from imvo.reports.exporters import exporter
from imvo.reports.progress import FORMATS, compose, stem
from imvo.reports.progress_render import article


def _published(day: str) -> dt.date:
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    if date not in {letter.date for letter in programme_letters()}:
        raise Http404
    return date


@require_safe
def letter_list(request: HttpRequest) -> HttpResponse:
    return render(request, "public/letters.html", {"letters": programme_letters()})


@require_safe
def letter_detail(request: HttpRequest, day: str) -> HttpResponse:
    date = _published(day)
    report = progress_report(as_of=date, known_at=end_of_day(date))
    lang = active_language()
    context = {
        "date": date,
        "article": article(compose(report, lang)),
        "formats": FORMATS,
        "stem": stem(report, lang),
    }
    return render(request, "public/letter.html", context)


@require_safe
def letter_download(request: HttpRequest, day: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    date = _published(day)
    report = progress_report(as_of=date, known_at=end_of_day(date))
    lang = active_language()
    export = exporter(f"progress.{fmt}").render(report, stem=stem(report, lang), lang=lang)
    response = HttpResponse(export.content, content_type=export.mimetype)
    disposition = "inline" if fmt in ("pdf", "html") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{export.filename}"'
    return response
