"""Sector Risk Analysis pages: the heat map with its data table, and one page per division.

Each view asks one selector of :mod:`imvo.risks.selectors` for the data and renders it with
:mod:`imvo.reports.sra` (names in the page's language, the heat-map colours) and a template.
When the stored user data cannot be read the analysis is not available: the pages answer 503
with the selector's message (in the page's language) instead of failing. The heat-map picture
is drawn once per data version (the selector's single-flight cache) and carries an ``ETag``, so
a browser or proxy that has it gets 304 without a body.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.http import parse_etags
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


@require_safe
def heatmap_page(request: HttpRequest) -> HttpResponse:
    lang, show_all = active_language(), _show_all(request)
    try:
        page = sra_heatmap_page(lang=lang, show_all=show_all)
    except DataError as exc:
        context = {"problem": exc.message}
        return render(request, "public/heatmap.html", context, status=UNAVAILABLE)
    context = heatmap_context(
        page.result, lang=lang, top=page.top, programme_names=page.programme_names
    )
    return render(request, "public/heatmap.html", {**context, "show_all": show_all})


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
