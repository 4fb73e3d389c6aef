"""Shared fixtures. Tests never read ../shared or the wall clock; every as_of is explicit."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

from sendrules.engine.library import StandardsLibrary
from sendrules.engine.service import DecisionService


# The tests (and the programs they start) use a compiled-standards cache of their own
# (engine/compile_cache.py), one per test process, never the user's.
_CACHE = tempfile.mkdtemp(prefix="sendrules-test-cache-")
os.environ["SENDRULES_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)


@pytest.fixture(scope="session")
def library() -> StandardsLibrary:
    """The bundled standards packs."""
    return StandardsLibrary()


@pytest.fixture(scope="session")
def service(library) -> DecisionService:
    return DecisionService(library)


#: Tests that start programs, servers or a browser, or decide thousands of generated journeys:
#: marked ``slow`` so that ``pytest -m "not slow"`` is a quick local check (docs/development.md).
#: CI runs everything. A module listed here is slow as a whole; a name with "::" is one test.
SLOW = (
    "tests/api/test_fuzz.py",
    "tests/api/test_operations.py",
    "tests/api/test_paced_load.py",
    "tests/api/test_request_path_bench.py",
    "tests/api/test_service_cli.py",
    "tests/cli/test_cli.py",
    "tests/cli/test_fmt.py",
    "tests/cohort/test_cli.py",
    "tests/cohort/test_dask.py",
    "tests/decisionlog/test_cli.py",
    "tests/decisionlog/test_durability.py",
    "tests/decisionlog/test_packaging.py",
    "tests/editors/",
    "tests/features/test_cli.py",
    "tests/features/test_installed.py",
    "tests/features/test_phrasebook.py",
    "tests/features/test_workflow.py",
    "tests/hostile/",
    "tests/lsp/test_server.py",
    "tests/pages/",
    "tests/policy/test_cli.py",
    "tests/test_packaging.py::test_installed_package_ships_the_standards",
    "tests/engine/test_rete.py::test_backends_agree_on_generated_journeys",
    "tests/engine/test_rete.py::test_a_session_ends_with_the_one_shot_decision",
    "tests/engine/test_rete.py::test_backends_agree_on_a_seeded_cohort",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        node = item.nodeid.split("[", 1)[0]
        if any(
            node == entry
            or (not entry.endswith(".py") and "::" not in entry and node.startswith(entry))
            or node.startswith(entry + "::")
            for entry in SLOW
        ):
            item.add_marker(pytest.mark.slow)
