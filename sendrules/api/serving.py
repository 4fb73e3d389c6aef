"""``sendrules serve``: the service on gunicorn, a process manager made for this, with uvicorn's
worker (the ``uvicorn-worker`` package: uvicorn's C HTTP parser and uvloop in each process).

* **One listening socket per worker.** With ``reuse_port``, gunicorn (24 and later) has each
  worker open its own socket on the address with ``SO_REUSEPORT``, and the Linux kernel spreads
  new connections over the workers' sockets by a hash of each connection's addresses and ports.
  With one shared socket, whichever worker woke first accepted a whole burst of connections (a
  client opening 16 keep-alive connections at once got a 12/4 split between 2 workers). No
  private interface of either server is used.
* **Supervision.** gunicorn restarts a worker that dies, and one whose event loop stops
  answering its heartbeat for ``WORKER_TIMEOUT`` seconds (large decisions run in a separate
  process, isolation.py, so a loop is never busy for long); SIGTERM drains the workers
  gracefully (``GRACEFUL_TIMEOUT``), SIGHUP restarts them with new settings and standards.
* **Connections shared fairly.** The kernel's hash can leave one worker with 11 of 16
  keep-alive connections; a worker that carries clearly more requests in progress than another
  ends one connection now and then with ``Connection: close``, so that the client reconnects and
  the kernel hands the connection out again (balance.py).
* **Shared state across workers**, made here before the workers start so that they inherit it:
  the per-caller rate limits (rate_limit.SharedBuckets), each worker's requests in progress
  (balance.Loads) and the folder in which every worker
  keeps its Prometheus metrics (``PROMETHEUS_MULTIPROC_DIR``; a worker's files are marked dead
  when it exits).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

from gunicorn.app.base import BaseApplication

WORKER_TIMEOUT = 60
GRACEFUL_TIMEOUT = 20
KEEPALIVE = 5


def _child_exit(_server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "sendrules.api.observability.JsonFormatter"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    },
    "root": {"level": "WARNING", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}


class _Service(BaseApplication):
    """gunicorn, configured in code rather than from a command line or file."""

    def __init__(self, options: dict[str, Any], access_log: bool) -> None:
        self.options = options
        self.access_log = access_log
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):  # runs in each worker, after the fork
        from sendrules.api.app import create_app
        from sendrules.api.observability import configure_logging, reset_after_fork

        reset_after_fork()
        configure_logging()
        return create_app(access_log=self.access_log)


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def metrics_folder() -> str:
    """A fresh private folder for every worker's metrics, named in the environment. Call it
    before anything imports prometheus_client: its mode is chosen when it is imported."""
    folder = tempfile.mkdtemp(prefix="sendrules-metrics-")  # 0700
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    return folder


def run(host: str, port: int, workers: int, access_log: bool, metrics: str) -> None:
    """Serve until stopped (SIGTERM or SIGINT); ``metrics``: the folder ``metrics_folder`` made."""
    from sendrules.api import balance, rate_limit

    rate_limit.SHARED = rate_limit.SharedBuckets()
    balance.SHARED = balance.Loads(workers) if workers > 1 else None
    options = {
        "bind": [bind_address(host, port)],
        "workers": workers,
        "worker_class": "uvicorn_worker.UvicornWorker",
        "reuse_port": True,
        "timeout": WORKER_TIMEOUT,
        "graceful_timeout": GRACEFUL_TIMEOUT,
        "keepalive": KEEPALIVE,
        "proc_name": "sendrules",
        "accesslog": None,
        "errorlog": "-",
        "logconfig_dict": LOGGING,
        "child_exit": _child_exit,
    }
    try:
        _Service(options, access_log).run()
    finally:
        shutil.rmtree(metrics, ignore_errors=True)
