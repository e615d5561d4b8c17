"""Writes of accounts: memberships and the legacy groups.

Memberships are validated (``full_clean``) and audited with the actor and the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from imvo.accounts.models import Membership
from imvo.accounts.policy import access_forget
from imvo.accounts.roles import role_permissions
from imvo.core.audit import Actor, audited_save, system_user

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
