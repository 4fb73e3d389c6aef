"""The pack's phrasebook (standards/<pack>/phrases.yaml): checked against every version's
vocabulary with located errors, no two phrases ambiguous, and a new event type needing only YAML."""

from __future__ import annotations

import json
import re
import shutil
import textwrap

import pytest

from sendrules.engine.library import StandardsLibrary
from sendrules.scenarios.overlap import UnsupportedPattern, example_of_overlap
from sendrules.scenarios.phrasebook import load_phrasebook, parse_template, read_vocabulary, TemplateError
from sendrules.scenarios.runner import run_features
from tests.features.helpers import sendrules, write_feature

BUNDLED = StandardsLibrary().root / "send-ap"
VERSIONS = ("1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0", "2.0.0-draft")


@pytest.fixture(scope="module")
def vocabularies():
    return [(version, read_vocabulary(BUNDLED / version)) for version in VERSIONS]


def _check(tmp_path, vocabularies, text):
    pack = tmp_path / "send-ap"
    pack.mkdir(exist_ok=True)
    (pack / "phrases.yaml").write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return load_phrasebook(pack, "send-ap/phrases.yaml", vocabularies)


def test_the_shipped_phrasebook_is_clean(vocabularies):
    result = load_phrasebook(BUNDLED, "send-ap/phrases.yaml", vocabularies)
    assert result.diagnostics == [] and len(result.phrasebook.phrases) == 71
    placement = next(p for p in result.phrasebook.phrases if p.event_type == "ap_placement_started")
    assert placement.versions == ("1.1.0", "1.2.0", "1.3.0", "1.4.0", "2.0.0-draft")
    meeting = next(p for p in result.phrasebook.phrases if p.event_type == "review_meeting")
    assert meeting.versions == VERSIONS and meeting.later_fields == (
        ("preparing_for_adulthood", ("1.1.0", "1.2.0", "1.3.0", "1.4.0", "2.0.0-draft")),
        ("arranged_by", ("1.2.0", "1.3.0", "1.4.0", "2.0.0-draft")),
    )


PHRASE = """
    topics:
      - topic: Plans
        phrases:
          - given: {given}
            adds: {adds}
            example: {example}
"""


@pytest.mark.parametrize(
    "given, adds, example, code, message",
    [
        (
            "the final EHC plan issued on {date}",
            "final_plan_isued",
            "the final EHC plan issued on 1 May 2025",
            "unknown_event_type",
            "'final_plan_isued' is not an event type of any version of send-ap "
            "(1.0.0, 1.1.0, 1.2.0, 1.3.0, 1.4.0, 2.0.0-draft)",
        ),
        (
            "the plan ceased on {date} for reason {reasn}",
            "plan_ceased",
            "the plan ceased on 1 May 2025 for reason 3",
            "unknown_field",
            "'reasn' is not a field of plan_ceased in any version of send-ap (its fields: decision, reason)",
        ),
        (
            "the final EHC plan issued",
            "final_plan_issued",
            "the final EHC plan issued",
            "missing_date",
            "a phrase that adds an event says its date",
        ),
        (
            "the final EHC plan issued on {date",
            "final_plan_issued",
            "x",
            "template_syntax",
            "the '{' at character 30 is never closed",
        ),
        (
            "the final EHC plan issued [on {date}",
            "final_plan_issued",
            "x",
            "template_syntax",
            "a '[' is never closed",
        ),
        (
            "the final EHC plan issued on {date}",
            "final_plan_issued",
            "the final plan issued on 1 May 2025",
            "example_mismatch",
            "the example does not match its phrase",
        ),
        (
            "a review meeting on {date}, {preparing_for_adulthood} adulthood",
            "review_meeting",
            "a review meeting on 1 May 2025, yes adulthood",
            "missing_words",
            "{preparing_for_adulthood} is a boolean field of review_meeting: give the words for its values",
        ),
        (
            "the {advice} advice received on {date}",
            "advice_received",
            "the educational advice received on 1 May 2025",
            "required_field_not_set",
            "advice_received requires 'in_response_to' in send-ap 1.0.0",
        ),
        (
            "a child born on {date}",
            "final_plan_issued",
            "a child born on 1 May 2025",
            "ambiguous_phrases",
            "this phrase and the phrase 'a child born on 14 March 2015' of the steps both match "
            '"a child born on 1 May 1111"',
        ),
    ],
)
def test_mistakes_in_a_phrase_are_located(tmp_path, vocabularies, given, adds, example, code, message):
    result = _check(
        tmp_path, vocabularies, PHRASE.format(given=json.dumps(given), adds=adds, example=json.dumps(example))
    )
    assert result.phrasebook is None
    [problem] = [d for d in result.diagnostics if d.code == code]
    assert message in problem.message, problem.message
    assert problem.file == "send-ap/phrases.yaml" and problem.line in (4, 5, 6)
    assert problem.column is not None


