"""Reads of memberships."""

from __future__ import annotations

from typing import Any

from imvo.accounts.models import Membership


def memberships_of(*, user: Any) -> list[Membership]:
    """The user's memberships with their scope loaded, ordered by role."""
    return list(
        Membership.objects.filter(user=user)
        .select_related("organisation", "sector", "trajectory")
        .order_by("role", "pk")
    )
