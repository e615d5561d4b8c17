"""``imvo user``: accounts, passwords, the second factor and lockouts from the command line;
every change audited, every mistake one line with exit code 2 and nothing written."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from imvo.accounts.models import Membership
from imvo.core.audit import SYSTEM_USERNAME
from tests.conftest import run_imvo

PASSWORD = "Kleding-en-textiel-2016"


def installation_copy(cli_env: dict[str, str], target) -> dict[str, str]:
    """An installation of its own (a copy of ``cli_env``'s initialised one), so that the
    accounts these tests write are not the latest writes another test's ``imvo audit`` reads."""
    shutil.copytree(cli_env["IMVO_VAR_DIR"], target, dirs_exist_ok=True)
    return {**cli_env, "IMVO_VAR_DIR": str(target)}


@pytest.fixture(scope="module")
def user_env(cli_env, tmp_path_factory) -> dict[str, str]:
    return installation_copy(cli_env, tmp_path_factory.mktemp("var-users"))


def imvo_user(*args: str, stdin: str | None = None, monkeypatch=None) -> str:
    """Run ``imvo user`` in this process (on the test database); its standard output."""
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    call_command("user", *args, lang="en", stdout=out)
    return out.getvalue()


def last_reason(user) -> str:
    return user.history.order_by("-history_date", "-history_id").first().history_change_reason


@pytest.mark.django_db
def test_create_gives_the_account_a_role_and_no_password_yet(monkeypatch):
    out = imvo_user(
        "create", "jansen", "--email", "jansen@example.org", "--role", "sector_editor",
        "--sector", "textile", "--reason", "new sector editor for textile",
    )  # fmt: skip
    assert "User 'jansen' created." in out and "imvo user set-password jansen" in out
    user = get_user_model().objects.get(username="jansen")
    assert not user.has_usable_password() and user.email == "jansen@example.org"
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.sector.slug) == ("sector_editor", "textile")
    created = user.history.get()
    assert created.history_type == "+" and created.history_user.username == SYSTEM_USERNAME
    assert created.history_change_reason == "new sector editor for textile"
    listing = imvo_user("list")
    assert "jansen" in listing and "sector_editor (Textiel en kleding)" in listing


@pytest.mark.django_db
def test_set_password_validates_and_is_audited_without_the_hash(monkeypatch):
    imvo_user("create", "jansen", "--email", "jansen@example.org")
    with pytest.raises(CommandError, match=r"the password is refused: .*too common"):
        imvo_user("set-password", "jansen", "--password-stdin", stdin="password\n",
                  monkeypatch=monkeypatch)  # fmt: skip
    user = get_user_model().objects.get(username="jansen")
    assert not user.has_usable_password()
    out = imvo_user("set-password", "jansen", "--password-stdin", "--reason", "forgot it",
                    stdin=PASSWORD + "\n", monkeypatch=monkeypatch)  # fmt: skip
    assert "Password of 'jansen' set" in out
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert last_reason(user) == "password set: forgot it"
    assert not hasattr(user.history.first(), "password")  # the hash stays out of the history


@pytest.mark.django_db
def test_set_password_asks_twice(monkeypatch):
    imvo_user("create", "jansen", "--email", "jansen@example.org")
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="the two passwords differ"):
        imvo_user("set-password", "jansen")
    answers = iter([PASSWORD, PASSWORD])
    assert "set" in imvo_user("set-password", "jansen")
    assert get_user_model().objects.get(username="jansen").check_password(PASSWORD)


