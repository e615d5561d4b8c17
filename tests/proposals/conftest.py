"""Users with roles (from tests/accounts) and textile as it stood before its signing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from imvo.agreements.models import Agreement
from imvo.trajectories.models import PhaseRecord
from tests.accounts.conftest import *  # noqa: F403  (the role fixtures)


@pytest.fixture
def textile_editor(member):
    return member("sector_editor", sector="textile", username="textile-editor")


@pytest.fixture
def banking_editor(member):
    return member("sector_editor", sector="banks", username="banking-editor")


@pytest.fixture
def textile_unsigned(db):
    """The reference data already records textile's signing (4 July 2016) and its end; take
    both back (as retracted: no longer current, still in what was known before), so that
    textile stands in negotiation without an agreement, as on 1 July 2016."""
    now = timezone.now()
    PhaseRecord.objects.current().filter(
        trajectory__slug="textile", phase__in=["signed", "ended"]
    ).update(superseded_at=now)
    Agreement.objects.current().filter(trajectory__slug="textile").update(superseded_at=now)
    return now


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Test users are made by the dozen: hash their passwords cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
