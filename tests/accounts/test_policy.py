"""Which real records each role may view, add, edit and delete."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from imvo.accounts.models import Membership
from imvo.accounts.policy import (
    access_forget,
    can_add,
    can_delete,
    can_edit,
    can_view,
    editable_trajectories,
)
from imvo.accounts.roles import EDITOR, READER, roles_ensure
from imvo.agreements.models import Agreement, Target
from imvo.initiatives.models import Initiative
from imvo.organisations.models import Organisation
from imvo.risks.models import Theme, ThemeAdvice
from imvo.sectors.models import Sector
from imvo.sources.models import Source
from imvo.trajectories.models import Event, GovernmentAction, Participation, PhaseRecord, Trajectory

pytestmark = pytest.mark.django_db

Role = Membership.Role


def trajectory(slug: str) -> Trajectory:
    return Trajectory.objects.get(slug=slug)


def phase_record(slug: str) -> PhaseRecord:
    return PhaseRecord.objects.filter(trajectory__slug=slug).first()


def participation(slug: str) -> Participation:
    return Participation.objects.current().filter(trajectory__slug=slug).first()


def event_of_only(slug: str) -> Event:
    """An event linked to this one trajectory only."""
    for event in (
        Event.objects.current().filter(trajectories__slug=slug).prefetch_related("trajectories")
    ):
        if [t.slug for t in event.trajectories.all()] == [slug]:
            return event
    raise AssertionError(f"no event of {slug} alone")


def programme_event() -> Event:
    event = Event.objects.current().filter(trajectories__isnull=True).first()
    assert event is not None, "the reference data holds events of the whole programme"
    return event


def programme_wide_records() -> list:
    return [
        Source.objects.first(),
        Sector.objects.get(slug="textile"),
        Organisation.objects.get(key="ser"),
        Initiative.objects.first(),
        Theme.objects.first(),
        ThemeAdvice.objects.first(),
        Target.objects.first(),
    ]


def every_kind_of_record() -> list:
    return [
        trajectory("textile"),
        phase_record("textile"),
        participation("textile"),
        event_of_only("textile"),
        GovernmentAction.objects.first(),
        Agreement.objects.first(),
        *programme_wide_records(),
    ]


def test_the_reference_data_has_what_these_tests_rely_on():
    assert trajectory("textile").participations.filter(organisation__key="ser", role="convenor")
    assert trajectory("banking").participations.filter(organisation__key="ser", role="convenor")
    assert not trajectory("gold").participations.filter(role="convenor").exists()
    assert Agreement.objects.current().get(trajectory__slug="coal")
    assert all(record is not None for record in every_kind_of_record())


def _convened_by_ser() -> set[str]:
    """Read from the reference file itself, not through the policy's own queries."""
    from imvo.reference.services import DEFAULT_DATA_DIR
    from imvo.reference.yamlfile import read_yaml

    return {
        record["slug"]
        for record in read_yaml(DEFAULT_DATA_DIR / "trajectories.yaml")
        for part in record.get("participants", [])
        if part["organisation"] == "ser" and part["role"] == "convenor"
    }


def test_ser_secretariat_edits_the_trajectories_the_ser_convenes(ser_secretariat):
    user = ser_secretariat
    convened = _convened_by_ser()
    assert {"textile", "banking"} <= convened and "wood" not in convened
    assert editable_trajectories(user) == {trajectory(slug).pk for slug in convened}
    assert not can_edit(user, trajectory("wood"))
    for slug in ("textile", "banking"):
        assert can_edit(user, trajectory(slug))
        assert can_edit(user, phase_record(slug))
        assert can_edit(user, participation(slug))
    assert can_edit(user, event_of_only("textile"))
    # the SER facilitates construction and wholesale, but convenes neither
    for slug in ("gold", "construction", "wholesale"):
        assert not can_edit(user, trajectory(slug))
        assert not can_edit(user, phase_record(slug))
    assert not can_edit(user, event_of_only("gold"))
    assert not can_edit(user, Agreement.objects.current().get(trajectory__slug="coal"))
    assert not can_edit(user, programme_event())
    assert not any(can_edit(user, record) for record in programme_wide_records())


