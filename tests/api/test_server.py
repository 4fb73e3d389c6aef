"""``api.server``: several workers share a client's keep-alive connections evenly."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import httpx
import pytest

from api.server import MAX_PAUSE, accept_pause
from tests.api.conftest import EXAMPLE
from tests.api.live import live_server

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts sockets through /proc")


def test_the_pause_grows_with_open_connections_and_is_capped():
    assert accept_pause(0) == 0
    assert accept_pause(1) < accept_pause(2) < accept_pause(4)
    assert accept_pause(5) == accept_pause(50) == MAX_PAUSE


def _established_by_process(port: int, pids: list[int]) -> dict[int, int]:
    """How many established TCP connections to ``port`` each of ``pids`` holds."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == "01":  # ESTABLISHED, server side
                inodes.add(fields[9])
    counts = {}
    for pid in pids:
        held = 0
        for link in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = link.readlink().as_posix()
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                held += 1
        counts[pid] = held
    return counts


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid:
            found.append(int(stat.parent.name))
    return found


@linux_only
def test_connections_opened_together_are_shared_evenly_between_workers(tmp_path):
    with live_server(tmp_path, "--workers", "2") as (base, keys):
        port = int(base.rsplit(":", 1)[1])
        server_pid = next(pid for pid in _children_of_tests()
                          if f"--port\x00{port}\x00".encode() in Path(f"/proc/{pid}/cmdline").read_bytes())
        workers = _children(server_pid)
        _wait_until_every_worker_serves(port, workers)
        connections = [socket.create_connection(("127.0.0.1", port)) for _ in range(8)]
        try:
            for connection in connections:  # each answered: accepted and served by some worker
                connection.sendall(b"GET /v1/health HTTP/1.1\r\nHost: test\r\n\r\n")
            for connection in connections:
                assert connection.recv(4096).startswith(b"HTTP/1.1 200")
            counts = _established_by_process(port, workers)
            # uvicorn alone gives 8/0, 7/1 or 6/2 here; a slow wake-up under load may cost one
            assert sum(counts.values()) == 8 and max(counts.values()) <= 5, counts
            # and the service works through them
            caseworker = {"Authorization": f"Bearer {keys['caseworker']}"}
            made = httpx.post(f"{base}/v1/decisions", json={"journey": EXAMPLE, "as_of": "2025-06-01"},
                              headers=caseworker)
            assert made.status_code == 201
        finally:
            for connection in connections:
                connection.close()


def _wait_until_every_worker_serves(port: int, pids: list[int], workers: int = 2) -> None:
    """Open one connection at a time until ``workers`` different processes have answered (a
    worker still loading the standards does not accept yet)."""
    import time

    seen: set[int] = set()
    deadline = time.monotonic() + 30
    while len(seen) < workers:
        assert time.monotonic() < deadline, f"only {len(seen)} worker(s) answered"
        with socket.create_connection(("127.0.0.1", port)) as connection:
            connection.sendall(b"GET /v1/health HTTP/1.1\r\nHost: test\r\n\r\n")
            assert connection.recv(4096).startswith(b"HTTP/1.1 200")
            seen.update(pid for pid, count in _established_by_process(port, pids).items() if count)
        time.sleep(0.05)


def _children_of_tests() -> list[int]:
    import os

    return _children(os.getpid())
