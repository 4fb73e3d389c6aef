"""Load benchmark: the HTTP service on loopback, deciding and logging 20-event journeys.

    python -m bench.http_load [--workers 2] [--connections 16] [--duration 30] [--rate 300]
                              [--backend reference]

Starts ``sendrules serve`` on 127.0.0.1 with a fresh SQLite decision log (synchronous=FULL: a
decision is on disk before it is acknowledged) and a caseworker key, then drives
``POST /v1/decisions`` twice over the given number of connections:

1. **At the target rate** (``--rate``, open loop, bench/paced_load.py): requests go out on a
   fixed schedule and each one's latency is counted from when it was due, so this is the
   latency a caseworker system sees when the service is asked for that many decisions a second.
2. **At saturation** (wrk, Debian package ``wrk``, closed loop): every connection sends its next
   request as soon as it has an answer. This finds the most the service can do; its latency is
   the queue of 16 requests always waiting (Little's law: connections / throughput).

Bodies are journeys from the seeded cohort (bench/cohort.py); each request gets its own child
id, so every request is a new decision and a real append (a repeated request would be answered
from the log). Reports throughput, p50/p99 latency, non-2xx responses and CPU, then checks the
log's chain. The load generators run on the same machine and take some of the CPU they measure.
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
    parser.add_argument(
        "--rate",
        type=float,
        default=300,
        help="Decisions per second offered in the open-loop run (0: skip it).",
    )
    parser.add_argument("--backend", default="reference")
    parser.add_argument(
        "--standards",
        default=None,
        help="The standards every request names (e.g. send-ap@1.1.0; default: the service's default). "
        "Comparisons across releases should name one: the default changes with the releases.",
    )
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
                request = {"journey": raw, "as_of": as_of, "backend": args.backend}
                if args.standards:
                    request["standards"] = args.standards
                out.write(json.dumps(request) + "\n")
        extra = ["--workers", str(args.workers)] + (["--log", args.log_url] if args.log_url else [])
        # One caller (the benchmark's key) sends everything: without this, the per-caller rate limit
        # (1,000 decisions/s by default) would answer 429 at saturation and wrk would count those.
        os.environ.setdefault("SENDRULES_RATE_LIMIT", "1000000")
        with live_server(folder, *extra) as (base, keys):
            script = folder / "post.lua"
            script.write_text(LUA % {"bodies": bodies, "key": keys["caseworker"]})
            # warm up: standards built, validators and the Rete program compiled in each worker
            subprocess.run(
                ["wrk", "-t1", "-c2", "-d3s", "-s", str(script), f"{base}/v1/decisions"],
                capture_output=True,
                check=True,
            )
            paced = _paced_run(base, keys["caseworker"], bodies, args) if args.rate > 0 else None
            server_before, wrk_before = _server_cpu_by_process(), _children_cpu_seconds()
            result = subprocess.run(
                [
                    "wrk",
                    f"-t{args.threads}",
                    f"-c{args.connections}",
                    f"-d{args.duration}s",
                    "--latency",
                    "-s",
                    str(script),
                    f"{base}/v1/decisions",
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            by_process, wrk_cpu = _server_cpu_since(server_before), _children_cpu_seconds() - wrk_before
            server_cpu = sum(by_process.values())
            report = result.stdout
            env = {
                **os.environ,
                **service_environment(folder),
                "PYTHONPATH": str(ROOT),
                **({"SENDRULES_LOG_URL": args.log_url} if args.log_url else {}),
            }
            verify = subprocess.run(
                [sys.executable, "-m", "sendrules.api.cli", "log", "verify", "--format", "json"],
                env=env,
                capture_output=True,
                text=True,
            )
    print(
        f"HTTP service: {args.workers} workers, backend {args.backend}, "
        f"standards {args.standards or 'the default'}, SQLite log (synchronous=FULL); "
        f"{args.connections} connections, {args.duration} s per run, on {os.cpu_count()} CPUs"
    )
    if paced is not None:
        latency = paced["latency_ms"]
        print(f"At {args.rate:g} decisions/s offered (open loop, latency from each request's due time):")
        print(
            f"  throughput {paced['achieved_rate']:,.0f} decisions/s answered; statuses {paced['statuses']}; "
            f"failed {paced['failures']} of {paced['scheduled']:,}"
        )
        print(
            f"  latency    p50 {latency['p50']:.1f} ms, p90 {latency['p90']:.1f} ms, p99 {latency['p99']:.1f} ms, "
            f"p99.9 {latency['p99.9']:.1f} ms, max {latency['max']:.1f} ms"
        )
        print(
            f"  CPU        {1000 * paced['server_cpu_seconds'] / max(1, paced['answered']):.2f} ms per decision "
            f"in the server, {1000 * paced['client_cpu_seconds'] / max(1, paced['answered']):.2f} ms in the client"
        )
    print("At saturation (wrk, closed loop):")
    rate = _number(r"Requests/sec:\s+([\d.]+)", report)
    p50 = _latency("50%", report)
    p90 = _latency("90%", report)
    p99 = _latency("99%", report)
    errors = _number(r"Non-2xx or 3xx responses:\s+(\d+)", report) or 0
    answered = _number(r"(\d+) requests in", report) or 0
    seconds = _number(r"requests in ([\d.]+)s", report) or args.duration
    decided = (answered - errors) / seconds if answered else rate
    print(
        f"  throughput {decided:,.0f} decisions/s (decided, logged, acknowledged: 2xx only); "
        f"{rate:,.0f} requests/s in all; wrk {args.threads} threads"
    )
    print(f"  latency    p50 {p50:.1f} ms, p90 {p90:.1f} ms, p99 {p99:.1f} ms")
    print(f"  non-2xx    {int(errors)}")
    requests = _number(r"(\d+) requests in", report) or 0
    if requests:
        print(
            f"  CPU        {1000 * server_cpu / requests:.2f} ms per decision in the server (all processes), "
            f"{1000 * wrk_cpu / requests:.2f} ms in wrk; "
            f"{100 * (server_cpu + wrk_cpu) / (args.duration * (os.cpu_count() or 1)):.0f}% of the machine"
        )
        busy = sorted((100 * seconds / args.duration for seconds in by_process.values()), reverse=True)
        print(
            "             busiest server processes: "
            + ", ".join(f"{share:.0f}%" for share in busy[: args.workers + 1])
        )
    try:
        verified = json.loads(verify.stdout)
        print(f"  log        {verified['entries']:,} entries; chain {'ok' if verified['ok'] else 'BROKEN'}")
    except (ValueError, KeyError):
        print(f"  log        verify failed: {verify.stderr.strip()[:200]}")
    print("wrk output:\n" + report)


def _paced_run(base: str, key: str, bodies: Path, args) -> dict:
    """The open-loop run at ``args.rate`` (bench/paced_load.py in its own process), with the
    server's CPU over it."""
    before = _server_cpu_by_process()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.paced_load",
            "--url",
            base,
            "--key",
            key,
            "--bodies",
            str(bodies),
            "--rate",
            str(args.rate),
            "--connections",
            str(args.connections),
            "--duration",
            str(args.duration),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    paced = json.loads(result.stdout)
    # the client has exited: what is left among this process's descendants is the server
    paced["server_cpu_seconds"] = sum(_server_cpu_since(before).values())
    return paced


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


def _server_cpu_since(before: dict[int, float]) -> dict[int, float]:
    """CPU time each live descendant process has used since ``before`` (_server_cpu_by_process)."""
    after = _server_cpu_by_process()
    return {pid: after[pid] - before.get(pid, 0.0) for pid in after}


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
