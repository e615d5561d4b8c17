"""The progress letters to parliament, drafted from the record as it stood on each letter's day.

``/voortgangsbrieven/`` lists the letters to parliament on the programme as a whole that the
record holds; ``/voortgangsbrieven/<datum>/`` shows the letter composed from what was known at
the end of that day (the page's language), with downloads ``.pdf``, ``.docx``, ``.html``,
``.md`` and ``.json``. Only those days are public: drafts on other days are for signed-in staff
(``/redactie/voortgangsbrief/``). Letters the programme published (``PublishedLetter``) are
shown first, from their stored text and bytes: ``/voortgangsbrieven/gepubliceerd/<id>/``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from imvo.core.errors import NotFound
from imvo.core.i18n import active_language
from imvo.core.moments import end_of_day
from imvo.parliament.selectors import published_letter_get, published_letters
from imvo.programme.selectors import programme_letters, progress_report
from imvo.reports.exporters import exporter
from imvo.reports.progress import FORMATS, MIMETYPES, compose, letter_stem, stem
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
    context = {"published": published_letters(), "letters": programme_letters()}
    return render(request, "public/letters.html", context)


@require_safe
def published_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """A letter as the programme published it: its stored text, never recomposed."""
    letter = _stored(pk)
    return render(request, "public/published_letter.html", {"letter": letter, "formats": FORMATS})


@require_safe
def published_letter_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    letter = _stored(pk)
    content = getattr(letter, fmt)
    data = bytes(content) if isinstance(content, (bytes, memoryview)) else content.encode("utf-8")
    return letter_file(data, fmt, f"{letter_stem(letter.as_of, letter.lang)}.{fmt}")


def _stored(pk: int) -> Any:
    try:
        return published_letter_get(pk=pk)
    except NotFound:
        raise Http404 from None


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
    return letter_file(export.content, fmt, export.filename)


def letter_file(content: bytes, fmt: str, filename: str, *, inline: bool = True) -> HttpResponse:
    """A letter's file: PDF and HTML open in the browser (when ``inline``), the rest download."""
    response = HttpResponse(content, content_type=MIMETYPES[fmt])
    disposition = "inline" if inline and fmt in ("pdf", "html") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
