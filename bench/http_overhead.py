"""What the HTTP layer costs a decision, against the decision itself, in one process.

    python -m bench.http_overhead [--rounds 9] [--requests 500] [--standards send-ap@1.1.0]

Builds the service (``create_app``, a fresh SQLite log in a temporary folder) and drives its
ASGI application directly, one request at a time on one event loop (no sockets, no server):

* **HTTP layer**: ``POST /v1/decisions`` through the whole application (the service layer,
  FastAPI's middleware, routing, authentication, rate limit, body parsing, metrics, rendering
  and the response), with the decision and its log entry made once beforehand and handed back
  for every request, so that what is timed is everything the route adds to a decision.
* **Decision** (the baseline): ``Recorder.prepare`` on the same request: deciding it and
  building its log entry (validation, evaluation, hashes, pseudonym, encryption), without the
  commit, which runs in another thread and is the same whatever serves the request.

The two are measured alternately, CPU time of this thread (``time.thread_time``), best of
``--rounds``; the ratio is the figure to compare from one change to the next, since the
machine's speed moves both alike. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--requests", type=int, default=500, help="Requests per round.")
    parser.add_argument("--standards", default="send-ap@1.1.0", help="The standards the request names.")
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
    from sendrules.decisionlog.recorder import Recorder
    from sendrules.engine.request import parse_request

    try:
        app = create_app(access_log=False)
    except TypeError:  # a release before the access log could be turned off (comparisons across releases)
        app = create_app()
    recorder = app.state.recorder
    raw, as_of = next(iter(cohort(1, seed=2025)))
    payload: dict[str, Any] = {"journey": raw, "as_of": as_of, "backend": "reference"}
    if args.standards:
        payload["standards"] = args.standards
    body = json.dumps(payload).encode()
    request = parse_request({key: value for key, value in payload.items() if key != "backend"})

    decision, rendered, committed = recorder.submit(request)
    logged = committed.result()

    def precomputed(_self: Any, *_args: Any, **_kwargs: Any) -> tuple[Any, Any, Future]:
        done: Future = Future()
        done.set_result(logged)
        return decision, rendered, done

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
            (b"authorization", b"Bearer " + keys["caseworker"].encode()),
            (b"content-length", str(len(body)).encode()),
        ],
    }

    async def one() -> int:
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

        await app(dict(scope, state={}), receive, send)
        return status

    async def http_round(count: int) -> float:
        original = Recorder.submit
        Recorder.submit = precomputed  # type: ignore[method-assign]
        try:
            started = time.thread_time()
            for _ in range(count):
                if await one() != 201:
                    raise SystemExit("the service did not answer 201")
            return (time.thread_time() - started) / count
        finally:
            Recorder.submit = original  # type: ignore[method-assign]

    def decision_round(count: int) -> float:
        started = time.thread_time()
        for _ in range(count):
            recorder.prepare(request, "reference")
        return (time.thread_time() - started) / count

    async def run() -> tuple[list[float], list[float]]:
        await http_round(100)  # warm up
        decision_round(20)
        http, decided = [], []
        for _ in range(args.rounds):
            http.append(await http_round(args.requests))
            decided.append(decision_round(max(1, args.requests // 5)))
        return http, decided

    http, decided = asyncio.run(run())
    best_http, best_decision = min(http), min(decided)
    print(
        f"One {len(raw['events'])}-event journey, {args.standards or 'the default standards'}; "
        f"best of {args.rounds} alternating rounds, CPU time of one thread"
    )
    print(f"  HTTP layer (decision precomputed)  {1e6 * best_http:8.1f} us per request")
    print(f"  decision + log entry (baseline)    {1e6 * best_decision:8.1f} us")
    print(f"  HTTP layer / decision              {best_http / best_decision:8.3f}")
    app.state.log.close()


if __name__ == "__main__":
    main()
