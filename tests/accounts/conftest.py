"""Users with one role each, on the shipped reference data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from imvo.accounts.models import Membership
from imvo.accounts.services import membership_create
from imvo.core.audit import Actor
from imvo.organisations.models import Organisation
from imvo.sectors.models import Sector
from imvo.trajectories.models import Trajectory


@pytest.fixture
def make_user(db) -> Callable[..., Any]:
    def make(username: str, **extra: Any) -> Any:
        return get_user_model().objects.create_user(username, password="x-pass-123!", **extra)

    return make


@pytest.fixture
def member(make_user) -> Callable[..., Any]:
    """A user holding one membership: ``member("sector_editor", sector="banks")``."""

    def make(role: str, *, organisation=None, sector=None, trajectory=None, username=None):
        user = make_user(username or f"{role}-{organisation or sector or trajectory or 'all'}")
        membership_create(
            data={
                "user": user,
                "role": role,
                "organisation": organisation and Organisation.objects.get(key=organisation),
                "sector": sector and Sector.objects.get(slug=sector),
                "trajectory": trajectory and Trajectory.objects.get(slug=trajectory),
            },
            actor=Actor("test set-up"),
        )
        return user

    return make


@pytest.fixture
def coordinator(member):
    return member(Membership.Role.COORDINATOR)


@pytest.fixture
def ser_secretariat(member):
    return member(Membership.Role.SER_SECRETARIAT, organisation="ser")


@pytest.fixture
def stakeholder(member):
    return member(Membership.Role.STAKEHOLDER)
