"""Large decisions in a separate process, within a wall-time and a memory budget.

A worker decides small journeys on its event loop (a few milliseconds each). A journey with more
than ``SENDRULES_INLINE_EVENTS`` events (a tenth of that for the Rete backend, whose cost grows much faster) is decided instead
by this worker's *decider process*: one child process (started from a ``forkserver``, so it
inherits no threads or connections), which builds the standards once and then decides one
request at a time. The worker's event loop stays free meanwhile, so health checks and small
decisions are answered as usual.

* **Wall time.** If the child has not answered within ``SENDRULES_MAX_DECISION_SECONDS``, it is
  killed (and a new one started for the next request) and the caller gets 413
  ``decision_too_slow``.
* **Memory.** The child's address space is limited (``RLIMIT_AS``) to what it holds once
  prepared plus ``SENDRULES_MAX_DECISION_MEMORY_MIB``: a decision that needs more fails in the
  child (or kills it), and the caller gets 413 ``decision_too_large``.
* **Its sender's cost.** A caller has at most one large decision waiting or running in a worker;
  a second gets 429. At most ``MAX_WAITING`` large decisions wait for a worker's child; more
  get 503 with ``Retry-After``.

The child only decides: it returns the decision (rendered), the canonical request and the
child's id; the worker builds the log entry (pseudonym, sealed request) and queues it, exactly
as for a small decision (``Recorder.entry_for``).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import resource
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sendrules.api.errors import ApiError
from sendrules.engine.errors import DecisionError, EngineError, InputError, Problem, StandardsError

#: Most large decisions waiting for one worker's child at once.
MAX_WAITING = 8
#: How long a new child may take to build the standards (seconds).
START_TIMEOUT = 120.0
_ERRORS = {
    "InputError": InputError,
    "StandardsError": StandardsError,
    "DecisionError": DecisionError,
    "EngineError": EngineError,
}


@dataclass(frozen=True)
class Decided:
    """What the child returns for one request."""

    decision: dict[str, Any]
    request_json: bytes
    decision_id: str
    child_id: str
    standards_reference: str
    standards_sha256: str


def _child_main(connection, standards_dir: str | None, memory_mib: int) -> None:  # runs in the child
    from sendrules.decisionlog.standards_store import pinned_service
    from sendrules.engine.library import StandardsLibrary
    from sendrules.engine.request import parse_request
    from sendrules.engine.service import DecisionService

    library = StandardsLibrary(Path(standards_dir) if standards_dir else None, watch=False)
    service = DecisionService(library)
    for info in library.versions():  # build once, before the budget applies
        try:
            service.prepared(library.build(info))
        except Exception:  # noqa: BLE001 -- a version that does not build is reported when used
            pass
    _limit_memory(memory_mib)
    connection.send(("ready", None))
    while True:
        try:
            payload, backend = connection.recv()
        except EOFError:
            return
        try:
            request = parse_request(payload)
            service.backend(backend)
            standard = library.resolve(request.standards, request.as_of)
            decision, journey = pinned_service(standard).decide_with_journey(request, backend=backend)
            connection.send(
                (
                    "ok",
                    Decided(
                        decision.to_dict(),
                        decision.request_json,
                        decision.decision_id,
                        journey.child.id,
                        standard.reference,
                        standard.sha256,
                    ),
                )
            )
        except EngineError as error:
            connection.send(
                (
                    "engine_error",
                    (
                        type(error).__name__,
                        error.code,
                        error.message,
                        [problem.__dict__ for problem in error.problems],
                    ),
                )
            )
        except (MemoryError, RecursionError) as error:
            connection.send(("too_large", type(error).__name__))
        except Exception as error:  # noqa: BLE001 -- reported to the worker, which logs it
            connection.send(("failed", f"{type(error).__name__}: {error}"[:500]))


def _limit_memory(memory_mib: int) -> None:
    """Limit the address space to what is mapped now plus ``memory_mib``."""
    try:
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return  # not Linux: the wall time still bounds the decision
    limit = mapped + memory_mib * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class IsolatedDecider:
    """One worker's decider process; see the module's docstring."""

    def __init__(self, standards_dir: Path | None, seconds: float, memory_mib: int) -> None:
        self.standards_dir = str(standards_dir) if standards_dir else None
        self.seconds = seconds
        self.memory_mib = memory_mib
        self._process = None
        self._connection = None
        self._lock: asyncio.Lock | None = None
        self._callers: set[str] = set()
        self._waiting = 0

    async def decide(self, payload: dict[str, Any], backend: str, caller: str) -> Decided:
        if caller in self._callers:
            raise ApiError(
                429,
                "too_many_requests",
                "one large decision at a time per caller: wait for the answer to the previous one",
                headers={"Retry-After": "1"},
            )
        if self._waiting >= MAX_WAITING:
            raise ApiError(
                503,
                "busy",
                "too many large decisions are waiting; try again shortly",
                headers={"Retry-After": "5"},
            )
        if self._lock is None:
            self._lock = asyncio.Lock()
        self._callers.add(caller)
        self._waiting += 1
        waiting = True
        try:
            async with self._lock:
                self._waiting -= 1
                waiting = False
                await self._started()
                try:
                    return await self._run(payload, backend)
                except asyncio.CancelledError:
                    self._stop()  # the child may still be working on it: its answer must not be the next one's
                    raise
        finally:
            if waiting:
                self._waiting -= 1
            self._callers.discard(caller)

    async def _started(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        self._stop()
        # Starting a process waits for the forkserver (started, the first time, by importing the
        # service): done in a thread, so that the event loop goes on answering meanwhile.
        self._process, self._connection = await asyncio.to_thread(self._spawn)
        parent = self._connection
        if not await self._readable(START_TIMEOUT):
            self._stop()
            raise ApiError(
                503,
                "busy",
                "the large-decision process did not start in time; try again",
                headers={"Retry-After": "5"},
            )
        try:
            parent.recv()  # ("ready", None)
        except (EOFError, OSError):
            self._stop()
            raise ApiError(
                503,
                "busy",
                "the large-decision process could not start; try again",
                headers={"Retry-After": "5"},
            ) from None

    def _spawn(self):
        context = multiprocessing.get_context("forkserver")
        parent, child = context.Pipe()
        process = context.Process(
            target=_child_main,
            args=(child, self.standards_dir, self.memory_mib),
            name="sendrules-decider",
            daemon=True,
        )
        process.start()
        child.close()
        return process, parent

    async def _run(self, payload: dict[str, Any], backend: str) -> Decided:
        try:
            self._connection.send((payload, backend))
        except (OSError, ValueError):
            self._stop()
            raise ApiError(
                503, "busy", "the large-decision process went away; try again", headers={"Retry-After": "1"}
            ) from None
        if not await self._readable(self.seconds):
            self._stop()
            raise ApiError(
                413,
                "decision_too_slow",
                f"deciding this journey took longer than "
                f"{self.seconds:g} s (SENDRULES_MAX_DECISION_SECONDS); send fewer events",
                limit="SENDRULES_MAX_DECISION_SECONDS",
            )
        try:
            kind, value = self._connection.recv()
        except (EOFError, OSError):
            self._stop()
            raise _too_large(self.memory_mib) from None
        if kind == "ok":
            return value
        if kind == "engine_error":
            name, code, message, problems = value
            raise _ERRORS.get(name, EngineError)(code, message, [Problem(**problem) for problem in problems])
        if kind == "too_large":
            self._stop()  # its memory may be fragmented: start afresh
            raise _too_large(self.memory_mib)
        raise RuntimeError(f"the large-decision process failed: {value}")

    async def _readable(self, timeout: float) -> bool:
        """Wait (without blocking the loop) until the child has answered, at most ``timeout``."""
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        descriptor = self._connection.fileno()
        loop.add_reader(descriptor, lambda: ready.done() or ready.set_result(True))
        try:
            await asyncio.wait_for(ready, timeout)
            return True
        except asyncio.TimeoutError:
            return False
        finally:
            loop.remove_reader(descriptor)

    def _stop(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(0.5)  # SIGKILL ends it at once; (reaped by the next start otherwise)
        if self._connection is not None:
            self._connection.close()
        self._process = self._connection = None

    def close(self) -> None:
        self._stop()


def _too_large(memory_mib: int) -> ApiError:
    return ApiError(
        413,
        "decision_too_large",
        f"deciding this journey needed more than {memory_mib} MiB "
        "(SENDRULES_MAX_DECISION_MEMORY_MIB); send fewer events",
        limit="SENDRULES_MAX_DECISION_MEMORY_MIB",
    )
