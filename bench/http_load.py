"""Load benchmark: the HTTP service on loopback, deciding and logging 20-event journeys.

    python -m bench.http_load [--workers 2] [--connections 16] [--duration 30] [--backend reference]

Starts ``sendrules serve`` on 127.0.0.1 with a fresh SQLite decision log (synchronous=FULL: a
decision is on disk before it is acknowledged) and a caseworker key, then drives
``POST /v1/decisions`` with wrk (Debian package ``wrk``) at the given concurrency. Bodies are
journeys from the seeded cohort (bench/cohort.py); each request gets its own child id, so every
request is a new decision and a real append (a repeated request would be answered from the log).
Reports throughput, p50/p99 latency and non-2xx responses, then checks the log's chain. wrk runs
on the same machine, so it takes some of the CPU it measures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.cohort import cohort

ROOT = Path(__file__).resolve().parents[1]

LUA = r"""
local bodies = {}
local count = 0
local thread_number = 0
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local file = io.open("%(bodies)s", "r")
  for line in file:lines() do
    table.insert(bodies, line)
  end
  file:close()
  count = #bodies
end

function request()
  counter = counter + 1
  local body = bodies[(counter %% count) + 1]
  body = string.gsub(body, "__CHILD__", "C-" .. id .. "-" .. counter)
  return wrk.format("POST", "/v1/decisions", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer %(key)s"}, body)
end
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--backend", default="reference")
    parser.add_argument("--log-url", default=None, help="Decision log URL (default: a new SQLite file).")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("bench.http_load needs wrk (apt-get install wrk)")

    from tests.api.conftest import service_environment
    from tests.api.live import live_server

    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        bodies = folder / "bodies.jsonl"
        with bodies.open("w") as out:
            for raw, as_of in cohort(500, seed=2025):
                raw["child"]["id"] = "__CHILD__"
                out.write(json.dumps({"journey": raw, "as_of": as_of, "backend": args.backend}) + "\n")
        extra = ["--workers", str(args.workers)] + (["--log", args.log_url] if args.log_url else [])
        with live_server(folder, *extra) as (base, keys):
            script = folder / "post.lua"
            script.write_text(LUA % {"bodies": bodies, "key": keys["caseworker"]})
            # warm up: standards built, validators and the Rete program compiled in each worker
            subprocess.run(["wrk", "-t1", "-c2", "-d3s", "-s", str(script), f"{base}/v1/decisions"],
                           capture_output=True, check=True)
            server_before, wrk_before = _server_cpu_by_process(), _children_cpu_seconds()
            result = subprocess.run(["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
                                     "--latency", "-s", str(script), f"{base}/v1/decisions"],
                                    capture_output=True, text=True, check=True)
            server_after, wrk_cpu = _server_cpu_by_process(), _children_cpu_seconds() - wrk_before
            by_process = {pid: server_after[pid] - server_before.get(pid, 0.0) for pid in server_after}
            server_cpu = sum(by_process.values())
            report = result.stdout
            env = {**os.environ, **service_environment(folder), "PYTHONPATH": str(ROOT),
                   **({"SENDRULES_LOG_URL": args.log_url} if args.log_url else {})}
            verify = subprocess.run([sys.executable, "-m", "api.cli", "log", "verify", "--format", "json"],
                                    env=env, capture_output=True, text=True)
    rate = _number(r"Requests/sec:\s+([\d.]+)", report)
    p50 = _latency("50%", report)
    p99 = _latency("99%", report)
    errors = _number(r"Non-2xx or 3xx responses:\s+(\d+)", report) or 0
    print(f"HTTP service: {args.workers} workers, backend {args.backend}, SQLite log (synchronous=FULL); "
          f"wrk {args.threads} threads, {args.connections} connections, {args.duration} s, on {os.cpu_count()} CPUs")
    print(f"  throughput {rate:,.0f} decisions/s (decided, logged, acknowledged)")
    print(f"  latency    p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    print(f"  non-2xx    {int(errors)}")
    requests = _number(r"(\d+) requests in", report) or 0
    if requests:
        print(f"  CPU        {1000 * server_cpu / requests:.2f} ms per decision in the server (all processes), "
              f"{1000 * wrk_cpu / requests:.2f} ms in wrk; "
              f"{100 * (server_cpu + wrk_cpu) / (args.duration * (os.cpu_count() or 1)):.0f}% of the machine")
        busy = sorted((100 * seconds / args.duration for seconds in by_process.values()), reverse=True)
        print("             busiest server processes: " + ", ".join(f"{share:.0f}%" for share in busy[:args.workers + 1]))
    try:
        verified = json.loads(verify.stdout)
        print(f"  log        {verified['entries']:,} entries; chain {'ok' if verified['ok'] else 'BROKEN'}")
    except (ValueError, KeyError):
        print(f"  log        verify failed: {verify.stderr.strip()[:200]}")
    print("wrk output:\n" + report)


def _server_cpu_by_process() -> dict[int, float]:
    """CPU time (user + system) of every live process descended from this one: the server, its
    workers and helpers. Read from /proc (Linux), so 0 elsewhere."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        cpu[pid] = (int(fields[11]) + int(fields[12])) / ticks
    mine = {os.getpid()}
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in mine and pid not in mine:
                mine.add(pid)
                changed = True
    return {pid: cpu[pid] for pid in mine if pid != os.getpid()}


def _children_cpu_seconds() -> float:
    """CPU time of this process's finished children (wrk, once it has exited)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _number(pattern: str, text: str) -> float | None:
    match = re.search(pattern, text)
    return float(match.group(1)) if match else None


def _latency(label: str, text: str) -> float:
    match = re.search(rf"^\s+{re.escape(label)}\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
    if not match:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


if __name__ == "__main__":
    main()
