"""Four eyes: a proposal writes nothing until another person approves it, through the domain
services, with who/when/why in the audit trail; signing is one step; stale versions are
refused with what changed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from imvo.agreements.models import Agreement
from imvo.agreements.selectors import target_progress
from imvo.agreements.services import agreement_delete
from imvo.core.audit import Actor, audit_entries
from imvo.core.errors import ImvoError
from imvo.organisations.models import Organisation
from imvo.proposals.models import Proposal
from imvo.proposals.selectors import (
    phase_history_version,
    proposal_diff,
    proposal_page,
    record_version,
)
from imvo.proposals.services import (
    NotAllowed,
    StaleRecord,
    proposal_approve,
    proposal_reject,
    proposal_submit,
    proposal_withdraw,
)
from imvo.sources.models import Source
from imvo.trajectories.models import Participation, PhaseRecord, Trajectory
from imvo.trajectories.selectors import phase_overview, trajectory_states
from imvo.trajectories.services import phase_record_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Labels in English here (the stored audit reasons stay in the installation's Dutch)."""
    from django.utils import translation

    with translation.override("en"):
        yield


SIGNING_DAY = dt.date(2016, 7, 4)
AFTER = dt.date(2016, 7, 10)


def textile() -> Trajectory:
    return Trajectory.objects.get(slug="textile")


def signing_payload(**agreement) -> dict:
    parties = list(
        Organisation.objects.filter(key__in=["inretail", "modint", "vgt", "fnv"]).values_list(
            "pk", flat=True
        )
    )
    return {
        "phase": "signed",
        "valid_from": SIGNING_DAY.isoformat(),
        "valid_from_precision": "day",
        "date_basis": "start",
        "new_source": {
            "title": "Convenant Duurzame Kleding en Textiel ondertekend",
            "reference": "Kamerstuk 26 485, nr. 222",
            "date": "2016-07-05",
            "date_precision": "day",
            "url": "https://example.org/textiel",
        },
        "agreement": {
            "title_nl": "Convenant Duurzame Kleding en Textiel",
            "kind": "imvo_covenant",
            "parties": parties,
            **agreement,
        },
    }


def submit_signing(user, **agreement) -> Proposal:
    return proposal_submit(
        trajectory=textile(),
        kind=Proposal.Kind.AGREEMENT_SIGN,
        payload=signing_payload(**agreement),
        based_on=phase_history_version(textile()),
        actor=Actor("Ondertekend op 4 juli 2016", user),
    )


def counts() -> dict[str, int]:
    return {
        "phases": PhaseRecord.objects.count(),
        "agreements": Agreement.objects.count(),
        "participations": Participation.objects.count(),
        "sources": Source.objects.count(),
    }


def textile_phase(as_of: dt.date = AFTER) -> str:
    (state,) = trajectory_states(as_of=as_of, slugs=["textile"])
    return state.phase


def status_csv(as_of: dt.date) -> dict[str, str]:
    out = io.StringIO()
    call_command("status", "--format", "csv", "--as-of", as_of.isoformat(), stdout=out)
    rows = [line.split(",") for line in out.getvalue().splitlines()[1:]]
    return {row[0]: row[1] for row in rows}


def target_count(as_of: dt.date) -> int:
    return target_progress(as_of=as_of)[0].achieved


def test_a_pending_proposal_writes_nothing_to_the_domain(textile_unsigned, textile_editor):
    before = counts()
    proposal = submit_signing(textile_editor)
    assert proposal.status == Proposal.Status.PENDING
    assert counts() == before
    assert textile_phase() == "negotiation"
    assert status_csv(AFTER)["textile"] == "negotiation"
    entry = audit_entries(proposal)[-1]
    assert (entry.action, entry.who, entry.reason) == (
        "created",
        "textile-editor",
        "Ondertekend op 4 juli 2016",
    )


