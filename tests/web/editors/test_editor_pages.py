"""The editors' pages: 'Mijn trajecten', the phase-change form, the queue and one proposal;
accessible forms that keep what was typed; a stale form is refused with what changed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from imvo.agreements.models import Agreement
from imvo.organisations.models import Organisation
from imvo.proposals.models import Proposal
from imvo.proposals.selectors import phase_history_version
from imvo.sources.models import Source
from imvo.trajectories.models import Event, PhaseRecord, Trajectory
from tests.conftest import login_verified
from tests.proposals.conftest import *  # noqa: F403  (role fixtures, textile_unsigned)

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    """Signed in with both steps (password, TOTP): the editors' pages need the second factor."""
    return login_verified(client, user)


def phase_url(slug: str = "textile") -> str:
    return reverse("editors:phase_change", args=[slug])


def signing_form(**extra) -> dict:
    textile = Trajectory.objects.get(slug="textile")
    parties = Organisation.objects.filter(key__in=["inretail", "modint", "vgt"])
    return {
        "phase": "signed",
        "valid_from": "2016-07-04",
        "valid_from_precision": "day",
        "date_basis": "start",
        "source_choice": "new",
        "new_source_title": "Convenant textiel ondertekend",
        "new_source_reference": "Kamerstuk 26 485, nr. 222",
        "new_source_date": "2016-07-05",
        "new_source_kind": "other",
        "new_source_url": "https://example.org/textiel",
        "agreement_title_nl": "Convenant Duurzame Kleding en Textiel",
        "agreement_kind": "imvo_covenant",
        "agreement_parties": [str(o.pk) for o in parties],
        "reason": "Ondertekend op 4 juli 2016",
        "based_on": phase_history_version(textile),
        **extra,
    }


def test_the_editors_pages_need_a_signed_in_user(client):
    for url in (reverse("editors:home"), phase_url(), reverse("editors:proposals")):
        response = client.get(url)
        assert response.status_code == 302 and "next=" in response["Location"], url