@pytest.mark.django_db
def test_reset_2fa_removes_the_devices_and_deactivate_stops_signing_in(client, monkeypatch):
    imvo_user("create", "jansen", "--email", "jansen@example.org", "--password-stdin",
              stdin=PASSWORD + "\n", monkeypatch=monkeypatch)  # fmt: skip
    user = get_user_model().objects.get(username="jansen")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    out = imvo_user("reset-2fa", "jansen", "--reason", "lost phone")
    assert "set up an authenticator app again" in out
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert last_reason(user) == "two-factor authentication reset: lost phone"
    rows = user.history.count()
    assert "nothing to reset" in imvo_user("reset-2fa", "jansen")
    assert user.history.count() == rows  # nothing done, nothing written

    admin = get_user_model().objects.create_user("beheerder", password=PASSWORD)
    out = imvo_user("deactivate", "jansen", "--actor", "beheerder", "--reason", "left")
    assert "can no longer sign in" in out
    user.refresh_from_db()
    assert not user.is_active
    last = user.history.order_by("-history_date", "-history_id").first()
    assert (last.history_user, last.history_change_reason) == (admin, "deactivated: left")
    assert "already deactivated" in imvo_user("deactivate", "jansen")
    response = client.post("/account/inloggen/", {"username": "jansen", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_unlock_lifts_a_lockout_and_says_when_there_was_none(client):
    get_user_model().objects.create_user("lezer", password=PASSWORD)
    assert "was not locked" in imvo_user("unlock", "lezer")
    for _ in range(11):
        client.post("/account/inloggen/", {"username": "lezer", "password": "wrong"})
    assert "lezer" in imvo_user("list") and "yes" in imvo_user("list").splitlines()[-1]
    assert "may sign in again" in imvo_user("unlock", "lezer")
    response = client.post("/account/inloggen/", {"username": "lezer", "password": PASSWORD})
    assert response.status_code == 302


def words(args: str | list[str]) -> list[str]:
    return args.split() if isinstance(args, str) else args


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "jansen"], "--email"),
        ("create jansen --email x@example.org --sector textile", "--role"),
        ("create jansen --email x@example.org --role sector_editor", "--sector"),
        ("create jansen --email x@e.org --role coordinator --sector textile", "--sector"),
        (
            "create jansen --email x@e.org --role sector_editor --sector nowhere",
            "--sector: no sector 'nowhere'",
        ),
        (["create", "jansen", "--email", "not an address"], "--email"),
        (["unlock", "nobody"], "no user named 'nobody'"),
        (["unlock"], "give the user name"),
        (["unlock", "lezer", "--role", "coordinator"], "belong to 'create'"),
        (["unlock", "lezer", "--actor", "nobody"], "--actor: no user named 'nobody'"),
        (["unlock", "lezer", "--reason", " "], "--reason"),
        (["set-password", SYSTEM_USERNAME, "--password-stdin"], "system account"),
    ],
)
def test_mistakes_are_refused_and_nothing_is_written(args, message, monkeypatch):
    get_user_model().objects.create_user("lezer", password=PASSWORD)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    users = get_user_model().objects.count()
    with pytest.raises(CommandError, match=message) as raised:
        call_command("user", *words(args), lang="en", stdout=io.StringIO())
    assert raised.value.returncode == 2
    assert get_user_model().objects.count() == users
    assert not Membership.objects.filter(user__username="jansen").exists()


def one_line_error(result: subprocess.CompletedProcess[str], naming: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert naming in lines[0], lines[0]
    return lines[0]


def test_the_command_line_in_dutch_and_english(user_env):
    dutch = {**user_env, "IMVO_LANG": "nl"}
    line = one_line_error(run_imvo("user", "unlock", "niemand", env=dutch), "niemand")
    assert line == ("imvo user: fout: geen gebruiker met de naam 'niemand' (zie 'imvo user list')")
    one_line_error(run_imvo("user", "frobnicate", env=user_env), "invalid choice")
    one_line_error(run_imvo("user", "create", "x", "--role", "king", env=user_env), "--role")


def test_a_weak_password_is_refused_with_the_reason_on_one_line(user_env):
    created = run_imvo("user", "create", "cli-user", "--email", "cli@example.org", env=user_env)
    assert created.returncode == 0, created.stderr
    result = subprocess.run(
        [sys.executable, "-m", "imvo.cli", "user", "set-password", "cli-user", "--password-stdin"],
        input="12345678\n", capture_output=True, text=True, env=user_env, timeout=120,
        check=False,
    )  # fmt: skip
    line = one_line_error(result, "the password is refused")
    assert "too common" in line and "entirely numeric" in line


def test_the_changes_show_in_the_audit_trail(user_env):
    run_imvo("user", "create", "audited", "--email", "audited@example.org",
             "--reason", "new coordinator", "--role", "coordinator", env=user_env)  # fmt: skip
    run_imvo("user", "reset-2fa", "audited", env=user_env)  # no device: nothing written
    run_imvo("user", "deactivate", "audited", "--reason", "left", env=user_env)
    audit = run_imvo("audit", "--model", "auth.user", "--user", SYSTEM_USERNAME, env=user_env)
    assert audit.returncode == 0, audit.stderr
    lines = [line for line in audit.stdout.splitlines() if "'audited'" in line]
    assert "deactivated: left" in lines[0] and "new coordinator" in lines[-1]
    assert len(lines) == 2


def test_init_says_when_two_factor_authentication_is_off(user_env):
    result = run_imvo("init", "--skip-data", env={**user_env, "IMVO_REQUIRE_2FA": "0"})
    assert result.returncode == 0, result.stderr
    assert (
        "two-factor authentication is off (IMVO_REQUIRE_2FA=0): only for a local installation "
        "with one user"
    ) in result.stdout
    dutch = run_imvo(
        "init", "--skip-data", env={**user_env, "IMVO_REQUIRE_2FA": "0", "IMVO_LANG": "nl"}
    )
    assert "twee-factorauthenticatie staat uit (IMVO_REQUIRE_2FA=0)" in dutch.stdout
    assert "IMVO_REQUIRE_2FA" not in run_imvo("init", "--skip-data", env=user_env).stdout


def test_production_refuses_to_turn_two_factor_authentication_off(user_env):
    env = {
        **user_env,
        "IMVO_ENV": "production",
        "IMVO_SECRET_KEY": "k7#Qw9!zR2@vL5$pX8^mN3&bT6*yH1(cJ4)fG0_dS-aE+uW=oI",
        "IMVO_ALLOWED_HOSTS": "imvo.example.org",
        "IMVO_REQUIRE_2FA": "0",
    }
    result = run_imvo("user", "list", env=env)
    line = one_line_error(result, "IMVO_REQUIRE_2FA")
    assert "production" in line
