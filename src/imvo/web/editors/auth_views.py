"""Signing in: user name or e-mail address and password, then the TOTP code; signing out.

The steps (``/account/…``, see ``docs/accounts.md``, "Signing in"):

1. ``inloggen/`` — user name or e-mail address and password (:class:`SignInForm`). Django's
   backends check them, django-axes first: a locked-out account is refused even with the right
   password, and every failure counts towards the lockout.
2. ``tweede-stap/`` — when the account has a confirmed TOTP device, the 6-digit code. A wrong
   code counts as a failed sign-in too.
3. ``tweede-stap/instellen/`` — when the account must use a second factor (it can edit or
   approve, :func:`~imvo.web.editors.access.needs_second_factor`) but has no device yet: a QR
   code and the secret as text, and a code to confirm them.

Between step 1 and the end nobody is signed in: the session only holds who passed the password
(for :data:`PENDING_SECONDS`), so a password alone never opens a page. Only the last step
calls Django's ``login`` (a new session key), with the verified device for django-otp.

``wachtwoord/`` (:func:`password_change`) lets a signed-in user change their own password.
"""

from __future__ import annotations

import time
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from imvo.accounts.selectors import (
    totp_device_of,
    totp_device_pending,
    totp_secret,
    user_active,
    user_locked,
)
from imvo.accounts.services import (
    TokenCheck,
    totp_device_confirm,
    totp_device_start,
    totp_device_verify,
    user_failed_attempts_clear,
    user_set_password,
)
from imvo.core.audit import Actor
from imvo.core.errors import ImvoError, gettext_noop
from imvo.web.editors.access import editor_required, is_verified, needs_second_factor
from imvo.web.editors.auth_forms import CodeForm, PasswordChangeForm, SignInForm
from imvo.web.editors.idle import mark_signed_in

#: The session key of a sign-in that passed the password and waits for its second step.
PENDING = "imvo_sign_in"
#: How long the second step waits for its code after the password, in seconds.
PENDING_SECONDS = 10 * 60
#: Why a device was confirmed, in its user's history (in the page's language).
SET_UP_REASON = gettext_noop("at sign-in")
#: Why the password was set, in the user's history (in the page's language).
PASSWORD_CHANGED_REASON = gettext_noop("Password changed by the user")

GET_OR_POST = require_http_methods(["GET", "HEAD", "POST"])


def _next_url(request: HttpRequest, default: str | None = None) -> str:
    """Where to go after signing in: a ``next`` of this site, else the default."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or resolve_url(settings.LOGIN_REDIRECT_URL)


def _begin_second_step(request: HttpRequest, user: Any, backend: str, next_url: str) -> Any:
    """Remember who passed the password and send them to the code (or to set up a device)."""
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": backend,
        "since": time.time(),
        "next": next_url,
    }
    if totp_device_of(user=user) is None:
        return redirect("account:enrol")
    return redirect("account:second_step")


def _pending(request: HttpRequest) -> tuple[Any, dict[str, Any]]:
    """The user who passed the password in this session (not too long ago), or None."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("since", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, {}
    user = user_active(pk=pending.get("user"))
    if user is None:
        request.session.pop(PENDING, None)
    return user, pending


def _locked(user: Any) -> bool:
    """Locked meanwhile (after this session passed the password): the code is refused too."""
    return user_locked(username=user.get_username())


def _start_again(request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse('account:login')}?opnieuw=1")


def _finish(request: HttpRequest, user: Any, pending: dict[str, Any], device: Any) -> Any:
    """Sign ``user`` in (a new session key) with the device that verified them."""
    request.session.pop(PENDING, None)
    if device is not None:
        user.otp_device = device  # django-otp stores it in the session on login
    auth_login(request, user, backend=pending["backend"])
    mark_signed_in(request)
    user_failed_attempts_clear(user=user)
    return redirect(pending["next"])


