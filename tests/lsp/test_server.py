"""The language server, tested over the protocol: an editor's messages in, the server's
answers out (tests/lsp/client.py), the server running in this process on OS pipes.

The diagnostics must be those of ``sendrules check`` for the same files: same codes, same
messages, same places, same hints.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sendrules import BUNDLED_STANDARDS
from sendrules.dsl.pipeline import build_standard
from tests.lsp.client import Session, uri


@pytest.fixture
def packs(tmp_path) -> Path:
    """A copy of the published 1.1.0 and of the 2.0.0 draft."""
    for version in ("1.1.0", "2.0.0-draft"):
        shutil.copytree(BUNDLED_STANDARDS / "send-ap" / version, tmp_path / "send-ap" / version)
    return tmp_path


@pytest.fixture
def session(packs):
    session = Session.in_process()
    session.initialize(packs)
    yield session
    session.close()


def _version(packs: Path, version: str = "1.1.0") -> Path:
    return packs / "send-ap" / version


def _check_on_disk(folder: Path, edits: dict[str, tuple[str, str]]):
    """What ``sendrules check`` says about a copy of ``folder`` with the same edits."""
    copy = folder.parent.parent / "disk-copy" / folder.parent.name / folder.name
    shutil.copytree(folder, copy)
    for name, (old, new) in edits.items():
        path = copy / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return build_standard(copy, f"{folder.parent.name}/{folder.name}").diagnostics


def _as_check_says(diagnostic) -> dict:
    message = diagnostic.message + (f" (at {diagnostic.yaml_path})" if diagnostic.yaml_path else "")
    if diagnostic.hint:
        message += f"\nhelp: {diagnostic.hint}"
    return {
        "code": diagnostic.code,
        "message": message,
        "line": diagnostic.line - 1,
        "character": diagnostic.column - 1,
    }


def _as_published(found: list[dict]) -> list[dict]:
    return [
        {
            "code": d["code"],
            "message": d["message"],
            "line": d["range"]["start"]["line"],
            "character": d["range"]["start"]["character"],
        }
        for d in found
    ]


# --- diagnostics -----------------------------------------------------------------------------


def test_an_open_file_of_a_clean_pack_gets_an_empty_list(session, packs):
    ehc = session.open(_version(packs) / "ehc.rules")
    assert session.diagnostics_after(ehc, 0) == []


def test_diagnostics_as_you_type_are_those_of_sendrules_check(session, packs):
    folder = _version(packs)
    ehc = session.open(folder / "ehc.rules")
    session.diagnostics_after(ehc, 0)
    edits = {
        "ehc.rules": (
            "  expect final_plan_issued after request\n",
            "  expect final_plan_isued after request\n",
        ),
        "exclusion.rules": ('  must\n  cite "SI 2007/1870 reg 3"', '  cite "SI 2007/1870 reg 3"'),
    }
    exclusion = session.open(folder / "exclusion.rules")
    session.diagnostics_after(exclusion, 0)
    for name, (old, new) in edits.items():
        session.edit(uri(folder / name), old, new)
    found = session.diagnostics_after(ehc, 1, lambda found: found != [])
    found_exclusion = session.diagnostics_after(exclusion, 1, lambda found: found != [])
    expected = _check_on_disk(folder, edits)
    assert {d.file.rsplit("/", 1)[-1] for d in expected} == {"ehc.rules", "exclusion.rules"}
    assert _as_published(found) == [_as_check_says(d) for d in expected if d.file.endswith("ehc.rules")]
    assert _as_published(found_exclusion) == [
        _as_check_says(d) for d in expected if d.file.endswith("exclusion.rules")
    ]
    assert found[0]["code"] == "unknown_event_type" and found[0]["source"] == "sendrules"
    assert found[0]["range"]["end"]["character"] - found[0]["range"]["start"]["character"] == len(
        "final_plan_isued"
    )
    # fixing it clears them
    session.edit(ehc, "final_plan_isued after request\n", "final_plan_issued after request\n")
    assert session.diagnostics_after(ehc, 2, lambda found: found == []) == []


def test_yaml_files_get_their_diagnostics_with_the_yaml_path(session, packs):
    folder = _version(packs)
    parameters = session.open(folder / "parameters.yaml", language="yaml")
    session.diagnostics_after(parameters, 0)
    edit = (
        "  unit: weeks\n  source: SEND Regulations 2014 reg 13(2)\n",
        "  unit: wekes\n  source: SEND Regulations 2014 reg 13(2)\n",
    )
    session.edit(parameters, *edit)
    found = session.diagnostics_after(parameters, 1, lambda found: found != [])
    expected = _check_on_disk(folder, {"parameters.yaml": edit})
    assert _as_published(found) == [_as_check_says(d) for d in expected if d.file.endswith("parameters.yaml")]
    assert "(at ehc.final_plan_weeks.unit)" in found[0]["message"]


def test_a_problem_caused_in_one_file_is_shown_in_the_others(session, packs):
    """Renaming an event type in events.yaml breaks the rules that use it: each rules file of
    the pack gets its diagnostics although only events.yaml was edited (and is unsaved)."""
    folder = _version(packs)
    events = session.open(folder / "events.yaml", language="yaml")
    session.diagnostics_after(events, 0)
    session.edit(events, "\nassessment_requested:\n", "\nassessment_request:\n")
    ehc = uri(folder / "ehc.rules")
    found = session.diagnostics_after(ehc, 0)
    assert {d["code"] for d in found} == {"unknown_event_type"}
    assert all("did you mean 'assessment_request'?" in d["message"] for d in found)


def test_a_did_you_mean_is_offered_as_a_quick_fix(session, packs):
    ehc = session.open(_version(packs) / "ehc.rules")
    session.diagnostics_after(ehc, 0)
    session.edit(
        ehc,
        '  duty local_authority\n  must\n  cite "SEND Regulations 2014 reg 5(1)"',
        '  duty local_authorty\n  must\n  cite "SEND Regulations 2014 reg 5(1)"',
    )
    found = session.diagnostics_after(ehc, 1, lambda found: found != [])
    actions = session.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": ehc}, "range": found[0]["range"], "context": {"diagnostics": found}},
    )
    assert [action["title"] for action in actions] == ["Replace with 'local_authority'"]
    change = actions[0]["edit"]["changes"][ehc][0]
    assert change == {"range": found[0]["range"], "newText": "local_authority"}


def test_a_rules_file_outside_any_pack_gets_its_syntax_errors(session, tmp_path):
    lone = tmp_path / "scratch.rules"
    lone.write_text('rule ehc.x "X"\n  when assessment_requested\n', encoding="utf-8")
    target = session.open(lone)
    found = session.diagnostics_after(target, 0)
    assert [d["code"] for d in found] == ["missing_event_alias"]


def test_closing_the_last_file_of_a_pack_clears_its_diagnostics(session, packs):
    ehc = session.open(_version(packs) / "ehc.rules")
    session.diagnostics_after(ehc, 0)
    session.edit(
        ehc, "  expect final_plan_issued after request\n", "  expect final_plan_isued after request\n"
    )
    session.diagnostics_after(ehc, 1, lambda found: found != [])
    session.notify("textDocument/didClose", {"textDocument": {"uri": ehc}})
    assert session.diagnostics_after(ehc, 2) == []


# --- hover and definition ----------------------------------------------------------------------


def _hover(session, target, needle, offset=0, occurrence=1) -> str:
    answer = session.at("textDocument/hover", target, session.position_of(target, needle, offset, occurrence))
    assert answer is not None, f"no hover on {needle!r}"
    assert answer["contents"]["kind"] == "markdown"
    return answer["contents"]["value"]


def _definition(session, target, needle, offset=0, occurrence=1) -> tuple[str, int, str]:
    answer = session.at(
        "textDocument/definition", target, session.position_of(target, needle, offset, occurrence)
    )
    assert answer is not None, f"no definition for {needle!r}"
    path = Path(answer["uri"].removeprefix("file://"))
    line = answer["range"]["start"]["line"]
    start, end = answer["range"]["start"]["character"], answer["range"]["end"]["character"]
    return path.name, line + 1, path.read_text(encoding="utf-8").split("\n")[line][start:end]


def test_hover_on_an_event_type_shows_its_definition(session, packs):
    ehc = session.open(_version(packs) / "ehc.rules")
    text = _hover(session, ehc, "when assessment_requested as request", len("when "))
    assert text.startswith("**assessment_requested**: event type")
    assert "The local authority received a request for an EHC needs assessment." in text
    assert "| `requested_by` | enum: `parent`, `young_person`, `school`, `other` | optional |" in text
    assert "Defined in `send-ap/1.1.0/events.yaml:8`." in text


def test_hover_on_a_field_shows_its_type_and_values(session, packs):
    ehc = session.open(_version(packs) / "ehc.rules")
    text = _hover(session, ehc, 'outcome = "not_assess"')
    assert text.startswith("**outcome**: field of `assessment_decision`")
    assert "enum: `assess`, `not_assess`; required" in text
    text = _hover(session, ehc, "request.advice", len("request."))
    assert text.startswith("**advice**: field of `advice_requested`")


def test_hover_on_a_parameter_shows_the_value_in_force_and_its_source(session, packs):
    ehc = session.open(_version(packs) / "ehc.rules")
    text = _hover(session, ehc, "params.ehc.final_plan_weeks", len("params.ehc."))
    assert text.startswith("**params.ehc.final_plan_weeks**: parameter, in weeks")
    assert "* from 2014-09-01: **20** weeks (in force when this version takes effect, 2014-09-01)" in text
    assert "Source: SEND Regulations 2014 reg 13(2)" in text
    assert "Defined in `send-ap/1.1.0/parameters.yaml:" in text


def test_hover_on_a_rule_id_a_duty_holder_and_an_alias(session, packs):
    ehc = session.open(_version(packs) / "ehc.rules")
    rule = _hover(session, ehc, "see ehc.no_plan_notice", len("see "))
    assert rule.startswith("**ehc.no_plan_notice**: rule (must)")
    assert "Tell the family that no EHC plan will be issued after the assessment" in rule
    assert "Cites: SEND Regulations 2014 reg 10(1); SEND Regulations 2014 reg 10(4)" in rule
    holder = _hover(session, ehc, '"medical" -> icb', len('"medical" -> '))
    assert holder.startswith("**icb**: duty holder")
    assert "integrated care board" in holder
    alias = _hover(session, ehc, "weeks of request", len("weeks of "))
    assert alias.startswith("**request**: the `assessment_requested` event bound by `when`")


def test_go_to_definition(session, packs):
    ehc = session.open(_version(packs) / "ehc.rules")
    assert _definition(session, ehc, "when assessment_requested", len("when ")) == (
        "events.yaml",
        8,
        "assessment_requested",
    )
    name, _, text = _definition(session, ehc, "params.ehc.final_plan_weeks", 3)
    assert (name, text) == ("parameters.yaml", "ehc.final_plan_weeks")
    assert _definition(session, ehc, "see ehc.no_plan_notice", len("see ")) == (
        "ehc.rules",
        25,
        "ehc.no_plan_notice",
    )
    assert _definition(session, ehc, "duty local_authority", len("duty ")) == (
        "manifest.yaml",
        19,
        "local_authority",
    )
    name, line, text = _definition(session, ehc, "weeks of request", len("weeks of "))
    assert (name, text) == ("ehc.rules", "request")
    assert session.texts[ehc].split("\n")[line - 1].strip().startswith("when assessment_requested as request")
    name, _, text = _definition(session, ehc, 'outcome = "not_assess"')
    assert (name, text) == ("events.yaml", "outcome")


def test_references_of_a_parameter(session, packs):
    folder = _version(packs)
    parameters = session.open(folder / "parameters.yaml", language="yaml")
    found = session.request(
        "textDocument/references",
        {
            "textDocument": {"uri": parameters},
            "context": {"includeDeclaration": False},
            "position": session.position_of(parameters, "\nehc.review_months:", 1),
        },
    )
    assert sorted(Path(place["uri"]).name for place in found) == ["ehc.rules"]


def test_yaml_hover_and_definition(session, packs):
    folder = _version(packs)
    parameters = session.open(folder / "parameters.yaml", language="yaml")
    text = _hover(session, parameters, "\nehc.final_plan_weeks:", 1)
    assert text.startswith("**params.ehc.final_plan_weeks**: parameter")
    assert "Used 1 time in this version." in text
    events = session.open(folder / "events.yaml", language="yaml")
    assert _hover(session, events, "event_type: advice_requested", len("event_type: ")).startswith(
        "**advice_requested**: event type"
    )
    manifest = session.open(folder / "manifest.yaml", language="yaml")
    assert _definition(session, manifest, "rules: [ehc.amendment_comment_period", len("rules: [")) == (
        "plans.rules",
        5,
        "ehc.amendment_comment_period",
    )
    assert _hover(session, manifest, "  icb: ", 2).startswith("**icb**: duty holder")


def test_hover_still_works_in_a_rule_that_does_not_parse_yet(session, packs):
    ehc = session.open(_version(packs) / "ehc.rules")
    session.edit(
        ehc,
        "  exempt time_limit_exception between request and due\n\nrule ehc.advice_response",
        "  exempt time_limit_exception between\n\nrule ehc.advice_response",
    )
    text = _hover(session, ehc, "params.ehc.assessment_decision_weeks", 8)
    assert text.startswith("**params.ehc.assessment_decision_weeks**")


# --- completion ----------------------------------------------------------------------------------


def _complete(session, target, after: str) -> list[str]:
    """Insert ``after`` as a new line in the first rule, after its ``must``, and complete at its
    end."""
    session.edit(
        target,
        '  must\n  cite "SEND Regulations 2014 reg 5(1)"',
        f'  must\n{after}\n  cite "SEND Regulations 2014 reg 5(1)"',
    )
    position = session.position_of(target, after, len(after))
    answer = session.at("textDocument/completion", target, position)
    session.edit(
        target,
        f'  must\n{after}\n  cite "SEND Regulations 2014 reg 5(1)"',
        '  must\n  cite "SEND Regulations 2014 reg 5(1)"',
    )
    items = answer["items"]
    for item in items:
        edit = item["textEdit"]
        assert edit["range"]["end"] == position and edit["newText"] == item["label"]
    return [item["label"] for item in items]


def test_completion_of_event_types_duty_holders_parameters_and_rule_ids(session, packs):
    ehc = session.open(_version(packs) / "ehc.rules")
    assert "assessment_requested" in _complete(session, ehc, "  unless ")
    assert "plan_ceased" in _complete(session, ehc, "  unless plan_c")
    assert _complete(session, ehc, "  duty ")[:3] == ["icb", "local_authority", "school"]
    parameters = _complete(session, ehc, "    within params.ehc.fi")
    assert (
        "params.ehc.final_plan_weeks" in parameters and "params.ehc.assessment_decision_weeks" in parameters
    )
    rule_ids = _complete(session, ehc, "  see ")
    assert "ehc.final_plan" in rule_ids and "ehc.assessment_decision" not in rule_ids  # not itself


def test_completion_of_fields_aliases_and_values(session, packs):
    ehc = session.open(_version(packs) / "ehc.rules")
    assert _complete(session, ehc, "  unless assessment_decision after request where ")[:1] == ["outcome"]
    assert "request" in _complete(session, ehc, "  unless assessment_decision after ")
    assert "requested_by" in _complete(session, ehc, "  require request.")
    assert _complete(session, ehc, '  unless assessment_decision after request where outcome = "') == [
        '"assess"',
        '"not_assess"',
    ]
    assert "date_of_birth" in _complete(session, ehc, "  require child.")


def test_completion_of_clause_keywords(session, packs):
    ehc = session.open(_version(packs) / "ehc.rules")
    keywords = _complete(session, ehc, "  ")
    assert keywords[:4] == ["duty", "must", "should", "cite"] and "only if" in keywords


def test_language_2_clauses_are_offered_only_in_a_language_2_pack(packs):
    folder = _version(packs)
    manifest = folder / "manifest.yaml"
    for language, offered in ((1, False), (2, True)):
        if language == 2:
            text = manifest.read_text(encoding="utf-8")
            manifest.write_text(
                text.replace("effective_from: 2014-09-01\n", "effective_from: 2014-09-01\nlanguage: 2\n", 1),
                encoding="utf-8",
            )
        session = Session.in_process()
        session.initialize(packs)
        try:
            keywords = _complete(session, session.open(folder / "ehc.rules"), "  ")
        finally:
            session.close()
        assert ("in force from" in keywords and "illustrative" in keywords) == offered, keywords


def test_hover_shows_the_markers_of_rules_language_2(tmp_path):
    pack = Path(__file__).parents[1] / "conformance" / "language2" / "standards" / "lang-test"
    shutil.copytree(pack, tmp_path / "lang-test")
    session = Session.in_process()
    session.initialize(tmp_path)
    try:
        dated = session.open(tmp_path / "lang-test" / "1.0.0" / "dated.rules")
        closed = _hover(session, dated, "rule dated.closed", len("rule "))
        review = _hover(session, dated, "rule local.review", len("rule "))
        parameter = _hover(session, dated, "params.t.local_review_weeks", len("params.t."))
    finally:
        session.close()
    assert "In force for triggers dated from 2015-01-05 to 2024-08-18 (both included)" in closed
    assert "Illustrative, not law: the interval is one local authority's practice" in review
    assert "Illustrative: local practice or an example, not law" in parameter


def test_completion_in_the_manifest_and_events(session, packs):
    folder = _version(packs)
    manifest = session.open(folder / "manifest.yaml", language="yaml")
    position = session.position_of(manifest, "rules: [ehc.amendment_comment_period", len("rules: [ehc.am"))
    labels = [item["label"] for item in session.at("textDocument/completion", manifest, position)["items"]]
    assert "ehc.amended_plan" in labels and "provision.band" in labels
    events = session.open(folder / "events.yaml", language="yaml")
    position = session.position_of(events, "event_type: advice_requested", len("event_type: "))
    labels = [item["label"] for item in session.at("textDocument/completion", events, position)["items"]]
    assert "advice_requested" in labels and "assessment_requested" in labels


# --- formatting ----------------------------------------------------------------------------------


def test_formatting_a_draft_gives_the_canonical_layout(session, packs):
    folder = _version(packs, "2.0.0-draft")
    support = session.open(folder / "national_standards.rules")
    canonical = session.texts[support]
    session.edit(support, "  duty icb\n  should\n", "duty   icb should\n")
    edits = session.request(
        "textDocument/formatting",
        {"textDocument": {"uri": support}, "options": {"tabSize": 2, "insertSpaces": True}},
    )
    assert len(edits) == 1 and edits[0]["newText"] == canonical
    assert edits[0]["range"]["start"] == {"line": 0, "character": 0}


def test_formatting_leaves_a_file_with_syntax_errors_alone(session, packs):
    support = session.open(_version(packs, "2.0.0-draft") / "support.rules")
    session.edit(
        support, "  when isp_written or isp_reviewed as previous\n", "  when isp_written or isp_reviewed\n"
    )
    assert (
        session.request(
            "textDocument/formatting",
            {"textDocument": {"uri": support}, "options": {"tabSize": 2, "insertSpaces": True}},
        )
        is None
    )


# --- the program an editor starts ------------------------------------------------------------------


def test_sendrules_lsp_speaks_the_protocol_on_stdin_and_stdout(packs):
    session = Session.subprocess(cwd=Path(__file__).resolve().parents[2])
    try:
        result = session.initialize(packs)
        assert result["serverInfo"]["name"] == "sendrules"
        assert result["capabilities"]["hoverProvider"] and result["capabilities"]["definitionProvider"]
        ehc = session.open(_version(packs) / "ehc.rules")
        assert session.diagnostics_after(ehc, 0) == []
        session.request("shutdown", None)
        session.notify("exit", None)
        assert session.process.wait(timeout=30) == 0
    finally:
        if session.process.poll() is None:
            session.process.kill()
            session.process.wait()
