"""A writer process for the durability tests: appends decisions, printing each id after COMMIT.

    python -m tests.decisionlog.writer URL --seed 7 --count 100 [--shared-seed 99 --shared-count 5]
           [--wait-for-go] [--pause-in-commit N]

Prints ``READY`` once the log is open and the requests are prepared (with ``--wait-for-go`` it
then waits for a line on stdin, so that several writers start appending together), one decision
id per acknowledged append, and ``DONE``. With ``--pause-in-commit N`` it prints ``PAUSED`` and
stops inside the N-th append's transaction, after its INSERT and head UPDATE and just before
COMMIT, so the test can kill it exactly there. Keys come from the environment.
"""

from __future__ import annotations

import argparse
import sys
import time


from sendrules.decisionlog import database
from sendrules.decisionlog.store import DecisionLog
from tests.decisionlog.helpers import cohort_requests, recorder_for


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--shared-seed", type=int, default=None)
    parser.add_argument("--shared-count", type=int, default=0)
    parser.add_argument("--shared-last", action="store_true")
    parser.add_argument("--wait-for-go", action="store_true")
    parser.add_argument("--pause-in-commit", type=int, default=0)
    args = parser.parse_args(argv)

    log = DecisionLog.open(args.url, mode="append")
    recorder = recorder_for(log)
    own = list(cohort_requests(args.count, args.seed))
    shared = list(cohort_requests(args.shared_count, args.shared_seed)) if args.shared_count else []
    requests = own + shared if args.shared_last else shared + own

    if args.pause_in_commit:
        writes = {"count": 0}

        def _pause(cursor):
            writes["count"] += 1
            if writes["count"] == args.pause_in_commit:
                print("PAUSED", flush=True)
                time.sleep(3600)  # killed here by the test, after the inserts, before the commit

        database.BEFORE_COMMIT.append(_pause)

    print("READY", flush=True)
    if args.wait_for_go:
        sys.stdin.readline()
    for request in requests:
        recorded = recorder.decide(request)
        print(recorded.decision.decision_id, flush=True)
    print("DONE", flush=True)
    log.close()


if __name__ == "__main__":
    main()
