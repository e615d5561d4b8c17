"""The editors' pages under /redactie/ (signed-in staff; never answered from the page cache)."""

from django.urls import path

from imvo.web.editors import views

app_name = "editors"
urlpatterns = [
    path("", views.home, name="home"),
    path("trajecten/<slug:slug>/", views.trajectory_records_page, name="trajectory"),
    path("trajecten/<slug:slug>/fase/", views.phase_change, name="phase_change"),
    path(
        "trajecten/<slug:slug>/fasen/<int:pk>/correctie/",
        views.phase_correct,
        name="phase_correct",
    ),
    path("trajecten/<slug:slug>/bijeenkomst/", views.event_plan, name="event_plan"),
    path(
        "trajecten/<slug:slug>/bijeenkomsten/<int:pk>/uitkomst/",
        views.event_outcome,
        name="event_outcome",
    ),
    path("trajecten/<slug:slug>/deelname/", views.participation_add, name="participation_add"),
    path(
        "trajecten/<slug:slug>/deelnames/<int:pk>/einde/",
        views.participation_end,
        name="participation_end",
    ),
    path("trajecten/<slug:slug>/voortgang/", views.progress_note, name="progress_note"),
    path("voorstellen/", views.proposal_list, name="proposals"),
    path("voortgangsbrief/", views.progress_letter, name="progress_letter"),
    path("voorstellen/<int:pk>/", views.proposal_detail, name="proposal"),
]
