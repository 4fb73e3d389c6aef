"""The standard as a Markdown or HTML document."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from sendrules.policy import describe
from sendrules.policy.document import render_html, render_markdown
from tests.policy.helpers import copy_version, edit, resolve


def everything_a_reader_needs(standard):
    """Every rule id, citation, unconfirmed note and parameter value of a standard."""
    texts = set()
    for rule in standard.rules:
        texts |= {rule.id, rule.title, *rule.citations, *rule.unconfirmed}
    for table in standard.tables:
        texts |= {table.id, *table.citations, *table.unconfirmed}
        if table.illustrative:
            texts.add(table.illustrative)
    for parameter in standard.parameters:
        texts.add(parameter.name)
        if parameter.unconfirmed:
            texts.add(parameter.unconfirmed)
        for day, value in parameter.values:
            texts.add(
                f"{describe.long_date(day)} (`{day.isoformat()}`) | {describe.quantity(value, parameter.unit)} |"
            )
    for event_type in standard.event_types:
        texts.add(event_type.name)
    for title, url in standard.sources:
        texts.add(title)
    return texts


def test_the_markdown_mentions_every_rule_citation_note_and_value(v110):
    document = render_markdown(v110)
    missing = [text for text in everything_a_reader_needs(v110) if text not in document]
    assert missing == []
    assert document.startswith("# SEND and alternative provision duties (law in force)\n")
    assert "- **Status:** **published**" in document
    assert "- **Effective:** in force from 1 September 2014 (no end date)" in document
    assert f"- **Content hash:** sha256 `{v110.sha256}`" in document


def test_each_duty_has_its_sentence_clauses_holders_modality_and_notes(v110):
    document = render_markdown(v110)
    section = document.split("#### `ehc.assessment_decision` — ")[1].split("\n#### ")[0].split("\n### ")[0]
    assert (
        describe.rule_sentence(next(r for r in v110.rules if r.id == "ehc.assessment_decision"), v110)
        in section
    )
    assert "- **Clauses:** SEND Regulations 2014 reg 5(1); SEND Regulations 2014 reg 5(4)" in section
    assert "- **Duty holder:** `local_authority`" in section
    assert "- **Modality:** **must** — statutory duty" in section
    assert "> **Unconfirmed:** Regulation 5(4) was read only as far as its first ground" in section
    # the rule as written is in the appendix, linked from the duty
    assert "- **Rule text:** `appendix` (`send-ap/1.1.0/ehc.rules:" in section
    assert "```\nrule ehc.assessment_decision" not in section
    appendix = document.split("## Appendix: the rules as written\n")[1]
    assert "### Rule text: `ehc.assessment_decision`\n" in appendix
    assert (
        "```\nrule ehc.assessment_decision" in appendix.split("### Rule text: `ehc.assessment_decision`")[1]
    )
    guidance = document.split("#### `sen_support.review_cycle` — ")[1].split("\n#### ")[0]
    assert "- **Modality:** **should** — guidance" in guidance
    advice = document.split("#### `ehc.advice_response` — ")[1].split("\n#### ")[0]
    assert "- **Duty holders:** `icb`" in advice


def test_the_decision_table_is_a_table_with_its_note_and_hit_policy(v110):
    document = render_markdown(v110)
    assert "> **Illustrative:** No national banding table is published" in document
    assert "- **Hit policy:** unique: exactly one row matches any input" in document
    assert "| Row | needs.level | needs.setting | band | top_up | notional_6000_applies |" in document
    assert '| 5 | 1..2 | "resourced_provision" | "Resourced 1" | 1600 | false |' in document
    assert len(re.findall(r"(?m)^\| \d+ \| ", document)) == 18


def test_the_draft_warns_that_it_is_illustrative_and_not_in_force(draft, v110):
    document = render_markdown(draft)
    assert "> **Illustrative:** these standards are illustrative, not the law in force." in document
    assert "> **Draft:** this version is not in force." in document
    assert "proposed to take effect from 1 September 2029" in document
    assert (
        "## Changes in this version" in document and "(`isp.annual_review`, `isp.review_months`)" in document
    )
    assert "**Illustrative:** these standards" not in render_markdown(v110)


def test_documents_are_deterministic(v110, draft):
    for standard in (v110, draft):
        assert render_markdown(standard) == render_markdown(standard)
        assert render_html(standard) == render_html(standard)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text, self.stack = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "br"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def test_the_html_is_self_contained_well_nested_and_complete(v110):
    page = render_html(v110)
    parser = _Collector()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    tags = {tag for tag, _ in parser.tags}
    assert "style" in tags and not tags & {"script", "link", "img", "iframe", "object"}
    assert not any("src" in attrs or "style" in attrs for _, attrs in parser.tags)
    hrefs = [attrs["href"] for tag, attrs in parser.tags if tag == "a"]
    assert all(href.startswith(("#", "https://", "http://")) for href in hrefs)
    anchors = {attrs["id"] for _, attrs in parser.tags if "id" in attrs}
    assert {href[1:] for href in hrefs if href.startswith("#")} <= anchors  # every internal link lands
    text = "".join(parser.text)
    missing = [t for t in everything_a_reader_needs(v110) if "`" not in t and t not in text]
    assert missing == []
    for parameter in v110.parameters:
        for day, value in parameter.values:
            row = (
                f"<td>{describe.long_date(day)} (<code>{day.isoformat()}</code>)</td>"
                f"<td>{describe.quantity(value, parameter.unit)}</td>"
            )
            assert row in page


def test_html_and_markdown_escape_what_a_pack_says(tmp_path):
    folder = copy_version(tmp_path, "1.1.0")
    edit(
        folder / "manifest.yaml",
        "title: SEND and alternative provision duties (law in force)",
        'title: "Duties <script>alert(1)</script> & <b>more</b>"',
    )
    edit(
        folder / "ehc.rules",
        'cite "SEND Regulations 2014 reg 13(2)"',
        'cite "SEND Regulations 2014 reg 13(2) <i>x</i>"',
    )
    edit(
        folder / "manifest.yaml",
        "    url: https://www.legislation.gov.uk/ukpga/2014/6/part/3",
        "    url: javascript:alert(1)",
    )
    standard = resolve(tmp_path, "send-ap@1.1.0")
    page = render_html(standard)
    assert "<script>" not in page and "<b>" not in page and "<i>" not in page
    assert (
        '<h1 id="top">Duties &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;more&lt;/b&gt;</h1>' in page
    )
    assert "<title>Duties &lt;script&gt;" in page
    assert "reg 13(2) &lt;i&gt;x&lt;/i&gt;" in page
    assert 'href="javascript' not in page and "javascript:alert(1)" in page  # shown, not linked
    document = render_markdown(standard)
    assert "<script>" not in document and "](javascript" not in document
    assert document.startswith("# Duties &lt;script&gt;alert(1)&lt;/script&gt; & &lt;b&gt;more&lt;/b&gt;\n")


def test_markdown_table_cells_escape_pipes(tmp_path):
    folder = copy_version(tmp_path, "1.1.0")
    edit(
        folder / "manifest.yaml",
        "  school: The governing board or proprietor of the child's school.",
        "  school: The governing board | proprietor of the child's school.",
    )
    document = render_markdown(resolve(tmp_path, "send-ap@1.1.0"))
    assert "| `school` | The governing board \\| proprietor of the child's school. |" in document


# --- for policy officers: journey order, every time limit, statuses, the appendix ------------------

from sendrules.policy.document import (  # noqa: E402
    JOURNEY_STAGES,
    STATUS_MEANINGS,
    journey_stage,
    rules_in_journey_order,
    time_limit_rows,
)


def test_duties_come_in_journey_order(v110):
    document = render_markdown(v110)
    headings = [line[4:] for line in document.splitlines() if line.startswith("### ")]
    stages = [heading for heading in headings if not heading.startswith(("`", "Rule text"))]
    assert stages == [
        "Identifying needs and SEN support",
        "Request for an EHC needs assessment",
        "Assessment",
        "The EHC plan",
        "Reviews",
        "Amending the plan",
        "Transfers",
        "Ceasing the plan",
        "Exclusion",
        "Alternative provision",
        "Attendance and part-time timetables",
    ]
    order = [line.split("`")[1] for line in document.splitlines() if line.startswith("#### `")]
    assert sorted(order) == sorted(rule.id for rule in v110.rules)  # every duty, once
    for earlier, later in [
        ("ehc.assessment_decision", "ehc.advice_response"),  # request -> assessment
        ("ehc.advice_response", "ehc.final_plan"),  # assessment -> plan
        ("ehc.no_plan_notice", "ehc.draft_comment_period"),  # within the plan: decision, draft,
        ("ehc.draft_comment_period", "ehc.final_plan"),  # final
        ("ehc.final_plan", "ehc.annual_review"),  # plan -> review
        ("ehc.review_decision", "ehc.amended_plan"),  # review -> amendment
        ("ehc.amended_plan", "ehc.phase_transfer"),  # amendment -> transfer
        ("ehc.plan_transfer", "ehc.cease_consultation"),  # transfer -> cease
        ("ehc.cease_notice_rights", "exclusion.sixth_day_provision"),  # cease -> exclusion
        ("exclusion.reinstatement_meeting", "ap.placement_review"),  # exclusion -> AP
        ("ap.destination_recorded", "attendance.part_time_review"),
    ]:  # AP -> attendance
        assert order.index(earlier) < order.index(later), (earlier, later)


def test_a_duty_goes_by_the_latest_stage_of_the_events_it_names(v110):
    stage = {rule.id: JOURNEY_STAGES[journey_stage(rule)][1] for rule in v110.rules}
    assert stage["ehc.final_plan"] == "The EHC plan"  # started by the request, expects the plan
    assert stage["ehc.phase_transfer"] == "Transfers"  # expects an amended plan, started by a transfer
    assert stage["ehc.annual_review"] == "Reviews"
    assert stage["exclusion.sixth_day_provision"] == "Exclusion"
    grouped = rules_in_journey_order(v110)
    assert sum(len(rules) for _, rules in grouped) == len(v110.rules)


def test_every_time_limit_is_on_one_page_with_start_unit_counting_and_exceptions(v110):
    document = render_markdown(v110)
    table = document.split("## Every time limit on one page")[1].split("\n## ")[0]
    assert "| Rule | Clock starts | Limit | Unit | Counting rule | Exceptions |" in table
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    timed = {rule.id for rule in v110.rules if time_limit_rows(v110, rule)}
    assert {row.split("`")[1] for row in rows} == timed
    assert {
        "ehc.final_plan",
        "ehc.annual_review",
        "exclusion.sixth_day_provision",
        "ehc.draft_comment_period",
        "ehc.plan_transfer",
        "ehc.phase_transfer",
    } <= timed
    assert (
        not {"ehc.cease_notice_rights", "attendance.part_time_time_limited"} & timed
    )  # conditions, no clock
    assert (
        "| `ehc.final_plan` | date of assessment_requested | 20 weeks (parameter ehc.final_plan_weeks) | weeks "
        "| the same weekday N weeks later (start + 7N days) | time_limit_exception dated from the start of the "
        "clock to the due date |"
    ) in rows
    sixth = next(row for row in rows if row.startswith("| `exclusion.sixth_day_provision`"))
    assert "school days" in sixth and "the start is school day 1 if it is a school day" in sixth
    assert "the decision's calendar" in sixth and sixth.endswith("| none |")
    review = next(row for row in rows if row.startswith("| `ehc.annual_review`"))
    assert "a period starting with the start day" in review
    transfer = [row for row in rows if row.startswith("| `ehc.phase_transfer`")]
    assert len(transfer) == 3 and any('if kind is "school": before 15 February' in row for row in transfer)
    assert any(
        "the later of: 15 working days" in row for row in rows if row.startswith("| `ehc.plan_transfer`")
    )
    waiting = next(row for row in rows if row.startswith("| `ehc.draft_comment_period`"))
    assert "days (waiting period)" in waiting
    # the table comes before the duties, after the statuses
    assert (
        document.index("## What a finding's status means")
        < document.index("## Every time limit")
        < document.index("## Duties in journey order")
    )


def test_the_meaning_of_every_status_is_given(v110):
    document = render_markdown(v110)
    section = document.split("## What a finding's status means")[1].split("\n## ")[0]
    assert [status for status, _, _ in STATUS_MEANINGS] == [
        "met",
        "pending",
        "late",
        "overdue",
        "breached",
        "exempt",
    ]
    for status, meaning, complied in STATUS_MEANINGS:
        assert f"| `{status}` | {meaning} | {complied} |" in section


def test_the_appendix_holds_every_rule_as_written_in_journey_order(v110):
    document = render_markdown(v110)
    appendix = document.split("## Appendix: the rules as written\n")[1]
    assert document.rindex("\n## ") == document.index("\n## Appendix")  # the last section
    texts = [line.split("`")[1] for line in appendix.splitlines() if line.startswith("### Rule text: ")]
    duties = [line.split("`")[1] for line in document.splitlines() if line.startswith("#### `")]
    assert texts == duties
    for rule in v110.rules:
        assert rule.source_text in appendix


def test_the_html_links_each_duty_to_its_rule_text(v110):
    page = render_html(v110)
    assert '<h2 id="rule-text">Appendix: the rules as written</h2>' in page
    assert '<a href="#source-ehc.final_plan"><code>appendix</code></a>' in page
    assert '<h3 id="source-ehc.final_plan">Rule text: <code>ehc.final_plan</code></h3>' in page
    assert '<h3 id="stage-exclusion">Exclusion</h3>' in page


def test_the_draft_and_the_first_version_are_documented_in_journey_order(draft, v100):
    for standard in (draft, v100):
        document = render_markdown(standard)
        assert document.count("\n#### `") == len(standard.rules)
        assert "## Every time limit on one page" in document
    assert (
        "`isp.annual_review`"
        in render_markdown(draft).split("### Identifying needs and SEN support")[1].split("\n### ")[0]
    )
