"""Benchmark: is an incremental Rete session worth exposing over HTTP?

    python -m bench.sessions [--journeys 30] [--sizes 20,100,400] [--seed 2025]

A caseworker system that posts a child's events as they happen wants the findings after each
event. It can do that two ways:

* **re-decide**: send the whole journey so far and decide it again (what the CLI and HTTP API
  do today), on the reference evaluator or the Rete backend;
* **session**: keep a Rete session open, post the new event, read the decision
  (``ReteEngine.session``: ``post`` then ``decision()``).

For journeys of each size (seeded, bench/cohort.py; send-ap@1.0.0, whose ten rules the
hand-written baseline implements), this measures the cost per event of getting the up-to-date
decision after every event, all in one process, and reports it against the hand-written
baseline re-deciding the journey so far (findings only). Every session's last decision is
checked against the one-shot decision (the differential test in tests/engine guards the same
thing). Nothing is asserted about time: benchmarks report.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import date

from bench.baseline import baseline_findings
from bench.cohort import cohort
from sendrules.engine import evaluator, rete
from sendrules.engine.calendar import Calendar
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.prepared import PreparedStandard


def per_event(journeys, run_one) -> float:
    """Mean seconds per event of ``run_one(raw, as_of)`` over the journeys."""
    events = sum(len(raw["events"]) for raw, _ in journeys)
    start = time.perf_counter()
    for raw, as_of in journeys:
        run_one(raw, as_of)
    return (time.perf_counter() - start) / events


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--journeys", type=int, default=30)
    parser.add_argument("--sizes", default="20,100,400")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)

    prepared = PreparedStandard(StandardsLibrary().resolve("send-ap@1.0.0", date(2025, 1, 1)))
    validator = prepared.validator
    engine = rete.ReteEngine()
    calendar = Calendar()

    def prefixes(raw):
        for k in range(1, len(raw["events"]) + 1):
            yield {"child": raw["child"], "events": raw["events"][:k]}

    def baseline(raw, as_of):
        for journey in prefixes(raw):
            baseline_findings(validator.validate(journey), as_of, calendar)

    def redecide_reference(raw, as_of):
        for journey in prefixes(raw):
            evaluator.evaluate(prepared, validator.validate(journey), as_of, calendar)

    def redecide_rete(raw, as_of):
        for journey in prefixes(raw):
            engine.evaluate(prepared, validator.validate(journey), as_of, calendar)

    def session(raw, as_of):
        with engine.session(prepared, raw["child"], as_of, calendar) as open_session:
            for event in raw["events"]:
                open_session.post(event)
                last = open_session.decision()
        one_shot = evaluator.evaluate(prepared, validator.validate(raw), as_of, calendar)
        if last.to_dict()["findings"] != one_shot.to_dict()["findings"]:
            raise SystemExit(f"session and one-shot decisions differ for child {raw['child']['id']}")

    print(
        f"# incremental sessions vs re-deciding: {args.journeys} journeys per size, send-ap@1.0.0, "
        f"{os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}"
    )
    print("| events per journey | way | ms per event (decision after each event) | vs baseline |")
    print("|---|---|---|---|")
    for size in (int(part) for part in args.sizes.split(",")):
        # events posted in date order, as they happen (a response never comes before its request)
        journeys = [
            (
                {"child": raw["child"], "events": sorted(raw["events"], key=lambda event: event["date"])},
                date.fromisoformat(as_of),
            )
            for raw, as_of in cohort(args.journeys, args.seed, size)
        ]
        for warm_up in (baseline, redecide_reference, redecide_rete, session):
            warm_up(*journeys[0])
        results = {
            "hand-written baseline, re-decide": per_event(journeys, baseline),
            "reference evaluator, re-decide": per_event(journeys, redecide_reference),
            "Rete backend, re-decide": per_event(journeys, redecide_rete),
            "Rete session, post + decision()": per_event(journeys, session),
        }
        base = results["hand-written baseline, re-decide"]
        for way, seconds in results.items():
            print(f"| {size} | {way} | {seconds * 1000:.3f} | {seconds / base:.1f}× |")


if __name__ == "__main__":
    main()
