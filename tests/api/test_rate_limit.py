"""The rate limits' shared buckets (sendrules/api/rate_limit.py), without a server."""

from __future__ import annotations

import multiprocessing

from sendrules.api.rate_limit import SharedBuckets, decision_cost


def test_a_bucket_refills_at_its_rate_and_holds_at_most_its_burst():
    buckets = SharedBuckets(slots=64)
    assert [buckets.take("a", 1, rate=1, burst=2, now=0).allowed for _ in range(3)] == [True, True, False]
    refused = buckets.take("a", 1, rate=1, burst=2, now=0.5)
    assert not refused.allowed and abs(refused.retry_after - 0.5) < 1e-9
    assert buckets.take("a", 1, rate=1, burst=2, now=1.0).allowed
    assert buckets.take("b", 2, rate=1, burst=2, now=1.0).allowed, "each caller has its own bucket"
    assert buckets.take("a", 1, rate=1, burst=2, now=100).remaining == 1, "never more than the burst"


def test_a_request_larger_than_the_burst_takes_a_whole_bucket():
    buckets = SharedBuckets(slots=64)
    assert buckets.take("a", 50, rate=1, burst=10, now=0).allowed
    assert not buckets.take("a", 1, rate=1, burst=10, now=0).allowed


def test_a_full_table_reuses_the_slot_idle_longest():
    buckets = SharedBuckets(slots=4)
    for number in range(4):
        buckets.take(f"caller-{number}", 1, rate=1, burst=1, now=number)
    assert buckets.take("newcomer", 1, rate=1, burst=1, now=10).allowed
    assert not buckets.take("caller-3", 1, rate=1, burst=1, now=3.5).allowed, (
        "the busiest callers keep their state"
    )


def _spend(buckets: SharedBuckets, results) -> None:
    results.put(buckets.take("shared", 1, rate=0.001, burst=3).allowed)


def test_processes_forked_after_the_table_was_made_share_it():
    context = multiprocessing.get_context("fork")
    buckets = SharedBuckets(slots=64)
    results = context.Queue()
    workers = [context.Process(target=_spend, args=(buckets, results)) for _ in range(5)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    outcomes = sorted(results.get(timeout=5) for _ in workers)
    assert outcomes == [False, False, True, True, True]


def test_a_decision_costs_one_unit_per_started_fifty_events():
    assert [decision_cost(n) for n in (0, 1, 50, 51, 2000)] == [1, 1, 1, 2, 40]
