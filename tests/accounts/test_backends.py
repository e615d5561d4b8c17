"""The policy as Django permissions, and memberships in the admin."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import override_settings

from imvo.accounts.models import Membership
from imvo.organisations.models import Organisation
from imvo.trajectories.models import PhaseRecord
from tests.conftest import login_verified

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("_policy_backend"),
]

Role = Membership.Role


@pytest.fixture
def _policy_backend():
    backends = [
        "django.contrib.auth.backends.ModelBackend",
        "imvo.accounts.backends.PolicyBackend",
    ]
    with override_settings(AUTHENTICATION_BACKENDS=backends):
        yield


def test_a_coordinator_needs_no_group(coordinator):
    assert coordinator.has_perm("sources.change_source")
    assert coordinator.has_perm("accounts.add_membership")
    assert coordinator.has_perm("trajectories.change_phaserecord")
    assert not coordinator.has_perm("trajectories.delete_phaserecord")
    assert coordinator.has_perm("trajectories.delete_event")
    assert not coordinator.has_perm("auth.change_user")
    assert coordinator.has_module_perms("sources")


def test_an_ser_secretariat_member_gets_the_permissions_of_its_scope(ser_secretariat):
    user = ser_secretariat
    assert user.has_perm("trajectories.change_phaserecord")
    assert user.has_perm("trajectories.add_phaserecord")
    assert user.has_perm("trajectories.change_trajectory")
    assert not user.has_perm("trajectories.add_trajectory")
    assert not user.has_perm("trajectories.delete_participation")
    assert not user.has_perm("sources.change_source")
    assert user.has_perm("sources.view_source")
    assert not user.has_perm("accounts.view_membership")
    textile = PhaseRecord.objects.filter(trajectory__slug="textile").first()
    gold = PhaseRecord.objects.filter(trajectory__slug="gold").first()
    assert user.has_perm("trajectories.change_phaserecord", textile)
    assert not user.has_perm("trajectories.change_phaserecord", gold)
    assert user.has_perm("trajectories.add_phaserecord", PhaseRecord(trajectory=textile.trajectory))
    assert not user.has_perm(
        "trajectories.add_phaserecord", PhaseRecord(trajectory=gold.trajectory)
    )


def test_a_stakeholder_views_and_changes_nothing(stakeholder):
    assert stakeholder.has_perm("trajectories.view_phaserecord")
    assert not stakeholder.has_perm("trajectories.change_phaserecord")
    assert not stakeholder.has_perm("trajectories.add_event")
    assert stakeholder.has_module_perms("trajectories")
    assert not stakeholder.has_module_perms("accounts")


def test_memberships_are_in_the_admin():
    model_admin = admin.site.get_model_admin(Membership)
    assert list(model_admin.list_display) == ["user", "role", "scope"]


def test_the_admin_writes_memberships_through_the_services(client, make_user):
    root = make_user("root", is_superuser=True, is_staff=True)
    member = make_user("nieuw")
    login_verified(client, root)  # the admin needs the second factor
    ser = Organisation.objects.get(key="ser")
    response = client.post(
        "/admin/accounts/membership/add/",
        {
            "user": member.pk,
            "role": Role.SER_SECRETARIAT,
            "organisation": ser.pk,
            "note": "",
            "change_reason": "Nieuw bij het SER-secretariaat",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=member)
    change = f"/admin/accounts/membership/{membership.pk}/change/"
    refused = client.post(
        change,
        {"user": member.pk, "role": Role.SECTOR_EDITOR, "change_reason": "geen scope"},
    )
    assert refused.status_code == 200  # the scope error is shown on the form
    response = client.post(
        change,
        {
            "user": member.pk,
            "role": Role.SECTOR_EDITOR,
            "organisation": ser.pk,
            "note": "",
            "change_reason": "Nu sectorredacteur",
        },
    )
    assert response.status_code == 302
    reasons = list(
        Membership.history.filter(id=membership.pk)
        .order_by("history_date")
        .values_list("history_change_reason", "history_user__username")
    )
    assert reasons == [("Nieuw bij het SER-secretariaat", "root"), ("Nu sectorredacteur", "root")]