def test_two_phrases_that_can_match_one_step_are_ambiguous(tmp_path, vocabularies):
    result = _check(
        tmp_path,
        vocabularies,
        """
        events:
          phase_transfer_scheduled:
            called: [transfer]
            words:
              kind: {school phase transfer: school, transfer from secondary school to post-16: secondary_to_post16}
        topics:
          - topic: Transfers
            phrases:
              - given: a {kind} on {transfer_date}, scheduled on {date}
                adds: phase_transfer_scheduled
                example: a school phase transfer on 1 September 2026, scheduled on 1 September 2025
              - given: a school phase transfer on {transfer_date}, scheduled on {date}
                adds: phase_transfer_scheduled
                fields: {kind: school}
                example: a school phase transfer on 2 September 2026, scheduled on 1 September 2025
    """,
    )
    [problem] = result.diagnostics
    assert problem.code == "ambiguous_phrases" and problem.line == 12
    assert problem.message == (
        "this phrase and 'a {kind} on {transfer_date}, scheduled on {date}' "
        "(send-ap/phrases.yaml:9) both match "
        '"a school phase transfer on 1 May 1111, scheduled on 1 May 1111"'
    )


def test_words_names_and_keys_are_checked(tmp_path, vocabularies):
    result = _check(
        tmp_path,
        vocabularies,
        """
        events:
          review_decision:
            called: [decision]
            words:
              outcome: {to keep: maintain, to end: ceased}
          plan_decision:
            called: [decision]
          review_meeting:
            words:
              preparing_for_adulthood: {yes: true, no: false}
            calld: [review meeting]
          exclusion:
            called: ["{category} exclusion"]
        topics: []
    """,
    )
    found = {(d.code, d.line) for d in result.diagnostics}
    assert ("unknown_value", 5) in found  # 'ceased' is not an outcome of review_decision
    assert ("duplicate_name", 7) in found  # "the decision" would name events of two types
    assert ("schema", 10) in found  # yes/no read as true/false by YAML
    assert ("unknown_key", 11) in found
    messages = "\n".join(d.message for d in result.diagnostics)
    assert "'ceased' is not a value of review_decision.outcome" in messages
    assert "unknown key 'calld'" in messages


def test_sendrules_check_reports_the_phrasebook_with_its_line(tmp_path):
    standards = tmp_path / "standards"
    shutil.copytree(BUNDLED, standards / "send-ap")
    phrases = standards / "send-ap" / "phrases.yaml"
    phrases.write_text(
        phrases.read_text(encoding="utf-8").replace("adds: final_plan_issued", "adds: final_plan"),
        encoding="utf-8",
    )
    result = sendrules("check", standards)
    assert result.returncode == 1
    line = next(
        number
        for number, text in enumerate(phrases.read_text().splitlines(), 1)
        if "adds: final_plan\n" in text + "\n"
    )
    assert (
        f"send-ap/phrases.yaml:{line}:15: unknown_event_type: 'final_plan' is not an event type of any "
        "version of send-ap (1.0.0, 1.1.0, 1.2.0, 1.3.0, 1.4.0, 1.5.0, 2.0.0-draft)"
    ) in result.stdout
    assert f"  {line} |         adds: final_plan\n      |               ^^^^^^^^^^" not in result.stdout
    assert "help: did you mean 'final_plan_issued'?" in result.stdout
    assert "FAIL send-ap/phrases.yaml: 1 problem(s)" in result.stdout
    assert "ok   send-ap/1.1.0: 28 rules" in result.stdout
    report = json.loads(sendrules("check", standards, "--format", "json").stdout)
    assert report["ok"] is False and report["phrasebooks"][0]["ok"] is False
    assert [p["code"] for p in report["problems"]] == ["unknown_event_type"]

    run = sendrules("test", "send-ap@1.1.0", "--standards-dir", standards)
    assert run.returncode == 2
    assert "error: the phrasebook of send-ap has 1 problem(s) [invalid_phrasebook]" in run.stderr


