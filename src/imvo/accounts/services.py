"""Writes of accounts: memberships, the legacy groups, user accounts and their second factor.

Memberships and user accounts are validated (``full_clean``) and audited with the actor and the
reason (a user account's history leaves out the password hash). Passwords are checked with
Django's password validators (``AUTH_PASSWORD_VALIDATORS``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from imvo.accounts.models import Membership
from imvo.accounts.policy import access_forget
from imvo.accounts.roles import role_permissions
from imvo.core.audit import SYSTEM_USERNAME, Actor, audited_save, system_user
from imvo.core.errors import Conflict, ImvoError, Problem, gettext_noop

#: The fields a membership is written through.
FIELDS = ("user", "role", "organisation", "sector", "trajectory", "note")


def _apply(membership: Membership, data: Mapping[str, Any]) -> None:
    unknown = set(data) - set(FIELDS) - {f"{name}_id" for name in FIELDS}
    if unknown:
        raise TypeError(f"Membership has no field(s) {', '.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(membership, name, value)


@transaction.atomic
def membership_create(*, data: Mapping[str, Any], actor: Actor) -> Membership:
    """Give a user a role with its scope (organisation, sector and/or trajectory)."""
    membership = Membership()
    _apply(membership, data)
    audited_save(membership, actor=actor)
    access_forget(membership.user)
    return membership


@transaction.atomic
def membership_update(
    *, membership: Membership, data: Mapping[str, Any], actor: Actor
) -> Membership:
    """Change a membership's role, scope or note."""
    _apply(membership, data)
    audited_save(membership, actor=actor)
    access_forget(membership.user)
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership, actor: Actor) -> None:
    """End a membership; its history keeps who held it, and who ended it and why."""
    user = membership.user
    membership._history_user = actor.user or system_user()  # type: ignore[attr-defined]
    membership._change_reason = actor.reason  # type: ignore[attr-defined]
    membership.delete()
    access_forget(user)


@transaction.atomic
def roles_ensure() -> dict[str, int]:
    """Create or update the legacy groups (:mod:`imvo.accounts.roles`); idempotent.

    Returns the number of permissions per group.
    """
    counts = {}
    for group_name, codes in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = [
            Permission.objects.get(
                content_type__app_label=code.split(".")[0], codename=code.split(".")[1]
            )
            for code in sorted(codes)
        ]
        if set(group.permissions.all()) != set(wanted):
            group.permissions.set(wanted)
        counts[group_name] = len(wanted)
    return counts


# --- user accounts (sign-in, issue 10) -------------------------------------------------------

#: What a user account's history row says was done, before the reason (the password, the
#: second factor and the lockout are not fields of the history, so the row names them); in the
#: language of the channel that writes, like the reason.
PASSWORD_SET = gettext_noop("password set")
SECOND_FACTOR_SET_UP = gettext_noop("two-factor authentication set up")
SECOND_FACTOR_RESET = gettext_noop("two-factor authentication reset")
LOCKOUT_LIFTED = gettext_noop("lockout lifted")
DEACTIVATED = gettext_noop("deactivated")
#: The name an authenticator app shows for the account.
DEVICE_NAME = "IMVO Monitor"


def _invalid(error: ValidationError, default_field: str = "") -> ImvoError:
    """One :class:`ImvoError` with every problem of a Django ``ValidationError``."""
    problems = []
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            name = "" if field == "__all__" else field
            problems += [Problem(message, field=name) for message in errors]
    else:
        problems = [Problem(message, field=default_field) for message in error.messages]
    first = problems[0]
    text = "; ".join(p.message for p in problems if p.field == first.field)
    return ImvoError(text, field=first.field, problems=problems)


def _save(user: Any, *, actor: Actor, what: str = "") -> Any:
    """Validate and save ``user`` with a history row naming the actor, what was done and why."""
    what = _(what) if what else ""
    reason = f"{what}: {actor.reason}" if what and actor.reason else (what or actor.reason)
    try:
        audited_save(user, actor=Actor(reason, actor.user))
    except ValidationError as error:
        raise _invalid(error) from None
    return user


def _not_the_system(user: Any) -> None:
    if user.get_username() == SYSTEM_USERNAME:
        raise ImvoError(
            _("'%(username)s' is the system account: nobody signs in with it")
            % {"username": SYSTEM_USERNAME},
            field="username",
        )


