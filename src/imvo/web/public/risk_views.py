"""Sector Risk Analysis pages: the heat map with its data table, and one page per division.

Each view asks one selector of :mod:`imvo.risks.selectors` for the data and renders it with
:mod:`imvo.reports.sra` (names in the page's language, the heat-map colours) and a template.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from imvo.core.errors import NotFound
from imvo.core.i18n import active_language
from imvo.reports.sra import heatmap, heatmap_context
from imvo.reports.sra_explain import division_context
from imvo.risks.selectors import sra_division_page, sra_heatmap_page


def _show_all(request: HttpRequest) -> bool:
    return request.GET.get("alle") == "1"


@require_safe
def heatmap_page(request: HttpRequest) -> HttpResponse:
    lang, show_all = active_language(), _show_all(request)
    page = sra_heatmap_page(lang=lang, show_all=show_all)
    context = heatmap_context(
        page.result, lang=lang, top=page.top, programme_names=page.programme_names
    )
    return render(request, "public/heatmap.html", {**context, "show_all": show_all})


@require_safe
def heatmap_image(request: HttpRequest) -> HttpResponse:
    lang = active_language()
    page = sra_heatmap_page(lang=lang, show_all=_show_all(request))
    image = heatmap(page.result, fmt="svg", lang=lang, top=page.top)
    return HttpResponse(image, content_type="image/svg+xml")


@require_safe
def division_page(request: HttpRequest, nace: str) -> HttpResponse:
    lang = active_language()
    try:
        page = sra_division_page(nace=nace, lang=lang, theme=request.GET.get("thema") or None)
    except NotFound as exc:
        raise Http404(str(exc)) from None
    context = division_context(
        page.result, explanation=page.explanation, detail=page.detail, lang=lang
    )
    context.update(
        initiatives=page.initiatives, sectors=page.sectors, trajectories=page.trajectories
    )
    return render(request, "public/division.html", context)
