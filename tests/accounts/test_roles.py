import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from imvo.accounts.roles import EDITOR, READER, roles_ensure
from tests.conftest import login_verified


@pytest.mark.django_db
def test_roles_are_created_once_and_grant_what_they_say(client):
    first = roles_ensure()
    assert roles_ensure() == first  # idempotent
    editor_user = get_user_model().objects.create_user(
        "editor", password="x-pass-123!", is_staff=True
    )
    editor_user.groups.add(Group.objects.get(name=EDITOR))
    reader_user = get_user_model().objects.create_user(
        "reader", password="x-pass-123!", is_staff=True
    )
    reader_user.groups.add(Group.objects.get(name=READER))

    assert editor_user.has_perm("trajectories.change_phaserecord")
    assert editor_user.has_perm("trajectories.add_event")
    assert not editor_user.has_perm("trajectories.delete_phaserecord")  # history is never deleted
    assert not editor_user.has_perm("auth.change_user")
    assert reader_user.has_perm("sectors.view_sector")
    assert not reader_user.has_perm("sectors.change_sector")

    login_verified(client, reader_user)  # the admin needs the second factor
    assert client.get("/admin/trajectories/trajectory/").status_code == 200
    assert client.get("/admin/trajectories/trajectory/add/").status_code == 403


@pytest.mark.django_db
def test_the_editor_group_manages_memberships_the_reader_group_does_not_see_them():
    roles_ensure()
    editor = Group.objects.get(name=EDITOR).permissions.values_list("codename", flat=True)
    reader = Group.objects.get(name=READER).permissions.values_list("codename", flat=True)
    assert {"view_membership", "add_membership", "change_membership", "delete_membership"} <= set(
        editor
    )
    assert "view_membership" not in set(reader)
