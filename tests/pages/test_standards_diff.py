"""The standards diff page: `sendrules diff A B --format html`, from the diff's JSON."""

from __future__ import annotations

import json
import re
from datetime import date

from sendrules.pages.standards_diff import Line, render_standards_diff, side_by_side
from sendrules.policy.diff import diff_standards
from tests.cli.test_cli import run


def test_side_by_side_aligns_lines():
    rows = side_by_side("rule a\n  must\n  cite x\n", "rule a\n  must\n  cite x, y\n  unconfirmed z\n")
    assert rows == [
        Line("rule a", "rule a", "same"),
        Line("  must", "  must", "same"),
        Line("  cite x", "  cite x, y", "changed"),
        Line(None, "  unconfirmed z", "added"),
    ]
    assert side_by_side("a\nb", "b") == [Line("a", None, "removed"), Line("b", "b", "same")]


def test_diff_page_in_chromium(library, browse, tmp_path):
    result = run("diff", "send-ap@1.1.0", "send-ap@2.0.0-draft", "--format", "html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = browse(result.stdout, "standards-diff")
    data = diff_standards(
        library.resolve("send-ap@1.1.0", date.min), library.resolve("send-ap@2.0.0-draft", date.min)
    ).to_dict()
    text = report.text
    assert report.title == "What send-ap@2.0.0-draft changes from send-ap@1.1.0"
    for rule in data["rules"]["changed"] + data["rules"]["added"]:
        assert f"{rule['id']} \u2014 {rule['title']}" in text
    for parameter in data["parameters"]:
        assert parameter["name"] in text
    summary = data["summary"]
    assert (
        f"Rules (duties)\t{summary['rules']['added']}\t{summary['rules']['removed']}\t{summary['rules']['changed']}"
        in text
    )
    assert data["new"]["sha256"] in text and data["old"]["sha256"] in text
    # the draft states its changes against its base, 1.3.0, so against 1.1.0 they are not checked
    assert "is about 1.3.0, not this comparison, so it is not checked here" in text
    # a changed rule's old and new lines are side by side, the new lines marked for screen readers
    # (ehc.advice_response, as corrected in 1.2.0 and kept by the draft from 1.3.0)
    assert re.search(
        r'new:\s+cite "SEND Regulations 2014 reg 8\(1\)", "SEND Regulations 2014 reg 8\(2\)"', text
    )


def test_identical_versions_say_so(library):
    standard = library.resolve("send-ap@1.1.0", date.min)
    html = render_standards_diff(diff_standards(standard, standard).to_dict())
    assert "The two versions do not differ." in html and "No rule changed." in html


def test_html_is_built_from_the_json(tmp_path):
    as_json = json.loads(
        run("diff", "send-ap@1.0.0", "send-ap@1.1.0", "--format", "json", cwd=tmp_path).stdout
    )
    as_html = run("diff", "send-ap@1.0.0", "send-ap@1.1.0", "--format", "html", cwd=tmp_path).stdout
    assert as_html == render_standards_diff(as_json)
    assert (
        run(
            "diff", "send-ap@1.0.0", "send-ap@1.1.0", "--format", "html", "--exit-code", cwd=tmp_path
        ).returncode
        == 1
    )


def test_the_page_shows_a_cohorts_impact_from_cohort_compare(library, tmp_path):
    """Issue 14: the standards diff with the cohort impact from `cohort compare`."""
    from sendrules.cohort import compare
    from tests.cohort.test_compare_due_synth import two_children_with_needs

    path = two_children_with_needs(tmp_path)
    impact = compare.compare(path, "send-ap@1.3.0", "send-ap@2.0.0-draft", date(2030, 6, 1), workers=1)
    (tmp_path / "impact.json").write_text(json.dumps(impact), encoding="utf-8")
    result = run(
        "diff",
        "send-ap@1.3.0",
        "send-ap@2.0.0-draft",
        "--format",
        "html",
        "--impact",
        tmp_path / "impact.json",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    text = re.sub(r"<[^>]+>", " ", result.stdout)
    text = re.sub(r"\s+", " ", text)
    assert "What it changes for a cohort" in text and "2 journeys" in text
    # the proposed national standard appears under the draft: no findings -> 2
    assert re.search(r"standards\.support_after_identification 0 2 2 0 0 0", text), text[
        text.index("Findings per rule") :
    ][:600]
    assert "1,600 under send-ap@1.3.0, 2,000 under send-ap@2.0.0-draft, a change of +400 pounds" in text
    assert "illustrative" in text

    wrong = run(
        "diff",
        "send-ap@1.0.0",
        "send-ap@2.0.0-draft",
        "--format",
        "html",
        "--impact",
        tmp_path / "impact.json",
        cwd=tmp_path,
    )
    assert wrong.returncode == 2 and "impact_mismatch" in wrong.stderr
    not_html = run(
        "diff", "send-ap@1.1.0", "send-ap@2.0.0-draft", "--impact", tmp_path / "impact.json", cwd=tmp_path
    )
    assert not_html.returncode == 2 and "--format html" in not_html.stderr
