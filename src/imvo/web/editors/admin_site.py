"""The Django admin behind the same sign-in as the editors' pages.

:class:`SignInAdminSite` is the default admin site (through
:class:`~imvo.web.editors.apps.SignInAdminConfig` in ``INSTALLED_APPS``, in place of
``django.contrib.admin``): staff need a verified second factor
when the installation requires one (``settings.IMVO_REQUIRE_2FA``), and ``/admin/login/`` is
the one sign-in page of the site (username or e-mail, password, then the TOTP code), so that
the lockout and the second factor cannot be bypassed through the admin's own login form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from imvo.web.editors.access import second_factor_verified


class SignInAdminSite(admin.AdminSite):
    """The admin site; staff also need a verified second factor (when it is required)."""

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and second_factor_verified(request)

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        from imvo.web.editors.auth_views import sign_in

        return sign_in(request, default_next=reverse("admin:index", current_app=self.name))
