"""Running ``sendrules serve`` for real, on loopback, for tests that need a live server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.api.conftest import ROOT, make_keys, service_environment


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def live_server(folder: Path, *extra: str):
    """Start the service on 127.0.0.1 with its own log and keys; yields (base URL, keys)."""
    env = {**os.environ, **service_environment(folder), "PYTHONPATH": str(ROOT)}
    for name in ("SENDRULES_JWT_PUBLIC_KEY", "SENDRULES_CONFIG", "SENDRULES_STANDARDS"):
        env.pop(name, None)
    keys = make_keys(env)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sendrules.api.cli", "serve", "--port", str(port), "--no-access-log", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                raise RuntimeError(f"the service did not start:\n{output}")
            time.sleep(0.2)
        yield base, keys
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