def _count_failure(request: HttpRequest, user: Any) -> None:
    """A wrong code counts towards the lockout like a wrong password (django-axes)."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )


def _code_problem(check: TokenCheck) -> str:
    if check.retry_at is not None:
        moment = formats.time_format(timezone.localtime(check.retry_at), "H:i:s")
        return _(
            "Too many wrong codes: wait until %(time)s, then enter the code the app shows then."
        ) % {"time": moment}
    return _(
        "This code is not right, or it was already used. Enter the code the app shows now; "
        "check that the clock of your phone is right."
    )


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    form = context.get("form")
    if form is not None and form.is_bound:
        form.mark_invalid_fields()
    return render(request, f"editors/account/{template}", context, status=status)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@GET_OR_POST
def sign_in(request: HttpRequest, default_next: str | None = None) -> HttpResponse:
    """Step 1: user name or e-mail address, and password."""
    next_url = _next_url(request, default_next)
    user = request.user
    if (
        request.method != "POST"
        and user.is_authenticated
        and needs_second_factor(user)
        and not is_verified(user)
    ):
        # Signed in with a password alone (before this account could edit): the code now.
        backend = request.session.get(BACKEND_SESSION_KEY, settings.AUTHENTICATION_BACKENDS[1])
        return _begin_second_step(request, user, backend, next_url)
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            user = form.user
            if totp_device_of(user=user) is not None or needs_second_factor(user):
                return _begin_second_step(request, user, user.backend, next_url)
            request.session.pop(PENDING, None)
            auth_login(request, user)
            mark_signed_in(request)
            user_failed_attempts_clear(user=user)
            return redirect(next_url)
        if form.locked_out:
            return locked_out(request)
    context = {
        "form": form,
        "next": next_url,
        "signed_out": "uitgelogd" in request.GET,
        "start_again": "opnieuw" in request.GET,
        "lockout_minutes": settings.IMVO_LOCKOUT_MINUTES,
    }
    # sign_in.html with the messages (e.g. why the session ended) above it.
    return _page(request, "sign_in.html", context)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@GET_OR_POST
def second_step(request: HttpRequest) -> HttpResponse:
    """Step 2: the code of the authenticator app."""
    user, pending = _pending(request)
    if user is None:
        return _start_again(request)
    if _locked(user):
        return locked_out(request)
    if totp_device_of(user=user) is None:
        return redirect("account:enrol")
    form = CodeForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        check = totp_device_verify(user=user, token=form.cleaned_data["code"])
        if check.device is not None:
            return _finish(request, user, pending, check.device)
        if check.retry_at is None:
            _count_failure(request, user)
            if getattr(request, "axes_locked_out", False):
                request.session.pop(PENDING, None)
                return locked_out(request)
        form.add_error("code", _code_problem(check))
    return _page(request, "second_step.html", {"form": form, "username": user.get_username()})


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@GET_OR_POST
def enrol(request: HttpRequest) -> HttpResponse:
    """Step 3: set up an authenticator app, once, for an account that must use one."""
    user, pending = _pending(request)
    if user is None:
        return _start_again(request)
    if _locked(user):
        return locked_out(request)
    if totp_device_of(user=user) is not None:
        # A confirmed device is never replaced without its code: an administrator resets it.
        return redirect("account:second_step")
    device = totp_device_pending(user=user, pk=pending.get("device"))
    if device is None:
        device = totp_device_start(user=user)
        pending["device"] = device.pk
        request.session[PENDING] = pending
    form = CodeForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        check = totp_device_confirm(
            device=device, token=form.cleaned_data["code"], actor=Actor(_(SET_UP_REASON), user)
        )
        if check.device is not None:
            return _finish(request, user, pending, check.device)
        form.add_error("code", _code_problem(check))
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "username": user.get_username(),
        # segno's markup holds only shapes: the secret and the user name are in the pattern.
        "qr_svg": mark_safe(qr.svg_inline(omitsize=True, dark="#000", light="#fff")),
        "secret": totp_secret(device=device),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return _page(request, "enrol.html", context)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@csrf_protect
@never_cache
@GET_OR_POST
@editor_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password: the current one, then the new one twice.

    A wrong current password counts as a failed sign-in, and a locked account is refused even
    with the right one. The new password is set through the audited service, which also ends
    the account's other sessions; this session stays signed in."""
    user = request.user
    if request.method == "POST" and _locked(user):
        return locked_out(request)
    form = PasswordChangeForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                user_set_password(
                    user=user,
                    password=form.cleaned_data["new_password1"],
                    actor=Actor(_(PASSWORD_CHANGED_REASON), user),
                )
            except ImvoError as error:
                field = "new_password1" if error.field == "password" else None
                form.add_error(field, error.message)
            else:
                update_session_auth_hash(request, user)  # this session stays signed in
                messages.success(
                    request, _("Your password was changed. Your other sessions were signed out.")
                )
                return redirect("editors:home")
        elif form.locked_out:
            return locked_out(request)
    return _page(request, "password_change.html", {"form": form})


@require_POST
@csrf_protect
def sign_out(request: HttpRequest) -> HttpResponse:
    """End the session (POST only, with the CSRF token)."""
    auth_logout(request)
    return redirect(f"{reverse('account:login')}?uitgelogd=1")


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The page of a locked-out account (also django-axes' ``AXES_LOCKOUT_CALLABLE``)."""
    if hasattr(request, "session"):
        request.session.pop(PENDING, None)
    context = {
        "minutes": settings.IMVO_LOCKOUT_MINUTES,
        "contact_email": getattr(settings, "IMVO_CONTACT_EMAIL", ""),
    }
    return render(request, "editors/account/locked_out.html", context, status=429)
