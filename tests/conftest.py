"""Shared fixtures: the test database holds the shipped reference data, loaded once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from imvo.core.audit import system_user
from imvo.reference.services import reference_data_load


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """No test sees a page another test cached (imvo.core.pagecache).

    Each test's writes are rolled back, which brings back the data version of before; a test
    that changed data without a write through the services (a direct ORM update, files in
    another VAR_DIR) would otherwise leave pages under that version for the next test."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()
    yield


def login_verified(client, user):
    """Sign ``user`` in on ``client`` as after both steps of signing in (password, TOTP code).

    Gives the user a confirmed TOTP device (unless they have one) and marks the session as
    verified by it (django-otp), so that the pages that need a second factor — the admin, the
    editors' pages — open under the installation's own setting (``IMVO_REQUIRE_2FA`` on).
    Use it instead of ``client.force_login`` for staff and editors; returns the client."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def verified_login(db):
    """``verified_login(client, user)``: :func:`login_verified` as a fixture."""
    return login_verified


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        reference_data_load(user=system_user())


def run_imvo(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the ``imvo`` console entry point in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "imvo.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="session")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment of an initialised installation on its own SQLite file (not the test DB).

    The command line speaks English here (``IMVO_LANG=en``) so that tests can read its
    messages; ``tests/commands/test_cli_language.py`` checks the Dutch default."""
    var = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["IMVO_VAR_DIR"] = str(var)
    env["IMVO_LANG"] = "en"
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = run_imvo("init", env=env)
    assert result.returncode == 0, result.stderr
    return env


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped reference-data folder."""
    import shutil

    from imvo.reference.services import DEFAULT_DATA_DIR

    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


@pytest.fixture
def covenant_txt(tmp_path: Path) -> Path:
    """The sample covenant as a text file."""
    from tests.covenant_samples import COVENANT_NL

    path = tmp_path / "convenant.txt"
    path.write_text(COVENANT_NL, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """One headless Chromium per test module (see tests/web/browser.py for the rest)."""
    from playwright.sync_api import sync_playwright

    from tests.web.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
