"""Signing in and out, and changing one's password, under /account/ (never answered from the
page cache)."""

from django.urls import path

from imvo.web.editors import auth_views

app_name = "account"
urlpatterns = [
    path("inloggen/", auth_views.sign_in, name="login"),
    path("tweede-stap/", auth_views.second_step, name="second_step"),
    path("tweede-stap/instellen/", auth_views.enrol, name="enrol"),
    path("uitloggen/", auth_views.sign_out, name="logout"),
    path("wachtwoord/", auth_views.password_change, name="password_change"),
]
