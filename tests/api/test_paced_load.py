"""The open-loop load generator of bench/http_load.py: it keeps to its schedule, reads HTTP/1.1
answers on keep-alive connections, and counts a stall against every request held up behind it
(latency from the due time, not the send time)."""

from __future__ import annotations

import asyncio
import json
import threading

from bench.paced_load import PacedRun, percentile, run


def test_percentile_is_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.50) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile(values, 1.0) == 100.0
    assert percentile([7.0], 0.99) == 7.0


class StallingServer:
    """A tiny HTTP/1.1 server on loopback that answers 201 at once, except that it holds its
    ``stall_at``-th request for ``stall`` seconds (and, if asked, closes every connection after
    one answer)."""

    def __init__(self, stall_at: int, stall: float, close_after_each: bool = False) -> None:
        self.stall_at, self.stall, self.close_after_each = stall_at, stall, close_after_each
        self.bodies: list[dict] = []
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> "StallingServer":
        self.thread.start()
        assert self.ready.wait(10)
        return self

    def __exit__(self, *_exc) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._connection, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()
        server.close()
        pending = asyncio.all_tasks(self.loop)
        for task in pending:
            task.cancel()
        self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self.loop.close()

    async def _connection(self, reader, writer) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(
                    next(
                        line.split(b":")[1]
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length")
                    )
                )
                self.bodies.append(json.loads(await reader.readexactly(length)))
                if len(self.bodies) == self.stall_at:
                    await asyncio.sleep(self.stall)
                writer.write(b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}")
                await writer.drain()
                if self.close_after_each:
                    writer.close()
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()


def test_a_stall_counts_against_every_request_queued_behind_it():
    with StallingServer(stall_at=10, stall=0.4) as server:
        paced = PacedRun(
            "127.0.0.1", server.port, "k", ['{"child": "__CHILD__"}'], rate=50, connections=2, duration=2
        )
        asyncio.run(paced.run())
    assert len(paced.latencies) == 100 and paced.statuses == {201: 100} and paced.failures == 0
    assert len({body["child"] for body in server.bodies}) == 100  # each request its own child id
    # The stalled request's connection had about ten more requests due during the 0.4 s stall
    # (one every 40 ms). Counted from their due times, about eight of them waited over 0.1 s;
    # counted from when they were sent, only the stalled one would have.
    assert max(paced.latencies) >= 0.4
    assert sum(1 for latency in paced.latencies if latency >= 0.1) >= 5


def test_run_summarises_in_milliseconds():
    with StallingServer(stall_at=0, stall=0) as server:
        result = run(
            f"http://127.0.0.1:{server.port}",
            "k",
            ['{"child": "__CHILD__"}'],
            rate=40,
            connections=2,
            duration=0.5,
        )
    assert result["answered"] == 20 and result["statuses"] == {"201": 20} and result["failures"] == 0
    assert 0 < result["latency_ms"]["p50"] <= result["latency_ms"]["p99"] <= result["latency_ms"]["max"]


def test_no_request_goes_missing_when_connections_close():
    """A server that closes each connection after one answer: the client opens a new one, and
    every scheduled request is answered or counted as failed, none silently dropped."""
    with StallingServer(stall_at=0, stall=0, close_after_each=True) as server:
        result = run(
            f"http://127.0.0.1:{server.port}",
            "k",
            ['{"child": "__CHILD__"}'],
            rate=40,
            connections=2,
            duration=1,
        )
    assert result["scheduled"] == 40
    assert result["answered"] + result["failures"] == 40
    assert result["answered"] > 20 and result["statuses"] == {"201": result["answered"]}
