"""URLs of the pages about the site: /over/toegankelijkheid/, /over/privacy/, /over/contact/."""

from django.urls import path

from imvo.web.public import info_views

app_name = "info"
urlpatterns = [
    path("toegankelijkheid/", info_views.accessibility, name="accessibility"),
    path("privacy/", info_views.privacy, name="privacy"),
    path("contact/", info_views.contact, name="contact"),
]
