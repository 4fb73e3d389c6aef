"""Keep-alive connections shared fairly between workers (sendrules/api/balance.py): a worker
that carries clearly more requests in progress than another ends one connection with
``Connection: close``, at most one every MOVE_EVERY seconds, and only where that is HTTP/1.1's
way of ending a keep-alive connection."""

from __future__ import annotations

import asyncio
import multiprocessing
import os

import pytest

from sendrules.api import balance
from sendrules.api.balance import MARGIN, MOVE_EVERY, BalanceConnections, Loads


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _dead_pid() -> int:
    process = multiprocessing.get_context("fork").Process(target=lambda: None)
    process.start()
    process.join()
    return process.pid


def test_a_worker_claims_one_slot_and_keeps_it():
    loads = Loads(2)
    assert loads.claim(os.getpid()) == 0
    assert loads.claim(os.getpid()) == 0
    assert loads.claim(os.getppid()) == 1
    assert loads.claim(1) is None  # every slot is owned by a live process


def test_the_slot_of_a_dead_worker_is_taken_over_and_its_load_forgotten():
    loads = Loads(2)
    dead = _dead_pid()
    assert loads.claim(dead) == 0
    loads.publish(0, 9.0)
    assert loads.claim(os.getpid()) == 0  # (as a restarted worker takes its predecessor's slot)
    assert loads.claim(os.getppid()) == 1
    assert loads.lighter_other(1, 0.0)  # its load starts at 0, not at the dead worker's 9


def test_only_live_other_workers_count_as_lighter():
    loads = Loads(3)
    assert loads.claim(os.getpid()) == 0
    loads.publish(0, 1.0)
    assert not loads.lighter_other(0, 5.0)  # itself is not another worker; slots 1, 2 are free
    dead = _dead_pid()
    assert loads.claim(dead) == 1
    loads.publish(1, 1.0)
    assert not loads.lighter_other(0, 5.0)  # the dead worker's stale load is ignored
    assert loads.claim(os.getppid()) == 1
    loads.publish(1, 3.0)
    assert loads.lighter_other(0, 3.0)
    assert not loads.lighter_other(0, 2.9)


def test_release_frees_the_slot():
    loads = Loads(1)
    assert loads.claim(os.getppid()) == 0
    loads.release(os.getppid())
    assert loads.claim(os.getpid()) == 0


async def _answer(scope, receive, send) -> None:
    await send(
        {"type": "http.response.start", "status": 201, "headers": [(b"content-type", b"application/json")]}
    )
    await send({"type": "http.response.body", "body": b"{}"})


def _request(
    middleware: BalanceConnections, http_version: str = "1.1", headers=()
) -> list[tuple[bytes, bytes]]:
    sent: list[dict] = []

    async def send(message) -> None:
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {"type": "http", "http_version": http_version, "headers": list(headers)}
    asyncio.run(middleware(scope, receive, send))
    return sent[0]["headers"]


def _busy_worker(clock: Clock, own: float, other: float) -> tuple[BalanceConnections, Loads]:
    """This process's middleware, its average already at ``own``, beside a live worker at ``other``."""
    loads = Loads(2)
    assert loads.claim(os.getppid()) == 0
    loads.publish(0, other)
    middleware = BalanceConnections(_answer, loads, clock=clock)
    _carrying(middleware, own)
    return middleware, loads


def _carrying(middleware: BalanceConnections, average: float) -> None:
    """As if the worker had carried ``average`` requests in progress until now."""
    middleware.average = average
    middleware._changed = middleware.clock()


def test_a_clearly_busier_worker_ends_one_connection_then_waits():
    clock = Clock()
    middleware, loads = _busy_worker(clock, own=9.0, other=9.0 - MARGIN - 0.5)
    assert (b"connection", b"close") in _request(middleware)
    assert loads.claim(os.getpid()) == 1  # it published into its own slot
    clock.now += MOVE_EVERY / 2
    _carrying(middleware, 9.0)
    assert (b"connection", b"close") not in _request(middleware)  # not again so soon
    clock.now += MOVE_EVERY
    _carrying(middleware, 9.0)
    assert (b"connection", b"close") in _request(middleware)


def test_a_worker_within_the_margin_keeps_its_connections():
    clock = Clock()
    middleware, _ = _busy_worker(clock, own=8.0, other=8.0 - MARGIN + 0.2)
    for _ in range(5):
        clock.now += MOVE_EVERY
        _carrying(middleware, 8.0)
        assert (b"connection", b"close") not in _request(middleware)


@pytest.mark.parametrize(
    ("http_version", "headers"),
    [("1.0", ()), ("1.1", [(b"connection", b"Close")]), ("2", ())],
)
def test_only_a_keep_alive_http_1_1_connection_is_ended(http_version, headers):
    clock = Clock()
    middleware, _ = _busy_worker(clock, own=12.0, other=0.0)
    assert (b"connection", b"close") not in _request(middleware, http_version, headers)


def test_an_answer_that_already_says_connection_is_left_as_it_is():
    async def closing(scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": 413, "headers": [(b"connection", b"close")]})
        await send({"type": "http.response.body", "body": b""})

    clock = Clock()
    middleware, _ = _busy_worker(clock, own=12.0, other=0.0)
    middleware.app = closing
    assert _request(middleware) == [(b"connection", b"close")]


def test_the_average_follows_the_requests_in_progress():
    clock = Clock()
    loads = Loads(2)
    middleware = BalanceConnections(_answer, loads, clock=clock)
    middleware._own_slot()
    for _ in range(4):
        middleware._count(+1)
    clock.now += 5 * balance.SMOOTHING  # four in progress for a long while
    middleware._count(-1)
    assert 3.9 < middleware.average <= 4.0
    clock.now += 5 * balance.SMOOTHING
    middleware._count(0)
    assert 2.9 < middleware.average < 3.1


def test_the_service_balances_only_when_serve_made_the_shared_table(monkeypatch, tmp_path):
    from sendrules.api.app import create_app
    from tests.api.conftest import service_environment

    for name, value in service_environment(tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(balance, "SHARED", None)
    alone = create_app(prepare=False)
    assert not any(m.cls is BalanceConnections for m in alone.user_middleware)
    monkeypatch.setattr(balance, "SHARED", Loads(2))
    shared = create_app(prepare=False)
    assert any(m.cls is BalanceConnections for m in shared.user_middleware)
