"""Running the service on uvicorn with several worker processes that share connections fairly.

uvicorn's workers share one listening socket, and whichever worker wakes first accepts every
connection waiting in the queue. A client that opens its pool of keep-alive connections at once
(as caseworker systems and load balancers do) therefore lands mostly on one worker: with 16
connections and 2 workers we measured a 12/4 split, one worker saturated at ~92% CPU and the
other at ~35%, for the whole life of the connections.

``BalancedServer`` accepts one connection at a time and, before accepting the next, lets a
worker that holds fewer connections go first: every worker publishes its count of open
connections in a small file they all map (``ConnectionShares``: one slot per worker, claimed
with a lock that the kernel releases if the worker dies), and a worker that holds more than
another waits, at most ``MAX_WAIT``, for that one to accept. Without that file (it could not
be made or mapped), a worker pauses instead in proportion to its own connections, which spreads
connections well when both workers are scheduled promptly but not when the machine is starved.
An idle queue costs nothing: the wait only delays this worker's next ``accept``, and a worker
that holds the fewest connections accepts at once.
"""

from __future__ import annotations

import asyncio
import logging
import mmap
import os
import socket
import struct
import sys
import tempfile
from typing import Any

try:
    import fcntl
except ImportError:  # not POSIX: workers pause instead of sharing counts
    fcntl = None  # type: ignore[assignment]

import uvicorn
from uvicorn.supervisors import multiprocess

logger = logging.getLogger("sendrules.server")

#: The longest a worker waits between two accepts without shared counts (seconds).
MAX_PAUSE = 0.005
#: The pause for each connection this worker already has open, without shared counts (seconds).
PAUSE_PER_CONNECTION = 0.001
#: The longest a worker holding more connections waits for another to accept (seconds).
MAX_WAIT = 0.25
#: How often a worker republishes its count of open connections (seconds).
PUBLISH_EVERY = 0.05
#: The environment variable naming the folder of the shared counts (set by ``run``).
SHARES_ENV = "SENDRULES_WORKER_SHARES"
_SLOT = struct.Struct("<q")


def accept_pause(open_connections: int) -> float:
    """How long a worker serving ``open_connections`` waits before it accepts another."""
    return min(MAX_PAUSE, PAUSE_PER_CONNECTION * open_connections)


