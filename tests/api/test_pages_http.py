"""The pages over HTTP (issue 14): the auditor's report from a replay, the standards diff and the
inclusion dashboard, each answered to a browser (Accept: text/html) and guarded by role."""

from __future__ import annotations

from dataclasses import replace

import pyarrow.parquet as pq
import pytest

HTML = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}


def test_a_replay_answers_the_auditors_report_to_a_browser(service):
    decision_id = service.decide().json()["decision_id"]
    headers = service.headers("auditor")
    as_json = service.client.post(f"/v1/decisions/{decision_id}/replay", headers=headers)
    assert (
        as_json.headers["content-type"].startswith("application/json")
        and as_json.json()["result"] == "identical"
    )
    page = service.client.post(f"/v1/decisions/{decision_id}/replay", headers={**headers, **HTML})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f"Audit report: decision {decision_id}" in page.text and "Replay: identical" in page.text
    assert "C-000123" not in page.text, "the logged request is masked over HTTP"
    assert page.headers["vary"] == "Accept"


def test_the_standards_diff_as_json_and_as_a_page(service):
    headers = service.headers("policy")
    as_json = service.client.get("/v1/standards/send-ap/1.1.0/diff/1.2.0", headers=headers)
    assert as_json.status_code == 200
    data = as_json.json()
    assert (data["old"]["reference"], data["new"]["reference"]) == ("send-ap@1.1.0", "send-ap@1.2.0")
    page = service.client.get("/v1/standards/send-ap/1.1.0/diff/1.2.0", headers={**headers, **HTML})
    assert page.headers["content-type"].startswith("text/html")
    assert "What <code>send-ap@1.2.0</code> changes from <code>send-ap@1.1.0</code>" in page.text
    unknown = service.client.get("/v1/standards/send-ap/1.1.0/diff/9.9.9", headers=headers)
    assert unknown.status_code == 404 or unknown.status_code == 422
    assert service.client.get("/v1/standards/send-ap/1.1.0/diff/1.2.0").status_code == 401


@pytest.fixture(scope="module")
def runs(tmp_path_factory, library):
    """A folder holding one finished cohort run (300 synthetic children, the draft's measures)."""
    from tests.pages.test_dashboard import DRAFT, _run

    folder = tmp_path_factory.mktemp("runs")
    made = _run(folder, library, 300, 7, DRAFT)
    return folder, made.name


def test_the_dashboard_by_role(service, runs):
    root, name = runs
    policy, auditor = service.headers("policy"), service.headers("auditor")
    off = service.client.get(f"/v1/dashboards/{name}", headers=policy)
    assert off.status_code == 404 and "SENDRULES_COHORT_RUNS" in off.json()["detail"]
    service.app.state.settings = replace(service.app.state.settings, cohort_runs=root)

    national = service.client.get(f"/v1/dashboards/{name}", headers=policy)
    assert national.status_code == 200 and national.headers["content-type"].startswith("text/html")
    assert "England" in national.text
    children = {row["child"] for row in pq.read_table(root / name / "findings.parquet").to_pylist()}
    assert not any(child in national.text for child in children), "the national view names no child"
    assert (
        service.client.get(f"/v1/dashboards/{name}", headers=service.headers("caseworker")).status_code == 403
    )

    code = pq.read_table(root / name / "findings.parquet").to_pylist()[0]["local_authority"]
    assert (
        service.client.get(f"/v1/dashboards/{name}?local_authority={code}", headers=policy).status_code == 403
    )
    one = service.client.get(f"/v1/dashboards/{name}?local_authority={code}", headers=auditor)
    assert one.status_code == 200 and any(child in one.text for child in children)
    assert str(root) not in one.text

    assert service.client.get("/v1/dashboards/..", headers=policy).status_code == 404
    assert service.client.get("/v1/dashboards/no-such-run", headers=policy).status_code == 404
    bad = service.client.get(f"/v1/dashboards/{name}?local_authority=x", headers=auditor)
    assert bad.status_code == 422
    reads = [row for row in service.app.state.log.access_records() if row["action"] == "dashboard"]
    assert [row["detail"] for row in reads] == [f"run {name}", f"run {name}, local authority {code}"]
