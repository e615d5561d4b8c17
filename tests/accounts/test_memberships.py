"""Memberships: scope validation, audited services, the selector."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from imvo.accounts.models import Membership
from imvo.accounts.policy import can_edit, editable_trajectories
from imvo.accounts.selectors import memberships_of
from imvo.accounts.services import membership_create, membership_delete, membership_update
from imvo.core.audit import SYSTEM_USERNAME, Actor
from imvo.organisations.models import Organisation
from imvo.sectors.models import Sector
from imvo.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db

Role = Membership.Role


@pytest.fixture
def ser():
    return Organisation.objects.get(key="ser")


@pytest.fixture
def banks():
    return Sector.objects.get(slug="banks")


@pytest.fixture
def gold():
    return Trajectory.objects.get(slug="gold")


@pytest.fixture
def admin_user(make_user):
    return make_user("beheerder", is_staff=True)


def _errors(data, actor) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        membership_create(data=data, actor=actor)
    return raised.value.message_dict


@pytest.mark.parametrize(
    ("role", "scope", "field"),
    [
        (Role.SER_SECRETARIAT, {}, "organisation"),
        (Role.SER_SECRETARIAT, {"sector": "banks", "organisation": "ser"}, "sector"),
        (Role.SER_SECRETARIAT, {"trajectory": "gold", "organisation": "ser"}, "trajectory"),
        (Role.SECTOR_EDITOR, {}, "sector"),
        (Role.COORDINATOR, {"organisation": "ser"}, "organisation"),
        (Role.STAKEHOLDER, {"sector": "banks"}, "sector"),
        (Role.STAKEHOLDER, {"trajectory": "gold"}, "trajectory"),
    ],
)
def test_a_scope_that_does_not_fit_the_role_is_refused(make_user, role, scope, field):
    lookups = {
        "organisation": lambda v: Organisation.objects.get(key=v),
        "sector": lambda v: Sector.objects.get(slug=v),
        "trajectory": lambda v: Trajectory.objects.get(slug=v),
    }
    data = {"user": make_user("someone"), "role": role}
    data |= {name: lookups[name](value) for name, value in scope.items()}
    errors = _errors(data, Actor("test"))
    assert field in errors, errors
    assert not Membership.objects.filter(user=data["user"]).exists()


@pytest.mark.parametrize(
    "scope",
    [
        {"sector": "banks"},
        {"organisation": "nvb"},
        {"trajectory": "gold"},
        {"sector": "banks", "organisation": "nvb"},
    ],
)
def test_a_sector_editor_takes_any_of_sector_organisation_trajectory(make_user, scope):
    lookups = {
        "organisation": lambda v: Organisation.objects.get(key=v),
        "sector": lambda v: Sector.objects.get(slug=v),
        "trajectory": lambda v: Trajectory.objects.get(slug=v),
    }
    data = {"user": make_user("editor"), "role": Role.SECTOR_EDITOR}
    data |= {name: lookups[name](value) for name, value in scope.items()}
    membership = membership_create(data=data, actor=Actor("test"))
    assert membership.pk


def test_unknown_role_and_duplicates_are_refused(make_user, ser):
    user = make_user("someone")
    assert "role" in _errors({"user": user, "role": "minister"}, Actor("test"))
    data = {"user": user, "role": Role.SER_SECRETARIAT, "organisation": ser}
    membership_create(data=data, actor=Actor("test"))
    assert "__all__" in _errors(data, Actor("test"))
    with pytest.raises(TypeError):
        membership_create(data={**data, "colour": "red"}, actor=Actor("test"))


def test_the_database_refuses_a_scope_that_does_not_fit_too(make_user, ser):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=make_user("x"), role=Role.COORDINATOR, organisation=ser)


def test_services_write_audit_rows_with_who_and_why(make_user, admin_user, ser, banks):
    user = make_user("secretaris")
    actor = Actor("Nieuwe medewerker SER-secretariaat", admin_user)
    membership = membership_create(
        data={"user": user, "role": Role.SER_SECRETARIAT, "organisation": ser}, actor=actor
    )
    membership_update(
        membership=membership,
        data={"role": Role.SECTOR_EDITOR, "organisation": None, "sector": banks, "note": "banken"},
        actor=Actor("Overgestapt naar de bancaire sector", admin_user),
    )
    pk = membership.pk
    membership_delete(membership=membership, actor=Actor("Uit dienst"))

    rows = list(Membership.history.filter(id=pk).order_by("history_date", "history_id"))
    assert [r.history_type for r in rows] == ["+", "~", "-"]
    assert [r.history_change_reason for r in rows] == [
        "Nieuwe medewerker SER-secretariaat",
        "Overgestapt naar de bancaire sector",
        "Uit dienst",
    ]
    assert [r.history_user.username for r in rows] == ["beheerder", "beheerder", SYSTEM_USERNAME]
    assert (rows[0].role, rows[0].organisation_id) == (Role.SER_SECRETARIAT, ser.pk)
    assert (rows[1].role, rows[1].sector_id, rows[1].note) == (
        Role.SECTOR_EDITOR,
        banks.pk,
        "banken",
    )
    assert not Membership.objects.filter(pk=pk).exists()


def test_an_invalid_update_changes_nothing(make_user, ser):
    membership = membership_create(
        data={"user": make_user("x"), "role": Role.SER_SECRETARIAT, "organisation": ser},
        actor=Actor("test"),
    )
    with pytest.raises(ValidationError):
        membership_update(membership=membership, data={"organisation": None}, actor=Actor("oops"))
    membership.refresh_from_db()
    assert membership.organisation_id == ser.pk
    assert Membership.history.filter(id=membership.pk).count() == 1


def test_a_user_with_memberships_cannot_be_deleted(make_user, ser):
    user = make_user("x")
    membership_create(
        data={"user": user, "role": Role.SER_SECRETARIAT, "organisation": ser}, actor=Actor("t")
    )
    with pytest.raises(ProtectedError):
        user.delete()


def test_memberships_of_lists_a_users_roles_with_their_scope(
    make_user, ser, gold, django_assert_num_queries
):
    user = make_user("x")
    for data in (
        {"role": Role.SER_SECRETARIAT, "organisation": ser},
        {"role": Role.SECTOR_EDITOR, "trajectory": gold},
    ):
        membership_create(data={"user": user, **data}, actor=Actor("t"))
    membership_create(data={"user": make_user("y"), "role": Role.STAKEHOLDER}, actor=Actor("t"))
    with django_assert_num_queries(1):
        found = memberships_of(user=user)
        scopes = [m.scope_display for m in found]
    assert [m.role for m in found] == [Role.SECTOR_EDITOR, Role.SER_SECRETARIAT]
    assert scopes == [str(gold), str(ser)]
    assert str(found[1]) == f"x: {Role.SER_SECRETARIAT.label} ({ser})"


def test_a_new_membership_takes_effect_for_the_member(make_user, gold):
    user = make_user("x")
    assert not can_edit(user, gold)
    membership_create(
        data={"user": user, "role": Role.SECTOR_EDITOR, "trajectory": gold}, actor=Actor("t")
    )
    user.refresh_from_db()
    fresh = type(user).objects.get(pk=user.pk)
    assert can_edit(fresh, gold)
    assert editable_trajectories(fresh) == {gold.pk}
