"""The pages about the site itself: accessibility statement, privacy and contact (under /over/)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


def _contact() -> dict[str, str]:
    """Who answers questions about this installation (optional settings; empty when unset)."""
    return {
        "contact_email": getattr(settings, "IMVO_CONTACT_EMAIL", ""),
        "source_url": getattr(settings, "IMVO_SOURCE_URL", ""),
    }


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "public/info/accessibility.html", _contact())


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "public/info/privacy.html", _contact())


@require_safe
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "public/info/contact.html", _contact())
