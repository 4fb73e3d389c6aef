"""The decision's JSON shape is described once (engine/decision_schema.py) and the OpenAPI
document publishes it: every decision of the conformance corpus, on both backends, must be
valid against it with no key it does not name, so the description and the code that writes
decisions cannot drift apart."""

from __future__ import annotations

import pytest

from sendrules.engine.decision_schema import DecisionSchema
from sendrules.engine.errors import EngineError
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.request import parse_request
from sendrules.engine.service import DecisionService
from tests.conformance.corpus import load_cases

SERVICE = DecisionService(StandardsLibrary())


@pytest.mark.parametrize("backend", ["reference", "rete"])
def test_every_corpus_decision_matches_the_published_shape(backend):
    if backend == "rete":
        pytest.importorskip("durable.engine")
    checked = 0
    for case in load_cases():
        try:
            decision = SERVICE.decide(parse_request(case.request), backend=backend).to_dict()
        except EngineError:
            continue  # (the corpus's validation cases)
        assert DecisionSchema.model_validate(decision).model_dump(exclude_unset=True) == decision, case.id
        checked += 1
    assert checked > 50
