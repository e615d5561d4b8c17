"""Signing in: user name or e-mail address and password, then a TOTP code (or setting one up);
eleven failed attempts lock the account; sessions end; the admin asks for the second factor.

These tests run with the installation's own setting, IMVO_REQUIRE_2FA on (the default)."""

from __future__ import annotations

import base64
import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from imvo.accounts.models import Membership
from imvo.accounts.services import membership_create
from imvo.core.audit import Actor
from imvo.sectors.models import Sector
from imvo.web.editors.access import editor_required
from imvo.web.editors.auth_views import PENDING

pytestmark = pytest.mark.django_db

PASSWORD = "Kleding-en-textiel-2016"
LOGIN, CODE, ENROL = (
    "/account/inloggen/",
    "/account/tweede-stap/",
    "/account/tweede-stap/instellen/",
)
HOME = "/redactie/"


def make_user(username: str, *, email: str = "", role: str | None = None, **extra):
    user = get_user_model().objects.create_user(username, email=email, password=PASSWORD, **extra)
    if role == "sector_editor":
        data = {"user": user, "role": role, "sector": Sector.objects.get(slug="textile")}
        membership_create(data=data, actor=Actor("test set-up"))
    elif role:
        membership_create(data={"user": user, "role": role}, actor=Actor("test set-up"))
    return user


@pytest.fixture
def editor():
    """A sector editor for textile, with e-mail address, without an authenticator app yet."""
    return make_user("tex-editor", email="Editor@Example.org", role="sector_editor")


