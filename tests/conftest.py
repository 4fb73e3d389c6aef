"""Shared fixtures. Tests never read ../shared or the wall clock; every as_of is explicit."""

from __future__ import annotations

import pytest

from sendrules.engine.library import StandardsLibrary
from sendrules.engine.service import DecisionService


@pytest.fixture(scope="session")
def library() -> StandardsLibrary:
    """The bundled standards packs."""
    return StandardsLibrary()


@pytest.fixture(scope="session")
def service(library) -> DecisionService:
    return DecisionService(library)
