"""Changing one's own password at /account/wachtwoord/, and signing out after a while without
activity (imvo.web.editors.idle).

These tests run with the installation's own setting, IMVO_REQUIRE_2FA on (the default). The
site speaks Dutch unless asked otherwise: tests that read texts ask for English once
(``?lang=en``, which the language cookie then keeps)."""

from __future__ import annotations

import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import Client, RequestFactory

from imvo.web.editors import idle
from tests.conftest import login_verified, run_imvo
from tests.proposals.conftest import *  # noqa: F403  (role fixtures)

pytestmark = pytest.mark.django_db

OLD = "x-pass-123!"  # the password of the role fixtures (tests/accounts/conftest.py)
NEW = "Nieuw-wachtwoord-2024"
PASSWORD, LOGIN, CODE, HOME = (
    "/account/wachtwoord/",
    "/account/inloggen/",
    "/account/tweede-stap/",
    "/redactie/",
)


def in_english(client: Client) -> Client:
    client.get(LOGIN + "?lang=en")
    return client


def change(client: Client, old: str = OLD, new1: str = NEW, new2: str | None = None):
    return client.post(
        PASSWORD,
        {
            "old_password": old,
            "new_password1": new1,
            "new_password2": new1 if new2 is None else new2,
        },
    )


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def sign_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def failures(username: str) -> int:
    attempt = AccessAttempt.objects.filter(username=username).first()
    return attempt.failures_since_start if attempt else 0


def assert_unchanged(user) -> None:
    user.refresh_from_db()
    assert user.check_password(OLD) and not user.check_password(NEW)


# --- changing the password ---------------------------------------------------------------------


def test_the_page_asks_for_the_current_password_and_the_new_one_twice(client, textile_editor):
    html = in_english(login_verified(client, textile_editor)).get(PASSWORD).content.decode()
    assert "<h1>Change password</h1>" in html
    assert '<label for="id_old_password">Current password</label>' in html
    assert '<label for="id_new_password1">New password</label>' in html
    assert '<label for="id_new_password2">New password again</label>' in html
    assert (
        'autocomplete="current-password"' in html and html.count('autocomplete="new-password"') == 2
    )
    # the rules of Django's password validators, as help text of the new password
    assert 'id="id_new_password1_helptext"' in html and "at least 8 characters" in html
    assert 'id="error-summary"' not in html


def test_an_editor_changes_their_password(client, textile_editor):
    in_english(login_verified(client, textile_editor))
    elsewhere = login_verified(Client(), textile_editor)  # another browser, signed in too
    assert elsewhere.get(HOME).status_code == 200
    response = change(client)
    assert response.status_code == 302 and response["Location"] == HOME
    assert is_signed_in(client)  # this session stays signed in, still verified
    home = client.get(HOME)
    assert home.status_code == 200
    html = home.content.decode()
    assert "Your password was changed. Your other sessions were signed out." in html
    assert elsewhere.get(HOME)["Location"].startswith(LOGIN)  # the other session ended
    textile_editor.refresh_from_db()
    assert textile_editor.check_password(NEW) and not textile_editor.check_password(OLD)
    last = textile_editor.history.order_by("-history_date", "-history_id").first()
    assert last.history_change_reason == "password set: Password changed by the user"
    assert last.history_user == textile_editor
    # the new password signs in (then the code), the old one no longer does
    other = Client()
    assert sign_in(other, "textile-editor", OLD).status_code == 200
    assert sign_in(other, "textile-editor", NEW)["Location"] == CODE


def test_a_stakeholder_signs_in_with_the_new_password(client, stakeholder):
    sign_in(client, stakeholder.username, OLD)
    assert change(client)["Location"] == HOME
    client.post("/account/uitloggen/")
    assert sign_in(client, stakeholder.username, OLD).status_code == 200
    assert sign_in(client, stakeholder.username, NEW)["Location"] == HOME


def test_a_wrong_current_password_is_refused_and_counts_as_a_failed_sign_in(client, textile_editor):
    in_english(login_verified(client, textile_editor))
    response = change(client, old="not-my-password")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="errors" role="alert" id="error-summary"' in html
    assert 'href="#id_old_password"' in html and "Your current password is not right" in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_old_password_error"' in html
    assert_unchanged(textile_editor)
    assert is_signed_in(client)
    assert failures("textile-editor") == 1
    stored = AccessAttempt.objects.get(username="textile-editor").post_data
    assert "not-my-password" not in stored and NEW not in stored  # never kept in clear


def test_eleven_wrong_current_passwords_lock_the_account(client, textile_editor):
    login_verified(client, textile_editor)
    for _ in range(10):
        assert change(client, old="wrong-guess").status_code == 200
    assert change(client, old="wrong-guess").status_code == 429
    assert change(client).status_code == 429  # the right one is refused now too
    assert_unchanged(textile_editor)
    assert sign_in(Client(), "textile-editor", OLD).status_code == 429


