"""Pages are checked in a real browser: Debian's Chromium, driven by Playwright.

Screenshots go to ``build/artefacts/pages/`` (``SENDRULES_ARTEFACTS`` overrides the folder),
which CI keeps as an artefact. Where Chromium is not installed the browser tests are skipped,
unless ``SENDRULES_REQUIRE_CHROMIUM=1`` (set by ``.ci/run``), when they fail instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.pages.browser import PageReport, chromium_path, open_page

ROOT = Path(__file__).resolve().parents[2]


def artefacts_dir() -> Path:
    return Path(os.environ.get("SENDRULES_ARTEFACTS") or ROOT / "build" / "artefacts") / "pages"


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        if os.environ.get("SENDRULES_REQUIRE_CHROMIUM"):
            pytest.fail(
                "Chromium is required (SENDRULES_REQUIRE_CHROMIUM=1) but not installed: "
                "apt-get install chromium"
            )
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    return path


@pytest.fixture
def browse(chromium, tmp_path):
    """``browse(html, name)``: write the page, open it offline in Chromium, save a screenshot
    as ``<artefacts>/pages/<name>.png``, and check what every page must pass: no console
    messages, no uncaught errors, no network requests."""

    def check(html: str, name: str) -> PageReport:
        page = tmp_path / f"{name}.html"
        page.write_text(html, encoding="utf-8")
        report = open_page(page, artefacts_dir() / f"{name}.png")
        assert report.errors == [], f"uncaught errors in {name}: {report.errors}"
        assert report.console == [], f"console messages from {name}: {report.console}"
        assert report.requests == [], f"{name} tried to reach the network: {report.requests}"
        assert report.screenshot is not None and report.screenshot.stat().st_size > 10_000
        return report

    return check
