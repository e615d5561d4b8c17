"""Security settings: production turns every protection on, the local default stays zero-config.

- ``IMVO_ENV=production`` without a good ``IMVO_SECRET_KEY`` (or without ``IMVO_ALLOWED_HOSTS``)
  stops every command with one line and exit code 2; with them ``imvo check --deploy`` is clean.
- Every answer carries a Content-Security-Policy without inline script, and no page has one.
- The health check tells anonymous callers ``ok`` or ``error`` only; the detail is logged.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from tests.conftest import run_imvo
from tests.web.browser import free_port, needs_chromium, served

GOOD_KEY = secrets.token_urlsafe(50)
HOST = "imvo.example.org"


def production(cli_env: dict[str, str], **extra: str) -> dict[str, str]:
    env = {**cli_env, "IMVO_ENV": "production", "IMVO_SECRET_KEY": GOOD_KEY}
    env["IMVO_ALLOWED_HOSTS"] = HOST
    env.update(extra)
    return {name: value for name, value in env.items() if value is not None}


def refused(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("imvo: error: settings: "), lines[0]
    assert result.stdout == ""
    return lines[0]


# Production refuses to start without what it needs


def test_production_without_a_secret_key_refuses_to_serve(cli_env):
    env = production(cli_env)
    del env["IMVO_SECRET_KEY"]
    line = refused(run_imvo("serve", "--port", "8765", env=env))
    assert "IMVO_SECRET_KEY is not set, but IMVO_ENV=production" in line


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "IMVO_SECRET_KEY is not set"),
        ("s3cret-but-short", "IMVO_SECRET_KEY is only 16 characters long"),
        ("imvo-local-insecure-key-set-IMVO_SECRET_KEY-padded-to-fifty", "looks like a default"),
        ("django-insecure-" + "k" * 10 + GOOD_KEY[:30], "looks like a default"),
        ("changeme" * 8, "looks like a default"),
        ("ab" * 30, "looks like a default"),
    ],
)
def test_production_refuses_a_short_or_default_looking_key(cli_env, key, message):
    line = refused(run_imvo("status", env=production(cli_env, IMVO_SECRET_KEY=key)))
    assert message in line
    if key:
        assert key not in line  # the key is never shown


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"IMVO_ALLOWED_HOSTS": None}, "IMVO_ALLOWED_HOSTS is not set, but IMVO_ENV=production"),
        ({"IMVO_DEBUG": "true"}, "IMVO_DEBUG is on, but IMVO_ENV=production"),
        ({"IMVO_ENV": "prod"}, "IMVO_ENV='prod' is not one of: local, production"),
        (
            {"IMVO_PROXY_SSL_HEADER": "X Forwarded"},
            "IMVO_PROXY_SSL_HEADER='X Forwarded' is not a header name",
        ),
        (
            {"IMVO_CSRF_TRUSTED_ORIGINS": "imvo.example.org"},
            "IMVO_CSRF_TRUSTED_ORIGINS holds 'imvo.example.org', which is not an origin",
        ),
        ({"IMVO_HSTS_SECONDS": "a year"}, "IMVO_HSTS_SECONDS='a year' is not a whole number"),
        ({"IMVO_SSL_REDIRECT": "maybe"}, "IMVO_SSL_REDIRECT='maybe' is not a yes/no value"),
        (
            {"IMVO_SQLITE_BUSY_TIMEOUT": "0"},
            "IMVO_SQLITE_BUSY_TIMEOUT='0' is not a whole number of 1 or more",
        ),
    ],
)
def test_settings_production_cannot_use_are_refused(cli_env, settings, message):
    env = production(cli_env)
    for name, value in settings.items():
        if value is None:
            del env[name]
        else:
            env[name] = value
    assert message in refused(run_imvo("status", env=env))


def test_check_deploy_is_clean_in_production(cli_env):
    result = run_imvo("check", "--deploy", env=production(cli_env))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr
    # The one silenced check is HSTS preload (documented in docs/operations/settings.md).
    assert "(1 silenced)" in result.stdout


def test_check_deploy_names_preload_once_it_is_chosen_and_nothing_is_silenced(cli_env):
    result = run_imvo("check", "--deploy", env=production(cli_env, IMVO_HSTS_PRELOAD="true"))
    assert result.returncode == 0, result.stderr
    assert "no issues (0 silenced)" in result.stdout


PRODUCTION_REQUESTS = f"""
import json
from django.test import Client
c = Client(HTTP_HOST="{HOST}")
plain = c.get("/programma/")
health = c.get("/gezondheid/")
secure = c.get("/programma/", HTTP_X_FORWARDED_PROTO="https")
login = c.get("/admin/login/", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({{
    "plain": [plain.status_code, plain.get("Location")],
    "health": health.status_code,
    "secure": secure.status_code,
    "hsts": secure.get("Strict-Transport-Security"),
    "csrf_cookie_secure": bool(login.cookies["csrftoken"]["secure"]),
    "referrer": secure.get("Referrer-Policy"),
}}))
"""


def test_production_redirects_to_https_sends_hsts_and_secure_cookies(cli_env):
    env = production(cli_env, IMVO_PROXY_SSL_HEADER="X-Forwarded-Proto")
    result = run_imvo("shell", "-c", PRODUCTION_REQUESTS, env=env)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["plain"] == [301, f"https://{HOST}/programma/"]
    assert answers["health"] == 200  # probes inside ask over plain HTTP
    assert answers["secure"] == 200
    assert answers["hsts"] == "max-age=31536000; includeSubDomains"
    assert answers["csrf_cookie_secure"] is True
    assert answers["referrer"] == "same-origin"


# Headers and pages in the local default


PAGES = [
    "/?peildatum=2019-12-31",
    "/trajecten/textile/",
    "/programma/",
    "/risico/",
    "/methode/",
    "/admin/login/",
]


def csp(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.django_db
def test_every_answer_has_the_security_headers_and_a_policy_without_inline_script(client):
    for path in [*PAGES, "/risico/heatmap.svg", "/gezondheid/", "/static/imvo/imvo.js"]:
        response = client.get(path)
        assert response.status_code == 200, path
        policy = csp(response)
        assert policy["script-src"] == ["'self'"], path
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["img-src"] == ["'self'", "data:"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        if not path.startswith("/static/"):
            assert response.headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in response.headers  # local: plain HTTP


@pytest.mark.django_db
def test_no_page_has_an_inline_script_or_event_handler(client):
    for path in PAGES:
        html = client.get(path).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert " src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+\s*=", html), path
        assert "javascript:" not in html, path
    assert '<script src="/static/imvo/imvo.js" defer></script>' in client.get("/").content.decode()


def test_the_local_default_needs_no_settings(monkeypatch):
    from imvo.conf import settings as module

    for name in ("IMVO_ENV", "IMVO_SECRET_KEY", "IMVO_ALLOWED_HOSTS", "IMVO_PROXY_SSL_HEADER"):
        monkeypatch.delenv(name, raising=False)
    assert module._environment() == "local"
    assert module._secret_key(False) == module.LOCAL_SECRET_KEY
    assert "127.0.0.1" in module._allowed_hosts(False)
    assert module._proxy_ssl_header() is None
    monkeypatch.setenv("IMVO_PROXY_SSL_HEADER", "X-Forwarded-Proto")
    assert module._proxy_ssl_header() == ("HTTP_X_FORWARDED_PROTO", "https")
    monkeypatch.setenv("IMVO_PROXY_SSL_HEADER", "X-Forwarded-Ssl: on")
    assert module._proxy_ssl_header() == ("HTTP_X_FORWARDED_SSL", "on")


# The health check does not tell anonymous callers about the database


def serve_and_ask(env: dict[str, str], path: str) -> tuple[int, bytes, str]:
    """Start ``imvo serve``, GET ``path``; the status, the body and what the server logged."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "imvo.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
                    status, body = answer.status, answer.read()
                break
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                time.sleep(0.1)
        else:
            pytest.fail("imvo serve did not answer")
    finally:
        process.terminate()
        _, logged = process.communicate(timeout=10)
    return status, body, logged


