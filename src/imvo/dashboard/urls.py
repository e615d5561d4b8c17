from django.urls import path

from imvo.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("trajecten/<slug:slug>/", views.trajectory_detail, name="trajectory"),
    path("sectoren/<slug:slug>/", views.sector_detail, name="sector"),
    path("programma/", views.programme, name="programme"),
    path("bronnen/", views.source_list, name="sources"),
    path("organisaties/", views.organisation_list, name="organisations"),
    path("gezondheid/", views.health, name="health"),
]
