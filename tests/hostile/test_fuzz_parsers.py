"""A bounded fuzz run of the journey and pack parsers (issue 12): whatever the input, the answer
is a decision or one of the engine's own errors (exit 2 / 4xx), never another exception (which
the CLI would report as exit 70 and the HTTP API as 500).

Hypothesis generates the inputs from a fixed seed (``derandomize``), so a run is repeatable and
bounded; ``SENDRULES_FUZZ_EXAMPLES`` raises the number of examples for a longer local run.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendrules import BUNDLED_STANDARDS
from sendrules.dsl.pack import read_pack_files
from sendrules.dsl.pipeline import build_from_files
from sendrules.engine.errors import EngineError
from sendrules.engine.request import parse_json_bytes, parse_request

EXAMPLES = int(os.environ.get("SENDRULES_FUZZ_EXAMPLES", "150"))
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "examples" / "journey.json").read_text())

#: JSON values: what a caseworker system could send in any field.
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "2025-02-29",
            "2024-02-29",
            "2025-13-01",
            "0001-01-01",
            "9999-12-31",
            "e1",
            "e2",
            "assess",
            "not_assess",
            "",
            "\u0000",
            "C-000123",
        ]
    ),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


def _decide_or_refuse(service, payload) -> None:
    try:
        service.decide(parse_request(payload))
    except EngineError:
        pass  # refused with a located error: what bad input must get


@st.composite
def mutated_requests(draw):
    """The example request with one part replaced by an arbitrary JSON value."""
    journey = json.loads(json.dumps(EXAMPLE))
    request = {"journey": journey, "as_of": "2025-06-01"}
    where = draw(
        st.sampled_from(
            ["as_of", "journey", "child", "child.field", "events", "event", "event.field", "extra"]
        )
    )
    value = draw(JSON)
    if where == "as_of":
        request["as_of"] = value
    elif where == "journey":
        request["journey"] = value
    elif where == "child":
        journey["child"] = value
    elif where == "child.field":
        journey["child"][draw(st.sampled_from(["id", "date_of_birth", "local_authority", "x"]))] = value
    elif where == "events":
        journey["events"] = value
    elif where == "event":
        journey["events"][draw(st.integers(0, len(journey["events"]) - 1))] = value
    elif where == "event.field":
        event = journey["events"][draw(st.integers(0, len(journey["events"]) - 1))]
        event[
            draw(
                st.sampled_from(
                    ["id", "type", "date", "outcome", "in_response_to", "advice", "school_days", "kind", "x"]
                )
            )
        ] = value
    else:
        request[draw(st.sampled_from(["standards", "school_closures", "term_dates", "backend", "x"]))] = value
    return request


@BOUNDED
@given(mutated_requests())
def test_a_mutated_journey_is_decided_or_refused(service, request):
    _decide_or_refuse(service, request)


@BOUNDED
@given(
    st.binary(max_size=300) | st.text(max_size=300).map(lambda text: text.encode("utf-8", "surrogatepass"))
)
def test_any_bytes_are_json_or_a_located_error(data):
    try:
        parse_json_bytes(data, "the journey", "journey")
    except EngineError as error:
        assert error.problems, "a refusal says where"


#: Pieces of the rules language, so that fuzzed text reaches past the tokenizer.
TOKENS = [
    "rule",
    "ehc.x",
    '"t"',
    "duty",
    "school",
    "must",
    "should",
    "cite",
    '"reg 1"',
    "when",
    "as",
    "r",
    "expect",
    "after",
    "within",
    "params.ehc.final_plan_weeks",
    "weeks",
    "of",
    "unless",
    "on or before",
    "due",
    "before",
    "not",
    "(",
    ")",
    "and",
    "or",
    "is",
    "missing",
    "==",
    "<",
    "20",
    "school days",
    "working days",
    "months",
    "starting with",
    "beginning with",
    "in force from",
    "2015-01-05",
    "exempt",
    "\n",
    "\n  ",
    "#",
    "assessment_requested",
    "final_plan_issued",
    "outcome",
    '"assess"',
]
RULES_TEXT = st.lists(st.sampled_from(TOKENS) | st.text(max_size=8), max_size=40).map(" ".join)


@BOUNDED
@given(RULES_TEXT)
def test_any_rules_text_gives_diagnostics_never_an_exception(text):
    files, _ = read_pack_files(Path(BUNDLED_STANDARDS) / "send-ap" / "1.1.0", "send-ap/1.1.0")
    files.texts["support.rules"] = text
    result = build_from_files(files)  # a located diagnostic per problem, or a standard
    if result.standard is None:  # refused: at least one problem, each naming its file
        assert result.diagnostics and all(d.file and d.code and d.message for d in result.diagnostics)


@BOUNDED
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "id",
                "version",
                "title",
                "status",
                "effective_from",
                "effective_to",
                "summary",
                "language",
                "school_days",
                "duty_holders",
                "sources",
                "x",
            ]
        ),
        JSON,
        max_size=6,
    )
)
def test_any_manifest_gives_diagnostics_never_an_exception(changes):
    import yaml

    files, _ = read_pack_files(Path(BUNDLED_STANDARDS) / "send-ap" / "1.1.0", "send-ap/1.1.0")
    manifest = yaml.safe_load(files.texts["manifest.yaml"])
    manifest.update(
        {key: (value.isoformat() if isinstance(value, date) else value) for key, value in changes.items()}
    )
    files.texts["manifest.yaml"] = yaml.safe_dump(manifest, allow_unicode=True)
    build_from_files(files)


def test_a_link_to_an_event_whose_type_is_a_list_is_refused_not_a_crash(service):
    """Found by the fuzz run above: the link check looked the linked event's type up by value."""
    request = {"as_of": "2025-06-01", "journey": json.loads(json.dumps(EXAMPLE))}
    events = request["journey"]["events"]
    linked = next(event for event in events if "in_response_to" in event)
    target = next(event for event in events if event["id"] == linked["in_response_to"])
    target["type"] = ["advice_requested"]
    try:
        service.decide(parse_request(request))
    except EngineError as error:
        assert error.code == "invalid_journey"
    else:
        raise AssertionError("a journey with an event type written as a list was accepted")
