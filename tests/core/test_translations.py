"""Dutch first: every interface string has a Dutch translation, and the compiled catalogue is current."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import imvo

PO = Path(imvo.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def entries() -> list[str]:
    return [e for e in PO.read_text(encoding="utf-8").split("\n\n") if not e.startswith("#~")]


def strings(block: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))


def test_every_string_is_translated_and_none_is_fuzzy():
    missing = []
    for entry in entries():
        msgid = re.search(r'^msgid ((?:"(?:[^"\\]|\\.)*"\n?)+)', entry, re.M)
        if not msgid or not strings(msgid.group(1)):
            continue
        assert "#, fuzzy" not in entry, entry
        translations = re.findall(r'^msgstr(?:\[\d\])? ((?:"(?:[^"\\]|\\.)*"\n?)+)', entry, re.M)
        if not translations or not all(strings(t) for t in translations):
            missing.append(strings(msgid.group(1)))
    assert missing == []


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext's msgfmt is not installed")
def test_the_compiled_catalogue_matches_the_po_file(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(PO)], check=True)
    assert compiled.read_bytes() == PO.with_suffix(".mo").read_bytes()