def test_approving_a_signing_writes_phase_agreement_parties_and_source_in_one_step(
    textile_unsigned, textile_editor, ser_secretariat
):
    signed_before = len(next(g for g in phase_overview(as_of=AFTER) if g.phase == "signed").states)
    counted_before = target_count(AFTER)
    before = counts()
    proposal = submit_signing(textile_editor)
    approved = proposal_approve(
        proposal=proposal, actor=Actor("Klopt, zie Kamerstuk", ser_secretariat)
    )
    assert approved.status == Proposal.Status.APPROVED
    assert approved.decided_by == ser_secretariat
    after = counts()
    assert after["phases"] == before["phases"] + 1
    assert after["agreements"] == before["agreements"] + 1
    assert after["sources"] == before["sources"] + 1
    assert after["participations"] == before["participations"] + 4  # none was a party yet
    assert textile_phase() == "signed" and status_csv(AFTER)["textile"] == "signed"
    # the board and the target move together
    signed_after = len(next(g for g in phase_overview(as_of=AFTER) if g.phase == "signed").states)
    assert signed_after - signed_before == 1
    assert target_count(AFTER) - counted_before == 1
    agreement = Agreement.objects.current().get(trajectory__slug="textile")
    assert agreement.signed == SIGNING_DAY and agreement.key == "textile-2016-2"  # generated
    assert {o.key for o in agreement.parties.all()} == {"inretail", "modint", "vgt", "fnv"}
    assert agreement.source.reference == "Kamerstuk 26 485, nr. 222"
    record = PhaseRecord.objects.get(pk=approved.applied["trajectories.phaserecord"][0])
    assert record.key.startswith("textile-signed-2016-07-04")
    reason = audit_entries(record)[0].reason
    assert reason == (
        "Ondertekend op 4 juli 2016 — goedgekeurd door ser_secretariat-ser: Klopt, zie Kamerstuk"
    )
    assert audit_entries(record)[0].who == "ser_secretariat-ser"
    assert audit_entries(agreement)[0].reason == reason


def test_every_trajectory_on_the_board_as_signed_has_its_agreement_after_an_approval(
    textile_unsigned, textile_editor, ser_secretariat
):
    proposal_approve(proposal=submit_signing(textile_editor), actor=Actor("ok", ser_secretariat))
    for as_of in (AFTER, dt.date(2019, 12, 31)):
        signed = {
            s.slug for g in phase_overview(as_of=as_of) if g.phase == "signed" for s in g.states
        }
        with_agreement = {
            a.trajectory.slug
            for a in Agreement.objects.current().select_related("trajectory")
            if a.trajectory and a.signed <= as_of and not (a.ended and a.ended <= as_of)
        }
        assert signed <= with_agreement, signed - with_agreement


def test_linking_an_existing_agreement_adds_no_second_one(textile_editor, ser_secretariat, db):
    # on the reference data textile's agreement exists; a corrected signing links it
    existing = Agreement.objects.current().get(trajectory__slug="textile")
    PhaseRecord.objects.current().filter(trajectory__slug="textile", phase="signed").update(
        superseded_at=existing.recorded_at.replace(year=2030)
    )
    before = Agreement.objects.count()
    proposal = proposal_submit(
        trajectory=textile(),
        kind=Proposal.Kind.AGREEMENT_SIGN,
        payload={**signing_payload(), "agreement": {"id": existing.pk}},
        actor=Actor("opnieuw", textile_editor),
    )
    proposal_approve(proposal=proposal, actor=Actor("ok", ser_secretariat))
    assert Agreement.objects.count() == before


def test_a_signed_phase_without_its_agreement_is_refused_for_a_person(
    textile_unsigned, coordinator
):
    values = {"phase": "signed", "valid_from": SIGNING_DAY, "source": textile().source}
    with pytest.raises(ValidationError, match="without its agreement"):
        phase_record_create(
            trajectory=textile(),
            key="textile-signed-x",
            values=values,
            actor=Actor("x", coordinator),
        )
    with pytest.raises(ImvoError, match="needs its agreement"):
        proposal_submit(
            trajectory=textile(),
            kind=Proposal.Kind.AGREEMENT_SIGN,
            payload={k: v for k, v in signing_payload().items() if k != "agreement"},
            actor=Actor("x", coordinator),
        )
    assert textile_phase() == "negotiation"


