"""An open-loop load generator: requests sent on a fixed schedule, latency measured from it.

    python -m bench.paced_load --url http://127.0.0.1:8000 --key KEY --bodies FILE
                               [--rate 300] [--connections 16] [--duration 30]

wrk (used by bench/http_load.py for the saturation run) is *closed-loop*: each connection sends
its next request as soon as the previous answer arrives, so the server is always saturated and
the latency it reports is the queue at saturation (Little's law: connections / throughput).
It says nothing about the latency at a given rate. This client offers a fixed rate instead:
request ``i`` is due at ``start + i / rate`` and goes out on connection ``i % connections``, as
wrk2 does. A request's latency is measured from the moment it was *due*, not from when it was
sent, so if the server stalls and the requests behind it go out late, that wait is counted
(no "coordinated omission"). If the server cannot keep up, the achieved rate falls short of
the offered one and the latencies grow without bound: both are reported. A request that fails
(its connection broke, or the answer was not HTTP) is counted as a failure and its connection
opened again, so every scheduled request is either answered or counted. Answers must carry a
``Content-Length`` (the service's do).

Bodies are lines of a file (JSON requests); ``__CHILD__`` in a body is replaced by a fresh
child id per request, so every request is a new decision. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import resource
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of already sorted values (``fraction`` 0.99 for p99)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


class PacedRun:
    """One run: ``connections`` keep-alive connections sharing one schedule of ``rate`` requests
    per second for ``duration`` seconds."""

    def __init__(
        self,
        host: str,
        port: int,
        key: str,
        bodies: list[str],
        rate: float,
        connections: int,
        duration: float,
    ) -> None:
        self.host, self.port, self.key = host, port, key
        self.bodies = bodies
        self.rate, self.connections, self.duration = rate, connections, duration
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.failures = 0
        self.sent = 0
        self.total = 0
        self.run_id = uuid.uuid4().hex[:8]  # child ids unique across runs against the same log

    def request_bytes(self, number: int) -> bytes:
        body = (
            self.bodies[number % len(self.bodies)].replace("__CHILD__", f"P-{self.run_id}-{number}").encode()
        )
        head = (
            f"POST /v1/decisions HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nAuthorization: Bearer {self.key}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    async def run(self) -> float:
        """Send the schedule; returns the wall time from the first due time to the last answer."""
        self.total = int(self.rate * self.duration)
        start = time.perf_counter() + 0.05
        await asyncio.gather(
            *(self._connection(index, self.total, start) for index in range(self.connections))
        )
        return time.perf_counter() - start

    async def _connection(self, index: int, total: int, start: float) -> None:
        """Connection ``index``'s share of the schedule. A request that fails (the connection
        broke, or the answer was not HTTP) is counted as a failure and the connection opened
        again for the next; one closed by the server while idle is opened again first."""
        reader = writer = None
        try:
            for number in range(index, total, self.connections):
                due = start + number / self.rate
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                try:
                    if writer is None or reader.at_eof():
                        if writer is not None:
                            writer.close()
                        reader, writer = await asyncio.open_connection(self.host, self.port)
                    writer.write(self.request_bytes(number))
                    self.sent += 1
                    status = await _read_response(reader)
                except Exception:  # noqa: BLE001 -- any failure of one request is counted, not fatal
                    self.failures += 1
                    if writer is not None:
                        writer.close()
                    reader = writer = None
                    continue
                self.latencies.append(time.perf_counter() - due)
                self.statuses[status] = self.statuses.get(status, 0) + 1
        finally:
            if writer is not None:
                writer.close()


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response with a Content-Length body; returns its status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


def run(url: str, key: str, bodies: list[str], rate: float, connections: int, duration: float) -> dict:
    """Run the schedule against ``url`` and summarise it (latencies in milliseconds)."""
    parts = urlsplit(url)
    paced = PacedRun(
        parts.hostname or "127.0.0.1", parts.port or 80, key, bodies, rate, connections, duration
    )
    cpu_before = _own_cpu()
    try:
        import uvloop

        elapsed = uvloop.run(paced.run())
    except ImportError:
        elapsed = asyncio.run(paced.run())
    cpu = _own_cpu() - cpu_before
    latencies = sorted(1000 * value for value in paced.latencies)
    answered = len(latencies)
    return {
        "offered_rate": rate,
        "connections": connections,
        "duration": duration,
        "scheduled": paced.total,
        "answered": answered,
        "achieved_rate": answered / elapsed if elapsed > 0 else 0.0,
        "statuses": {str(code): count for code, count in sorted(paced.statuses.items())},
        "failures": paced.failures,
        "latency_ms": {
            "p50": percentile(latencies, 0.50),
            "p90": percentile(latencies, 0.90),
            "p99": percentile(latencies, 0.99),
            "p99.9": percentile(latencies, 0.999),
            "max": latencies[-1] if latencies else math.nan,
        },
        "client_cpu_seconds": cpu,
    }


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--bodies", required=True, type=Path)
    parser.add_argument("--rate", type=float, default=300)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=float, default=30)
    args = parser.parse_args(argv)
    bodies = [line for line in args.bodies.read_text().splitlines() if line.strip()]
    started = time.monotonic()
    result = run(args.url, args.key, bodies, args.rate, args.connections, args.duration)
    result["wall_seconds"] = time.monotonic() - started
    print(json.dumps(result))


if __name__ == "__main__":
    main()
