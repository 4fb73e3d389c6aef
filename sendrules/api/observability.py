"""What operators see: a request id on every answer, one JSON log line per request, and
Prometheus metrics.

* **Request id.** A client's ``X-Request-ID`` (1–64 characters of ``A-Z a-z 0-9 . _ -``) is
  kept, anything else replaced by a fresh one; either way it is echoed in the answer's
  ``X-Request-ID`` header and written in the log line, so a caseworker system's support ticket
  can be matched to the service's log.
* **Logs.** One JSON object per line on stderr: time, level, logger, message, and for requests
  the id, method, route template (never the path's values, which may hold ids), status,
  duration and caller identity. Never bodies, never query strings.
* **Metrics** (``GET /metrics``, Prometheus text format): requests by method, route and status;
  request latency histograms by route; decisions by outcome; findings by status; the decision
  log's append latency. With several worker processes, ``sendrules serve`` points
  ``PROMETHEUS_MULTIPROC_DIR`` at a fresh private folder before the workers start, and
  ``/metrics`` (answered by any worker) adds up every worker's values (prometheus_client's
  multiprocess mode).
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import sys
import time
import uuid
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
_REQUEST_ID = re.compile(rb"^[A-Za-z0-9._-]{1,64}$")
_LATENCY_BUCKETS = (0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter(
    "sendrules_http_requests",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "sendrules_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by method and route template.",
    ["method", "route"],
    buckets=_LATENCY_BUCKETS,
)
DECISIONS = Counter(
    "sendrules_decisions",
    "Decisions answered, by outcome: created (a new log entry), "
    "already_logged (the same decision was in the log), refused (an error answer).",
    ["outcome"],
)
FINDINGS = Counter("sendrules_findings", "Findings in newly logged decisions, by status.", ["status"])
LOG_APPEND = Histogram(
    "sendrules_log_append_seconds",
    "Time from queuing a decision for the log to its commit.",
    buckets=_LATENCY_BUCKETS,
)


def metrics_body() -> tuple[bytes, str]:
    """The metrics in Prometheus text format: every worker's, when several share a folder."""
    if os.environ.get(MULTIPROCESS_ENV):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST


_PROCESS_PREFIX = uuid.uuid4().hex[:12]
_counter = itertools.count(1)


def request_id(headers: list[tuple[bytes, bytes]]) -> str:
    """The client's X-Request-ID if it is well formed, else a new one: a random prefix for this
    process and a counter (unique, and cheaper than a random id per request)."""
    for name, value in headers:
        if name == b"x-request-id" and _REQUEST_ID.match(value):
            return value.decode("ascii")
    return f"{_PROCESS_PREFIX}-{next(_counter)}"


def reset_after_fork() -> None:
    """A new prefix in a forked process (gunicorn forks its workers from one parent)."""
    global _PROCESS_PREFIX
    _PROCESS_PREFIX = uuid.uuid4().hex[:12]


_children: dict[tuple, Any] = {}


def count_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request and its latency (labelled children cached: ``labels`` takes a lock)."""
    key = (method, route, status)
    pair = _children.get(key)
    if pair is None:
        pair = _children[key] = (REQUESTS.labels(method, route, str(status)), LATENCY.labels(method, route))
    pair[0].inc()
    pair[1].observe(seconds)


class JsonFormatter(logging.Formatter):
    """One JSON object per record."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: int = logging.INFO) -> None:
    """Send the service's and the server's logs to stderr as JSON lines."""
    handler = logging.StreamHandler(sys.stderr)
    formatter = JsonFormatter()
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    for name in ("sendrules", "uvicorn", "uvicorn.error", "gunicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level)
        logger.propagate = False
    # the server's own access lines are replaced by the service's (sendrules.access)
    logging.getLogger("uvicorn.access").handlers = []
    logging.getLogger("uvicorn.access").propagate = False


ACCESS = logging.getLogger("sendrules.access")


def log_request(fields: dict[str, Any]) -> None:
    ACCESS.info("request", extra={"fields": fields})


_outcomes: dict[str, Any] = {}
_statuses: dict[str, Any] = {}


def count_decision(outcome: str, summary: dict[str, int] | None = None) -> None:
    """Count one answered decision by outcome, and (for a new one) its findings by status."""
    child = _outcomes.get(outcome)
    if child is None:
        child = _outcomes[outcome] = DECISIONS.labels(outcome)
    child.inc()
    for status, count in (summary or {}).items():
        if count:
            child = _statuses.get(status)
            if child is None:
                child = _statuses[status] = FINDINGS.labels(status)
            child.inc(count)