def test_retracting_the_agreement_of_a_signed_trajectory_is_refused(coordinator):
    agreement = Agreement.objects.current().get(trajectory__slug="banking")
    with pytest.raises(ValidationError, match="without its agreement"):
        agreement_delete(agreement=agreement, actor=Actor("weg", coordinator))
    assert Agreement.objects.current().filter(pk=agreement.pk).exists()


def test_the_reference_data_has_an_agreement_for_every_signed_phase():
    from imvo.trajectories.services import signing_agreement

    for record in PhaseRecord.objects.current().filter(phase="signed").select_related("trajectory"):
        assert signing_agreement(
            trajectory=record.trajectory,
            valid_from=record.valid_from,
            precision=record.valid_from_precision,
        ), record


def test_nobody_approves_their_own_proposal_not_even_a_coordinator(
    textile_unsigned, coordinator, member
):
    proposal = submit_signing(coordinator)
    with pytest.raises(NotAllowed, match="own proposal"):
        proposal_approve(proposal=proposal, actor=Actor("ok", coordinator))
    with pytest.raises(NotAllowed):
        proposal_reject(proposal=proposal, actor=Actor("nee", coordinator))
    other = member("coordinator", username="second-coordinator")
    assert proposal_approve(proposal=proposal, actor=Actor("ok", other)).status == "approved"


def test_sector_editors_and_other_secretariats_do_not_approve(
    textile_unsigned, textile_editor, member
):
    proposal = submit_signing(textile_editor)
    other_editor = member("sector_editor", trajectory="textile", username="other-editor")
    with pytest.raises(NotAllowed):
        proposal_approve(proposal=proposal, actor=Actor("ok", other_editor))
    mvo = member("ser_secretariat", organisation="mvo-nederland")  # convenes no textile
    with pytest.raises(NotAllowed):
        proposal_approve(proposal=proposal, actor=Actor("ok", mvo))
    assert Proposal.objects.get(pk=proposal.pk).status == "pending"
    assert textile_phase() == "negotiation"


def test_only_editors_of_the_trajectory_propose(textile_unsigned, banking_editor, stakeholder):
    for user in (banking_editor, stakeholder):
        with pytest.raises(NotAllowed):
            submit_signing(user)
    assert not Proposal.objects.exists()


def test_reject_and_withdraw_write_nothing_and_keep_who_and_why(
    textile_unsigned, textile_editor, ser_secretariat
):
    before = counts()
    rejected = proposal_reject(
        proposal=submit_signing(textile_editor), actor=Actor("Bron klopt niet", ser_secretariat)
    )
    assert (rejected.status, rejected.decision_reason) == ("rejected", "Bron klopt niet")
    withdrawn = submit_signing(textile_editor)
    with pytest.raises(NotAllowed):
        proposal_withdraw(proposal=withdrawn, actor=Actor("mag niet", ser_secretariat))
    withdrawn = proposal_withdraw(proposal=withdrawn, actor=Actor("dubbel", textile_editor))
    assert withdrawn.status == "withdrawn"
    with pytest.raises(ImvoError, match="already decided"):
        proposal_approve(proposal=withdrawn, actor=Actor("ok", ser_secretariat))
    assert counts() == before
    last = audit_entries(rejected)[-1]
    assert (last.who, last.reason) == ("ser_secretariat-ser", "Bron klopt niet")
    assert any(c.field == "status" and c.new == "rejected" for c in last.changes)


def test_a_reason_is_required(textile_unsigned, textile_editor, ser_secretariat):
    with pytest.raises(ImvoError, match="reason"):
        proposal_submit(
            trajectory=textile(),
            kind=Proposal.Kind.AGREEMENT_SIGN,
            payload=signing_payload(),
            actor=Actor("  ", textile_editor),
        )
    proposal = submit_signing(textile_editor)
    with pytest.raises(ImvoError, match="reason"):
        proposal_approve(proposal=proposal, actor=Actor("", ser_secretariat))


