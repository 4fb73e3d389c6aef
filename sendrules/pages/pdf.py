"""Print a page to PDF with headless Chromium, so the PDF is the page, byte for byte as laid
out by a browser with the page's print stylesheet.

Chromium is found at ``$SENDRULES_CHROMIUM``, else ``chromium`` / ``chromium-browser`` /
``google-chrome`` on the PATH (Debian: ``apt-get install chromium``). It runs with a fresh,
throw-away profile, no network use of its own, and the page loaded from a temporary file.
When it is missing the error says so and how to install it; the HTML report needs nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from sendrules.engine.errors import InputError, Problem

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = [
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-extensions",
    "--no-pdf-header-footer",
    "--print-to-pdf-no-header",
]
TIMEOUT_SECONDS = 120


def find_chromium() -> str | None:
    """The Chromium executable to print with, or None."""
    configured = os.environ.get("SENDRULES_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html: str, output: Path) -> None:
    """Print ``html`` to the PDF file ``output`` (A4, the page's print stylesheet)."""
    executable = find_chromium()
    if executable is None:
        raise InputError(
            "pdf_needs_chromium",
            "cannot make a PDF: Chromium was not found",
            [
                Problem(
                    "--format",
                    "install Chromium (Debian: apt-get install chromium) or set SENDRULES_CHROMIUM to its "
                    "path; --format html writes the same report without it",
                    field="format",
                )
            ],
        )
    with tempfile.TemporaryDirectory(prefix="sendrules-pdf-") as work:
        page = Path(work) / "page.html"
        page.write_text(html, encoding="utf-8")
        target = Path(work) / "page.pdf"
        flags = list(FLAGS) + (["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])
        command = [
            executable,
            *flags,
            f"--user-data-dir={Path(work) / 'profile'}",
            f"--print-to-pdf={target}",
            page.as_uri(),
        ]
        try:
            finished = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise InputError(
                "pdf_failed", f"Chromium ({executable}) could not print the PDF: {error}"
            ) from None
        if not target.is_file() or target.stat().st_size == 0:
            detail = (finished.stderr or "").strip().splitlines()[-1:] or [f"exit code {finished.returncode}"]
            raise InputError("pdf_failed", f"Chromium ({executable}) did not write a PDF: {detail[0]}")
        try:
            shutil.copyfile(target, output)
        except OSError as error:
            raise InputError("cannot_write", f"cannot write {output}: {error.strerror or error}") from None


__all__ = ["html_to_pdf", "find_chromium"]
