"""The answer's bytes: ``to_bytes`` (orjson) writes what the standard library's compact JSON
writes, for every decision of the conformance corpus and for the values a decision can hold."""

from __future__ import annotations

import json

import pytest

from sendrules.api.rendering import decision_document, to_bytes
from sendrules.engine.errors import EngineError
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.request import parse_request
from sendrules.engine.service import DecisionService
from tests.conformance.corpus import load_cases

SERVICE = DecisionService(StandardsLibrary())


def standard_library(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def test_every_corpus_answer_is_written_as_the_standard_library_writes_it():
    checked = 0
    for case in load_cases():
        try:
            decision = SERVICE.decide(parse_request(case.request)).to_dict()
        except EngineError:
            continue  # (the corpus's validation cases)
        document = decision_document(
            decision, {"seq": 7, "recorded_at": "2026-01-01T00:00:00Z", "created": True}
        )
        assert to_bytes(document) == standard_library(document), case.id
        checked += 1
    assert checked > 100


@pytest.mark.parametrize(
    "value",
    [
        {"text": 'é – “quoted” \u2028 <tag> \\ "', "emoji": "\U0001f600", "control": "\x00\x1f"},
        {"whole": 2**63 - 1, "negative": -(2**63), "half": 7.5, "tiny": 0.0001, "huge": 1e16, "zero": -0.0},
        {"nested": [[{"a": None, "b": True, "c": False}], []], "empty": {}},
    ],
)
def test_values_a_decision_can_hold(value):
    assert to_bytes(value) == standard_library(value)


def test_what_orjson_cannot_write_is_written_by_the_standard_library():
    value = {"beyond 64 bits": 2**70, 3: "a key that is a number"}
    assert to_bytes(value) == standard_library(value)