def correction(user, record: PhaseRecord, phase: str, based_on: str | None = None) -> Proposal:
    return proposal_submit(
        trajectory=record.trajectory,
        kind=Proposal.Kind.RECORD_CORRECTION,
        payload={"values": {"phase": phase}},
        record=record,
        based_on=based_on if based_on is not None else record_version(record),
        actor=Actor(f"fase is {phase}", user),
    )


def test_a_second_correction_of_the_same_version_is_stale_and_says_what_changed(
    textile_editor, member, ser_secretariat
):
    record = PhaseRecord.objects.current().get(key="textile-negotiation")
    first = correction(textile_editor, record, "dialogue")
    second_editor = member("sector_editor", trajectory="textile", username="second-editor")
    second = correction(second_editor, record, "exploration")
    proposal_approve(proposal=first, actor=Actor("ok", ser_secretariat))
    with pytest.raises(StaleRecord) as refused:
        proposal_approve(proposal=second, actor=Actor("ok", ser_secretariat))
    (change,) = refused.value.changes
    assert (change.field, change.old, change.new, change.who) == (
        "phase",
        "negotiation",
        "multi-stakeholder dialogue",
        "ser_secretariat-ser",
    )
    assert "negotiation → multi-stakeholder dialogue" in refused.value.message
    assert Proposal.objects.get(pk=second.pk).status == "stale"
    current = PhaseRecord.objects.current().get(key="textile-negotiation")
    assert current.phase == "dialogue"  # nothing overwritten by the second
    assert current.supersedes_id == record.pk
    page = proposal_page(pk=second.pk)
    assert page.proposal.status == "stale"


def test_submitting_against_a_stale_version_is_refused(textile_editor, ser_secretariat):
    record = PhaseRecord.objects.current().get(key="textile-negotiation")
    seen = record_version(record)
    proposal_approve(
        proposal=correction(textile_editor, record, "dialogue"), actor=Actor("ok", ser_secretariat)
    )
    before = Proposal.objects.count()
    with pytest.raises(StaleRecord):
        correction(textile_editor, record, "exploration", based_on=seen)
    assert Proposal.objects.count() == before


def test_six_racing_corrections_of_one_record_give_one_change_and_five_stale_messages(
    textile_editor, member, ser_secretariat, coordinator
):
    """Six sessions open the same record and propose; approvers approve all six in turn."""
    record = PhaseRecord.objects.current().get(key="textile-negotiation")
    version = record_version(record)
    editors = [textile_editor] + [
        member("sector_editor", trajectory="textile", username=f"racer-{n}") for n in range(5)
    ]
    phases = ["dialogue", "exploration", "no_initiative", "dialogue", "exploration", "stopped"]
    proposals = [
        correction(editor, record, phase, version)
        for editor, phase in zip(editors, phases, strict=True)
    ]
    outcomes = []
    for n, proposal in enumerate(proposals):
        approver = ser_secretariat if n % 2 else coordinator
        try:
            proposal_approve(proposal=proposal, actor=Actor("ok", approver))
            outcomes.append("approved")
        except StaleRecord as exc:
            assert exc.changes and exc.status == 409
            outcomes.append("stale")
    assert outcomes == ["approved"] + ["stale"] * 5
    assert PhaseRecord.objects.current().get(key="textile-negotiation").phase == "dialogue"
    assert PhaseRecord.objects.filter(key="textile-negotiation").count() == 2


def test_a_phase_change_based_on_an_old_phase_history_is_stale(
    textile_unsigned, textile_editor, coordinator, ser_secretariat
):
    first = submit_signing(textile_editor)
    second = submit_signing(coordinator)
    proposal_approve(proposal=first, actor=Actor("ok", ser_secretariat))
    with pytest.raises(StaleRecord) as refused:
        proposal_approve(proposal=second, actor=Actor("ok", ser_secretariat))
    assert any("signed" in c.new.lower() for c in refused.value.changes)
    assert Agreement.objects.current().filter(trajectory__slug="textile").count() == 1


