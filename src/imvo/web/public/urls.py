"""The public pages: the programme's state, trajectories, sectors, sources and the SRA.

Every page but the health check is answered from the page cache where allowed
(:func:`imvo.core.pagecache.cached_page`: anonymous GET/HEAD, keyed on the data version).
"""

from django.urls import path

from imvo.core.pagecache import cached_page as cached
from imvo.web.public import chart_views, download_views, letter_views, risk_views, views

app_name = "public"
urlpatterns = [
    path("", cached(views.overview), name="overview"),
    path("trajecten/<slug:slug>/", cached(views.trajectory_detail), name="trajectory"),
    path("sectoren/<slug:slug>/", cached(views.sector_detail), name="sector"),
    path("programma/", cached(views.programme), name="programme"),
    path("tijdlijn.svg", cached(chart_views.timeline_svg), name="timeline_svg"),
    path("afspraken.svg", cached(chart_views.agreements_svg), name="agreements_svg"),
    path("verwachting.svg", cached(chart_views.forecast_svg), name="forecast_svg"),
    path("wijzigingen/", cached(views.changes), name="changes"),
    path("voortgangsbrieven/", cached(letter_views.letter_list), name="letters"),
    path(
        "voortgangsbrieven/gepubliceerd/<int:pk>/",
        cached(letter_views.published_letter),
        name="published_letter",
    ),
    path(
        "voortgangsbrieven/gepubliceerd/<int:pk>.<slug:fmt>",
        cached(letter_views.published_letter_download),
        name="published_letter_download",
    ),
    path("voortgangsbrieven/<str:day>/", cached(letter_views.letter_detail), name="letter"),
    path(
        "voortgangsbrieven/<str:day>.<slug:fmt>",
        cached(letter_views.letter_download),
        name="letter_download",
    ),
    path("bronnen/", cached(views.source_list), name="sources"),
    path("organisaties/", cached(views.organisation_list), name="organisations"),
    path("gezondheid/", views.health, name="health"),
    path("risico/", cached(risk_views.heatmap_page), name="heatmap"),
    path("risico/heatmap.svg", cached(risk_views.heatmap_image), name="heatmap_svg"),
    path("risico/nace/<str:nace>/", cached(risk_views.division_page), name="division"),
    path("download/<slug:page>.<slug:fmt>", cached(download_views.download), name="download"),
    path(
        "download/<slug:page>/<slug:item>.<slug:fmt>",
        cached(download_views.download),
        name="download_item",
    ),
]
