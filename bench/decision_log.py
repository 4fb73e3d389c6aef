"""Benchmark: decisions per second with the decision log off, on SQLite and on PostgreSQL.

    python -m bench.decision_log [--journeys 1000] [--repeat 3] [--seed 2025]
                                 [--postgres postgresql+psycopg://user@127.0.0.1:5432/postgres]

Same process, same seeded cohort (bench/cohort.py, 20-event journeys, send-ap@1.0.0), parsed
into requests once. "Off" is ``DecisionService.decide``; "on" is ``Recorder.decide``: the same decision plus
canonical request, pseudonym, AES-GCM encryption and one committed, chained append per
decision. Every "on" run writes to a fresh log (a new SQLite file; a new PostgreSQL database,
dropped afterwards), so each append is a real insert, never an idempotent hit. SQLite runs with
synchronous=FULL, PostgreSQL with its defaults (synchronous_commit=on): every decision is on
disk before it is acknowledged. "Append only" appends the same prepared entries to a fresh
log, timing nothing but ``DecisionLog.append`` (the log's own cost). Also reported: verify and
replay rates on the SQLite log.

The PostgreSQL server URL comes from --postgres or SENDRULES_TEST_POSTGRES_URL; without one that
row is skipped. Nothing here is asserted: benchmarks report, tests check.
"""

from __future__ import annotations

import argparse
import base64
import os
import platform
import tempfile
import time
import uuid
from pathlib import Path

from bench.cohort import cohort
from sendrules.decisionlog.crypto import Pseudonymiser, parse_encryption_keys
from sendrules.decisionlog.recorder import Recorder
from sendrules.decisionlog.replay import replay
from sendrules.decisionlog.store import DecisionLog, NewEntry
from sendrules.engine.request import parse_request
from sendrules.engine.service import DecisionService


def requests_for(count: int, seed: int):
    """The cohort as requests for send-ap@1.0.0 (the version the cohort is written for, as in
    bench/evaluator.py), so the figures do not move when a new version comes into force."""
    return [
        parse_request({"journey": journey, "as_of": as_of, "standards": "send-ap@1.0.0"})
        for journey, as_of in cohort(count, seed)
    ]


def run_off(service, requests) -> float:
    start = time.perf_counter()
    for request in requests:
        service.decide(request)
    return time.perf_counter() - start


def run_on(url: str, service, requests, keys) -> tuple[float, DecisionLog]:
    log = DecisionLog.open(url, mode="append")
    recorder = Recorder(log, service, *keys)
    start = time.perf_counter()
    for request in requests:
        recorder.decide(request)
    return time.perf_counter() - start, log


def prepared_entries(log: DecisionLog) -> list[NewEntry]:
    """What the recorder appended to ``log``, ready to append again elsewhere."""
    entries = []
    for entry in log.entries():
        entries.append(
            NewEntry(
                entry.decision(),
                entry.child_pseudonym,
                entry.pseudonym_key,
                entry.sealed_request(),
                log.standards(entry.standards_sha256),
            )
        )
    return entries


def run_append_only(url: str, entries: list[NewEntry]) -> float:
    """Appends alone (one committed transaction each), into a fresh log."""
    with DecisionLog.open(url, mode="append") as log:
        log.append(entries[0])
        start = time.perf_counter()
        for entry in entries[1:]:
            log.append(entry)
        return (time.perf_counter() - start) / (len(entries) - 1)


