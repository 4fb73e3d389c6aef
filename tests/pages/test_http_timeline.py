"""GET /v1/decisions/{id} with Accept: text/html answers the child's timeline (masked)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from sendrules.pages.http import prefers_html
from tests.api.conftest import EXAMPLE, make_keys, service_environment

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture
def api(tmp_path, monkeypatch):
    env = service_environment(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for name in ("SENDRULES_JWT_PUBLIC_KEY", "SENDRULES_CONFIG", "SENDRULES_STANDARDS", "SENDRULES_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    keys = make_keys(env)
    from sendrules.api.app import create_app

    app = create_app()
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, {role: {"Authorization": f"Bearer {key}"} for role, key in keys.items()}
    app.state.log.close()


@pytest.mark.parametrize(
    "accept, html",
    [
        (BROWSER_ACCEPT, True),
        ("text/html", True),
        ("application/json", False),
        ("*/*", False),
        (None, False),
        ("", False),
        ("application/json, text/html", False),
        ("text/html;q=0.5, application/json", False),
        ("text/html, application/json;q=0.9", True),
        ("text/*", True),
        ("text/html;q=0", False),
        ("text/html;q=abc", False),
    ],
)
def test_content_negotiation(accept, html):
    assert prefers_html(accept) is html


def test_a_browser_gets_the_timeline(api, browse):
    client, headers = api
    made = client.post(
        "/v1/decisions", json={"journey": EXAMPLE, "as_of": "2025-06-01"}, headers=headers["caseworker"]
    )
    assert made.status_code == 201
    decision = made.json()
    for role in ("caseworker", "auditor"):
        page = client.get(
            f"/v1/decisions/{decision['decision_id']}", headers={**headers[role], "Accept": BROWSER_ACCEPT}
        )
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert page.headers["vary"] == "Accept"
        html = page.text
        assert decision["decision_id"] in html and f"entry #{decision['log']['seq']}" in html
        assert "C-000123" not in html and "2015-03-14" not in html, "personal details are masked"
        for finding in decision["findings"]:
            # as the page's templates write it (send-ap@1.4.0's yearly limit says "<=")
            assert escape(finding["message"]) in html
    report = browse(html, "timeline-http")
    assert "Personal details are hidden" in report.text and "Tue 27 May 2025" in report.text
    as_json = client.get(f"/v1/decisions/{decision['decision_id']}", headers=headers["auditor"])
    assert as_json.headers["content-type"] == "application/json" and json.loads(as_json.text)["decision_id"]


def test_roles_that_cannot_read_get_no_page(api):
    client, headers = api
    made = client.post(
        "/v1/decisions", json={"journey": EXAMPLE, "as_of": "2025-06-01"}, headers=headers["caseworker"]
    )
    decision_id = made.json()["decision_id"]
    for role, status in (("policy", 403), ("caseworker2", 404)):
        answer = client.get(f"/v1/decisions/{decision_id}", headers={**headers[role], "Accept": "text/html"})
        assert answer.status_code == status and "<html" not in answer.text
    assert client.get(f"/v1/decisions/{decision_id}", headers={"Accept": "text/html"}).status_code == 401
