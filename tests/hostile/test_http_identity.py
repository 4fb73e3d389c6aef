"""Issue 12 #3: one canonical identity, compared and stored the same; one Authorization header;
no key file others can read; revoked keys stop working without a restart."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from tests.api.conftest import ROOT
from tests.hostile.http_helpers import post_raw, request_body, service  # noqa: F401


@pytest.fixture
def tokens(service, tmp_path, monkeypatch):
    """Sign JWTs the service accepts: tokens(subject, role) -> Authorization header."""
    import jwt
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from sendrules.api.security import JwtVerifier

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = tmp_path / "jwt.pem"
    public.write_bytes(
        private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    monkeypatch.setenv("SENDRULES_JWT_PUBLIC_KEY", str(public))
    service.app.state.authenticator.verifier = JwtVerifier.from_environment()

    def header(subject: str, role: str = "caseworker") -> dict[str, str]:
        claims = {"sub": subject, "role": role, "exp": datetime.now(timezone.utc) + timedelta(minutes=5)}
        return {"Authorization": f"Bearer {jwt.encode(claims, private, algorithm='RS256')}"}

    return header


def test_a_long_token_subject_keeps_access_to_its_own_decisions_only(service, tokens):
    mine, lookalike = "a" * 124 + "-mine", "a" * 124 + "-else"
    made = service.client.post(
        "/v1/decisions", content=request_body(), headers={**tokens(mine), "content-type": "application/json"}
    )
    assert made.status_code == 201
    decision_id = made.json()["decision_id"]
    assert service.client.get(f"/v1/decisions/{decision_id}", headers=tokens(mine)).status_code == 200
    assert service.client.get(f"/v1/decisions/{decision_id}", headers=tokens(lookalike)).status_code == 404
    stored = {record["principal"] for record in service.app.state.log.access_records()}
    assert all(len(principal) <= 128 for principal in stored)
    assert any(principal.startswith("jwt-sha256:") for principal in stored)


def test_a_short_subject_is_stored_as_it_is(service, tokens):
    made = service.client.post(
        "/v1/decisions",
        content=request_body(),
        headers={**tokens("system-7"), "content-type": "application/json"},
    )
    assert made.status_code == 201
    assert service.app.state.log.access_records()[-1]["principal"] == "jwt:system-7"


def test_two_authorization_headers_are_refused(service):
    headers = [
        ("Authorization", f"Bearer {service.keys['auditor']}"),
        ("Authorization", f"Bearer {service.keys['caseworker']}"),
        ("Content-Type", "application/json"),
    ]
    response = service.client.post("/v1/decisions", content=request_body(), headers=headers)
    assert response.status_code == 401
    assert "one Authorization header" in response.json()["detail"]
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_revoked_key_stops_working_without_a_restart(service, monkeypatch):
    from sendrules.api import security

    monkeypatch.setattr(security, "RELOAD_EVERY", 0.0)
    assert post_raw(service, request_body()).status_code == 201
    store = security.KeyStore(service.app.state.settings.keys_file)
    key_id = service.keys["caseworker"].split("_")[1]
    assert store.revoke(key_id)
    refused = post_raw(service, request_body())
    assert refused.status_code == 401
    assert post_raw(service, request_body(), role="caseworker2").status_code == 200, "other keys still work"


def test_a_key_file_that_others_can_read_keeps_the_service_from_starting(tmp_path):
    from tests.api.conftest import make_keys, service_environment

    env = {**os.environ, **service_environment(tmp_path), "PYTHONPATH": str(ROOT)}
    make_keys(env)
    keys = tmp_path / "api-keys.toml"
    keys.chmod(0o644)
    result = subprocess.run(
        [sys.executable, "-m", "sendrules.api.cli", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "chmod 600" in result.stderr and "Traceback" not in result.stderr
    assert stat.S_IMODE(keys.stat().st_mode) == 0o644, "the file is left as it was"
