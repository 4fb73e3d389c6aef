"""Per-caller rate limits: a token bucket per canonical identity, shared by every worker process.

Each caller has ``burst`` units that refill at ``rate`` units a second; a request costs units
(a decision one per started 50 events of its journey, anything else one), and a request that
finds too few gets 429 with ``Retry-After``. So a caller sending huge journeys runs out of its
own budget first, and nobody else's.

The buckets live in shared memory (``multiprocessing.RawArray``, guarded by a
``multiprocessing.Lock``) created by ``sendrules serve`` before it starts the worker processes,
which inherit it: the limit is the service's, not each worker's. A table made in a process that
was not started that way (tests, one-process use) is that process's own.

The table has ``SLOTS`` entries addressed by a 64-bit fingerprint of the identity (open
addressing, ``PROBES`` slots tried). When all tried slots are taken, the one idle longest is
reused: an entry idle for ``burst / rate`` seconds or more holds a full bucket anyway, so
reusing it changes nothing; only with more than ``SLOTS`` callers active within that time could
a caller get a fresh bucket early (documented in docs/http-api.md).
"""

from __future__ import annotations

import ctypes
import hashlib
import math
import multiprocessing
import time
from typing import NamedTuple

SLOTS = 4096
PROBES = 16
EVENTS_PER_UNIT = 50


def decision_cost(events: int) -> int:
    """Units a decision costs: one per started ``EVENTS_PER_UNIT`` events (at least one)."""
    return max(1, math.ceil(events / EVENTS_PER_UNIT))


class Verdict(NamedTuple):
    """(A tuple: cheaper to make than a frozen dataclass, on every request.)"""

    allowed: bool
    remaining: float
    retry_after: float  # seconds until the request would be allowed (0 when allowed)


#: Fingerprints of recent identities (a caller's requests all hash the same identity), bounded.
_FINGERPRINTS: dict[str, int] = {}
_MAX_FINGERPRINTS = 4096


def fingerprint(identity: str) -> int:
    """A 64-bit fingerprint of ``identity`` (never 0: 0 marks a free slot)."""
    known = _FINGERPRINTS.get(identity)
    if known is not None:
        return known
    value = (
        int.from_bytes(
            hashlib.blake2b(identity.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little"
        )
        or 1
    )
    if len(_FINGERPRINTS) >= _MAX_FINGERPRINTS:
        _FINGERPRINTS.clear()
    _FINGERPRINTS[identity] = value
    return value


class SharedBuckets:
    """The token buckets, in memory that forked worker processes share."""

    def __init__(self, slots: int = SLOTS) -> None:
        self.slots = slots
        self._fingerprints = multiprocessing.RawArray(ctypes.c_uint64, slots)
        self._tokens = multiprocessing.RawArray(ctypes.c_double, slots)
        self._updated = multiprocessing.RawArray(ctypes.c_double, slots)
        self._lock = multiprocessing.Lock()

    def take(
        self, identity: str, cost: float, rate: float, burst: float, now: float | None = None
    ) -> Verdict:
        """Take ``cost`` units from ``identity``'s bucket if it holds them."""
        now = time.monotonic() if now is None else now
        cost = min(cost, burst)  # a request bigger than the burst takes a whole full bucket
        with self._lock:
            slot = self._slot(fingerprint(identity), now, rate, burst)
            tokens = min(burst, self._tokens[slot] + (now - self._updated[slot]) * rate)
            self._updated[slot] = now
            if tokens >= cost:
                self._tokens[slot] = tokens - cost
                return Verdict(True, tokens - cost, 0.0)
            self._tokens[slot] = tokens
            return Verdict(False, tokens, (cost - tokens) / rate)

    def _slot(self, fingerprint: int, now: float, rate: float, burst: float) -> int:
        start = fingerprint % self.slots
        idlest, idlest_since = start, math.inf
        for step in range(PROBES):
            slot = (start + step) % self.slots
            found = self._fingerprints[slot]
            if found == fingerprint:
                return slot
            if found == 0:
                idlest = slot
                break
            if self._updated[slot] < idlest_since:
                idlest, idlest_since = slot, self._updated[slot]
        self._fingerprints[idlest] = fingerprint
        self._tokens[idlest] = burst
        self._updated[idlest] = now
        return idlest


#: Set by ``sendrules serve`` before the workers start, so that they all share it.
SHARED: SharedBuckets | None = None


def buckets() -> SharedBuckets:
    """The service's buckets: the shared table if ``serve`` made one, else this process's own."""
    return SHARED if SHARED is not None else SharedBuckets()
