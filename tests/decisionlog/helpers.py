"""Helpers shared by the decision log's tests (and the writer processes they start)."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from sqlalchemy import text

from bench.cohort import cohort
from sendrules.decisionlog.config import load_config
from sendrules.decisionlog.recorder import Recorder
from sendrules.decisionlog.store import DecisionLog
from sendrules.engine.request import DecisionRequest, parse_request
from sendrules.engine.service import DecisionService
from sendrules import BUNDLED_STANDARDS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "journey.json"
PARAMETER_5_1 = "  source: SEND Regulations 2014 reg 5(1)\n  values:\n    2014-09-01: "


def standards_root(folder: Path, *versions: str) -> Path:
    """A standards root holding copies of the bundled send-ap 1.0.0 pack (the contract's rule
    catalogue), published, at each of ``versions``: the tests do not depend on which versions
    the bundled packs hold or which of them is in force."""
    for version in versions or ("1.0.0",):
        target = folder / "send-ap" / version
        shutil.copytree(BUNDLED_STANDARDS / "send-ap" / "1.0.0", target)
        manifest = target / "manifest.yaml"
        text = manifest.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^status: \w+$", "status: published", text)
        text = re.sub(r"(?m)^version: 1\.0\.0$", f"version: {version}", text)
        manifest.write_text(text, encoding="utf-8")
    return folder


def set_assessment_weeks(version_folder: Path, weeks: int) -> None:
    """Change ehc.assessment_decision_weeks (6 in send-ap 1.0.0) in a copied pack."""
    path = version_folder / "parameters.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(PARAMETER_5_1 + "6\n") == 1
    path.write_text(text.replace(PARAMETER_5_1 + "6\n", PARAMETER_5_1 + f"{weeks}\n"), encoding="utf-8")


def mark(version_folder: Path, status: str) -> None:
    path = version_folder / "manifest.yaml"
    path.write_text(
        re.sub(r"(?m)^status: \w+$", f"status: {status}", path.read_text(encoding="utf-8")), encoding="utf-8"
    )


def fixed_clock() -> datetime:
    return datetime(2025, 1, 1, 9, 0, tzinfo=timezone.utc)


def recorder_for(log: DecisionLog, service: DecisionService | None = None) -> Recorder:
    """A recorder with the keys from the environment and a fixed clock; by default its
    standards are those under $SENDRULES_STANDARDS (the tests' own root)."""
    config = load_config()
    return Recorder(
        log, service or DecisionService(), config.pseudonymiser(), config.cipher(), clock=fixed_clock
    )


def example_request(as_of: str = "2025-06-01", **extra) -> DecisionRequest:
    return parse_request({"journey": json.loads(EXAMPLE.read_text()), "as_of": as_of, **extra})


def cohort_requests(count: int, seed: int = 7) -> Iterator[DecisionRequest]:
    """Seeded, realistic 20-event journeys (bench/cohort.py), as requests."""
    for journey, as_of in cohort(count, seed):
        yield parse_request({"journey": journey, "as_of": as_of})


def tamper(log: DecisionLog, *statements: tuple[str, dict]) -> None:
    """Run SQL as the database owner would: with the append-only triggers out of the way."""
    with log.engine.begin() as connection:
        if log.engine.dialect.name == "postgresql":
            for table in (
                "decision_log",
                "decision_log_head",
                "standards_texts",
                "access_log",
                "access_log_head",
            ):
                connection.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        else:
            names = (
                connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
                .scalars()
                .all()
            )
            for name in names:
                connection.execute(text(f'DROP TRIGGER "{name}"'))
        for sql, params in statements:
            connection.execute(text(sql), params)
