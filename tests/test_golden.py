"""Golden outputs: what users see from the CLI and the main pages stays as it was.

The files under ``tests/golden/`` were captured before the restructure of issue 7 and must stay
equal through it. A deliberate change of output is recorded by running this module with
``IMVO_GOLDEN_UPDATE=1`` and reviewing the diff of ``tests/golden/`` in the commit.
"""

from __future__ import annotations

import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from tests.covenant_samples import COVENANT_NL, PLAIN_EN

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("IMVO_GOLDEN_UPDATE") == "1"

STATUS_CASES = {
    f"status_{args_id}_{fmt}{'_en' if lang == 'en' else ''}": [
        *args,
        "--format",
        fmt,
        "--lang",
        lang,
    ]
    for args_id, args in {
        "2015-07-10": ["--as-of", "2015-07-10"],
        "2015-06-01": ["--as-of", "2015-06-01"],
        "2014-10-31": ["--as-of", "2014-10-31"],
        "2014-11-01": ["--as-of", "2014-11-01"],
        "2014-01-01": ["--as-of", "2014-01-01"],
        "known-2015-07-09": ["--as-of", "2015-07-10", "--known-at", "2015-07-09"],
        "filters": ["--as-of", "2015-07-10", "--trajectory", "gold", "--trajectory", "coal"],
        "phase": ["--as-of", "2015-07-10", "--phase", "no_initiative"],
    }.items()
    for fmt in ("text", "json", "csv")
    for lang in ("nl", "en")
}

PAGES = {
    "overview": "/?peildatum=2015-07-10",
    "overview_2014": "/?peildatum=2014-01-01&bekend_op=2015-07-10",
    "overview_bad_date": "/?peildatum=10-07-2015",
    "trajectory_textile": "/trajecten/textile/?peildatum=2015-07-10",
    "trajectory_wood": "/trajecten/wood/?peildatum=2015-07-10",
    "sector_floriculture": "/sectoren/floriculture/",
    "programme": "/programma/",
    "sources": "/bronnen/",
    "organisations": "/organisaties/",
    "heatmap": "/risico/",
    "division_14": "/risico/nace/14/",
    "division_14_theme": "/risico/nace/14/?thema=forced_labour",
    "not_found": "/trajecten/nope/",
}


def _compare(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path}; capture with IMVO_GOLDEN_UPDATE=1"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from its golden output"


def _command(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(STATUS_CASES))
def test_status_output_is_unchanged(name: str) -> None:
    _compare(f"{name}.txt", _command("status", *STATUS_CASES[name]))


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "json", "text"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_sra_output_is_unchanged(fmt: str, lang: str) -> None:
    _compare(f"sra_{lang}.{fmt}", _command("sra", "--format", fmt, "--lang", lang))


@pytest.mark.django_db
def test_sra_explain_output_is_unchanged() -> None:
    _compare("sra_explain_14.txt", _command("sra", "explain", "14"))
    _compare(
        "sra_explain_14_en.json",
        _command("sra", "explain", "14", "--format", "json", "--lang", "en"),
    )


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "html"])
@pytest.mark.parametrize("text", ["covenant_nl", "plain_en"])
def test_assess_output_is_unchanged(tmp_path: Path, fmt: str, text: str) -> None:
    path = tmp_path / f"{text}.txt"
    path.write_text({"covenant_nl": COVENANT_NL, "plain_en": PLAIN_EN}[text], encoding="utf-8")
    args = ["assess", str(path), "--format", fmt]
    if fmt != "csv" and text == "covenant_nl":
        args.append("--checklist")
    output = _command(*args).replace(str(tmp_path), "<tmp>")
    _compare(f"assess_{text}.{fmt}", output)


def _mask(html: str) -> str:
    """Blank what changes by itself: CSRF tokens and today's date (the default reference date)."""
    from django.utils import timezone
    from django.utils.dateformat import format as date_format

    html = re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="*"', html
    )
    today = timezone.localdate()
    for shown in (date_format(today, "j F Y"), today.isoformat()):
        html = html.replace(shown, "<today>")
    return html


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_html_is_unchanged(client, page: str, lang: str) -> None:
    url = PAGES[page]
    url += ("&" if "?" in url else "?") + f"lang={lang}"
    response = client.get(url)
    with translation.override(lang):  # today's date is masked as the page shows it
        html = _mask(response.content.decode())
    _compare(f"page_{page}_{lang}.html", f"{response.status_code}\n{html}")
