"""URLs of the methodology pages: /methode/ and /methode/<slug>/ (see method_docs.DOCUMENTS)."""

from django.urls import path

from imvo.web.public import method_views

app_name = "method"
urlpatterns = [
    path("", method_views.index, name="index"),
    path("<slug:slug>/", method_views.page, name="page"),
]