def test_home_lists_my_trajectories_and_what_needs_attention(client, textile_editor):
    response = signed_in(client, textile_editor).get(reverse("editors:home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Textiel en kleding" in text and "Bankensector" not in text
    assert phase_url() in text
    # the reference data was last updated long ago: textile needs an update
    assert "drie maanden" in text


def test_home_shows_a_planned_event_whose_date_passed(client, textile_editor, coordinator):
    from imvo.core.audit import Actor
    from imvo.trajectories.services import event_create

    textile = Trajectory.objects.get(slug="textile")
    event_create(
        data={
            "key": "textile-overdue",
            "status": "planned",
            "kind": "meeting",
            "title_nl": "Overleg dat al had moeten zijn",
            "date": "2020-01-15",
            "trajectories": [textile],
            "source": textile.source,
        },
        actor=Actor("test", coordinator),
    )
    text = signed_in(client, textile_editor).get(reverse("editors:home")).content.decode()
    assert "Overleg dat al had moeten zijn" in text


def test_the_phase_form_shows_sources_distinctly_history_and_asks_no_key(client, textile_editor):
    response = signed_in(client, textile_editor).get(phase_url())
    assert response.status_code == 200
    text = response.content.decode()
    source = Source.objects.exclude(reference="").exclude(date=None).first()
    assert escape(f"{source.title} — {source.reference} — {source.partial_date.iso()}") in text
    assert 'name="key"' not in text and 'name="agreement_key"' not in text
    assert "Geschiedenis van het record" in text  # the history of the phase records
    assert 'name="reason"' in text and 'name="based_on"' in text
    assert re.search(r'<label for="id_valid_from">', text)


def test_a_submitted_phase_change_is_a_proposal_and_nothing_public_changes(
    client, textile_unsigned, textile_editor
):
    phases, agreements = PhaseRecord.objects.count(), Agreement.objects.count()
    response = signed_in(client, textile_editor).post(phase_url(), signing_form())
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert response["Location"] == reverse("editors:proposal", args=[proposal.pk])
    assert (proposal.kind, proposal.status) == ("agreement_sign", "pending")
    assert proposal.payload["new_source"]["reference"] == "Kamerstuk 26 485, nr. 222"
    assert (PhaseRecord.objects.count(), Agreement.objects.count()) == (phases, agreements)
    page = client.get(response["Location"]).content.decode()
    assert "in afwachting van goedkeuring" in page
    public = client.get(reverse("public:trajectory", args=["textile"])).content.decode()
    assert "Convenant textiel ondertekend" not in public


def test_a_form_with_errors_keeps_what_was_typed_and_links_each_error(
    client, textile_unsigned, textile_editor
):
    data = signing_form(reason="", agreement_title_nl="", new_source_title="Mijn nieuwe bron")
    data["agreement_parties"] = []
    response = signed_in(client, textile_editor).post(phase_url(), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert 'id="error-summary"' in text
    assert 'href="#id_reason"' in text and 'href="#id_agreement_title_nl"' in text
    assert 'value="Mijn nieuwe bron"' in text  # kept
    assert 'value="Kamerstuk 26 485, nr. 222"' in text
    assert re.search(r'<textarea[^>]*aria-describedby="id_reason_helptext id_reason_error"', text)
    assert 'aria-invalid="true"' in text
    assert not Proposal.objects.exists()


def test_a_signing_without_agreement_is_explained_on_the_form(
    client, textile_unsigned, textile_editor
):
    data = signing_form(agreement_title_nl="")
    response = signed_in(client, textile_editor).post(phase_url(), data)
    assert response.status_code == 400
    assert "ondertekening" in response.content.decode().lower()


def test_a_stale_phase_form_is_refused_with_what_changed_and_keeps_the_input(
    client, textile_unsigned, textile_editor, coordinator, ser_secretariat
):
    old = signing_form()
    # someone else's signing is approved first
    signed_in(client, coordinator).post(phase_url(), signing_form(reason="eerst"))
    first = Proposal.objects.get()
    signed_in(client, ser_secretariat).post(
        reverse("editors:proposal", args=[first.pk]),
        {"decision": "approve", "decision_reason": "klopt"},
    )
    assert Proposal.objects.get().status == "approved"
    response = signed_in(client, textile_editor).post(phase_url(), old)
    assert response.status_code == 409
    text = response.content.decode()
    assert "Wat veranderde na de versie die u zag" in text
    assert "ser_secretariat-ser" in text
    assert 'value="Convenant Duurzame Kleding en Textiel"' in text
    assert Proposal.objects.count() == 1


def test_the_queue_shows_what_i_may_approve_and_the_detail_approves(
    client, textile_unsigned, textile_editor, ser_secretariat
):
    signed_in(client, textile_editor).post(phase_url(), signing_form())
    proposal = Proposal.objects.get()
    queue = signed_in(client, ser_secretariat).get(reverse("editors:proposals")).content.decode()
    assert reverse("editors:proposal", args=[proposal.pk]) in queue
    detail = client.get(reverse("editors:proposal", args=[proposal.pk])).content.decode()
    assert "Goedkeuren" in detail and "Afwijzen" in detail
    assert "onderhandeling" in detail and "ondertekend" in detail  # current → proposed
    response = client.post(
        reverse("editors:proposal", args=[proposal.pk]),
        {"decision": "approve", "decision_reason": ""},
    )
    assert response.status_code == 400 and 'href="#id_decision_reason"' in response.content.decode()
    response = client.post(
        reverse("editors:proposal", args=[proposal.pk]),
        {"decision": "approve", "decision_reason": "Klopt"},
    )
    assert response.status_code == 302
    assert Proposal.objects.get().status == "approved"
    assert PhaseRecord.objects.current().filter(trajectory__slug="textile", phase="signed").exists()


def test_the_proposer_sees_no_approve_button_and_may_withdraw(
    client, textile_unsigned, textile_editor
):
    signed_in(client, textile_editor).post(phase_url(), signing_form())
    proposal = Proposal.objects.get()
    url = reverse("editors:proposal", args=[proposal.pk])
    text = client.get(url).content.decode()
    assert "Goedkeuren" not in text and "Intrekken" in text
    assert client.post(url, {"decision": "approve", "decision_reason": "zelf"}).status_code == 403
    assert client.post(url, {"withdraw_reason": "dubbel"}).status_code == 302
    assert Proposal.objects.get().status == "withdrawn"


def test_an_event_planned_in_the_past_shows_on_home_only_while_planned(db):
    assert Event.objects.current().exists()


def approve_all(client, approver):
    login_verified(client, approver)
    for proposal in Proposal.objects.filter(status="pending"):
        detail = client.get(reverse("editors:proposal", args=[proposal.pk]))
        assert detail.status_code == 200 and "Goedkeuren" in detail.content.decode()
        response = client.post(
            reverse("editors:proposal", args=[proposal.pk]),
            {"decision": "approve", "decision_reason": "akkoord"},
        )
        assert response.status_code == 302


def test_the_trajectory_page_links_every_form(client, textile_editor):
    text = (
        signed_in(client, textile_editor)
        .get(reverse("editors:trajectory", args=["textile"]))
        .content.decode()
    )
    record = PhaseRecord.objects.current().get(key="textile-negotiation")
    assert reverse("editors:phase_correct", args=["textile", record.pk]) in text
    assert reverse("editors:event_plan", args=["textile"]) in text
    assert reverse("editors:participation_add", args=["textile"]) in text
    assert reverse("editors:progress_note", args=["textile"]) in text
    banking = reverse("editors:trajectory", args=["banking"])
    assert client.get(banking).status_code == 403


def test_plan_an_event_then_record_its_outcome(client, textile_editor, ser_secretariat):
    textile = Trajectory.objects.get(slug="textile")
    fnv = Organisation.objects.get(key="fnv")
    url = reverse("editors:event_plan", args=["textile"])
    assert signed_in(client, textile_editor).get(url).status_code == 200
    response = client.post(
        url,
        {
            "title_nl": "Rondetafel lonen",
            "event_kind": "roundtable",
            "date": "2026-03-01",
            "date_precision": "day",
            "organisations": [str(fnv.pk)],
            "source_choice": "existing",
            "source": str(textile.source_id),
            "reason": "Gepland in de stuurgroep",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Event.objects.filter(title_nl="Rondetafel lonen").exists()
    approve_all(client, ser_secretariat)
    event = Event.objects.current().get(title_nl="Rondetafel lonen")
    url = reverse("editors:event_outcome", args=["textile", event.pk])
    page = signed_in(client, textile_editor).get(url).content.decode()
    assert "Geschiedenis van het record" in page and "Gepland in de stuurgroep" in page
    response = client.post(
        url,
        {
            "status": "held",
            "date": "2026-03-02",
            "date_precision": "day",
            "organisations": [str(fnv.pk)],
            "description_nl": "Twintig deelnemers; afspraken over leefbaar loon.",
            "based_on": re.search(r'name="based_on" value="([^"]+)"', page).group(1),
            "reason": "Verslag ontvangen",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    approve_all(client, ser_secretariat)
    held = Event.objects.current().get(key=event.key)
    assert (held.status, held.date.isoformat()) == ("held", "2026-03-02")
    assert held.supersedes_id == event.pk  # a correction, nothing overwritten


def test_add_and_end_a_participation(client, textile_editor, ser_secretariat):
    textile = Trajectory.objects.get(slug="textile")
    oxfam = Organisation.objects.get(key="oxfam-novib")
    signed_in(client, textile_editor).post(
        reverse("editors:participation_add", args=["textile"]),
        {
            "organisation": str(oxfam.pk),
            "role": "stakeholder",
            "valid_from": "2016-01-01",
            "valid_from_precision": "month",
            "source_choice": "existing",
            "source": str(textile.source_id),
            "reason": "Doet mee",
        },
    )
    approve_all(client, ser_secretariat)
    from imvo.trajectories.models import Participation

    joined = Participation.objects.current().get(trajectory=textile, organisation=oxfam)
    url = reverse("editors:participation_end", args=["textile", joined.pk])
    page = signed_in(client, textile_editor).get(url).content.decode()
    version = re.search(r'name="based_on" value="([^"]+)"', page).group(1)
    response = client.post(
        url,
        {
            "valid_until": "2018-06-30",
            "valid_until_precision": "month",
            "based_on": version,
            "reason": "Gestopt",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    approve_all(client, ser_secretariat)
    ended = Participation.objects.current().get(trajectory=textile, organisation=oxfam)
    assert ended.valid_until.isoformat() == "2018-06-01"  # stored as the month's first day


def correction_data(page: str, phase: str) -> dict:
    return {
        "phase": phase,
        "valid_from": "2015-05-18",
        "valid_from_precision": "day",
        "date_basis": "start",
        "date_text": "18 mei jl.",
        "note_nl": "De SER geeft richting alle stakeholders aan de rol van convenor, mediator en penvoerder te willen spelen.",
        "note_en": "The SER tells all stakeholders it will act as convenor, mediator and drafter.",
        "based_on": re.search(r'name="based_on" value="([^"]+)"', page).group(1),
        "reason": f"Fase was {phase}",
    }


def test_two_sessions_correcting_one_record_the_second_gets_the_stale_message(
    client, textile_editor, member, ser_secretariat
):
    from django.test import Client

    record = PhaseRecord.objects.current().get(key="textile-negotiation")
    url = reverse("editors:phase_correct", args=["textile", record.pk])
    other = Client()
    login_verified(other, member("sector_editor", trajectory="textile", username="second"))
    first_page = signed_in(client, textile_editor).get(url).content.decode()
    second_page = other.get(url).content.decode()
    assert client.post(url, correction_data(first_page, "dialogue")).status_code == 302
    approve_all(Client(), ser_secretariat)
    response = other.post(url, correction_data(second_page, "exploration"))
    assert response.status_code == 409
    text = response.content.decode()
    assert "Wat veranderde na de versie die u zag" in text
    assert "onderhandeling" in text and "multi-stakeholderdialoog" in text
    assert "Fase was exploration" in text  # what was typed is kept
    current = PhaseRecord.objects.current().get(key="textile-negotiation")
    assert current.phase == "dialogue"
    assert other.get(url).status_code == 302  # the old link opens the current record


def test_six_sessions_racing_on_one_record_get_the_stale_message_never_a_500(
    client, member, ser_secretariat, coordinator
):
    from django.test import Client

    record = PhaseRecord.objects.current().get(key="textile-negotiation")
    url = reverse("editors:phase_correct", args=["textile", record.pk])
    sessions = []
    for n in range(6):
        session = Client()
        login_verified(session, member("sector_editor", trajectory="textile", username=f"s{n}"))
        sessions.append((session, session.get(url).content.decode()))
    phases = ["dialogue", "exploration", "stopped", "dialogue", "exploration", "stopped"]
    for (session, page), phase in zip(sessions, phases, strict=True):
        assert session.post(url, correction_data(page, phase)).status_code == 302
    approver = Client()
    login_verified(approver, ser_secretariat)
    outcomes = []
    for proposal in Proposal.objects.order_by("pk"):
        response = approver.post(
            reverse("editors:proposal", args=[proposal.pk]),
            {"decision": "approve", "decision_reason": "akkoord"},
            follow=True,
        )
        assert response.status_code == 200
        outcomes.append(Proposal.objects.get(pk=proposal.pk).status)
        if outcomes[-1] == "stale":
            assert "Het record is gewijzigd nadat u het opende" in response.content.decode()
    assert outcomes == ["approved"] + ["stale"] * 5
    assert PhaseRecord.objects.filter(key="textile-negotiation").count() == 2


def test_a_correction_to_signed_without_agreement_is_refused_on_the_form(client, textile_editor):
    record = PhaseRecord.objects.current().get(key="textile-negotiation")
    url = reverse("editors:phase_correct", args=["textile", record.pk])
    page = signed_in(client, textile_editor).get(url).content.decode()
    response = client.post(url, correction_data(page, "signed") | {"valid_from": "2015-06-01"})
    assert response.status_code == 400
    assert "zonder convenant" in response.content.decode()
    assert not Proposal.objects.exists()


def test_the_progress_note_for_the_next_report(client, textile_editor, ser_secretariat):
    from imvo.proposals.models import ProgressNote

    url = reverse("editors:progress_note", args=["textile"])
    page = signed_in(client, textile_editor).get(url).content.decode()
    year = re.search(r'name="period" value="(\d+)"', page).group(1)
    data = {
        "period": year,
        "text_nl": "Het convenant loopt; de evaluatie volgt.",
        "text_en": "The agreement runs; the evaluation follows.",
        "based_on": re.search(r'name="based_on" value="([^"]+)"', page).group(1),
        "reason": "Voor de voortgangsbrief",
    }
    assert client.post(url, data).status_code == 302
    approve_all(client, ser_secretariat)
    note = ProgressNote.objects.current().get(trajectory__slug="textile", period=year)
    assert note.text_en.startswith("The agreement")
    # a second text for the same report supersedes the first; a stale form is refused
    old = data
    page = signed_in(client, textile_editor).get(url).content.decode()
    newer = {
        **data,
        "text_nl": "Nieuwe tekst",
        "based_on": re.search(r'name="based_on" value="([^"]+)"', page).group(1),
    }
    assert client.post(url, newer).status_code == 302
    assert client.post(url, {**old, "text_nl": "Oude versie"}).status_code == 409
    approve_all(client, ser_secretariat)
    current = ProgressNote.objects.current().get(trajectory__slug="textile", period=year)
    assert current.text_nl == "Nieuwe tekst" and current.supersedes_id == note.pk


def test_home_costs_the_same_queries_for_one_trajectory_or_all(client, textile_editor, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for user in (textile_editor, coordinator):
        signed_in(client, user).get(reverse("editors:home"))  # sessions and caches warm
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("editors:home")).status_code == 200
        counts.append(len(queries))
    assert counts[1] - counts[0] <= 2, counts  # all 20 trajectories vs one: no query per row


def test_home_lists_the_open_trajectories_without_a_note_for_the_next_report(
    client, settings, textile_unsigned, textile_editor, ser_secretariat
):
    import datetime as dt

    from imvo.proposals.models import ProgressNote

    settings.IMVO_REPORT_DUE = dt.date(2016, 6, 1)  # the notes for the 2016 letter, now overdue
    note_url = reverse("editors:progress_note", args=["textile"])
    home = signed_in(client, textile_editor).get(reverse("editors:home") + "?lang=en")
    text = home.content.decode()
    assert "Next progress report (2016)" in text
    assert "The progress notes were due on 1 June 2016." in text
    assert f'<a href="{note_url}">Write the progress note for Textiles and clothing</a>' in text
    # the note form proposes the report's period; once the note is approved, the item goes
    page = client.get(note_url).content.decode()
    assert 'name="period" value="2016"' in page
    data = {
        "period": "2016",
        "text_nl": "De onderhandelingen zijn afgerond.",
        "text_en": "The negotiations are finished.",
        "based_on": re.search(r'name="based_on" value="([^"]+)"', page).group(1),
        "reason": "Voor de voortgangsbrief van 2016",
    }
    assert client.post(note_url, data).status_code == 302
    text = client.get(reverse("editors:home")).content.decode()
    assert f'<a href="{note_url}">' in text  # proposed, not yet approved: still missing
    client.get(reverse("editors:home") + "?lang=nl")  # approve_all reads the Dutch page
    approve_all(client, ser_secretariat)
    assert ProgressNote.objects.current().filter(trajectory__slug="textile", period="2016")
    text = signed_in(client, textile_editor).get(reverse("editors:home") + "?lang=en")
    text = text.content.decode()
    assert f'<a href="{note_url}">' not in text
    assert "Every open trajectory of yours has a progress note for this report." in text


def test_a_closed_trajectory_needs_no_note_and_without_a_due_date_none_is_shown(
    client, textile_editor
):
    # textile ended in 2021 in the reference data: nothing to write for this year's report
    text = signed_in(client, textile_editor).get(reverse("editors:home") + "?lang=en")
    text = text.content.decode()
    assert "Next progress report" in text and "are due on" not in text
    assert reverse("editors:progress_note", args=["textile"]) + '">Write' not in text


def test_the_history_on_a_form_costs_the_same_queries_however_long_it_is(
    client, textile_editor, coordinator
):
    """The phase form shows every phase record with its audit trail, a correction form the
    record's chain of versions: no query per record or version (the benchmark found 3 and 7)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from imvo.core.audit import Actor
    from imvo.trajectories.services import phase_record_correct

    record = PhaseRecord.objects.current().get(key="textile-negotiation")
    correct_url = reverse("editors:phase_correct", args=["textile", record.pk])

    def queries(url: str) -> int:
        signed_in(client, textile_editor).get(url)  # session and caches warm
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = (queries(phase_url()), queries(correct_url))
    for day in ("2015-05-19", "2015-05-20", "2015-05-21"):
        current = PhaseRecord.objects.current().get(key="textile-negotiation")
        phase_record_correct(
            record=current,
            values={"valid_from": day},
            actor=Actor("Datum nagekeken", coordinator),
        )
    current = PhaseRecord.objects.current().get(key="textile-negotiation")
    correct_url = reverse("editors:phase_correct", args=["textile", current.pk])
    after = (queries(phase_url()), queries(correct_url))
    assert after[0] == before[0], (before, after)  # three more phase records
    assert after[1] - before[1] <= 3 + 2, (before, after)  # three more versions: one each
