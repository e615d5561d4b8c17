"""What the browser tests share: Debian's chromium through Playwright, an ``imvo serve`` of an
installation, and axe-core.

The browser tests need Debian's chromium (skipped without it). The axe-core checks also need
the axe-core npm package: set AXE_CORE_JS to its axe.min.js (CI installs it with npm into a
temp dir), else they are skipped with the reason. The ``chromium`` fixture is in
``tests/conftest.py``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip

#: Mark a test (or module, in ``pytestmark``) that needs the browser.
needs_chromium = pytest.mark.skipif(
    not shutil.which("chromium"), reason="Debian's chromium is not installed"
)

#: axe-core's violations of the whole page, as "rule: first targets" lines.
AXE_RUN = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
           .map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).slice(0, 3)}`)"""

AXE_MISSING = "axe-core is not installed: set AXE_CORE_JS to node_modules/axe-core/axe.min.js"


def axe_script() -> Path | None:
    """axe-core's browser bundle: AXE_CORE_JS, else a node_modules next to the project or global."""
    candidates = [os.environ.get("AXE_CORE_JS", "")]
    root = Path(__file__).resolve().parents[2]
    candidates.append(str(root / "node_modules" / "axe-core" / "axe.min.js"))
    if shutil.which("npm"):
        try:
            npm_root = subprocess.run(
                ["npm", "root", "-g"], capture_output=True, text=True, timeout=20, check=True
            ).stdout.strip()
            candidates.append(str(Path(npm_root) / "axe-core" / "axe.min.js"))
        except (OSError, subprocess.SubprocessError):
            pass
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def served(env: dict[str, str], *args: str) -> Iterator[str]:
    """``imvo serve`` (with ``args``) of the installation in ``env`` on a free port; yields its
    base URL once the health check answers, and stops the server afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "imvo.cli", "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/gezondheid/", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"imvo serve stopped with exit code {process.returncode}")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


class Axe:
    """Checks that a page does not scroll sideways and runs axe-core on it (when installed),
    collecting what it finds per page. Pages must be opened with ``bypass_csp=True``: axe-core
    goes in as an inline script, which the site's Content-Security-Policy blocks."""

    def __init__(self) -> None:
        script = axe_script()
        self.source = script.read_text(encoding="utf-8") if script else None
        self.found: dict[str, list[str]] = {}
        self.checked: list[str] = []

    def check(self, page, name: str) -> None:
        width, viewport = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert width <= viewport, f"{name}: the page scrolls sideways ({width} > {viewport})"
        self.checked.append(name)
        if self.source is None:
            return
        page.add_script_tag(content=self.source)
        violations = page.evaluate(AXE_RUN)
        if violations:
            self.found[name] = violations

    def verdict(self) -> None:
        """Skip when axe-core is missing (after the other checks ran), else assert nothing found."""
        if self.source is None:
            pytest.skip(AXE_MISSING)
        assert self.found == {}