@pytest.fixture
def device(editor):
    return TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows (``steps_ahead`` time steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def code_of_secret(secret: str) -> str:
    """The code for a secret as the enrolment page shows it (base32 in groups)."""
    text = secret.replace(" ", "")
    key = base64.b32decode(text + "=" * (-len(text) % 8))
    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


def sign_in(client, username: str, password: str = PASSWORD, **query):
    url = LOGIN + (f"?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else "")
    return client.post(url, {"username": username, "password": password})


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- the two steps ----------------------------------------------------------------------------


def test_an_editor_signs_in_with_user_name_password_and_code(client, device):
    response = sign_in(client, "tex-editor")
    assert response.status_code == 302 and response["Location"] == CODE
    assert not is_signed_in(client)  # the password alone opens nothing
    assert client.get(HOME)["Location"].startswith(LOGIN)
    page = client.get(CODE)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    response = client.post(CODE, {"code": code_of(device)})
    assert response.status_code == 302 and response["Location"] == HOME
    assert is_signed_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(HOME).status_code == 200


def test_an_editor_signs_in_with_the_e_mail_address_in_any_case(client, device):
    response = sign_in(client, "  editor@EXAMPLE.org ")
    assert response["Location"] == CODE
    client.post(CODE, {"code": code_of(device)})
    assert client.session["_auth_user_id"] == str(device.user_id)


def test_an_e_mail_address_of_two_accounts_is_refused(client, editor):
    make_user("other", email="editor@example.org")
    response = sign_in(client, "editor@example.org")
    assert response.status_code == 200
    assert "hoort bij meer dan één account" in response.content.decode()
    assert not is_signed_in(client)
    assert sign_in(client, "tex-editor")["Location"] == ENROL  # the user name still works


def test_a_wrong_code_is_refused_and_counts_as_a_failed_attempt(client, device):
    from axes.models import AccessAttempt

    sign_in(client, "tex-editor")
    right = code_of(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(CODE, {"code": wrong})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Deze code klopt niet" in html and 'role="alert"' in html
    assert 'href="#id_code"' in html and 'aria-invalid="true"' in html
    assert not is_signed_in(client)
    assert AccessAttempt.objects.get(username="tex-editor").failures_since_start == 1
    assert client.post(CODE, {"code": "12ab"}).status_code == 200  # not 6 digits: the form says so
    device.refresh_from_db()
    device.throttling_failure_count = 0  # django-otp's own wait after a wrong code
    device.save()
    assert client.post(CODE, {"code": right})["Location"] == HOME


def test_a_code_is_accepted_only_once(client, device):
    code = code_of(device)
    sign_in(client, "tex-editor")
    assert client.post(CODE, {"code": code})["Location"] == HOME
    client.post("/account/uitloggen/")
    sign_in(client, "tex-editor")
    assert client.post(CODE, {"code": code}).status_code == 200  # refused: already used
    assert not is_signed_in(client)


def test_an_editor_without_an_app_sets_one_up_when_signing_in(client, editor):
    response = sign_in(client, "tex-editor", next="/redactie/voorstellen/")
    assert response["Location"] == ENROL
    page = client.get(ENROL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and 'role="img"' in html and "QR-code" in html
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', html).group(1)
    device = TOTPDevice.objects.get(user=editor)
    assert not device.confirmed
    assert secret.replace(" ", "") == base64.b32encode(device.bin_key).decode().rstrip("=")
    assert client.get(ENROL).content.decode().count(secret) == 1  # the same secret on reload
    assert TOTPDevice.objects.filter(user=editor).count() == 1
    response = client.post(ENROL, {"code": "000000" if code_of_secret(secret) != "000000" else "1"})
    assert response.status_code == 200 and not is_signed_in(client)
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    response = client.post(ENROL, {"code": code_of_secret(secret)})
    assert response.status_code == 302 and response["Location"] == "/redactie/voorstellen/"
    device.refresh_from_db()
    assert device.confirmed and is_signed_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    last = editor.history.order_by("-history_date", "-history_id").first()
    assert last.history_change_reason == "twee-factorauthenticatie ingesteld: bij het inloggen"
    assert last.history_user == editor


def test_a_confirmed_app_is_never_replaced_without_its_code(client, device):
    sign_in(client, "tex-editor")
    assert client.get(ENROL)["Location"] == CODE
    assert TOTPDevice.objects.filter(user=device.user).count() == 1


def test_a_stakeholder_signs_in_with_the_password_alone(client):
    make_user("reader", role="stakeholder")
    response = sign_in(client, "reader")
    assert response.status_code == 302 and response["Location"] == HOME
    assert is_signed_in(client)
    assert client.get(HOME).status_code == 200  # read-only accounts need no second factor


def test_a_local_single_user_install_may_turn_the_second_factor_off(client, editor, settings):
    settings.IMVO_REQUIRE_2FA = False
    assert sign_in(client, "tex-editor")["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_the_second_step_waits_ten_minutes_at_most(client, device):
    sign_in(client, "tex-editor")
    session = client.session
    session[PENDING] = {**session[PENDING], "since": time.time() - 11 * 60}
    session.save()
    response = client.post(CODE, {"code": code_of(device)})
    assert response["Location"] == LOGIN + "?opnieuw=1"
    assert not is_signed_in(client)
    assert "duurde te lang" in client.get(response["Location"]).content.decode()


def test_next_leads_only_within_the_site(client):
    make_user("reader", role="stakeholder")
    assert sign_in(client, "reader", next="https://evil.example/")["Location"] == HOME


def test_a_wrong_password_says_so_in_a_summary_linked_to_the_field(client, editor):
    response = client.post(LOGIN + "?lang=en", {"username": "tex-editor", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="errors" role="alert"' in html and 'href="#id_username"' in html
    assert "The user name (or e-mail address) or the password is not right" in html
    empty = client.post(LOGIN, {"username": "", "password": ""}).content.decode()
    assert 'href="#id_password"' in empty and 'aria-describedby="id_password_error"' in empty


def test_the_sign_in_page_labels_its_fields_for_browsers_and_password_managers(client):
    html = client.get(LOGIN).content.decode()
    assert '<label for="id_username">Gebruikersnaam of e-mailadres</label>' in html
    assert 'autocomplete="username"' in html and 'autocomplete="current-password"' in html
    assert '<html lang="nl">' in html and "<h1>Inloggen</h1>" in html
    english = client.get(LOGIN + "?lang=en").content.decode()
    assert "<h1>Sign in</h1>" in english and "Inloggen" not in english


# --- who needs the second factor ---------------------------------------------------------------


def test_an_editor_without_a_verified_second_factor_is_sent_to_sign_in(client, editor):
    client.force_login(editor)  # a session from a password alone
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"] == f"{LOGIN}?next={HOME}"
    # the sign-in page then asks for the second step at once
    assert client.get(response["Location"])["Location"] == ENROL


def test_editor_required_checks_the_verified_second_factor(editor, device, settings):
    view = editor_required(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/x/")
    request.user = editor
    request.user.is_verified = lambda: False
    assert view(request).status_code == 302
    request.user.is_verified = lambda: True
    assert view(request).status_code == 200
    settings.IMVO_REQUIRE_2FA = False
    request.user.is_verified = lambda: False
    assert view(request).status_code == 200


def test_the_admin_asks_staff_for_the_second_factor(client, verified_login):
    staff = make_user("beheer", is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert client.get(response["Location"])["Location"] == ENROL  # the site's own sign-in
    assert verified_login(client, staff).get("/admin/").status_code == 200


def test_the_admin_login_page_is_the_site_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'autocomplete="current-password"' in html and 'value="/admin/"' in html


# --- lockout -----------------------------------------------------------------------------------


def test_ten_wrong_passwords_still_let_the_right_one_in(client):
    make_user("reader", role="stakeholder")
    for _ in range(10):
        assert sign_in(client, "reader", "wrong").status_code == 200
    assert sign_in(client, "reader")["Location"] == HOME


def test_eleven_wrong_passwords_lock_the_account_until_unlocked(client, editor, device):
    for _ in range(10):
        assert sign_in(client, "tex-editor", "wrong").status_code == 200
    eleventh = sign_in(client, "editor@example.org", "wrong")  # by e-mail: the same account
    assert eleventh.status_code == 429
    response = sign_in(client, "tex-editor")  # the right password, refused
    html = response.content.decode()
    assert response.status_code == 429
    assert "<h1>Account geblokkeerd</h1>" in html and "30 minuten" in html
    assert "imvo user unlock" in html and "Traceback" not in html
    assert not is_signed_in(client)
    english = client.post(LOGIN + "?lang=en", {"username": "tex-editor", "password": PASSWORD})
    assert english.status_code == 429 and "locked for 30 minutes" in english.content.decode()
    call_command("user", "unlock", "tex-editor", "--reason", "called the helpdesk", lang="en")
    assert sign_in(client, "tex-editor")["Location"] == CODE
    last = editor.history.order_by("-history_date", "-history_id").first()
    assert last.history_change_reason == "lockout lifted: called the helpdesk"


def test_a_lock_ends_after_the_cool_off(client, editor):
    from axes.models import AccessAttempt

    for _ in range(11):
        sign_in(client, "tex-editor", "wrong")
    assert sign_in(client, "tex-editor").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert sign_in(client, "tex-editor")["Location"] == ENROL


def test_eleven_wrong_codes_lock_the_account_too(client, device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait between codes, to reach the lockout here
    sign_in(client, "tex-editor")
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    for _ in range(10):
        assert client.post(CODE, {"code": wrong}).status_code == 200
    assert client.post(CODE, {"code": wrong}).status_code == 429
    assert sign_in(client, "tex-editor").status_code == 429


# --- sessions ----------------------------------------------------------------------------------


def test_a_session_ends_after_eight_hours_and_with_the_browser(client, device, settings):
    sign_in(client, "tex-editor")
    client.post(CODE, {"code": code_of(device)})
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert client.session.get_expiry_age() == 8 * 3600
    assert client.session.get_expire_at_browser_close()
    assert client.cookies[settings.SESSION_COOKIE_NAME]["expires"] == ""  # a browser-session cookie
    assert client.get(HOME).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(HOME)["Location"].startswith(LOGIN)


def test_signing_out_is_a_post_and_ends_the_session(client, device):
    sign_in(client, "tex-editor")
    client.post(CODE, {"code": code_of(device)})
    assert client.get("/account/uitloggen/").status_code == 405
    assert is_signed_in(client)
    response = client.post("/account/uitloggen/")
    assert response["Location"] == LOGIN + "?uitgelogd=1"
    assert not is_signed_in(client)
    assert "U bent uitgelogd." in client.get(response["Location"]).content.decode()
    assert client.get(HOME)["Location"].startswith(LOGIN)


def test_the_header_links_to_sign_in_and_has_a_sign_out_button(client, verified_login, editor):
    html = client.get("/programma/").content.decode()
    assert f'href="{LOGIN}"' in html
    html = verified_login(client, editor).get("/programma/").content.decode()
    assert 'action="/account/uitloggen/" method="post"' in html and "Uitloggen" in html


def test_signing_in_leaves_no_history_row_and_keeps_the_data_version(client):
    from imvo.core.models import DataVersion

    reader = make_user("reader", role="stakeholder")
    before = (reader.history.count(), DataVersion.objects.get().token)
    sign_in(client, "reader")
    assert (reader.history.count(), DataVersion.objects.get().token) == before
    assert Membership.objects.filter(user=reader).exists()


def test_a_lock_that_comes_after_the_password_stops_the_second_step_too(client, device):
    sign_in(client, "tex-editor")
    other = type(client)()
    for _ in range(11):
        sign_in(other, "tex-editor", "wrong")
    response = client.post(CODE, {"code": code_of(device)})
    assert response.status_code == 429 and not is_signed_in(client)
