"""Scope: every role × action (open the form, submit it, approve a proposal) on two
trajectories: textile (convened by the SER) and gold (convened by nobody)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from imvo.core.audit import Actor
from imvo.proposals.models import Proposal
from imvo.proposals.selectors import phase_history_version
from imvo.proposals.services import proposal_submit
from imvo.trajectories.models import Trajectory
from tests.conftest import login_verified
from tests.proposals.conftest import *  # noqa: F403  (role fixtures)

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "no_role",
    "stakeholder",
    "textile_editor",
    "gold_editor",
    "ser",
    "coordinator",
)
TRAJECTORIES = ("textile", "gold")

#: Who may open and submit a trajectory's forms (propose), and who approves its proposals.
PROPOSES = {
    "textile": {"textile_editor", "ser", "coordinator"},
    "gold": {"gold_editor", "coordinator"},
}
APPROVES = {"textile": {"ser", "coordinator"}, "gold": {"coordinator"}}


@pytest.fixture
def user_of(member, make_user):
    def make(role: str):
        return {
            "anonymous": AnonymousUser,
            "no_role": lambda: make_user("nobody"),
            "stakeholder": lambda: member("stakeholder"),
            "textile_editor": lambda: member("sector_editor", sector="textile"),
            "gold_editor": lambda: member("sector_editor", trajectory="gold"),
            "ser": lambda: member("ser_secretariat", organisation="ser"),
            "coordinator": lambda: member("coordinator"),
        }[role]()

    return make


def client_of(client, user):
    if user.is_authenticated:
        login_verified(client, user)  # password and second factor
    return client


def phase_form(slug: str) -> dict:
    trajectory = Trajectory.objects.get(slug=slug)
    return {
        "phase": "negotiation",
        "valid_from": "2026-01-05",
        "valid_from_precision": "day",
        "date_basis": "observed",
        "source_choice": "existing",
        "source": str(trajectory.source_id),
        "reason": "Overleg hervat",
        "based_on": phase_history_version(trajectory),
    }


def expected(allowed: bool, role: str) -> int:
    if role == "anonymous":
        return 302  # to the sign-in page
    return 200 if allowed else 403


@pytest.mark.parametrize("slug", TRAJECTORIES)
@pytest.mark.parametrize("role", ROLES)
def test_view_form(client, user_of, role, slug):
    response = client_of(client, user_of(role)).get(reverse("editors:phase_change", args=[slug]))
    assert response.status_code == expected(role in PROPOSES[slug], role)


@pytest.mark.parametrize("slug", TRAJECTORIES)
@pytest.mark.parametrize("role", ROLES)
def test_submit(client, user_of, role, slug):
    response = client_of(client, user_of(role)).post(
        reverse("editors:phase_change", args=[slug]), phase_form(slug)
    )
    if role in PROPOSES[slug]:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Proposal.objects.get().trajectory.slug == slug
    else:
        assert response.status_code == expected(False, role)
        assert not Proposal.objects.exists()


@pytest.mark.parametrize("slug", TRAJECTORIES)
@pytest.mark.parametrize("role", ROLES)
def test_approve(client, member, user_of, role, slug):
    proposer = member("coordinator", username="proposer")
    trajectory = Trajectory.objects.get(slug=slug)
    payload = {k: v for k, v in phase_form(slug).items() if k not in ("reason", "based_on")}
    payload["source"] = int(payload.pop("source"))
    proposal = proposal_submit(
        trajectory=trajectory,
        kind="phase_change",
        payload=payload,
        based_on=phase_history_version(trajectory),
        actor=Actor("Overleg hervat", proposer),
    )
    response = client_of(client, user_of(role)).post(
        reverse("editors:proposal", args=[proposal.pk]),
        {"decision": "approve", "decision_reason": "akkoord"},
    )
    status = Proposal.objects.get(pk=proposal.pk).status
    if role in APPROVES[slug]:
        assert (response.status_code, status) == (302, "approved")
    else:
        assert response.status_code == expected(False, role)
        assert status == "pending"


def test_a_textile_editor_is_refused_bankings_forms_and_proposals(client, member):
    editor = member("sector_editor", sector="textile")
    banker = member("sector_editor", sector="banks")
    banking = Trajectory.objects.get(slug="banking")
    payload = {k: v for k, v in phase_form("banking").items() if k not in ("reason", "based_on")}
    payload["source"] = int(payload.pop("source"))
    proposal = proposal_submit(
        trajectory=banking, kind="phase_change", payload=payload, actor=Actor("x", banker)
    )
    login_verified(client, editor)
    url = reverse("editors:phase_change", args=["banking"])
    assert client.get(url).status_code == 403
    assert client.post(url, phase_form("banking")).status_code == 403
    assert client.get(reverse("editors:proposal", args=[proposal.pk])).status_code == 403
    queue = client.get(reverse("editors:proposals")).content.decode()
    assert reverse("editors:proposal", args=[proposal.pk]) not in queue
