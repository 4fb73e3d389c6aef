"""The bundled versions, built once for the policy tools' tests."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture(scope="session")
def v100(library):
    return library.resolve("send-ap@1.0.0", date(2000, 1, 1))


@pytest.fixture(scope="session")
def v110(library):
    return library.resolve("send-ap@1.1.0", date(2000, 1, 1))


@pytest.fixture(scope="session")
def v130(library):
    return library.resolve("send-ap@1.3.0", date(2000, 1, 1))


@pytest.fixture(scope="session")
def draft(library):
    return library.resolve("send-ap@2.0.0-draft", date(2000, 1, 1))
