"""The public pages: the programme's state, trajectories, sectors, sources and the SRA."""

from django.urls import path

from imvo.web.public import chart_views, download_views, risk_views, views

app_name = "public"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("trajecten/<slug:slug>/", views.trajectory_detail, name="trajectory"),
    path("sectoren/<slug:slug>/", views.sector_detail, name="sector"),
    path("programma/", views.programme, name="programme"),
    path("tijdlijn.svg", chart_views.timeline_svg, name="timeline_svg"),
    path("afspraken.svg", chart_views.agreements_svg, name="agreements_svg"),
    path("wijzigingen/", views.changes, name="changes"),
    path("bronnen/", views.source_list, name="sources"),
    path("organisaties/", views.organisation_list, name="organisations"),
    path("gezondheid/", views.health, name="health"),
    path("risico/", risk_views.heatmap_page, name="heatmap"),
    path("risico/heatmap.svg", risk_views.heatmap_image, name="heatmap_svg"),
    path("risico/nace/<str:nace>/", risk_views.division_page, name="division"),
    path("download/<slug:page>.<slug:fmt>", download_views.download, name="download"),
    path(
        "download/<slug:page>/<slug:item>.<slug:fmt>",
        download_views.download,
        name="download_item",
    ),
]