def test_an_event_of_several_trajectories_is_editable_when_one_of_them_is_yours(ser_secretariat):
    shared = Event.objects.current().get(key="ser-workshops-2015-05")
    slugs = set(shared.trajectories.values_list("slug", flat=True))
    assert "textile" in slugs and "gold" not in slugs
    assert can_edit(ser_secretariat, shared)
    action = GovernmentAction.objects.current().filter(trajectories__slug="gold").first()
    assert not set(action.trajectories.values_list("slug", flat=True)) & {"textile", "banking"}
    assert not can_edit(ser_secretariat, action)


def test_sector_editor_of_a_sector_edits_that_sectors_trajectories(member):
    banks = member(Role.SECTOR_EDITOR, sector="banks")
    assert editable_trajectories(banks) == {trajectory("banking").pk}
    assert can_edit(banks, trajectory("banking"))
    assert can_edit(banks, phase_record("banking"))
    assert not can_edit(banks, trajectory("textile"))
    assert not can_edit(banks, phase_record("insurance"))


def test_sector_editor_of_a_parent_sector_edits_its_sub_sectors_trajectories(member):
    financial = member(Role.SECTOR_EDITOR, sector="financial")
    slugs = set(
        Trajectory.objects.filter(pk__in=editable_trajectories(financial)).values_list(
            "slug", flat=True
        )
    )
    assert slugs == {"banking", "insurance", "pension_funds", "gold"}
    energy = member(Role.SECTOR_EDITOR, sector="energy")
    assert can_edit(energy, Agreement.objects.current().get(trajectory__slug="coal"))
    assert not can_edit(financial, Agreement.objects.current().get(trajectory__slug="coal"))


def test_sector_editor_of_an_organisation_edits_the_trajectories_it_takes_part_in(member):
    fme = member(Role.SECTOR_EDITOR, organisation="fme")
    slugs = set(
        Trajectory.objects.filter(pk__in=editable_trajectories(fme)).values_list("slug", flat=True)
    )
    expected = set(
        Participation.objects.current()
        .filter(organisation__key="fme")
        .values_list("trajectory__slug", flat=True)
    )
    assert slugs == expected and "electronics" in slugs
    assert not can_edit(fme, trajectory("textile"))


def test_sector_editor_of_one_trajectory_edits_that_one(member):
    gold = member(Role.SECTOR_EDITOR, trajectory="gold")
    assert can_edit(gold, trajectory("gold"))
    assert can_edit(gold, phase_record("gold"))
    assert can_edit(gold, event_of_only("gold"))
    assert not can_edit(gold, trajectory("textile"))
    assert not can_edit(gold, Sector.objects.get(slug="jewellery"))


def test_coordinator_edits_and_deletes_everything_but_phase_records(coordinator):
    assert editable_trajectories(coordinator) is None
    for record in [*every_kind_of_record(), programme_event()]:
        assert can_edit(coordinator, record), record
        assert can_delete(coordinator, record) == (not isinstance(record, PhaseRecord)), record
    assert can_add(coordinator, Trajectory) and can_add(coordinator, Source)


@pytest.mark.parametrize("kind", ["stakeholder", "anonymous", "no role", "inactive"])
def test_stakeholders_anonymous_and_inactive_users_edit_nothing(kind, make_user, member):
    user = {
        "stakeholder": lambda: member(Role.STAKEHOLDER),
        "anonymous": AnonymousUser,
        "no role": lambda: make_user("nobody"),
        "inactive": lambda: _deactivated(member(Role.COORDINATOR)),
    }[kind]()
    assert editable_trajectories(user) == set()
    for record in every_kind_of_record():
        assert not can_edit(user, record), record
        assert not can_delete(user, record), record
        assert can_view(user, record), record  # published records are public
    assert not can_add(user, PhaseRecord)


def _deactivated(user):
    user.is_active = False
    user.save()
    access_forget(user)
    return user


