"""Helpers shared by the decision log's tests (and the writer processes they start)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from sqlalchemy import text

from bench.cohort import cohort
from decisionlog.config import load_config
from decisionlog.recorder import Recorder
from decisionlog.store import DecisionLog
from engine.request import DecisionRequest, parse_request
from engine.service import DecisionService

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "journey.json"


def fixed_clock() -> datetime:
    return datetime(2025, 1, 1, 9, 0, tzinfo=timezone.utc)


def recorder_for(log: DecisionLog, service: DecisionService | None = None) -> Recorder:
    """A recorder with the keys from the environment and a fixed clock."""
    config = load_config()
    return Recorder(log, service or DecisionService(), config.pseudonymiser(), config.cipher(),
                    clock=fixed_clock)


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
            for table in ("decision_log", "decision_log_head", "standards_texts"):
                connection.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        else:
            names = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars().all()
            for name in names:
                connection.execute(text(f'DROP TRIGGER "{name}"'))
        for sql, params in statements:
            connection.execute(text(sql), params)
