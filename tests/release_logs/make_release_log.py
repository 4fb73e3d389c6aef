"""Write the decision log that a release leaves behind, for the replay tests of later builds.

Published standards never change meaning: a decision logged under a published pack must replay
with the same findings and summary on every later build. To hold later builds to that, each
release keeps a log written by its own code in ``tests/release_logs/<engine version>/``;
``tests/decisionlog/test_release_logs.py`` replays every entry of every kept log.

Run once, with the release's own code, and commit the result (never re-run it for an old
release: the point is that the log was written by that release):

    .venv/bin/python -m tests.release_logs.make_release_log

The log holds, decided as of their own dates:

* every journey of the conformance corpus that is valid, under the standards its case names (or
  the version in force), each fourth one on the Rete backend;
* 120 seeded synthetic journeys (bench/cohort.py) under each bundled version.

The keys below are test keys, published here on purpose so the tests can decrypt the requests;
the journeys are synthetic. Never use these keys for a real log.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from bench.cohort import cohort
from sendrules.decisionlog.crypto import Pseudonymiser, parse_encryption_keys, decode_key
from sendrules.decisionlog.recorder import Recorder
from sendrules.decisionlog.store import DecisionLog
from sendrules.engine import __version__
from sendrules.engine.errors import InputError
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.request import parse_request
from sendrules.engine.service import DecisionService
from tests.conformance.corpus import load_cases

HERE = Path(__file__).resolve().parent
#: Test keys (see the module docstring): base64 of 32 fixed bytes each.
HMAC_KEY = "cmVsZWFzZS1sb2ctdGVzdC1obWFjLWtleS0wMDAwMDA="
ENCRYPTION_KEYS = "r1:cmVsZWFzZS1sb2ctdGVzdC1hZXMta2V5LTAwMDAwMDA="
VERSIONS = ("1.0.0", "1.1.0", "2.0.0-draft")


def fixed_clock() -> datetime:
    return datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def requests():
    """(request, backend) pairs, in a fixed order."""
    valid = [case for case in load_cases() if "error" not in case.expect]
    for number, case in enumerate(valid):
        yield case.request, "rete" if number % 4 == 3 else "reference"
    for version in VERSIONS:
        for number, (journey, as_of) in enumerate(cohort(120, seed=1200)):
            yield (
                {"journey": journey, "as_of": as_of, "standards": f"send-ap@{version}"},
                "rete" if number % 6 == 5 else "reference",
            )


def main() -> int:
    target = HERE / __version__ / "decisions.sqlite3"
    if target.exists():
        print(f"{target} exists: a release's log is written once", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    os.environ.pop("SENDRULES_STANDARDS", None)
    service = DecisionService(StandardsLibrary())
    recorded = refused = 0
    with DecisionLog.open(f"sqlite:///{target}", mode="append") as log:
        recorder = Recorder(
            log,
            service,
            Pseudonymiser(decode_key(HMAC_KEY, "HMAC_KEY")),
            parse_encryption_keys(ENCRYPTION_KEYS, "ENCRYPTION_KEYS"),
            clock=fixed_clock,
        )
        for body, backend in requests():
            try:
                recorder.decide(parse_request(body), backend=backend)
                recorded += 1
            except InputError:
                refused += 1  # e.g. an as_of before any published version: nothing to log
    print(f"{target}: {recorded} decisions ({refused} requests refused, not logged)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