def test_legacy_groups_map_to_coordinator_and_stakeholder(make_user):
    roles_ensure()
    redacteur = make_user("redacteur", is_staff=True)
    redacteur.groups.add(Group.objects.get(name=EDITOR))
    lezer = make_user("lezer", is_staff=True)
    lezer.groups.add(Group.objects.get(name=READER))
    assert editable_trajectories(redacteur) is None
    assert editable_trajectories(lezer) == set()
    for record in every_kind_of_record():
        assert can_edit(redacteur, record), record
        assert not can_edit(lezer, record), record
        assert can_view(lezer, record), record
    assert not can_delete(redacteur, phase_record("textile"))
    assert can_delete(redacteur, event_of_only("gold"))


def test_nobody_deletes_a_phase_record(make_user, coordinator, ser_secretariat):
    superuser = make_user("root", is_superuser=True, is_staff=True)
    record = phase_record("textile")
    for user in (superuser, coordinator, ser_secretariat):
        assert not can_delete(user, record)
    assert can_delete(superuser, trajectory("gold"))


def test_scoped_editors_edit_but_never_delete(ser_secretariat):
    assert can_edit(ser_secretariat, participation("textile"))
    assert not can_delete(ser_secretariat, participation("textile"))
    assert not can_delete(ser_secretariat, trajectory("textile"))


def test_scoped_editors_add_records_of_their_trajectories_not_trajectories(ser_secretariat, member):
    for model in (PhaseRecord, Participation, Event, GovernmentAction, Agreement):
        assert can_add(ser_secretariat, model), model
    assert not can_add(ser_secretariat, Trajectory)
    assert not can_add(ser_secretariat, Source)
    assert not can_add(ser_secretariat, Membership)
    # an unsaved record is checked with its trajectory filled in
    new = PhaseRecord(trajectory=trajectory("textile"))
    assert can_edit(ser_secretariat, new)
    assert not can_edit(ser_secretariat, PhaseRecord(trajectory=trajectory("gold")))
    # a sector editor whose scope holds no trajectory adds nothing
    empty = member(Role.SECTOR_EDITOR, organisation="kadaster")
    assert editable_trajectories(empty) == set()
    assert not can_add(empty, PhaseRecord)


def test_memberships_are_seen_by_coordinators_and_the_member(coordinator, ser_secretariat, member):
    other = member(Role.STAKEHOLDER)
    own = Membership.objects.get(user=ser_secretariat)
    assert can_view(ser_secretariat, own)
    assert can_view(coordinator, own)
    assert not can_view(other, own)
    assert not can_view(AnonymousUser(), own)
    assert not can_edit(ser_secretariat, own)
    assert can_edit(coordinator, own) and can_delete(coordinator, own)


def test_drafts_are_read_by_roles_not_by_the_public(stakeholder):
    draft = trajectory("textile")
    draft.is_published = False  # no model has drafts today; the policy is ready for them
    assert can_view(stakeholder, draft)
    assert not can_view(AnonymousUser(), draft)


def test_records_outside_the_programme_are_for_superusers_only(coordinator, make_user):
    superuser = make_user("root", is_superuser=True)
    assert not can_edit(coordinator, coordinator)
    assert not can_view(coordinator, Group(name="x"))
    assert can_edit(superuser, coordinator)


def test_access_is_computed_once_per_user_object(ser_secretariat, django_assert_num_queries):
    records = list(PhaseRecord.objects.all())
    events = list(Event.objects.prefetch_related("trajectories"))
    access_forget(ser_secretariat)
    editable_trajectories(ser_secretariat)  # computes and caches
    with django_assert_num_queries(0):
        editable = [r for r in records + events if can_edit(ser_secretariat, r)]
    assert {r.trajectory.slug for r in editable if isinstance(r, PhaseRecord)} == (
        _convened_by_ser()
    )


def test_the_computation_costs_a_few_queries_whatever_the_roles(
    member, django_assert_max_num_queries
):
    user = member(Role.SECTOR_EDITOR, sector="financial", username="many")
    for organisation in ("nvb", "fme"):
        Membership.objects.create(
            user=user,
            role=Role.SECTOR_EDITOR,
            organisation=Organisation.objects.get(key=organisation),
        )
    Membership.objects.create(
        user=user, role=Role.SER_SECRETARIAT, organisation=Organisation.objects.get(key="ser")
    )
    access_forget(user)
    with django_assert_max_num_queries(4):
        ids = editable_trajectories(user)
    assert trajectory("textile").pk in ids and trajectory("gold").pk in ids
