"""Open a page in headless Chromium (Debian's package, never a downloaded browser) and report
what a person's browser would see: console messages, page errors, every network request, the
text of the DOM, and a full-page screenshot.

Playwright drives Chromium at ``/usr/bin/chromium`` (``SENDRULES_CHROMIUM`` overrides) with a
fresh profile per page; Playwright's own browser downloads are never used. Any request that
is not the page itself is recorded and refused, so a page that tries to reach the network
fails its test instead of silently working online.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> str | None:
    configured = os.environ.get("SENDRULES_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageReport:
    url: str
    console: list[str] = field(default_factory=list)  # "type: text" for every console message
    errors: list[str] = field(default_factory=list)  # uncaught exceptions
    requests: list[str] = field(default_factory=list)  # every URL other than the page itself
    text: str = ""  # document.body.innerText
    title: str = ""
    screenshot: Path | None = None


def open_page(html_file: Path, screenshot: Path | None = None, width: int = 1280) -> PageReport:
    """Load ``html_file`` from disk (file://) and report on it."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise RuntimeError("Chromium is not installed (Debian: apt-get install chromium)")
    url = html_file.resolve().as_uri()
    report = PageReport(url)
    with (
        tempfile.TemporaryDirectory(prefix="sendrules-chromium-") as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": width, "height": 900},
            offline=True,
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.on("console", lambda message: report.console.append(f"{message.type}: {message.text}"))
            page.on("pageerror", lambda error: report.errors.append(str(error)))

            def route(request_route):
                request = request_route.request
                if request.url != url:
                    report.requests.append(request.url)
                    request_route.abort()
                else:
                    request_route.continue_()

            context.route("**/*", route)
            page.goto(url, wait_until="load")
            report.title = page.title()
            report.text = page.evaluate("document.body.innerText")
            if screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot), full_page=True)
                report.screenshot = screenshot
        finally:
            context.close()
    return report