NEW_EVENTS = """
transport_requested:
  description: The parent asked the local authority for transport to school.
  fields:
    mode:
      type: enum
      values: [taxi, minibus, bus_pass]

transport_arranged:
  description: The local authority arranged the transport asked for.
  fields:
    in_response_to:
      type: event_ref
      event_type: transport_requested
"""

NEW_RULE = """
rule transport.arranged "Arrange the transport asked for"
  duty local_authority
  must
  cite "An illustrative transport duty"
  when transport_requested as request
  expect transport_arranged in response to request
    within params.transport.arranged_weeks weeks of request
"""

NEW_PARAMETER = """
transport.arranged_weeks:
  description: Time to arrange transport once asked.
  unit: weeks
  source: An illustrative transport duty
  values:
    2014-09-01: 4
"""

NEW_NAMES = """
  transport_requested:
    called: [transport request]
    words:
      mode: {a taxi: taxi, a minibus: minibus, a bus pass: bus_pass}
  transport_arranged:
    called: [transport]
"""

NEW_TOPIC = """
  - topic: Transport
    phrases:
      - given: the parent asked on {date} for {mode} to school
        adds: transport_requested
        example: the parent asked on 6 January 2025 for a taxi to school
      - given: transport arranged on {date}[ in response to {in_response_to}]
        adds: transport_arranged
        latest: {in_response_to: []}
        example: transport arranged on 20 January 2025
"""


