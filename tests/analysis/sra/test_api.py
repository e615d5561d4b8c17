"""The public API of the pure engine: the one NACE-division rule, and no Django underneath."""

from __future__ import annotations

import subprocess
import sys

import pytest

from imvo.analysis.sra import divisions_of


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["13", "14"], ["13", "14"]),
        (["06", "09.10", "19", "52.10"], ["06", "09", "19", "52"]),
        (["01.19", "01.30", "46.22"], ["01", "46"]),
        (["46.41", "13", "46.42", "13.20"], ["46", "13"]),  # unique, first-seen order
        ((code for code in ("64.19", "64")), ["64"]),  # any iterable
        ([], []),
    ],
)
def test_divisions_of_nace_codes(codes: list[str], expected: list[str]) -> None:
    assert divisions_of(codes) == expected


def test_the_engine_and_the_data_pack_do_not_import_django() -> None:
    code = (
        "import sys, imvo.analysis.sra, imvo.opendata.userdata; "
        "from imvo.analysis.sra import default_model, run_sra; run_sra(model=default_model()); "
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
