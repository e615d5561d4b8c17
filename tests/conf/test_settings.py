"""Strict settings: a value that cannot be understood stops ``imvo`` with one line, exit 2."""

from __future__ import annotations

import pytest

from tests.conftest import run_imvo

YES_NO = "(use one of: 1, true, yes, on or 0, false, no, off)"


def start(cli_env: dict[str, str], **settings: str):
    return run_imvo("status", env={**cli_env, **settings})


def refused(result) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("imvo: error: settings: "), lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("name", "value"),
    [("IMVO_DEBUG", "ture"), ("IMVO_SECURE_COOKIES", "yess"), ("IMVO_DEBUG", "2")],
)
def test_a_yes_no_variable_with_a_typo_is_refused(cli_env, name, value):
    line = refused(start(cli_env, **{name: value}))
    assert line == f"imvo: error: settings: {name}='{value}' is not a yes/no value {YES_NO}"


@pytest.mark.parametrize("value", ["abc", "-1", "1.5"])
def test_an_integer_variable_that_is_not_a_whole_number_is_refused(cli_env, value):
    line = refused(start(cli_env, IMVO_DB_CONN_MAX_AGE=value))
    assert f"IMVO_DB_CONN_MAX_AGE='{value}' is not a whole number of 0 or more" in line


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("foo://x/y", "DATABASE_URL has the unknown scheme 'foo://'"),
        ("mysql://u@h/db", "DATABASE_URL has the unknown scheme 'mysql://'"),
        ("just-a-path.sqlite3", "DATABASE_URL has no scheme"),
        ("postgres://u:s3cret@h:port/x", "DATABASE_URL is not a valid postgres URL"),
    ],
)
def test_a_database_url_that_cannot_be_used_is_refused(cli_env, url, message):
    line = refused(start(cli_env, DATABASE_URL=url))
    assert message in line
    assert "s3cret" not in line  # the URL may hold a password: only its scheme is shown


def test_an_unknown_log_level_is_refused(cli_env):
    line = refused(start(cli_env, IMVO_LOG_LEVEL="loud"))
    assert "IMVO_LOG_LEVEL='loud' is not one of: DEBUG, INFO, WARNING, ERROR, CRITICAL" in line


@pytest.mark.parametrize(
    "settings",
    [
        {"IMVO_DEBUG": "Yes", "IMVO_SECURE_COOKIES": "off"},
        {"IMVO_DEBUG": "0", "IMVO_SECURE_COOKIES": "TRUE", "IMVO_DB_CONN_MAX_AGE": "0"},
        {"IMVO_DEBUG": "", "IMVO_DB_CONN_MAX_AGE": " ", "IMVO_LOG_LEVEL": "error"},
    ],
)
def test_accepted_values_start(cli_env, settings):
    result = start(cli_env, **settings)
    assert result.returncode == 0, result.stderr


def test_the_settings_module_raises_improperly_configured(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from imvo.conf import settings as module

    monkeypatch.setenv("IMVO_X", "nope")
    with pytest.raises(ImproperlyConfigured, match="IMVO_X='nope' is not a yes/no value"):
        module._env_bool("IMVO_X", False)
    monkeypatch.setenv("IMVO_X", "On")
    assert module._env_bool("IMVO_X", False) is True
    monkeypatch.delenv("IMVO_X")
    assert module._env_bool("IMVO_X", True) is True
    with pytest.raises(ImproperlyConfigured, match="unknown scheme 'redis://'"):
        module._database("redis://h/0", 60)