def test_a_new_event_type_needs_only_yaml(tmp_path):
    """A copied pack gains an event type (events.yaml, a rule, a parameter) and its phrases
    (phrases.yaml): scenarios use them at once, with no Python changed."""
    standards = tmp_path / "standards"
    pack = standards / "send-ap"
    shutil.copytree(BUNDLED, pack)
    version = pack / "1.1.0"
    with open(version / "events.yaml", "a", encoding="utf-8") as events:
        events.write(NEW_EVENTS)
    with open(version / "parameters.yaml", "a", encoding="utf-8") as parameters:
        parameters.write(NEW_PARAMETER)
    (version / "transport.rules").write_text(NEW_RULE, encoding="utf-8")
    phrases = (pack / "phrases.yaml").read_text(encoding="utf-8")
    phrases = phrases.replace("\ntopics:\n", NEW_NAMES + "\ntopics:\n" + NEW_TOPIC)
    (pack / "phrases.yaml").write_text(phrases, encoding="utf-8")
    check = sendrules("check", standards)
    assert check.returncode == 0, check.stdout
    assert "ok   send-ap/phrases.yaml: 73 phrases" in check.stdout

    features = write_feature(
        tmp_path / "features",
        """
        @v1.1.0
        Feature: Transport to school
          Scenario: Transport arranged in time
            Given a child born on 14 March 2015
            And the parent asked on 6 January 2025 for a taxi to school
            And transport arranged on 20 January 2025
            When the duties are decided on 1 March 2025
            Then the duty "transport.arranged" for the transport request is met, due on 3 February 2025
            And the duty was satisfied by the transport

          Scenario: No transport yet
            Given a child born on 14 March 2015
            And the parent asked on 6 January 2025 for a bus pass to school
            When the duties are decided on 4 February 2025
            Then the duty "transport.arranged" for the transport request is overdue, due on 3 February 2025
    """,
        name="transport.feature",
    )
    result = sendrules(
        "test",
        "send-ap@1.1.0",
        "--standards-dir",
        standards,
        "--features",
        features,
        "--format",
        "json",
        "--coverage",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    [version_run] = json.loads(result.stdout)["versions"]
    assert [s["outcome"] for s in version_run["scenarios"]] == ["passed", "passed"]
    assert version_run["coverage"]["rules"]["statuses"]["transport.arranged"]["checked"] == ["met", "overdue"]

    docs = sendrules("docs", "send-ap@1.1.0", "--standards-dir", standards)
    assert (
        "- **In scenarios:** `Given the parent asked on 6 January 2025 for a taxi to school`" in docs.stdout
    )
    assert (
        "`Given the parent asked on 6 January 2025 for a taxi to school`"
        not in sendrules("docs", "send-ap@1.0.0", "--standards-dir", standards).stdout
    )


def test_a_working_copy_without_a_phrasebook_uses_the_bundled_one(tmp_path):
    standards = tmp_path / "standards"
    shutil.copytree(BUNDLED / "1.1.0", standards / "send-ap" / "1.1.0")
    features = write_feature(
        tmp_path / "features",
        """
        @v1.1.0
        Feature: One
          Scenario: The decision is made in time
            Given a child born on 14 March 2015
            And a request for an EHC needs assessment received on 6 January 2025
            When the duties are decided on 1 February 2025
            Then the duty "ehc.assessment_decision" for the request is pending, due on 17 February 2025
    """,
    )
    report = run_features("send-ap@1.1.0", features_dir=features, standards_dir=standards)
    assert report.ok()
    assert report.notes == [
        f"{standards / 'send-ap'} has no phrases.yaml; the phrases of the bundled send-ap were "
        "used (copy the whole pack folder to change them)"
    ]


def test_phrases_that_change_or_link_events_explain_mistakes(tmp_path):
    features = write_feature(
        tmp_path,
        """
        @v1.1.0
        Feature: Mistakes with linked events
          Scenario: A planned end for the second of one placement
            Given a child born on 14 March 2015
            And a tier 2 placement in registered alternative provision arranged by the school started on 6 January 2025 with clear objectives
            And the second placement is planned to end on 4 April 2025
          Scenario: Advice received with no request
            Given a child born on 14 March 2015
            And the medical advice received on 21 March 2025
          Scenario: A table under an event phrase
            Given a child born on 14 March 2015
            And the final EHC plan issued on 23 May 2025
              | field | value |
    """,
    )
    first, second, third = run_features("send-ap@1.1.0", features_dir=features).runs[0].scenarios
    assert first.message == 'there is no "the second placement": this scenario has 1 event called "placement"'
    assert second.message == "there is no medical advice request before this step for it to refer to"
    assert third.message.startswith("this phrase takes no table under it")


def test_templates_are_read_strictly():
    assert len(parse_template("a[ b] ({x}|c) \\[d\\]")) == 5
    for bad in ("a {B}", "a (b)", "a ]", "a (b|)", "a []"):
        with pytest.raises(TemplateError):
            parse_template(bad)


@pytest.mark.parametrize(
    "first, second, example",
    [
        (r"a (?:b|c)d", r"a c(?:d|e)", "a cd"),
        (r"x \d+ y", r"x (?:one|two) y", None),
        (r'the duty "[^"]+" holds', r'the duty "(?P<n>.+?)" holds', 'the duty "a" holds'),
        (r"(?:the )?school (?:is )?closed on \d{1,2}", r"school closed on 1\d", "school closed on 11"),
        (r"a{2,3}", r"a{4}", None),
    ],
)
def test_overlaps_between_regular_expressions(first, second, example):
    assert example_of_overlap(first, second) == example
    if example is not None:
        assert re.fullmatch(first, example) and re.fullmatch(second, example)


def test_unsupported_expressions_are_refused():
    with pytest.raises(UnsupportedPattern):
        example_of_overlap(r"(?=a)a", "a")
