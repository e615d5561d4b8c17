"""Reads of memberships and user accounts (who signs in how: :func:`second_factor_required`)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from imvo.accounts import policy
from imvo.accounts.models import Membership
from imvo.core.audit import SYSTEM_USERNAME
from imvo.core.errors import Conflict, NotFound


def memberships_of(*, user: Any) -> list[Membership]:
    """The user's memberships with their scope loaded, ordered by role."""
    return list(
        Membership.objects.filter(user=user)
        .select_related("organisation", "sector", "trajectory")
        .order_by("role", "pk")
    )


# --- user accounts and signing in (issue 10) ---------------------------------------------------


@dataclass(frozen=True)
class UserRow:
    """One account for ``imvo user list``."""

    username: str
    email: str
    is_active: bool
    is_staff: bool
    is_superuser: bool
    roles: list[str]  # "sector_editor (Textiel en kleding)", …
    second_factor: bool  # has a confirmed TOTP device
    locked: bool  # locked out after too many failed sign-ins
    last_login: datetime | None


def user_get(*, username: str) -> Any:
    """The account named ``username``; :class:`NotFound` names it when there is none."""
    try:
        return get_user_model().objects.get_by_natural_key(username)
    except ObjectDoesNotExist:
        raise NotFound(
            _("no user named '%(username)s' (see 'imvo user list')") % {"username": username},
            field="username",
        ) from None


def user_sign_in_name(*, identifier: str) -> str:
    """The user name to sign in with for what a person typed: a user name or an e-mail address.

    A user name wins; else an e-mail address (in any case) of exactly one account gives that
    account's name. An address that several accounts share is refused (:class:`Conflict`): the
    person signs in with the user name. Anything else comes back as typed, so that a wrong
    name fails (and is counted) like a wrong password.
    """
    identifier = identifier.strip()
    users = get_user_model().objects
    if "@" not in identifier or users.filter(username=identifier).exists():
        return identifier
    names = list(users.filter(email__iexact=identifier).values_list("username", flat=True)[:2])
    if len(names) > 1:
        raise Conflict(
            _("This e-mail address belongs to more than one account: sign in with your user name."),
            field="username",
        )
    return names[0] if names else identifier


def _roles_of(user: Any) -> set[str]:
    roles = set(user.memberships.values_list("role", flat=True))
    groups = user.groups.filter(name__in=policy.LEGACY_GROUPS).values_list("name", flat=True)
    return roles | {policy.LEGACY_GROUPS[name] for name in groups}


def second_factor_required(*, user: Any) -> bool:
    """Whether ``user`` can edit or approve, and so must sign in with a second factor.

    Staff and superusers, and every holder of a role that edits (coordinator, SER
    secretariat, sector editor, the legacy editors' group) — whether or not its scope covers
    a trajectory today. A stakeholder (read-only) signs in with a password alone. The
    installation's setting (``IMVO_REQUIRE_2FA``) is the channel's to add.
    """
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(
        policy.ROLE_GRANTS[role].edits is not policy.Edits.NOTHING for role in _roles_of(user)
    )


def totp_device_of(*, user: Any) -> TOTPDevice | None:
    """The user's confirmed TOTP device (the newest, if there are several), or None."""
    if user is None or user.pk is None:
        return None
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("-pk").first()


def totp_device_pending(*, user: Any, pk: Any) -> TOTPDevice | None:
    """The user's unconfirmed TOTP device ``pk`` (one being set up), or None."""
    if user is None or user.pk is None or pk is None:
        return None
    return TOTPDevice.objects.filter(user=user, pk=pk, confirmed=False).first()


def totp_secret(*, device: TOTPDevice) -> str:
    """The device's secret as an authenticator app takes it by hand: base32 in groups of four."""
    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _locked_usernames(usernames: list[str] | None = None) -> set[str]:
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    if settings.AXES_COOLOFF_TIME:
        since = timezone.now() - timedelta(hours=float(settings.AXES_COOLOFF_TIME))
        attempts = attempts.filter(attempt_time__gte=since)
    if usernames is not None:
        attempts = attempts.filter(username__in=usernames)
    return set(attempts.values_list("username", flat=True))


def user_locked(*, username: str) -> bool:
    """Whether the account ``username`` is locked out now after too many failed sign-ins."""
    return username in _locked_usernames([username])


def users_list() -> list[UserRow]:
    """Every account but the system account, by user name, with roles, device and lockout."""
    users = (
        get_user_model()
        .objects.exclude(username=SYSTEM_USERNAME)
        .prefetch_related(
            "memberships__organisation", "memberships__sector", "memberships__trajectory"
        )
        .order_by("username")
    )
    with_device = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    locked = _locked_usernames()
    rows = []
    for user in users:
        roles = [
            f"{m.role} ({m.scope_display})" if m.scope_display else m.role
            for m in sorted(user.memberships.all(), key=lambda m: (m.role, m.pk))
        ]
        rows.append(
            UserRow(
                username=user.username,
                email=user.email,
                is_active=user.is_active,
                is_staff=user.is_staff,
                is_superuser=user.is_superuser,
                roles=roles,
                second_factor=user.pk in with_device,
                locked=user.username in locked,
                last_login=user.last_login,
            )
        )
    return rows


def membership_scope(
    *, organisation: str | None = None, sector: str | None = None, trajectory: str | None = None
) -> dict[str, Any]:
    """The records a membership's scope names by key (organisation) and slug (sector,
    trajectory); :class:`NotFound` names the one that does not exist."""
    from imvo.organisations.models import Organisation
    from imvo.sectors.models import Sector
    from imvo.trajectories.models import Trajectory

    wanted = (
        ("organisation", Organisation, "key", organisation),
        ("sector", Sector, "slug", sector),
        ("trajectory", Trajectory, "slug", trajectory),
    )
    scope: dict[str, Any] = {}
    for name, model, key, value in wanted:
        if not value:
            continue
        found = model.objects.filter(**{key: value}).first()
        if found is None:
            known = ", ".join(model.objects.order_by(key).values_list(key, flat=True)[:12])
            raise NotFound(
                _("no %(kind)s '%(value)s' (e.g. %(known)s)")
                % {"kind": model._meta.verbose_name, "value": value, "known": known},
                field=name,
            )
        scope[name] = found
    return scope


def user_active(*, pk: Any) -> Any:
    """The active account with primary key ``pk``, or None."""
    if pk is None:
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()
