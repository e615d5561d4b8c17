"""Who may open the editors' pages: one decorator for every editors' view.

``editor_required`` lets a view run for a signed-in, active user whose second factor is
verified when the installation requires two-factor authentication
(``settings.IMVO_REQUIRE_2FA``); anyone else is sent to the sign-in page. What the user may
then see or change is decided by :mod:`imvo.accounts.policy`, not here.

The second factor is required of every account that can edit or approve
(:func:`imvo.accounts.selectors.second_factor_required`); a stakeholder (read-only) who signed
in with a password alone passes too, unless they set up a device and so signed in with it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from imvo.accounts.selectors import second_factor_required

View = Callable[..., HttpResponse]


def needs_second_factor(user: Any) -> bool:
    """Whether ``user`` must sign in with a second factor on this installation."""
    return bool(getattr(settings, "IMVO_REQUIRE_2FA", False)) and second_factor_required(user=user)


def is_verified(user: Any) -> bool:
    """Whether ``user`` passed the second factor in this session (django-otp)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def second_factor_verified(request: HttpRequest) -> bool:
    """Whether the request's user passed the second factor (always, when it is not required)."""
    if not getattr(settings, "IMVO_REQUIRE_2FA", False):
        return True
    return is_verified(request.user) or not needs_second_factor(request.user)


def editor_required(view: View) -> View:
    """Run ``view`` only for a signed-in, active user with a verified second factor."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not (user.is_authenticated and user.is_active and second_factor_verified(request)):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped
