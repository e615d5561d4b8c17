"""Every write is audited: who, when, old and new values, and why — also through the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from imvo.core.audit import Actor, audit_entries, audited_save
from imvo.organisations.models import Organisation
from imvo.trajectories.models import PhaseRecord
from tests.conftest import login_verified


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_superuser(
        "officer", "officer@example.org", "s3cret-pass!"
    )


@pytest.mark.django_db
def test_a_service_write_records_actor_reason_and_changes(officer):
    ser = Organisation.objects.get(key="ser")
    ser.name_en = "Social and Economic Council of the Netherlands"
    audited_save(ser, actor=Actor("Official English name", officer))
    entry = audit_entries(ser)[-1]
    assert (entry.who, entry.action, entry.reason) == (
        "officer",
        "changed",
        "Official English name",
    )
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        ("name_en", "Social and Economic Council", "Social and Economic Council of the Netherlands")
    ]


@pytest.mark.django_db
def test_the_admin_refuses_a_change_without_a_reason_and_audits_one_with(client, officer):
    login_verified(client, officer)  # the admin needs the second factor
    ser = Organisation.objects.get(key="ser")
    url = f"/admin/organisations/organisation/{ser.pk}/change/"
    form = {
        "key": "ser", "kind": "ser", "name_nl": "Sociaal-Economische Raad", "name_en": "SER",
        "abbreviation": "SER", "description_nl": "", "description_en": "",
        "source": ser.source_id, "source_locator": "§1",
    }  # fmt: skip
    response = client.post(url, form)
    assert response.status_code == 200  # form shown again with an error
    assert Organisation.objects.get(key="ser").name_en == "Social and Economic Council"
    response = client.post(url, {**form, "change_reason": "Short name"})
    assert response.status_code == 302
    entry = audit_entries(Organisation.objects.get(key="ser"))[-1]
    assert (entry.who, entry.reason) == ("officer", "Short name")
    assert ("name_en", "Social and Economic Council", "SER") in [
        (c.field, c.old, c.new) for c in entry.changes
    ]
    history = client.get(f"/admin/organisations/organisation/{ser.pk}/history/")
    assert history.status_code == 200
    assert b"Short name" in history.content


@pytest.mark.django_db
def test_editing_a_phase_record_in_the_admin_saves_a_correction(client, officer):
    login_verified(client, officer)  # the admin needs the second factor
    record = PhaseRecord.objects.get(key="gold-dialogue")
    form = {
        "key": record.key, "trajectory": record.trajectory_id, "phase": "dialogue",
        "valid_from": "2015-06-10", "valid_from_precision": "day", "date_basis": "start",
        "date_text": "", "note_nl": "", "note_en": "", "source": record.source_id,
        "source_locator": "§2", "certainty": "confirmed",
        "change_reason": "Roundtable date checked against the agenda",
    }  # fmt: skip
    response = client.post(f"/admin/trajectories/phaserecord/{record.pk}/change/", form)
    assert response.status_code == 302, response.content[:500]
    record.refresh_from_db()
    assert record.valid_from.isoformat() == "2015-06-09"  # never overwritten
    assert record.superseded_at is not None
    correction = record.superseded_by
    assert correction.valid_from.isoformat() == "2015-06-10"
    assert audit_entries(correction)[0].reason == "Roundtable date checked against the agenda"
    # a superseded record can no longer be changed or deleted
    assert (
        client.post(f"/admin/trajectories/phaserecord/{record.pk}/change/", form).status_code == 403
    )
    assert client.post(f"/admin/trajectories/phaserecord/{record.pk}/delete/").status_code == 403


@pytest.mark.django_db
def test_imvo_audit_lists_who_what_old_new_and_why(officer):
    import io

    from django.core.management import call_command

    ser = Organisation.objects.get(key="ser")
    ser.abbreviation = "SER-NL"
    audited_save(ser, actor=Actor("Test the trail", officer))
    out = io.StringIO()
    call_command("audit", "--user", "officer", "--format", "csv", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "when,who,model,object_id,action,field,old,new,reason"
    when, *rest = lines[1].split(",")
    assert when.startswith(str(timezone.localtime(ser.history.first().history_date).date()))
    expected = ["officer", "organisations.organisation", str(ser.pk), "changed"]
    assert rest == [*expected, "abbreviation", "SER", "SER-NL", "Test the trail"]
    assert len(lines) == 2


@pytest.mark.django_db
def test_an_inline_participation_added_in_the_admin_is_audited_with_the_reason(client, officer):
    from imvo.trajectories.models import Participation, Trajectory

    login_verified(client, officer)  # the admin needs the second factor
    gold = Trajectory.objects.get(slug="gold")
    page = client.get(f"/admin/trajectories/trajectory/{gold.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: (value.pk if hasattr(value, "pk") else "" if value is None else value)
        for name, value in form.initial.items()
        if name not in ("sectors", "initiatives")
    }
    data["sectors"] = [s.pk for s in gold.sectors.all()]
    data["initiatives"] = []
    data["change_reason"] = "SER convenes the gold dialogue"
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        prefix = formset.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = management.initial["TOTAL_FORMS"]
        data[f"{prefix}-INITIAL_FORMS"] = management.initial["INITIAL_FORMS"]
        for index, existing in enumerate(formset.formset.initial_forms):
            data[f"{prefix}-{index}-id"] = existing.instance.pk
            data[f"{prefix}-{index}-trajectory"] = gold.pk
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data[f"{prefix}-TOTAL_FORMS"] = 1
    ser = Organisation.objects.get(key="ser")
    data.update({
        f"{prefix}-0-organisation": ser.pk, f"{prefix}-0-role": "convenor",
        f"{prefix}-0-note_nl": "", f"{prefix}-0-note_en": "",
        f"{prefix}-0-source": gold.source_id, f"{prefix}-0-source_locator": "test",
        f"{prefix}-0-trajectory": gold.pk, f"{prefix}-0-certainty": "confirmed",
        f"{prefix}-0-valid_from_precision": "day", f"{prefix}-0-valid_until_precision": "day",
    })  # fmt: skip
    response = client.post(f"/admin/trajectories/trajectory/{gold.pk}/change/", data)
    if response.status_code != 302:
        errors = [f.formset.errors for f in response.context["inline_admin_formsets"]]
        errors += [f.formset.non_form_errors() for f in response.context["inline_admin_formsets"]]
        raise AssertionError(errors)
    participation = Participation.objects.current().get(
        trajectory=gold, organisation=ser, role="convenor"
    )
    entry = audit_entries(participation)[0]
    assert (entry.who, entry.action, entry.reason) == (
        "officer",
        "created",
        "SER convenes the gold dialogue",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("change", [False, True])
def test_a_signing_without_its_agreement_is_refused_in_the_admin_with_the_service_message(
    client, officer, change
):
    """The service refuses a 'signed' phase record without its agreement (the board and the
    target would disagree); the admin shows that message on the form with what was typed,
    as for any invalid input, and stores nothing (it used to answer 500)."""
    login_verified(client, officer)  # the admin needs the second factor
    record = PhaseRecord.objects.get(key="gold-dialogue")
    before = PhaseRecord.objects.count()
    form = {
        "key": record.key if change else "gold-signed-admin", "trajectory": record.trajectory_id,
        "phase": "signed", "valid_from": "2016-05-01", "valid_from_precision": "day",
        "date_basis": "start", "date_text": "typed text kept", "note_nl": "", "note_en": "",
        "source": record.source_id, "source_locator": "§2", "certainty": "confirmed",
        "change_reason": "Signing recorded in the admin",
    }  # fmt: skip
    url = (
        f"/admin/trajectories/phaserecord/{record.pk}/change/"
        if change
        else "/admin/trajectories/phaserecord/add/"
    )
    response = client.post(url, form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "kan niet als ondertekend op 2016-05-01 worden vastgelegd zonder convenant" in html
    assert "typed text kept" in html
    assert response.context["adminform"].form.errors["phase"]
    assert PhaseRecord.objects.count() == before
    record.refresh_from_db()
    assert record.superseded_at is None and record.phase == "dialogue"
