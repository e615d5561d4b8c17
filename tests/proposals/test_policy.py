"""Who proposes and who approves (imvo.accounts.policy): four eyes for everybody."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from imvo.accounts.policy import (
    access_forget,
    approvable_trajectories,
    can_approve,
    can_propose,
    can_view_proposal,
    can_withdraw,
)
from imvo.accounts.roles import EDITOR, roles_ensure
from imvo.proposals.models import Proposal
from imvo.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db


def proposal(slug: str, by) -> Proposal:
    """An unsaved pending proposal (the policy reads only its trajectory, proposer, status)."""
    return Proposal(
        trajectory=Trajectory.objects.get(slug=slug), proposed_by=by, kind="phase_change"
    )


@pytest.fixture
def users(member, make_user):
    return {
        "coordinator": member("coordinator"),
        "ser": member("ser_secretariat", organisation="ser"),
        "textile_editor": member("sector_editor", sector="textile"),
        "stakeholder": member("stakeholder"),
        "no_role": make_user("nobody"),
        "superuser": make_user("root", is_superuser=True),
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize(
    ("role", "textile", "gold"),
    [
        ("coordinator", True, True),
        ("superuser", True, True),
        ("ser", True, False),  # the SER convenes textile, not gold
        ("textile_editor", True, False),
        ("stakeholder", False, False),
        ("no_role", False, False),
        ("anonymous", False, False),
    ],
)
def test_who_proposes(users, role, textile, gold):
    user = users[role]
    assert can_propose(user, Trajectory.objects.get(slug="textile")) is textile
    assert can_propose(user, Trajectory.objects.get(slug="gold")) is gold


@pytest.mark.parametrize(
    ("role", "textile", "gold"),
    [
        ("coordinator", True, True),
        ("superuser", True, True),
        ("ser", True, False),
        ("textile_editor", False, False),  # sector editors never approve
        ("stakeholder", False, False),
        ("no_role", False, False),
        ("anonymous", False, False),
    ],
)
def test_who_approves_someone_elses_proposal(users, member, role, textile, gold):
    proposer = member("coordinator", username="proposer")
    user = users[role]
    assert can_approve(user, proposal("textile", proposer)) is textile
    assert can_approve(user, proposal("gold", proposer)) is gold


def test_nobody_approves_their_own_and_only_pending_proposals(users):
    for role in ("coordinator", "ser", "superuser"):
        own = proposal("textile", users[role])
        assert not can_approve(users[role], own), role
        assert can_withdraw(users[role], own)
    decided = proposal("textile", users["textile_editor"])
    decided.status = "approved"
    assert not can_approve(users["coordinator"], decided)
    assert not can_withdraw(users["textile_editor"], decided)
    assert not can_withdraw(users["coordinator"], proposal("textile", users["textile_editor"]))


def test_legacy_editor_group_approves_as_a_coordinator(make_user, member):
    roles_ensure()
    redacteur = make_user("redacteur")
    redacteur.groups.add(Group.objects.get(name=EDITOR))
    access_forget(redacteur)
    assert approvable_trajectories(redacteur) is None
    assert can_approve(redacteur, proposal("gold", member("coordinator", username="p")))


def test_proposals_are_seen_by_the_trajectorys_editors_and_approvers(users, member):
    gold_editor = member("sector_editor", trajectory="gold")
    textile_proposal = proposal("textile", gold_editor)
    assert can_view_proposal(gold_editor, textile_proposal)  # their own
    other = proposal("textile", users["coordinator"])
    assert can_view_proposal(users["textile_editor"], other)
    assert can_view_proposal(users["ser"], other)
    assert not can_view_proposal(gold_editor, other)
    assert not can_view_proposal(users["stakeholder"], other)
    assert not can_view_proposal(users["anonymous"], other)


def test_the_approval_scope_is_computed_once(users, django_assert_num_queries):
    ser = users["ser"]
    access_forget(ser)
    approvable_trajectories(ser)
    proposals = [proposal(slug, users["coordinator"]) for slug in ("textile", "gold", "banking")]
    for p in proposals:  # load the trajectories before counting
        p.trajectory_id  # noqa: B018
    with django_assert_num_queries(0):
        assert [can_approve(ser, p) for p in proposals] == [True, False, True]
