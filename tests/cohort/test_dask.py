"""The same run on a Dask cluster (a LocalCluster here, as in CI) writes the same bytes."""

from __future__ import annotations

import pytest

from .conftest import run_cohort

distributed = pytest.importorskip("distributed")


def test_a_run_on_a_dask_cluster_equals_a_local_run(tmp_path, synthetic_file):
    local, _ = run_cohort(tmp_path, synthetic_file, name="local", target_bytes=40_000)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote, manifest = run_cohort(
            tmp_path, synthetic_file, name="dask", target_bytes=40_000, scheduler=cluster.scheduler_address
        )
    assert manifest["counts"]["journeys"] == 300
    for name in ("findings.parquet", "measures.parquet", "errors.jsonl", "manifest.json"):
        assert (local / name).read_bytes() == (remote / name).read_bytes(), name


def test_compare_on_a_dask_cluster_equals_a_local_compare(synthetic_file):
    from sendrules.cohort.compare import compare

    from .conftest import AS_OF

    local = compare(synthetic_file, "send-ap@1.1.0", "send-ap@2.0.0-draft", AS_OF, workers=1)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = compare(
            synthetic_file, "send-ap@1.1.0", "send-ap@2.0.0-draft", AS_OF, scheduler=cluster.scheduler_address
        )
    assert local == remote
