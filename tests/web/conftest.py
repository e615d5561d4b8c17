"""Fixtures of the web tests: one headless Chromium per test module (see tests/web/browser.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.browser import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