def test_new_passwords_that_differ_are_refused(client, textile_editor):
    in_english(login_verified(client, textile_editor))
    response = change(client, new2="Nieuw-wachtwoord-2025")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="error-summary"' in html
    assert 'href="#id_new_password2"' in html and "The two new passwords are not the same." in html
    assert_unchanged(textile_editor)
    assert failures("textile-editor") == 0  # the current password was right


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("kort1", "This password is too short"),
        ("qwertyuiop", "This password is too common."),
        ("20240615837", "This password is entirely numeric."),
        (OLD, "The new password is the same as the current one."),
    ],
)
def test_a_new_password_the_rules_refuse_is_refused(client, textile_editor, new, message):
    in_english(login_verified(client, textile_editor))
    response = change(client, new1=new)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="error-summary"' in html
    assert 'href="#id_new_password1"' in html and message in html
    assert 'aria-describedby="id_new_password1_helptext id_new_password1_error"' in html
    textile_editor.refresh_from_db()
    assert textile_editor.check_password(OLD)


def test_only_a_signed_in_and_verified_user_may_change_a_password(client, textile_editor):
    response = client.get(PASSWORD)
    assert response.status_code == 302 and response["Location"] == f"{LOGIN}?next={PASSWORD}"
    response = client.post(PASSWORD, {"old_password": OLD, "new_password1": NEW})
    assert response["Location"].startswith(LOGIN)
    client.force_login(textile_editor)  # the password alone: the code is still missing
    assert client.get(PASSWORD)["Location"] == f"{LOGIN}?next={PASSWORD}"
    assert change(client)["Location"] == f"{LOGIN}?next={PASSWORD}"
    assert_unchanged(textile_editor)


def test_the_page_is_never_cached(client, textile_editor):
    response = login_verified(client, textile_editor).get(PASSWORD)
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


# --- signing out without activity -----------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """``clock(seconds)`` sets the time the idle timeout reads (seconds since the start)."""
    start = time.time()

    def at(seconds: float) -> None:
        monkeypatch.setattr(idle, "_now", lambda: start + seconds)

    at(0)
    return at


def test_thirty_minutes_without_a_request_sign_out(client, textile_editor, clock):
    in_english(login_verified(client, textile_editor))
    assert client.get(HOME).status_code == 200
    clock(29 * 60)
    assert client.get(HOME).status_code == 200  # 29 minutes: still signed in
    clock(29 * 60 + 31 * 60)
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"] == f"{LOGIN}?next={HOME}"
    assert not is_signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity." in page
    assert f'name="next" value="{HOME}"' in page


def test_the_idle_minutes_are_a_setting(client, textile_editor, clock, settings):
    settings.IMVO_IDLE_MINUTES = 1
    in_english(login_verified(client, textile_editor))
    assert client.get(HOME).status_code == 200
    clock(59)
    assert client.get(HOME).status_code == 200
    clock(59 + 60)
    response = client.get(HOME)
    assert response["Location"] == f"{LOGIN}?next={HOME}"
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 1 minute without activity." in page


def test_the_last_request_is_written_at_most_once_a_minute(client, textile_editor, clock):
    login_verified(client, textile_editor)
    client.get(HOME)
    first = client.session[idle.LAST_SEEN]
    clock(30)
    response = client.get(HOME)
    assert client.session[idle.LAST_SEEN] == first
    assert django_settings.SESSION_COOKIE_NAME not in response.cookies  # the session not saved
    clock(61)
    client.get(HOME)
    assert client.session[idle.LAST_SEEN] == first + 61


def test_after_a_timeout_a_post_goes_to_sign_in_and_is_not_done(client, textile_editor, clock):
    login_verified(client, textile_editor)
    client.get(PASSWORD)
    clock(31 * 60)
    response = client.post(
        PASSWORD,
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
        HTTP_REFERER=f"http://testserver{PASSWORD}",
    )
    assert response.status_code == 302 and response["Location"] == f"{LOGIN}?next={PASSWORD}"
    assert not is_signed_in(client)
    assert_unchanged(textile_editor)


def test_a_session_still_ends_the_set_hours_after_signing_in(client, stakeholder, clock):
    in_english(client)
    sign_in(client, stakeholder.username, OLD)
    assert client.session[idle.SIGNED_IN_AT] == client.session[idle.LAST_SEEN]
    hours = django_settings.SESSION_COOKIE_AGE
    for minute in range(20, hours // 60, 20):  # active every 20 minutes, for 8 hours
        clock(minute * 60)
        assert client.get(HOME).status_code == 200
    clock(hours)
    response = client.get(HOME)
    assert response["Location"] == f"{LOGIN}?next={HOME}"
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out 8 hours after signing in." in page


def test_an_anonymous_visitor_gets_no_session(client):
    for path in ("/", "/programma/", LOGIN):
        response = client.get(path)
        assert response.status_code == 200
        assert django_settings.SESSION_COOKIE_NAME not in response.cookies, path


def test_the_middleware_does_not_read_the_session_of_an_anonymous_visitor():
    request = RequestFactory().get("/")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    AuthenticationMiddleware(lambda r: HttpResponse()).process_request(request)
    response = idle.IdleTimeoutMiddleware(lambda r: HttpResponse("ok"))(request)
    assert response.content == b"ok"
    assert not request.session.accessed and not request.session.modified


def test_the_idle_minutes_must_be_one_or_more(cli_env):
    result = run_imvo("status", env={**cli_env, "IMVO_IDLE_MINUTES": "0"})
    assert result.returncode == 2
    assert "IMVO_IDLE_MINUTES='0' is not a whole number of 1 or more" in result.stderr
