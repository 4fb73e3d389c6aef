"""Group commit: the one thread per log and process that commits queued appends together.

``PendingAppend`` is one caller's append waiting for its group's commit; ``Committer`` is the
thread. ``store.DecisionLog.submit`` queues appends and ``DecisionLog._commit_group`` writes a
group in one transaction.
"""

from __future__ import annotations

import os
import queue
import threading
from concurrent.futures import Future
from typing import Any, Callable

from sendrules.engine.canonical import canonical_json

from sendrules.decisionlog import chain
from sendrules.decisionlog.entries import AccessRecord, AppendResult, Clock, NewEntry


def canonical_text(decision: dict[str, Any]) -> str:
    """The decision as the log stores it: canonical JSON text."""
    return canonical_json(decision).decode("utf-8")


class PendingAppend:
    """One caller's append, waiting for its group's commit; its outcome is ``future``'s."""

    __slots__ = ("new", "clock", "access", "prepared", "future")

    def __init__(self, new: NewEntry, clock: Clock, access: AccessRecord | None) -> None:
        self.new, self.clock, self.access = new, clock, access
        #: What the entry needs that does not depend on the chain head: computed by the caller's
        #: own thread before it queues, not by the committer (nor again on a retry).
        decision_json = canonical_text(new.decision)
        self.prepared = {
            "restated": chain.decision_fields(new.decision),
            "decision_json": decision_json,
            "decision_sha256": chain.decision_sha256(decision_json),
        }
        self.future: Future[AppendResult] = Future()

    def finish(self, result: AppendResult) -> None:
        self.future.set_result(result)

    def fail(self, error: BaseException) -> None:
        self.future.set_exception(error)


class Committer:
    """The thread that commits a log's appends for this process, in groups. It waits for the
    first queued append, takes the log's write lock, and only then takes everything else queued
    (up to ``MAX_GROUP``): appends that arrived while it waited for the lock, or while its
    previous commit was in progress, share one transaction and one flush.

    An append whose future was cancelled before it joined a group (its caller gave up: an HTTP
    request cancelled at shutdown) is not written; once in a group, its future can no longer
    be cancelled, so every caller in a group learns the group's outcome."""

    #: The most appends committed in one transaction (a bound on how long one commit holds the lock).
    MAX_GROUP = 256

    def __init__(self, commit_group: Callable[[list[PendingAppend], Callable[[], None]], None]) -> None:
        self.pid = os.getpid()
        self._commit_group = commit_group
        self._queue: queue.SimpleQueue[PendingAppend | None] = queue.SimpleQueue()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="sendrules-log-committer", daemon=True)
        self._thread.start()

    def put(self, pending: PendingAppend) -> None:
        self._queue.put(pending)

    def stop(self) -> None:
        """Commit what is queued, then end the thread."""
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        while not self._stopping:
            first = self._queue.get()
            if first is None:
                return
            if not first.future.set_running_or_notify_cancel():
                continue  # its caller gave up before the commit began: it is not written
            batch = [first]
            try:
                self._commit_group(batch, lambda: self._take_queued(batch))
            except BaseException as error:  # noqa: BLE001 -- never lose a caller: each gets the error
                for one in batch:
                    if not one.future.done():
                        one.fail(error)

    def _take_queued(self, batch: list[PendingAppend]) -> None:
        """Add to ``batch`` whatever is queued now, without waiting (noting a request to stop)."""
        while len(batch) < self.MAX_GROUP:
            try:
                more = self._queue.get_nowait()
            except queue.Empty:
                return
            if more is None:
                self._stopping = True
                return
            if more.future.set_running_or_notify_cancel():  # from here on it cannot be cancelled
                batch.append(more)
