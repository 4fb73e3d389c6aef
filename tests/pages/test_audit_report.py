"""The auditor's report: `sendrules replay ID --format html|pdf`, from a log written here with
fixed keys and a fixed clock (so the report is the same on every run)."""

from __future__ import annotations

import hashlib
import html as html_lib
import json
from datetime import date
import os
import re
import unicodedata
from pathlib import Path

import pytest

from sendrules.decisionlog.crypto import Pseudonymiser, decode_key, parse_encryption_keys
from sendrules.decisionlog.recorder import Recorder
from sendrules.decisionlog.store import DecisionLog
from sendrules.engine.request import parse_request
from tests.cli.test_cli import run
from tests.pages.conftest import artefacts_dir
from tests.release_logs.make_release_log import ENCRYPTION_KEYS, HMAC_KEY, fixed_clock

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden" / "audit-report-pdf.txt"
UPDATE = bool(os.environ.get("SENDRULES_UPDATE_GOLDEN"))


@pytest.fixture
def logged(tmp_path, service):
    """A log with two decisions; returns the second's id, the environment for the CLI, the log's
    path and the first's id."""
    path = tmp_path / "log" / "decisions.sqlite3"
    path.parent.mkdir()
    url = f"sqlite:///{path}"
    with DecisionLog.open(url, mode="append") as log:
        recorder = Recorder(
            log,
            service,
            Pseudonymiser(decode_key(HMAC_KEY, "HMAC_KEY")),
            parse_encryption_keys(ENCRYPTION_KEYS, "ENCRYPTION_KEYS"),
            clock=fixed_clock,
        )
        first = recorder.decide(
            parse_request(
                {
                    "journey": json.loads((ROOT / "examples" / "journey.json").read_text()),
                    "as_of": "2025-06-01",
                }
            )
        )
        second = recorder.decide(
            parse_request(
                {
                    "journey": json.loads((ROOT / "examples" / "journey-wider.json").read_text()),
                    "as_of": "2025-06-20",
                    "school_closures": [{"from": "2025-04-07", "to": "2025-04-17"}],
                }
            )
        )
    env = {
        "SENDRULES_LOG_URL": url,
        "SENDRULES_HMAC_KEY": HMAC_KEY,
        "SENDRULES_ENCRYPTION_KEYS": ENCRYPTION_KEYS,
        "XDG_CONFIG_HOME": str(tmp_path / "config-home"),
    }  # no config file: keys come from the environment
    return second.decision.decision_id, env, str(path), first.decision.decision_id


def test_html_report_in_chromium(logged, tmp_path, browse, library):
    decision_id, env, *_ = logged
    out = tmp_path / "report.html"
    result = run("replay", decision_id, "--format", "html", "--output", out, env=env)
    assert result.returncode == 0, result.stderr
    assert "replay identical" in result.stderr
    page = out.read_text(encoding="utf-8")
    report = browse(page, "audit-report")
    text = report.text
    assert "Replay: identical" in text and "entry #2" in text
    assert "C-000456" not in page and "2015-03-14" not in page and "ASD" not in page, "masked by default"
    for rule in (
        "ehc.final_plan",
        "exclusion.sixth_day_provision",
        "attendance.part_time_time_limited",
        "exclusion.parent_notice",  # send-ap@1.4.0's duties after an exclusion, kept in 1.5.0
        "exclusion.suspension_yearly_cap",
    ):
        assert f"rule {rule} " in text  # the text of every rule that fired
    # decided without naming a version: the newest published encoding on 20 June 2025, with its full hash
    assert f"send-ap@1.5.0, sha256 {library.resolve('send-ap@1.5.0', date(2025, 6, 20)).sha256}" in text
    assert "2025-04-07 to 2025-04-17" in text  # the logged school closures

    # the page's own instructions recompute the entry hash without sendrules
    chained = re.search(r"exactly these fields:\s*<pre><code>(.*?)</code></pre>", page, re.S).group(1)
    fields = json.loads(html_lib.unescape(chained))
    recomputed = hashlib.sha256(
        json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    assert f"The output must be <code>{recomputed}</code>" in page
    stored = re.search(r"exactly as stored</h2>\s*<pre><code>(.*?)</code></pre>", page, re.S).group(1)
    assert hashlib.sha256(html_lib.unescape(stored).encode("utf-8")).hexdigest() == fields["decision_sha256"]
    assert fields["prev_hash"] != "0" * 64 and fields["seq"] == 2


def test_unmasked_report_shows_the_request(logged):
    decision_id, env, *_ = logged
    result = run("replay", decision_id, "--format", "html", "--unmask", env=env)
    assert result.returncode == 0 and "C-000456" in result.stdout and "Unmasked:" in result.stdout


def test_a_replay_under_other_standards_shows_each_difference(logged, tmp_path, browse):
    *_, env, _, decision_id = logged  # the first decision: its events exist in 1.0.0
    result = run("replay", decision_id, "--standards", "send-ap@1.0.0", "--format", "html", env=env)
    assert result.returncode == 1, "different: exit 1, as for the table"
    report = browse(result.stdout, "audit-report-different")
    assert "Replay: different" in report.text and "The replay used other standards" in report.text
    assert re.search(r"standards\.version\s+1\.5\.0\s+1\.0\.0", report.text)
    assert "removed" in report.text  # findings of rules 1.0.0 does not have


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)
    return unicodedata.normalize("NFKC", text)  # a ligature glyph (ﬁ) reads as its letters


def test_pdf_report_text_is_golden(logged, tmp_path, chromium):
    decision_id, env, log_path, _ = logged
    out = tmp_path / "report.pdf"
    # a relative URL, run from the log's parent folder: the report names the log the same way every run
    result = run(
        "replay",
        decision_id,
        "--format",
        "pdf",
        "--output",
        out,
        cwd=Path(log_path).parent.parent,
        env={**env, "SENDRULES_CHROMIUM": chromium, "SENDRULES_LOG_URL": "sqlite:///log/decisions.sqlite3"},
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    (artefacts_dir()).mkdir(parents=True, exist_ok=True)
    (artefacts_dir() / "audit-report.pdf").write_bytes(out.read_bytes())
    text = _pdf_text(out)
    if UPDATE:
        GOLDEN.write_text(text + "\n", encoding="utf-8")
    golden = GOLDEN.read_text(encoding="utf-8")
    # Compared without whitespace: where a line wraps (fonts differ between Chromium builds) is
    # layout, not content. The golden file keeps single spaces so that a diff stays readable.
    assert re.sub(r"\s+", "", text) == re.sub(r"\s+", "", golden), (
        "the PDF's text changed; review it and re-record with SENDRULES_UPDATE_GOLDEN=1"
    )


def test_pdf_errors_are_clear(logged, tmp_path):
    decision_id, env, *_ = logged
    missing = run(
        "replay",
        decision_id,
        "--format",
        "pdf",
        "--output",
        tmp_path / "r.pdf",
        env={**env, "SENDRULES_CHROMIUM": str(tmp_path / "no-such-chromium")},
    )
    assert missing.returncode == 2 and "Chromium was not found" in missing.stderr
    assert "apt-get install chromium" in missing.stderr and not (tmp_path / "r.pdf").exists()
    no_output = run("replay", decision_id, "--format", "pdf", env=env)
    assert no_output.returncode == 2 and "--format pdf needs --output FILE" in no_output.stderr
