"""A child's timeline: rendered from the decision JSON and its request, checked in Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path


from sendrules.engine.request import parse_request, request_from_files
from sendrules.pages.timeline import render_decision, render_timeline, timeline_view

ROOT = Path(__file__).resolve().parents[2]
WIDER = ROOT / "examples" / "journey-wider.json"


def decide(service, payload):
    decision = service.decide(parse_request(payload))
    return decision, decision.to_dict(), json.loads(decision.request_json)


def test_timeline_of_the_wider_example_in_chromium(service, library, browse):
    request = request_from_files(WIDER, "2025-06-20", None, None)
    decision = service.decide(request)
    html = render_decision(decision, library)
    page = browse(html, "timeline")
    text = page.text
    assert page.title.startswith("Duties and deadlines for C-000456")
    assert decision.decision_id in text
    # every finding's due date, status and explanation is on the page, as in the JSON
    for finding in decision.to_dict()["findings"]:
        assert finding["message"] in text
        for citation in finding["citations"]:
            assert citation in text
    assert "Tue 27 May 2025" in text  # sixth school day of the suspension (26 May is a bank holiday)
    assert "by 7 days" in text and "by 1 day" in text  # late advice e6, late provision e11
    assert "Spring Bank Holiday" in text
    # the summary cards repeat the decision's counts
    summary = decision.summary()
    assert re.search(rf"{summary['met']}\s*Met", text) and re.search(
        rf"{summary['breached']}\s*Breached", text
    )


def test_the_chart_is_inline_svg_with_a_table_alternative(service):
    decision, data, request = decide(
        service, {"journey": json.loads(WIDER.read_text()), "as_of": "2025-06-20"}
    )
    html = render_timeline(data, request)
    # 12 under send-ap@1.4.0: as under 1.2.0 and 1.3.0 the educational advice e3, not an s31 request,
    # has no reg 8 duty; 1.4.0 adds the parent's notice of the suspension e10 (none recorded:
    # overdue) and its 45-school-day yearly limit (8 school days: met)
    assert html.count("<svg") == 1 and 'role="img"' in html and 'aria-label="Timeline of 12 duties' in html
    assert {"exclusion.parent_notice", "exclusion.suspension_yearly_cap"} <= {
        f["rule"] for f in data["findings"]
    }
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    assert html.count('<tr id="duty-') == len(data["findings"])
    # no standard given: titles come from the messages, nothing else changes
    assert "Issue the final EHC plan" in html


def test_school_closures_and_closing_events(service, library):
    journey = {
        "child": {"id": "C-9", "date_of_birth": "2012-01-01"},
        "events": [
            {"id": "p1", "type": "final_plan_issued", "date": "2024-01-10"},
            {"id": "c1", "type": "plan_ceased", "date": "2024-06-01"},
            {"id": "x1", "type": "exclusion", "date": "2024-04-15", "category": "permanent"},
        ],
    }
    payload = {
        "journey": journey,
        "as_of": "2025-03-01",
        "standards": "send-ap@1.1.0",
        "school_closures": [{"from": "2024-04-15", "to": "2024-04-19"}],
    }
    decision, data, request = decide(service, payload)
    assert not any(f["rule"] == "ehc.annual_review" for f in data["findings"]), (
        "ceasing the plan ends the duty"
    )
    view = timeline_view(data, request, library.resolve("send-ap@1.1.0", decision.as_of))
    events = {event.id: event for event in view.events}
    assert any(closed.startswith("ehc.annual_review (started by p1)") for closed in events["c1"].closes)
    assert view.closures == [("2024-04-15", "2024-04-19")]
    html = render_timeline(data, request, library.resolve("send-ap@1.1.0", decision.as_of))
    assert "ended duty ehc.annual_review" in html and "school closure" in html
    # the sixth school day of an exclusion starting in a closure week is counted after it
    sixth = next(f for f in data["findings"] if f["rule"] == "exclusion.sixth_day_provision")
    assert sixth["due"] == "2024-04-29" and "Mon 29 Apr 2024" in html  # day 1 is Mon 22 April


def test_a_standard_with_another_hash_is_not_used(service, library):
    decision, data, request = decide(
        service, {"journey": json.loads(WIDER.read_text()), "as_of": "2025-06-20"}
    )
    other = library.resolve("send-ap@1.0.0", decision.as_of)
    view = timeline_view(data, request, other)
    assert view.standard_title is None


def test_masked_page_shows_no_personal_details(service):
    from sendrules.decisionlog.masking import masked_request

    decision, data, request = decide(
        service, {"journey": json.loads(WIDER.read_text()), "as_of": "2025-06-20"}
    )
    html = render_timeline(
        data, masked_request(request, "ab12" * 16), masked=True, child_label="pseudonym ab12ab12…"
    )
    assert "C-000456" not in html and "2015-03-14" not in html and "ASD" not in html and "***" not in html
    assert "Personal details are hidden" in html and "pseudonym ab12ab12" in html


def test_text_from_the_journey_is_escaped(service):
    journey = {
        "child": {"id": "C-1", "date_of_birth": "2012-01-01"},
        "events": [{"id": "e1", "type": "assessment_requested", "date": "2025-01-06"}],
    }
    decision, data, request = decide(service, {"journey": journey, "as_of": "2025-03-01"})
    hostile = "<img src=x onerror=alert(1)>"  # pages take JSON from anywhere (a log, a file)
    request["journey"]["child"]["id"] = "<b>C-1</b>"
    request["journey"]["events"][0]["id"] = hostile
    data["findings"][0]["trigger"] = hostile
    html = render_timeline(data, request)
    assert "<img src=x" not in html and "<b>C-1</b>" not in html and "&lt;img src=x" in html


def test_cli_decide_format_html(tmp_path):
    from tests.cli.test_cli import run

    result = run("decide", WIDER, "--as-of", "2025-06-20", "--format", "html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.startswith("<!DOCTYPE html>") and "Duties and deadlines for C-000456" in result.stdout
    )
    bad = run("decide", WIDER, "--as-of", "2025-13-01", "--format", "html", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stdout == "" and "as_of" in bad.stderr
