"""Benchmark of the progress letter (issue 12): all five formats of one report.

    .venv/bin/python benchmarks/report.py [--as-of 2018-12-31]

On a fresh installation in a temporary folder (``imvo init``: SQLite with the shipped
reference data), in one process: the report's data from the record (the selector, with the
forecast of 10,000 runs), then the letter as DOCX, PDF, HTML, Markdown and JSON, in both
languages in turn; best of 3 for each language. The goal (issue 12) is all formats of one
report in under 5 s. The last lines are ``report_select_seconds=…``,
``report_all_formats_seconds=…`` (selector and the five formats of one language) and
``report_pdf_seconds=…``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--as-of", default="2018-12-31")
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="imvo-bench-report-")
    env = {**os.environ, "IMVO_VAR_DIR": var}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "imvo.cli", "init"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    os.environ.update({"IMVO_VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "imvo.conf.settings"})
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from imvo.programme.selectors import progress_report
    from imvo.reports.exporters import exporter
    from imvo.reports.progress import FORMATS

    as_of = dt.date.fromisoformat(args.as_of)
    select, total, pdf = [], [], []
    sizes: dict[str, int] = {}
    for _round in range(3):
        for lang in ("nl", "en"):
            start = time.perf_counter()
            report = progress_report(as_of=as_of)
            selected = time.perf_counter()
            for fmt in FORMATS:
                before = time.perf_counter()
                content = exporter(f"progress.{fmt}").render(report, lang=lang).content
                if fmt == "pdf":
                    pdf.append(time.perf_counter() - before)
                sizes[f"{fmt}_{lang}"] = len(content)
            total.append(time.perf_counter() - start)
            select.append(selected - start)
    for name, size in sorted(sizes.items()):
        print(f"size {name}: {size:,} bytes")
    print(f"report_select_seconds={min(select):.3f}")
    print(f"report_pdf_seconds={min(pdf):.3f}")
    print(f"report_all_formats_seconds={min(total):.3f}")


if __name__ == "__main__":
    main()