class PostgresDatabases:
    """Fresh databases on a server, dropped when done."""

    def __init__(self, server_url: str) -> None:
        from sqlalchemy import create_engine

        from sendrules.decisionlog.database import parse_url

        self.server = parse_url(server_url)
        self.admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
        self.names: list[str] = []

    def new(self) -> str:
        from sqlalchemy import text

        name = f"sendrules_bench_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self.names.append(name)
        return self.server.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        from sqlalchemy import text

        with self.admin.connect() as connection:
            for name in self.names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--postgres", default=os.environ.get("SENDRULES_TEST_POSTGRES_URL"))
    args = parser.parse_args(argv)

    print(
        f"machine: {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )
    print(f"cohort: {args.journeys} journeys of 20 events, seed {args.seed}; best of {args.repeat}")
    service = DecisionService()
    requests = requests_for(args.journeys, args.seed)
    keys = (
        Pseudonymiser(os.urandom(32)),
        parse_encryption_keys("k1:" + base64.b64encode(os.urandom(32)).decode(), "bench"),
    )
    run_off(service, requests[:50])  # warm caches: the standard, validators, bank holidays

    timings: dict[str, list[float]] = {"off": [], "sqlite": [], "postgresql": []}
    appends: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
    postgres = PostgresDatabases(args.postgres) if args.postgres else None
    with tempfile.TemporaryDirectory(prefix="sendrules-bench-") as folder:
        sqlite_log = None
        try:
            for number in range(args.repeat):  # interleaved, so drift affects all alike
                timings["off"].append(run_off(service, requests))
                elapsed, log = run_on(
                    f"sqlite:///{Path(folder) / f'log{number}.sqlite3'}", service, requests, keys
                )
                timings["sqlite"].append(elapsed)
                if sqlite_log is not None:
                    sqlite_log.close()
                sqlite_log = log
                if postgres is not None:
                    elapsed, log = run_on(postgres.new(), service, requests, keys)
                    timings["postgresql"].append(elapsed)
                    log.close()
            entries = prepared_entries(sqlite_log)
            for number in range(args.repeat):
                appends["sqlite"].append(
                    run_append_only(f"sqlite:///{Path(folder) / f'append{number}.sqlite3'}", entries)
                )
                if postgres is not None:
                    appends["postgresql"].append(run_append_only(postgres.new(), entries))
            rates = {name: args.journeys / min(times) for name, times in timings.items() if times}
            start = time.perf_counter()
            report = sqlite_log.verify()
            verify_rate = report.entries / (time.perf_counter() - start)
            ids = [entry.decision_id for entry in sqlite_log.entries()][:200]
            start = time.perf_counter()
            for decision_id in ids:
                assert replay(sqlite_log, decision_id, keys[1]).identical
            replay_rate = len(ids) / (time.perf_counter() - start)
            sqlite_log.close()
        finally:
            if postgres is not None:
                postgres.drop_all()

    off = rates["off"]
    print(f"log off (DecisionService.decide):     {off:>8,.0f} decisions/s")
    print(
        f"log on, SQLite (WAL, synchronous=FULL): {rates['sqlite']:>6,.0f} decisions/s "
        f"({off / rates['sqlite']:.1f}x the time; +{(1 / rates['sqlite'] - 1 / off) * 1000:.2f} ms per decision)"
    )
    if "postgresql" in rates:
        print(
            f"log on, PostgreSQL (loopback):        {rates['postgresql']:>8,.0f} decisions/s "
            f"({off / rates['postgresql']:.1f}x the time; "
            f"+{(1 / rates['postgresql'] - 1 / off) * 1000:.2f} ms per decision)"
        )
    else:
        print("log on, PostgreSQL: skipped (no --postgres URL or SENDRULES_TEST_POSTGRES_URL)")
    for name, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        if appends[name]:
            best = min(appends[name])
            print(
                f"append only, {label + ':':<12}             {1 / best:>8,.0f} appends/s "
                f"({best * 1000:.2f} ms each: one committed, chained transaction)"
            )
    print(
        f"log verify (SQLite):                  {verify_rate:>8,.0f} entries/s ({report.entries} entries, "
        f"{'ok' if report.ok else 'BROKEN'})"
    )
    print(f"replay (SQLite, decrypt + rebuild-cached + decide + diff): {replay_rate:,.0f} decisions/s")


if __name__ == "__main__":
    main()
