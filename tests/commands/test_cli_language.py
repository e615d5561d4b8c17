"""One language per command-line output: Dutch by default, English with --lang en or IMVO_LANG.

The help (IMVO's main help, a command's help with Django's shared options and argparse's own
words), the one-line errors and the text output are all in the chosen language."""

from __future__ import annotations

import re

import pytest

from tests.conftest import run_imvo

#: Words that give English away in Dutch output, and the reverse (whole words only).
ENGLISH = ("usage", "options", "error", "show", "the", "with", "and", "from", "only", "since")
DUTCH = ("gebruik", "opties", "fout", "toon", "het", "met", "alleen", "sinds", "van", "niet")


def words(text: str) -> set[str]:
    """The words of ``text`` outside option names, metavariables, choices and quoted code."""
    text = re.sub(r"--?[a-z][a-z-]*|\b[A-Z_]{2,}\b|\{[^}]*\}|'[^']*'", " ", text)
    return set(re.findall(r"[a-zà-ÿ]+", text.lower()))


def dutch(env: dict[str, str]) -> dict[str, str]:
    return {**env, "IMVO_LANG": "nl"}


def english_env(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k != "IMVO_LANG"}


@pytest.mark.parametrize("args", [("--help",), ("help", "status"), ("help", "audit")])
def test_help_is_dutch_by_default_and_english_with_lang_en(cli_env, args):
    nl = run_imvo(*args, env=english_env(cli_env))  # no IMVO_LANG: the Dutch default
    assert nl.returncode == 0, nl.stderr
    assert not words(nl.stdout) & set(ENGLISH), words(nl.stdout) & set(ENGLISH)
    assert "gebruik:" in nl.stdout

    en = run_imvo(*args, "--lang", "en", env=english_env(cli_env))
    assert en.returncode == 0, en.stderr
    assert not words(en.stdout) & set(DUTCH), words(en.stdout) & set(DUTCH)
    assert "usage:" in en.stdout


def test_imvo_lang_chooses_the_language_and_lang_overrides_it(cli_env):
    by_env = run_imvo("status", "--as-of", "2015-07-10", env=cli_env)  # IMVO_LANG=en
    assert by_env.stdout.startswith("Trajectories by phase on 2015-07-10")
    by_option = run_imvo("status", "--as-of", "2015-07-10", "--lang", "nl", env=cli_env)
    assert by_option.stdout.startswith("Trajecten per fase op 2015-07-10")


@pytest.mark.parametrize(
    ("args", "nl", "en"),
    [
        (
            ("status", "--as-of", "2015-13-01"),
            "imvo status: fout: argument --as-of: '2015-13-01' is geen datum (verwacht JJJJ-MM-DD)",
            "imvo status: error: argument --as-of: '2015-13-01' is not a date (expected YYYY-MM-DD)",
        ),
        (
            ("serve", "--port", "0"),
            "imvo serve: fout: argument --port: moet van 1 tot en met 65535 zijn, niet 0",
            "imvo serve: error: argument --port: must be from 1 to 65535, not 0",
        ),
        (
            ("status", "--bogus"),
            "imvo status: fout: onbekende argumenten: --bogus",
            "imvo status: error: unrecognized arguments: --bogus",
        ),
        (
            ("status", "--phase", "talking"),
            "imvo status: fout: --phase: onbekende fase 'talking' (verwacht een van: ",
            "imvo status: error: --phase: unknown phase 'talking' (expected one of: ",
        ),
    ],
)
def test_one_line_errors_are_in_the_chosen_language(cli_env, args, nl, en):
    dutch_result = run_imvo(*args, env=dutch(cli_env))
    assert dutch_result.returncode == 2
    assert dutch_result.stderr.strip().startswith(nl), dutch_result.stderr
    english_result = run_imvo(*args, env=cli_env)
    assert english_result.returncode == 2
    assert english_result.stderr.strip().startswith(en), english_result.stderr


def test_audit_text_names_model_action_and_fields_in_the_chosen_language(cli_env):
    nl = run_imvo("audit", "--limit", "1", env=dutch(cli_env)).stdout
    assert " aangemaakt — " in nl and "created" not in nl
    en = run_imvo("audit", "--limit", "1", env=cli_env).stdout
    assert " created — " in en and "aangemaakt" not in en