@pytest.mark.parametrize("kind", ["postgres", "sqlite"])
def test_the_health_check_with_an_unreachable_database_says_error_only(cli_env, tmp_path, kind):
    if kind == "postgres":
        port = free_port()  # nothing listens there
        url = f"postgres://imvo_user:s3cret@127.0.0.1:{port}/imvo_private_name"
        secrets_shown = ("127.0.0.1", str(port), "imvo_private_name", "imvo_user", "s3cret")
    else:
        url = f"sqlite:///{tmp_path}/no-such-folder/imvo_private_name.sqlite3"
        secrets_shown = (str(tmp_path), "imvo_private_name", "unable to open")
    status, body, logged = serve_and_ask({**cli_env, "DATABASE_URL": url}, "/gezondheid/")
    assert status == 503
    assert json.loads(body) == {"status": "error"}
    for text in secrets_shown:
        assert text.encode() not in body
    assert "health check: the database does not answer: OperationalError" in logged


# In a browser: the policy blocks nothing the site needs


@pytest.fixture(scope="module")
def site(cli_env: dict[str, str]) -> Iterator[str]:
    with served(cli_env) as base:
        yield base


@pytest.mark.browser
@needs_chromium
def test_the_policy_blocks_nothing_and_svg_images_display(chromium, site):
    context = chromium.new_context()
    page = context.new_page()
    blocked: list[str] = []
    page.on(
        "console",
        lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    for path in [*PAGES, "/risico/heatmap.svg"]:
        response = page.goto(site + path)
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        if path == "/risico/":
            image = page.locator("img.heatmap-image")
            image.scroll_into_view_if_needed()
            page.wait_for_function("document.querySelector('img.heatmap-image').complete")
            assert image.evaluate("img => img.naturalWidth") > 0
        if path.startswith("/?"):
            assert page.evaluate("document.documentElement.classList.contains('js')")
    context.close()
    assert blocked == []
