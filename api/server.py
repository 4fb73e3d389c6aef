"""Running the service on uvicorn with several worker processes that share connections fairly.

uvicorn's workers share one listening socket, and whichever worker wakes first accepts every
connection waiting in the queue. A client that opens its pool of keep-alive connections at once
(as caseworker systems and load balancers do) therefore lands mostly on one worker: with 16
connections and 2 workers we measured a 12/4 split, one worker saturated at ~92% CPU and the
other at ~35%, for the whole life of the connections.

``BalancedServer`` accepts one connection at a time and, before accepting the next, pauses for
a moment that grows with the number of connections this worker already serves (capped at
``MAX_PAUSE``). A worker with fewer connections comes back to the queue sooner and takes the
next one, so connections spread evenly across workers without any state shared between them.
A lone worker (or an idle queue) is not slowed: the pause only delays this worker's next
``accept``; a connection that arrives meanwhile waits at most ``MAX_PAUSE`` for it.
"""

from __future__ import annotations

import asyncio
import socket
import sys
from typing import Any

import uvicorn
from uvicorn.supervisors import multiprocess

#: The longest a worker waits between two accepts (seconds).
MAX_PAUSE = 0.005
#: The pause for each connection this worker already has open (seconds).
PAUSE_PER_CONNECTION = 0.001


def accept_pause(open_connections: int) -> float:
    """How long a worker serving ``open_connections`` waits before it accepts another."""
    return min(MAX_PAUSE, PAUSE_PER_CONNECTION * open_connections)


class _Acceptor:
    """Accepts connections on a shared listening socket one at a time (see the module's doc)
    and hands each to uvicorn's HTTP protocol. Closed like an asyncio server."""

    def __init__(self, listener: socket.socket, create_protocol, server_state) -> None:
        self.listener = listener
        self.create_protocol = create_protocol
        self.server_state = server_state
        self._task = asyncio.get_running_loop().create_task(self._run(), name="sendrules-acceptor")

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(accept_pause(len(self.server_state.connections)))
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

    def close(self) -> None:
        self._task.cancel()

    async def wait_closed(self) -> None:
        try:
            await self._task
        except asyncio.CancelledError:
            pass


def _knows_uvicorn(server: uvicorn.Server) -> bool:
    """Whether this uvicorn has the parts ``BalancedServer`` builds on (they are not public API;
    checked with uvicorn 0.54). If not, its own accept is used: connections may then be
    unevenly shared, but the service works, and tests/api/test_server.py fails to say so."""
    return (all(hasattr(server, name) for name in ("lifespan", "server_state", "servers"))
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
        self.servers = [_Acceptor(sockets[0], create_protocol, self.server_state)]  # type: ignore[list-item]
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
    server = BalancedServer(config=config)
    if workers > 1:
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
    else:
        server.run()
