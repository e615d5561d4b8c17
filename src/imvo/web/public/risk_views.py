"""Sector Risk Analysis pages: the heat map with its data table, and one page per division."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from matplotlib import colormaps

from imvo.core.models import active_language
from imvo.initiatives.models import Initiative
from imvo.reports.sra import heatmap
from imvo.risks.selectors import sra_explanation, sra_result
from imvo.sectors.models import Sector
from imvo.trajectories.models import Trajectory

DEFAULT_ROWS = 30
_CMAP = colormaps["cividis"]


def _cell(value: float, vmax: float) -> dict[str, Any]:
    """A heat-map cell: the value with a cividis background and a text colour that keeps
    at least 4.5:1 contrast (black on the light end, white on the dark end)."""
    red, green, blue, _alpha = _CMAP(min(value / vmax, 1.0) if vmax else 0.0)
    luminance = 0.2126 * red**2.2 + 0.7152 * green**2.2 + 0.0722 * blue**2.2
    background = f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"
    return {"value": value, "bg": background, "fg": "#000000" if luminance > 0.18 else "#ffffff"}


@require_GET
def heatmap_page(request: HttpRequest) -> HttpResponse:
    result = sra_result(lang=active_language())
    show_all = request.GET.get("alle") == "1"
    sectors = result.sectors if show_all else result.sectors.head(DEFAULT_ROWS)
    pivot = result.scores.pivot(index="nace", columns="theme", values="score")
    codes = [t["code"] for t in result.themes]
    vmax = float(result.scores["score"].max())
    names = {s.slug: s.name for s in Sector.objects.all()}
    rows = [
        {
            "rank": int(s.rank),
            "nace": s.nace,
            "sector": s.sector,
            "score": s.score,
            "residual": s.residual_score,
            "imputed": s.imputed_share,
            "programme": [names.get(p, p) for p in s.programme_sectors.split(";") if p],
            "cells": [_cell(float(pivot.at[s.nace, code]), vmax) for code in codes],
        }
        for s in sectors.itertuples()
    ]
    context = {
        "themes": result.themes,
        "rows": rows,
        "show_all": show_all,
        "total": len(result.sectors),
        "datasets": result.datasets,
        "notes": result.notes,
        "top": None if show_all else DEFAULT_ROWS,
        "legend": [_cell(vmax * i / 4, vmax) for i in range(5)],
    }
    return render(request, "public/heatmap.html", context)


@require_GET
def heatmap_image(request: HttpRequest) -> HttpResponse:
    top = None if request.GET.get("alle") == "1" else DEFAULT_ROWS
    image = heatmap(sra_result(lang=active_language()), fmt="svg", top=top)
    return HttpResponse(image, content_type="image/svg+xml")


@require_GET
def division_page(request: HttpRequest, nace: str) -> HttpResponse:
    lang = active_language()
    result = sra_result(lang=lang)
    try:
        explanation = sra_explanation(nace=nace, lang=lang)
    except KeyError:
        raise Http404(_("No NACE division '%(nace)s' in the analysis.") % {"nace": nace}) from None
    theme_param = request.GET.get("thema") or None
    theme_detail = None
    if theme_param:
        try:
            theme_detail = sra_explanation(nace=nace, lang=lang, theme=theme_param).as_dict()
        except KeyError:
            raise Http404(_("No risk theme '%(theme)s'.") % {"theme": theme_param}) from None
    data = explanation.as_dict()
    themes = sorted(data["themes"], key=lambda t: t["score"], reverse=True)
    slugs = data["programme_sectors"]
    theme_names = {t["code"]: t["name"] for t in result.themes}
    initiatives = [
        {"initiative": i, "themes": [theme_names.get(code, code) for code in i.risk_themes]}
        for i in Initiative.objects.filter(sectors__slug__in=slugs, coverage__isnull=False)
        .select_related("source")
        .distinct()
    ]
    context = {
        "initiatives": initiatives,
        "e": data,
        "themes": themes,
        "theme_detail": theme_detail,
        "total": len(result.sectors),
        "sectors": Sector.objects.filter(slug__in=slugs),
        "trajectories": Trajectory.objects.filter(sectors__slug__in=slugs).distinct(),
        "datasets": result.datasets,
    }
    return render(request, "public/division.html", context)