class ConnectionShares:
    """Every worker's count of open connections, in a file all the workers map: one 8-byte slot
    per worker. A worker claims a slot by locking ``slot-N.lock`` (``flock``); the kernel
    releases the lock when the worker exits or dies, so a restarted worker takes the slot over
    and a dead worker's stale count is ignored."""

    def __init__(self, folder: str, slots: int) -> None:
        self._folder, self._slots = folder, slots
        descriptor = os.open(os.path.join(folder, "counts"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.fstat(descriptor).st_size < _SLOT.size * slots:
                os.ftruncate(descriptor, _SLOT.size * slots)
            self._map = mmap.mmap(descriptor, _SLOT.size * slots)
        finally:
            os.close(descriptor)
        self.index, self._claim = -1, -1
        for index in range(slots):
            claim = os.open(self._lock_path(index), os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(claim, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(claim)
                continue
            self.index, self._claim = index, claim
            break
        if self.index < 0:
            self._map.close()
            raise OSError(f"all {slots} worker slots are taken")
        self.publish(0)

    def _lock_path(self, index: int) -> str:
        return os.path.join(self._folder, f"slot-{index}.lock")

    def publish(self, open_connections: int) -> None:
        _SLOT.pack_into(self._map, _SLOT.size * self.index, open_connections)

    def live_others(self) -> list[int]:
        """The slots of the other workers that are alive (one ``flock`` probe each)."""
        return [index for index in range(self._slots) if index != self.index and self._claimed(index)]

    def fewest_elsewhere(self, live: list[int] | None = None) -> int | None:
        """The fewest open connections of any other live worker (None if there is none).
        ``live``: the slots ``live_others`` found, to read counts without probing again."""
        counts = [_SLOT.unpack_from(self._map, _SLOT.size * index)[0]
                  for index in (self.live_others() if live is None else live)]
        return min(counts, default=None)

    def _claimed(self, index: int) -> bool:
        probe = os.open(self._lock_path(index), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(probe, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True  # a live worker holds it
        else:
            return False
        finally:
            os.close(probe)  # (and with it the probe's lock, if it got one)

    def close(self) -> None:
        os.close(self._claim)
        self._map.close()


def _join_shares(slots: int) -> ConnectionShares | None:
    folder = os.environ.get(SHARES_ENV)
    if not folder or fcntl is None:
        return None
    try:
        return ConnectionShares(folder, slots)
    except (OSError, ValueError) as error:
        logger.warning("connections are shared by pausing only: the shared counts are unavailable (%s)",
                       type(error).__name__)
        return None


class _Acceptor:
    """Accepts connections on a shared listening socket one at a time (see the module's doc)
    and hands each to uvicorn's HTTP protocol. Closed like an asyncio server."""

    def __init__(self, listener: socket.socket, create_protocol, server_state,
                 shares: ConnectionShares | None) -> None:
        self.listener = listener
        self.create_protocol = create_protocol
        self.server_state = server_state
        self.shares = shares
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._run(), name="sendrules-acceptor")]
        if shares is not None:
            self._tasks.append(loop.create_task(self._keep_publishing(), name="sendrules-connection-count"))

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wait_for_turn()
            try:
                connection, _address = await loop.sock_accept(self.listener)
            except OSError:  # e.g. too many open files: try again after a pause
                await asyncio.sleep(MAX_PAUSE)
                continue
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                await loop.connect_accepted_socket(self.create_protocol, connection)
            except OSError:
                connection.close()
            self._publish()

    async def _wait_for_turn(self) -> None:
        """Return when this worker should accept the next connection."""
        if self.shares is None:
            await asyncio.sleep(accept_pause(len(self.server_state.connections)))
            return
        live = self.shares.live_others()  # probed once per wait; the counts are read each time
        waited = 0.0
        while waited < MAX_WAIT:
            self._publish()
            fewest = self.shares.fewest_elsewhere(live)
            if fewest is None or len(self.server_state.connections) <= fewest:
                return
            await asyncio.sleep(0.001)
            waited += 0.001

    def _publish(self) -> None:
        if self.shares is not None:
            self.shares.publish(len(self.server_state.connections))

    async def _keep_publishing(self) -> None:
        """Closed connections lower the count while this worker waits in ``accept``."""
        while True:
            await asyncio.sleep(PUBLISH_EVERY)
            self._publish()

    def close(self) -> None:
        for task in self._tasks:
            task.cancel()

    async def wait_closed(self) -> None:
        for task in self._tasks:
            try:
                await task
            except asyncio.CancelledError:
                pass
        if self.shares is not None:
            self.shares.close()
            self.shares = None


def _knows_uvicorn(server: uvicorn.Server) -> bool:
    """Whether this uvicorn has the parts ``BalancedServer`` builds on (they are not public API;
    checked with uvicorn 0.54). If not, its own accept is used: connections may then be
    unevenly shared, but the service works, and tests/api/test_server.py fails to say so."""
    return (hasattr(server, "lifespan") and hasattr(server, "server_state")
            and hasattr(server.config, "http_protocol_class"))


class BalancedServer(uvicorn.Server):
    """uvicorn's server, accepting with ``_Acceptor`` when it is one of several workers on a
    shared TCP socket; otherwise exactly uvicorn's own behaviour."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        config = self.config
        if (sockets is None or len(sockets) != 1 or config.ssl is not None
                or sockets[0].family not in (socket.AF_INET, socket.AF_INET6) or not _knows_uvicorn(self)):
            await super().startup(sockets)
            return
        await self.lifespan.startup()
        if self.lifespan.should_exit:
            sys.exit(3)  # uvicorn's STARTUP_FAILURE

        def create_protocol(_loop: asyncio.AbstractEventLoop | None = None) -> asyncio.Protocol:
            return config.http_protocol_class(config=config, server_state=self.server_state,
                                              app_state=self.lifespan.state, _loop=_loop)

        sockets[0].setblocking(False)
        sockets[0].listen(config.backlog)
        self.servers = [_Acceptor(sockets[0], create_protocol, self.server_state,  # type: ignore[list-item]
                                  _join_shares(config.workers))]
        self.started = True


class _BalancedProcess(multiprocess.Process):
    """uvicorn's worker process, running ``BalancedServer``."""

    @property
    def server(self) -> uvicorn.Server:
        if self._server is None:
            self._server = BalancedServer(config=self.config)
        return self._server


def run(app: str, host: str, port: int, workers: int, **options: Any) -> None:
    """Serve ``app`` (an import string of an app factory) like ``uvicorn.run``, with balanced
    workers when there are several."""
    config = uvicorn.Config(app, factory=True, host=host, port=port, workers=workers, **options)
    if workers > 1:
        with tempfile.TemporaryDirectory(prefix="sendrules-workers-") as folder:  # 0700
            os.environ[SHARES_ENV] = folder  # each worker's BalancedServer joins it
            _run_workers(config)
    else:
        BalancedServer(config=config).run()


def _run_workers(config: uvicorn.Config) -> None:
    listener = config.bind_socket()
    # uvicorn's supervisor creates (and re-creates) its workers by the module's name
    # ``Process``; this process only supervises, so it is swapped for the run's duration
    # (unless that uvicorn's Process has no ``server`` to override: then its own is used).
    original = multiprocess.Process
    if isinstance(getattr(original, "server", None), property):
        multiprocess.Process = _BalancedProcess
    try:
        multiprocess.Multiprocess(config, sockets=[listener]).run()
    finally:
        multiprocess.Process = original
        listener.close()
