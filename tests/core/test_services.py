"""One write path: the admin, the reference loader and a service leave the same audit row, a
write that changes nothing leaves none, and a delete never silently empties another record."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.utils import timezone

from imvo.core.audit import Actor, audit_entries
from imvo.core.errors import Conflict
from imvo.organisations.models import Organisation
from imvo.organisations.services import organisation_update
from imvo.reference.services import reference_data_load
from imvo.sectors.models import Sector
from imvo.sectors.services import sector_delete
from imvo.trajectories.models import Participation, Trajectory
from imvo.trajectories.services import participation_delete, trajectory_delete
from tests.conftest import login_verified

NEW_NAME = "Sociaal-Economische Raad (SER)"


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_superuser("officer", "o@example.org", "s3cret-pass!")


def _last_row(key: str) -> tuple[str, str, list[tuple[str, str, str]]]:
    entry = audit_entries(Organisation.objects.get(key=key))[-1]
    return entry.who, entry.action, [(c.field, c.old, c.new) for c in entry.changes]


def _by_service(officer) -> None:
    ser = Organisation.objects.get(key="ser")
    organisation_update(
        organisation=ser, data={"name_nl": NEW_NAME}, actor=Actor("Full name", officer)
    )


def _by_admin(officer, client) -> None:
    login_verified(client, officer)  # the admin needs the second factor
    ser = Organisation.objects.get(key="ser")
    form = {k: ("" if v is None else v) for k, v in model_to_dict(ser).items() if k != "id"}
    form.update(name_nl=NEW_NAME, change_reason="Full name")
    response = client.post(f"/admin/organisations/organisation/{ser.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]


def _by_loader(officer, data_copy: Path) -> None:
    path = data_copy / "organisations.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name_nl: Sociaal-Economische Raad,", f"name_nl: {NEW_NAME},"))
    report = reference_data_load(data_dir=data_copy, user=officer)
    assert report.updated == {"organisations.organisation": 1}


@pytest.mark.django_db
@pytest.mark.parametrize("channel", ["service", "admin", "loader"])
def test_every_channel_writes_the_same_audit_row(channel, officer, client, data_copy):
    before = len(audit_entries(Organisation.objects.get(key="ser")))
    if channel == "service":
        _by_service(officer)
    elif channel == "admin":
        _by_admin(officer, client)
    else:
        _by_loader(officer, data_copy)
    ser = Organisation.objects.get(key="ser")
    entries = audit_entries(ser)
    assert len(entries) == before + 1
    assert _last_row("ser") == (
        "officer",
        "changed",
        [("name_nl", "Sociaal-Economische Raad", NEW_NAME)],
    )
    expected_reason = "Reference data (organisations.yaml)" if channel == "loader" else "Full name"
    assert entries[-1].reason == expected_reason


@pytest.mark.django_db
def test_a_write_that_changes_nothing_leaves_no_history(officer):
    ser = Organisation.objects.get(key="ser")
    before = len(audit_entries(ser))
    _, changed = organisation_update(
        organisation=ser, data={"name_nl": ser.name_nl}, actor=Actor("Same", officer)
    )
    assert changed is False
    assert len(audit_entries(Organisation.objects.get(key="ser"))) == before


@pytest.mark.django_db
def test_a_sector_in_use_is_not_deleted_and_nothing_changes(officer):
    textile = Sector.objects.get(slug="textile")
    users = sorted(textile.trajectories.values_list("slug", flat=True))
    assert users
    with pytest.raises(Conflict) as refused:
        sector_delete(sector=textile, actor=Actor("Tidy up", officer))
    message = str(refused.value)
    assert refused.value.code == "has_dependents"
    assert all(Trajectory.objects.get(slug=slug).name_nl in message for slug in users), message
    assert (
        sorted(Sector.objects.get(slug="textile").trajectories.values_list("slug", flat=True))
        == users
    )


@pytest.mark.django_db
def test_a_trajectory_with_history_is_not_deleted(officer):
    with pytest.raises(Conflict):
        trajectory_delete(trajectory=Trajectory.objects.get(slug="gold"), actor=Actor("x", officer))
    assert Trajectory.objects.filter(slug="gold").exists()


@pytest.mark.django_db
def test_the_admin_shows_why_a_sector_cannot_be_deleted(client, officer):
    login_verified(client, officer)  # the admin needs the second factor
    textile = Sector.objects.get(slug="textile")
    url = f"/admin/sectors/sector/{textile.pk}/delete/"
    page = client.get(url).content.decode()
    assert "kan niet worden verwijderd" in page
    for trajectory in textile.trajectories.all():
        assert trajectory.name_nl in page
    client.post(url, {"post": "yes"})
    assert Sector.objects.filter(slug="textile").exists()


@pytest.mark.django_db
def test_a_delete_without_dependents_is_audited(officer):
    from imvo.initiatives.models import Initiative
    from imvo.initiatives.services import initiative_create, initiative_delete

    actor = Actor("Entered by mistake", officer)
    initiative = initiative_create(
        data={"key": "typo", "kind": "sector_initiative", "name_nl": "Typfout",
              "source": Organisation.objects.get(key="ser").source},
        actor=actor,
    )  # fmt: skip
    pk = initiative.pk
    initiative_delete(initiative=initiative, actor=Actor("Tidy up", officer))
    assert not Initiative.objects.filter(pk=pk).exists()
    row = Initiative.history.filter(id=pk).order_by("-history_date").first()
    assert (row.history_type, row.history_user.username, row.history_change_reason) == (
        "-",
        "officer",
        "Tidy up",
    )


@pytest.mark.django_db
def test_a_bitemporal_record_is_retracted_not_deleted(officer):
    participation = Participation.objects.current().filter(trajectory__slug="banking").first()
    before = timezone.now()
    participation_delete(participation=participation, actor=Actor("Left the dialogue", officer))
    participation.refresh_from_db()
    assert participation.superseded_at is not None
    assert Participation.objects.known_at(before).filter(pk=participation.pk).exists()
    assert not Participation.objects.current().filter(pk=participation.pk).exists()
    row = Participation.history.filter(id=participation.pk).order_by("-history_date").first()
    assert (row.history_user.username, row.history_change_reason) == (
        "officer",
        "Left the dialogue",
    )


@pytest.mark.django_db
def test_a_correction_supersedes_and_keeps_what_was_known(officer):
    from imvo.trajectories.models import Event
    from imvo.trajectories.services import event_update

    event = Event.objects.current().get(key=Event.objects.current().first().key)
    before = timezone.now()
    corrected, changed = event_update(
        event=event, data={"title_en": "Corrected title"}, actor=Actor("Typo", officer)
    )
    assert changed and corrected.pk != event.pk and corrected.supersedes_id == event.pk
    assert Event.objects.known_at(before).get(key=event.key).title_en == event.title_en
    assert Event.objects.current().get(key=event.key).title_en == "Corrected title"
    assert set(corrected.trajectories.all()) == set(event.trajectories.all())
    same, changed = event_update(
        event=corrected, data={"title_en": "Corrected title"}, actor=Actor("again", officer)
    )
    assert not changed and same.pk == corrected.pk
