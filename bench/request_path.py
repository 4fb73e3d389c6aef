"""The whole request path over many different journeys, in one process, in three layers.

    python -m bench.request_path [--journeys 400] [--in-flight 16] [--rounds 5] [--standards send-ap@1.1.0]

Builds the service (``create_app``, a fresh SQLite log in a temporary folder) and drives its
ASGI application directly (no sockets, no server) with ``--journeys`` different journeys of the
seeded cohort, ``--in-flight`` requests at a time, each decided, logged and committed as when
served. Three figures, each the best of ``--rounds`` alternating rounds:

* **request path**: CPU time of the whole process (the event loop and the log's committer
  thread) per ``POST /v1/decisions``;
* **decision + log entry**: ``Recorder.prepare`` on each request (deciding it and building its
  log entry, without the commit), CPU time of this thread;
* **decision**: ``DecisionService.decide_with_journey`` alone, as the service builds it
  (standards read once).

``bench.http_overhead`` times one journey; a served run sees hundreds, and a cost that only
some journeys pay shows here and not there. The module needs only ``bench/cohort.py`` and
``tests/api/conftest.py`` of the tree it runs in, so the same file measures an older checkout:

    cd OLD_TREE && PYTHONPATH=$PWD /path/to/this/.venv/bin/python /path/to/this/bench/request_path.py

Nothing here is a test; the figures move with the machine, so compare trees alternately.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=400, help="Different journeys per round.")
    parser.add_argument("--in-flight", type=int, default=16, help="Requests in progress at once.")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--standards", default="send-ap@1.1.0", help="The standards every request names.")
    parser.add_argument(
        "--drive",
        type=int,
        metavar="N",
        help="Only send N requests (after 30 to warm up), timing nothing: for bench.request_instructions.",
    )
    args = parser.parse_args(argv)

    from bench.cohort import cohort
    from tests.api.conftest import make_keys, service_environment

    folder = Path(tempfile.mkdtemp(prefix="sendrules-bench-"))
    os.environ.update(service_environment(folder))
    os.environ["SENDRULES_RATE_LIMIT"] = "1000000"  # one caller sends everything
    for name in ("SENDRULES_JWT_PUBLIC_KEY", "SENDRULES_CONFIG", "SENDRULES_STANDARDS"):
        os.environ.pop(name, None)
    keys = make_keys(dict(os.environ))

    from sendrules.api.app import create_app
    from sendrules.engine.library import StandardsLibrary
    from sendrules.engine.request import parse_request
    from sendrules.engine.service import DecisionService

    try:
        app = create_app(access_log=False)
    except TypeError:  # a release before the access log could be turned off
        app = create_app()
    recorder = app.state.recorder
    service = DecisionService(StandardsLibrary(watch=False))
    payloads = [
        {"journey": raw, "as_of": as_of, "backend": "reference", "standards": args.standards}
        for raw, as_of in cohort(args.journeys, seed=args.seed)
    ]
    bodies = [json.dumps(payload).encode() for payload in payloads]
    requests = [parse_request({k: v for k, v in p.items() if k != "backend"}) for p in payloads]
    authorization = b"Bearer " + keys["caseworker"].encode()

    async def post(body: bytes) -> None:
        delivered = False

        async def receive() -> dict[str, Any]:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(3600)  # (never reached: the route reads its body once)
            return {"type": "http.disconnect"}

        status = 0

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/v1/decisions",
            "raw_path": b"/v1/decisions",
            "query_string": b"",
            "root_path": "",
            "server": ("127.0.0.1", 8000),
            "client": ("127.0.0.1", 50000),
            "headers": [
                (b"host", b"127.0.0.1:8000"),
                (b"content-type", b"application/json"),
                (b"authorization", authorization),
                (b"content-length", str(len(body)).encode()),
            ],
            "state": {},
        }
        await app(scope, receive, send)
        if status not in (200, 201):
            raise SystemExit(f"the service answered {status}")

    async def request_round(sent: list[bytes] = bodies) -> tuple[float, float]:
        queue = iter(sent)

        async def client() -> None:
            for body in queue:
                await post(body)

        started, loop_started = time.process_time(), time.thread_time()
        await asyncio.gather(*(client() for _ in range(args.in_flight)))
        loop = time.thread_time() - loop_started
        return (time.process_time() - started) / len(sent), loop / len(sent)

    def timed(work: Any) -> float:
        started = time.thread_time()
        for request in requests:
            work(request)
        return (time.thread_time() - started) / len(requests)

    async def run() -> dict[str, list[float]]:
        for body in itertools.islice(bodies, 50):  # warm up
            await post(body)
        rounds: dict[str, list[float]] = {"path": [], "loop": [], "entry": [], "decision": []}
        for _ in range(args.rounds):
            path, loop = await request_round()
            rounds["path"].append(path)
            rounds["loop"].append(loop)
            rounds["entry"].append(timed(lambda request: recorder.prepare(request, "reference")))
            rounds["decision"].append(timed(service.decide_with_journey))
        return rounds

    if args.drive is not None:
        if args.drive + 30 > len(bodies):
            raise SystemExit(f"--drive needs --journeys of at least {args.drive + 30}")

        async def drive() -> None:
            for body in bodies[:30]:
                await post(body)
            await request_round(bodies[30 : 30 + args.drive])

        asyncio.run(drive())
        app.state.log.close()
        return
    rounds = asyncio.run(run())
    print(
        f"{len(bodies)} journeys of the cohort (seed {args.seed}), {args.standards}, "
        f"{args.in_flight} in flight; best of {args.rounds} alternating rounds"
    )
    print(f"  request path (whole process)       {1e6 * min(rounds['path']):8.1f} us per request")
    print(f"    of which the event loop's thread {1e6 * min(rounds['loop']):8.1f} us")
    print(f"  decision + log entry               {1e6 * min(rounds['entry']):8.1f} us")
    print(f"  decision                           {1e6 * min(rounds['decision']):8.1f} us")
    app.state.log.close()


if __name__ == "__main__":
    main()