def test_the_diff_shows_current_and_proposed_values(textile_unsigned, textile_editor):
    rows = proposal_diff(submit_signing(textile_editor))
    phase = next(r for r in rows if r.label == "phase")
    assert (phase.current, phase.proposed) == ("negotiation", "signed")
    assert any(r.group == "new source" and r.proposed == "Kamerstuk 26 485, nr. 222" for r in rows)
    assert any(r.group == "agreement" and "Inretail" in r.proposed for r in rows)


def test_an_event_is_planned_and_its_outcome_recorded(textile_editor, ser_secretariat):
    from imvo.trajectories.models import Event

    fnv = Organisation.objects.get(key="fnv")
    plan = proposal_submit(
        trajectory=textile(),
        kind=Proposal.Kind.EVENT_PLAN,
        payload={
            "title_nl": "Rondetafel textiel",
            "kind": "roundtable",
            "date": "2026-03-01",
            "date_precision": "day",
            "source": textile().source_id,
            "organisations": [fnv.pk],
        },
        actor=Actor("gepland", textile_editor),
    )
    assert not Event.objects.filter(title_nl="Rondetafel textiel").exists()
    proposal_approve(proposal=plan, actor=Actor("ok", ser_secretariat))
    event = Event.objects.current().get(title_nl="Rondetafel textiel")
    assert event.status == "planned" and event.key.startswith("textile-rondetafel-textiel")
    outcome = proposal_submit(
        trajectory=textile(),
        kind=Proposal.Kind.EVENT_OUTCOME,
        payload={
            "status": "held",
            "description_nl": "Twintig deelnemers",
            "organisations": [fnv.pk],
        },
        record=event,
        based_on=record_version(event),
        actor=Actor("gehouden", textile_editor),
    )
    proposal_approve(proposal=outcome, actor=Actor("ok", ser_secretariat))
    held = Event.objects.current().get(key=event.key)
    assert (held.status, held.description_nl, held.supersedes_id) == (
        "held",
        "Twintig deelnemers",
        event.pk,
    )


def test_a_participation_is_added_and_ended(textile_editor, ser_secretariat):
    oxfam = Organisation.objects.get(key="oxfam-novib")
    add = proposal_submit(
        trajectory=textile(),
        kind=Proposal.Kind.PARTICIPATION_ADD,
        payload={
            "organisation": oxfam.pk,
            "role": "stakeholder",
            "valid_from": "2016-01-01",
            "valid_from_precision": "month",
            "source": textile().source_id,
        },
        actor=Actor("doet mee", textile_editor),
    )
    proposal_approve(proposal=add, actor=Actor("ok", ser_secretariat))
    joined = Participation.objects.current().get(trajectory__slug="textile", organisation=oxfam)
    end = proposal_submit(
        trajectory=textile(),
        kind=Proposal.Kind.PARTICIPATION_END,
        payload={"valid_until": "2018-12-31", "valid_until_precision": "day"},
        record=joined,
        based_on=record_version(joined),
        actor=Actor("gestopt", textile_editor),
    )
    proposal_approve(proposal=end, actor=Actor("ok", ser_secretariat))
    ended = Participation.objects.current().get(trajectory__slug="textile", organisation=oxfam)
    assert ended.valid_until == dt.date(2018, 12, 31) and ended.supersedes_id == joined.pk


def test_an_invalid_change_is_refused_when_submitted_not_when_approved(textile_editor):
    with pytest.raises(ImvoError) as refused:
        proposal_submit(
            trajectory=textile(),
            kind=Proposal.Kind.PARTICIPATION_ADD,
            payload={
                "organisation": Organisation.objects.get(key="oxfam-novib").pk,
                "role": "no-such-role",
                "valid_from": "2016-01-01",
                "source": textile().source_id,
            },
            actor=Actor("x", textile_editor),
        )
    assert refused.value.problems
    assert not Proposal.objects.exists()
