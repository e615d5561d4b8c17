"""The done-when flow of issue #10 with the test client (a browser test comes later): a
textile sector editor records 'negotiation → signed' on 4 July 2016 with a new source; the
overview and `imvo status` still say negotiation; the SER secretariat approves; both say
signed, the target counts it, and `imvo audit` shows the proposal and the approval with
who, when and why."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from imvo.agreements.selectors import target_progress
from imvo.organisations.models import Organisation
from imvo.proposals.models import Proposal
from imvo.proposals.selectors import phase_history_version
from imvo.trajectories.models import Trajectory
from tests.conftest import login_verified
from tests.proposals.conftest import *  # noqa: F403  (role fixtures, textile_unsigned)

pytestmark = pytest.mark.django_db


def board(client) -> dict[str, str]:
    """Each phase group of the overview (/) with the text of its trajectories."""
    html = client.get(reverse("public:overview")).content.decode()
    groups = re.findall(r'<section class="phase phase-(\w+)"(.*?)</section>', html, re.S)
    return dict(groups)


def phase_on_board(client, name: str) -> str:
    found = [phase for phase, body in board(client).items() if name in body]
    assert len(found) == 1, found
    return found[0]


def signed_group_count(client) -> int:
    body = board(client)["signed"]
    return int(re.search(r'<span class="count">\((\d+)\)</span>', body).group(1))


def status_of(slug: str) -> str:
    out = io.StringIO()
    call_command("status", "--format", "csv", stdout=out)
    return {row["trajectory"]: row["phase"] for row in csv.DictReader(io.StringIO(out.getvalue()))}[
        slug
    ]


def counted() -> int:
    return target_progress(as_of=timezone.localdate())[0].achieved


def audit_rows() -> list[dict[str, str]]:
    out = io.StringIO()
    call_command("audit", "--format", "csv", "--limit", "500", stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_a_textile_signing_is_public_only_after_the_ser_secretariat_approves_it(
    client, textile_unsigned, member, ser_secretariat
):
    editor = member("sector_editor", sector="textile", username="editor-textiel")
    textile = Trajectory.objects.get(slug="textile")
    assert phase_on_board(client, "Textiel en kleding") == "negotiation"
    signed_before, counted_before = signed_group_count(client), counted()

    login_verified(client, editor)
    response = client.post(
        reverse("editors:phase_change", args=["textile"]),
        {
            "phase": "signed",
            "valid_from": "2016-07-04",
            "valid_from_precision": "day",
            "date_basis": "start",
            "source_choice": "new",
            "new_source_title": "Convenant Duurzame Kleding en Textiel ondertekend",
            "new_source_reference": "Kamerstuk 26 485, nr. 222",
            "new_source_date": "2016-07-05",
            "new_source_kind": "letter_to_parliament",
            "new_source_url": "https://www.tweedekamer.nl/",
            "agreement_title_nl": "Convenant Duurzame Kleding en Textiel",
            "agreement_kind": "imvo_covenant",
            "agreement_parties": [
                str(o.pk)
                for o in Organisation.objects.filter(key__in=["inretail", "modint", "vgt", "fnv"])
            ],
            "reason": "Convenant op 4 juli 2016 ondertekend",
            "based_on": phase_history_version(textile),
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    client.logout()

    # pending: the public overview and `imvo status` still show negotiation
    assert phase_on_board(client, "Textiel en kleding") == "negotiation"
    assert status_of("textile") == "negotiation"
    assert counted() == counted_before

    login_verified(client, ser_secretariat)
    detail = client.get(reverse("editors:proposal", args=[proposal.pk]))
    assert detail.status_code == 200 and "Goedkeuren" in detail.content.decode()
    response = client.post(
        reverse("editors:proposal", args=[proposal.pk]),
        {"decision": "approve", "decision_reason": "Gecontroleerd met het Kamerstuk"},
    )
    assert response.status_code == 302
    client.logout()

    # approved: the overview, `imvo status` and the target agree
    assert phase_on_board(client, "Textiel en kleding") == "signed"
    assert status_of("textile") == "signed"
    assert signed_group_count(client) - signed_before == 1
    assert counted() - counted_before == 1

    rows = audit_rows()
    proposed = [r for r in rows if r["model"] == "proposals.proposal" and r["action"] == "created"]
    assert [(r["who"], r["reason"]) for r in proposed] == [
        ("editor-textiel", "Convenant op 4 juli 2016 ondertekend")
    ]
    decided = [
        r
        for r in rows
        if r["model"] == "proposals.proposal" and r["field"] == "status" and r["new"] == "approved"
    ]
    assert [(r["who"], r["old"], r["reason"]) for r in decided] == [
        ("ser_secretariat-ser", "pending", "Gecontroleerd met het Kamerstuk")
    ]
    written = {
        r["model"]
        for r in rows
        if r["who"] == "ser_secretariat-ser"
        and r["reason"]
        == "Convenant op 4 juli 2016 ondertekend — goedgekeurd door ser_secretariat-ser: "
        "Gecontroleerd met het Kamerstuk"
    }
    assert {
        "trajectories.phaserecord",
        "agreements.agreement",
        "trajectories.participation",
        "sources.source",
    } <= written
    assert all(r["when"] for r in proposed + decided)
