"""Keep-alive connections shared fairly between ``sendrules serve``'s workers.

Each worker listens on its own socket (``SO_REUSEPORT``, serving.py), and the kernel hands every
new connection to one of them by a hash of the connection's addresses and ports. A client that
opens its pool of keep-alive connections at once (a caseworker system, a load balancer, the
HTTP benchmark's 16) gets a random split that lasts as long as the connections do: 11 and 5 as
often as 8 and 8. The worker with more then queues more requests while the other waits for
work (docs/performance.md measured p99 of 30-38 ms at 12/4 or 11/5 against 26-27 ms at 8/8).

So each worker publishes how many requests it has in progress, averaged over about a second
(``SMOOTHING``), in a table all the workers share (``Loads``, made by ``serve`` before they
start). When a worker carries at least ``MARGIN`` more than the least loaded of the others, it
ends one keep-alive connection: it answers the request with ``Connection: close``, HTTP/1.1's
own way of ending a connection after an answer. The client opens a new connection, which the
kernel hands to any worker; within a few such moves the split is fair, and then nothing more
is moved. At most one connection per worker is ended every ``MOVE_EVERY`` seconds. Nothing is
lost: the answer is complete, and a client must expect any keep-alive connection to be closed.
Only requests made on an HTTP/1.1 keep-alive connection are answered this way.
"""

from __future__ import annotations

import ctypes
import math
import multiprocessing
import os
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: How much longer, in requests in progress, one worker's queue must be than another's before
#: a connection is moved (one connection's worth would move connections back and forth).
MARGIN = 1.5
#: The least time between two connections ended by one worker (seconds).
MOVE_EVERY = 0.5
#: The time constant of the average of requests in progress (seconds).
SMOOTHING = 1.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # (a process of another user has taken the number: not ours)
        return False
    return True


class Loads:
    """Every worker's average number of requests in progress, in memory that the forked
    workers share: one slot per worker, owned by the worker's process id."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._owners = multiprocessing.RawArray(ctypes.c_int64, slots)
        self._loads = multiprocessing.RawArray(ctypes.c_double, slots)
        self._lock = multiprocessing.Lock()

    def claim(self, pid: int) -> int | None:
        """The slot of the worker ``pid``: the one it owns, else a free one or one whose worker
        has died (None when every slot belongs to another live worker)."""
        with self._lock:
            for slot in range(self.slots):
                if self._owners[slot] == pid:
                    return slot
            for slot in range(self.slots):
                owner = self._owners[slot]
                if owner == 0 or not _alive(owner):
                    self._owners[slot] = pid
                    self._loads[slot] = 0.0
                    return slot
        return None

    def release(self, pid: int) -> None:
        """Give up the slot of the worker ``pid`` (a worker stopping)."""
        with self._lock:
            for slot in range(self.slots):
                if self._owners[slot] == pid:
                    self._owners[slot] = 0
                    self._loads[slot] = 0.0

    def publish(self, slot: int, load: float) -> None:
        self._loads[slot] = load

    def lighter_other(self, slot: int, than: float) -> bool:
        """Whether another live worker's load is at most ``than`` (whether a worker is alive is
        asked only of one light enough, so the usual answer costs no system call)."""
        for other in range(self.slots):
            owner = self._owners[other]
            if other != slot and owner != 0 and self._loads[other] <= than and _alive(owner):
                return True
        return False


#: Set by ``sendrules serve`` before the workers start when there are several of them.
SHARED: Loads | None = None

_CLOSE = (b"connection", b"close")


class BalanceConnections:
    """ASGI middleware: counts this worker's requests in progress and, when this worker carries
    clearly more than another (see the module's doc), ends the connection of the next request
    that completes by answering it with ``Connection: close``."""

    def __init__(self, app: ASGIApp, loads: Loads, clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.loads = loads
        self.clock = clock
        self._pid = 0
        self._slot: int | None = None
        self.in_progress = 0
        self.average = 0.0
        self._changed = clock()
        self._moved = -math.inf

    def _own_slot(self) -> int | None:
        pid = os.getpid()
        if pid != self._pid:  # (first request of this worker, after the fork)
            self._pid, self._slot = pid, self.loads.claim(pid)
        return self._slot

    def _count(self, change: int) -> None:
        """Add ``change`` to the requests in progress, bringing the average up to now first."""
        now = self.clock()
        weight = 1.0 - math.exp(-(now - self._changed) / SMOOTHING)
        self.average += (self.in_progress - self.average) * weight
        self._changed = now
        self.in_progress += change
        if self._slot is not None:
            self.loads.publish(self._slot, self.average)

    def should_move(self, slot: int) -> bool:
        """Whether to end the connection of the request now being answered."""
        now = self.clock()
        if now - self._moved < MOVE_EVERY:
            return False
        if not self.loads.lighter_other(slot, self.average - MARGIN):
            return False
        self._moved = now
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        slot = self._own_slot() if scope["type"] == "http" else None
        if slot is None:
            await self.app(scope, receive, send)
            return
        keep_alive = scope.get("http_version") == "1.1" and not any(
            name == b"connection" and b"close" in value.lower() for name, value in scope.get("headers") or ()
        )

        async def send_balanced(message: Message) -> None:
            if message["type"] == "http.response.start" and keep_alive and self.should_move(slot):
                headers = list(message.get("headers", ()))
                if not any(name.lower() == b"connection" for name, _ in headers):
                    message = {**message, "headers": [*headers, _CLOSE]}
            await send(message)

        self._count(+1)
        try:
            await self.app(scope, receive, send_balanced)
        finally:
            self._count(-1)