def password_check(*, password: str, user: Any = None) -> None:
    """Refuse a password that Django's password validators refuse, saying why."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise _invalid(error, default_field="password") from None


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    actor: Actor,
    password: str | None = None,
    is_staff: bool = False,
    memberships: Sequence[Mapping[str, Any]] = (),
) -> Any:
    """Create a user account (with its memberships, if given); all of it or nothing.

    Without a password the account cannot sign in until one is set
    (:func:`user_set_password`). An e-mail address may belong to one account only, since people
    sign in with it.
    """
    users = get_user_model().objects
    if users.filter(username=username).exists():
        raise Conflict(
            _("a user named '%(username)s' already exists") % {"username": username},
            field="username",
        )
    if email and users.filter(email__iexact=email).exists():
        raise Conflict(
            _("the e-mail address %(email)s already belongs to another account") % {"email": email},
            field="email",
        )
    user = get_user_model()(username=username, email=email, is_staff=is_staff)
    if password is None:
        user.set_unusable_password()
    else:
        password_check(password=password, user=user)
        user.set_password(password)
    _save(user, actor=actor)
    for data in memberships:
        try:
            membership_create(data={**data, "user": user}, actor=actor)
        except ValidationError as error:
            raise _invalid(error) from None
    return user


@transaction.atomic
def user_set_password(*, user: Any, password: str, actor: Actor) -> Any:
    """Set the password of ``user`` after the password validators accept it.

    The account's sessions end (Django's session check against the password hash) and a
    lockout is lifted, so that the person can sign in with the new password at once."""
    _not_the_system(user)
    password_check(password=password, user=user)
    user.set_password(password)
    _save(user, actor=actor, what=PASSWORD_SET)
    axes_reset(username=user.get_username())
    return user


@transaction.atomic
def user_deactivate(*, user: Any, actor: Actor) -> tuple[Any, bool]:
    """Stop ``user`` from signing in (their sessions end too); the account and its history
    stay. Returns the user and whether anything changed."""
    _not_the_system(user)
    if not user.is_active:
        return user, False
    user.is_active = False
    _save(user, actor=actor, what=DEACTIVATED)
    access_forget(user)
    return user, True


@transaction.atomic
def user_unlock(*, user: Any, actor: Actor) -> int:
    """Lift the lockout of ``user`` after failed sign-ins; returns how many records of failed
    attempts were removed (0: it was not locked, and nothing is written)."""
    removed = axes_reset(username=user.get_username())
    if removed:
        _save(user, actor=actor, what=LOCKOUT_LIFTED)
    return removed


def user_failed_attempts_clear(*, user: Any) -> int:
    """Forget the failed sign-ins of ``user`` after they signed in (both steps), and only
    theirs: failures from the same address against other accounts keep counting."""
    return axes_reset(username=user.get_username())


@transaction.atomic
def totp_device_reset(*, user: Any, actor: Actor) -> int:
    """Remove the TOTP devices of ``user``, so that they set up a new one when they next sign
    in (a lost phone). Returns how many were removed (0: nothing is written)."""
    removed, _kinds = TOTPDevice.objects.filter(user=user).delete()
    if removed:
        _save(user, actor=actor, what=SECOND_FACTOR_RESET)
    return removed


@transaction.atomic
def totp_device_start(*, user: Any) -> TOTPDevice:
    """A new, unconfirmed TOTP device with a fresh secret for ``user`` to set up; devices that
    were started earlier and never confirmed are removed. Only a confirmed device counts."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@dataclass(frozen=True)
class TokenCheck:
    """The outcome of checking a code: the device that accepted it, or None; ``retry_at`` is
    set when the device refuses to check codes for a while after too many wrong ones."""

    device: TOTPDevice | None
    retry_at: datetime | None = None


def _check(device: TOTPDevice, token: str) -> TokenCheck:
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return TokenCheck(None, (details or {}).get("locked_until"))
    token = "".join(token.split())
    if not token.isdigit() or not device.verify_token(token):
        return TokenCheck(None)
    return TokenCheck(device)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str, actor: Actor) -> TokenCheck:
    """Confirm a device being set up with a code from the authenticator app."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    check = _check(device, token)
    if check.device is not None:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
        _save(device.user, actor=actor, what=SECOND_FACTOR_SET_UP)
    return check


@transaction.atomic
def totp_device_verify(*, user: Any, token: str) -> TokenCheck:
    """Check a code against the user's confirmed TOTP device (the second step of signing in).

    Each code is accepted once; wrong codes make the device wait longer and longer before it
    checks the next one (django-otp's throttling)."""
    device = (
        TOTPDevice.objects.devices_for_user(user, confirmed=True)
        .select_for_update()
        .order_by("-pk")
        .first()
    )
    if device is None:
        return TokenCheck(None)
    return _check(device, token)
