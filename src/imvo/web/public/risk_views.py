"""Sector Risk Analysis pages: the heat map with its data table, and one page per division.

Each view asks one selector of :mod:`imvo.risks.selectors` for the data and renders it with
:mod:`imvo.reports.sra` (names in the page's language, the heat-map colours) and a template.
When the stored user data cannot be read the analysis is not available: the pages answer 503
with the selector's message (in the page's language) instead of failing. The heat-map picture
is drawn once per data version (the selector's single-flight cache) and carries an ``ETag``, so
a browser or proxy that has it gets 304 without a body; the page asks for it in its own
language (``?lang=``), so that a cached picture in the other language is never shown.

The heat map is sorted and filtered on the server, from the query string (works without
JavaScript): ``sorteer`` (a theme code, else by rank), ``thema`` and ``minimaal`` (only the
divisions whose score on that theme, else the overall score, is at least that), ``programma=1``
(only the programme's divisions) and ``alle=1`` (all divisions instead of the top 30). A value
that cannot be understood is named in a message on the page (400) and left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from imvo.core.errors import DataError, NotFound
from imvo.core.i18n import active_language
from imvo.reports.sra import heatmap, heatmap_context
from imvo.reports.sra_explain import division_context
from imvo.risks.selectors import sra_division_page, sra_heatmap_image, sra_heatmap_page

#: How long a browser or proxy may use the heat-map picture without asking again (seconds).
IMAGE_MAX_AGE = 300
UNAVAILABLE = 503


def _show_all(request: HttpRequest) -> bool:
    return request.GET.get("alle") == "1"


@dataclass(frozen=True)
class HeatmapQuery:
    """What the heat map shows, from its query string (empty = the default)."""

    sort: str = ""  # sorteer: a theme code; "" = by rank (the overall score)
    theme: str = ""  # thema: the theme of the filter; "" = the overall score
    minimum: float | None = None  # minimaal: the lowest score shown (0-100)
    programme: bool = False  # programma=1: only divisions of the programme's sectors
    show_all: bool = False  # alle=1: every division, not only the top 30

    def url(self, **changes: Any) -> str:
        """The page's query string (``?…``, or ``?`` for the default) with ``changes``."""
        query = replace(self, **changes)
        params = {
            "sorteer": query.sort,
            "thema": query.theme if query.minimum is not None else "",
            "minimaal": "" if query.minimum is None else f"{query.minimum:g}",
            "programma": "1" if query.programme else "",
            "alle": "1" if query.show_all else "",
        }
        return "?" + urlencode({key: value for key, value in params.items() if value})


def _flag(request: HttpRequest, name: str, errors: list[str]) -> bool:
    raw = request.GET.get(name, "").strip()
    if raw not in ("", "0", "1"):
        message = _('The parameter %(name)s must be 1 (yes) or 0 (no), not "%(value)s".')
        errors.append(message % {"name": name, "value": raw})
    return raw == "1"


def heatmap_query(request: HttpRequest, *, themes: Sequence[str]) -> tuple[HeatmapQuery, list[str]]:
    """The heat map's query from the request, and a message for each value it cannot use
    (that value is left out)."""
    errors: list[str] = []
    codes = ", ".join(themes)
    sort = request.GET.get("sorteer", "").strip()
    if sort == "score":
        sort = ""
    if sort and sort not in themes:
        message = _(
            'The parameter sorteer must be the code of a theme (%(codes)s), not "%(value)s".'
        )
        errors.append(message % {"codes": codes, "value": sort})
        sort = ""
    theme = request.GET.get("thema", "").strip()
    if theme == "score":
        theme = ""
    bad_theme = bool(theme) and theme not in themes
    if bad_theme:
        message = _('The parameter thema must be the code of a theme (%(codes)s), not "%(value)s".')
        errors.append(message % {"codes": codes, "value": theme})
        theme = ""
    minimum = None
    raw = request.GET.get("minimaal", "").strip()
    if raw and not bad_theme:  # a filter on an unknown theme is left out as a whole
        try:
            minimum = float(raw.replace(",", "."))
        except ValueError:
            minimum = None
        if minimum is None or not 0 <= minimum <= 100:  # also refuses nan and inf
            message = _('The parameter minimaal must be a number from 0 to 100, not "%(value)s".')
            errors.append(message % {"value": raw})
            minimum = None
    programme = _flag(request, "programma", errors)
    show_all = _flag(request, "alle", errors)
    query = HeatmapQuery(sort, theme, minimum, programme, show_all)
    return query, errors


@require_safe
def heatmap_page(request: HttpRequest) -> HttpResponse:
    lang = active_language()
    try:
        page = sra_heatmap_page(lang=lang, show_all=False)
    except DataError as exc:
        context = {"problem": exc.message}
        return render(request, "public/heatmap.html", context, status=UNAVAILABLE)
    query, errors = heatmap_query(request, themes=page.result.model.theme_codes)
    context = heatmap_context(
        page.result,
        lang=lang,
        top=None if query.show_all else page.top,
        programme_names=page.programme_names,
        sort=query.sort or None,
        theme=query.theme or None,
        minimum=query.minimum,
        programme_only=query.programme,
    )
    for theme in context["themes"]:
        theme["sort_url"] = query.url(sort=theme["code"])
    context.update(
        query=query,
        errors=errors,
        show_all=query.show_all,
        top_rows=page.top,
        minimum_value="" if query.minimum is None else f"{query.minimum:g}",
        rank_url=query.url(sort=""),
        all_url=query.url(show_all=True),
        top_url=query.url(show_all=False),
        reset_url=query.url(sort="", theme="", minimum=None, programme=False),
        image_url=f"?lang={lang}" + ("&alle=1" if query.show_all else ""),
    )
    return render(request, "public/heatmap.html", context, status=400 if errors else 200)


def _matches(request: HttpRequest, etag: str) -> bool:
    """Whether the request's ``If-None-Match`` names ``etag`` (weak comparison, or ``*``)."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or etag in {tag.removeprefix("W/") for tag in tags}


@require_safe
def heatmap_image(request: HttpRequest) -> HttpResponse:
    lang = active_language()
    image = sra_heatmap_image(
        lang=lang,
        show_all=_show_all(request),
        fmt="svg",
        render=lambda result, top: heatmap(result, fmt="svg", lang=lang, top=top),
    )
    headers = {"ETag": image.etag, "Cache-Control": f"public, max-age={IMAGE_MAX_AGE}"}
    if _matches(request, image.etag):
        return HttpResponseNotModified(headers=headers)
    try:
        content = image.content()
    except DataError as exc:
        return HttpResponse(
            exc.message,
            status=UNAVAILABLE,
            content_type="text/plain; charset=utf-8",
            headers={"Cache-Control": "no-store"},
        )
    return HttpResponse(content, content_type="image/svg+xml", headers=headers)


@require_safe
def division_page(request: HttpRequest, nace: str) -> HttpResponse:
    lang = active_language()
    try:
        page = sra_division_page(nace=nace, lang=lang, theme=request.GET.get("thema") or None)
    except NotFound as exc:
        raise Http404(str(exc)) from None
    except DataError as exc:
        context = {"problem": exc.message, "nace": nace}
        return render(request, "public/division.html", context, status=UNAVAILABLE)
    context = division_context(
        page.result, explanation=page.explanation, detail=page.detail, lang=lang
    )
    context.update(
        initiatives=page.initiatives, sectors=page.sectors, trajectories=page.trajectories
    )
    return render(request, "public/division.html", context)
