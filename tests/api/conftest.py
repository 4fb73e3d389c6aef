"""An HTTP service with its own decision log (SQLite in a temporary folder), key file and keys."""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "examples" / "journey.json").read_text())


@dataclass
class Service:
    client: TestClient
    app: object
    keys: dict[str, str]  # role -> key
    env: dict[str, str]

    def headers(self, role: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"} if role else {}

    def allow_backends(self, *names: str) -> None:
        """Let requests name these backends (as SENDRULES_HTTP_BACKENDS would)."""
        from dataclasses import replace

        self.app.state.settings = replace(self.app.state.settings, allowed_backends=names)

    def configure(self, **settings) -> None:
        from dataclasses import replace

        self.app.state.settings = replace(self.app.state.settings, **settings)

    def decide(self, role: str = "caseworker", journey: dict | None = None, **extra):
        body = {"journey": journey or EXAMPLE, "as_of": "2025-06-01", **extra}
        return self.client.post("/v1/decisions", json=body, headers=self.headers(role))


def service_environment(folder: Path) -> dict[str, str]:
    return {
        "SENDRULES_LOG_URL": f"sqlite:///{folder / 'log.sqlite3'}",
        "SENDRULES_HMAC_KEY": base64.b64encode(os.urandom(32)).decode(),
        "SENDRULES_ENCRYPTION_KEYS": "k1:" + base64.b64encode(os.urandom(32)).decode(),
        "SENDRULES_API_KEYS": str(folder / "api-keys.toml"),
    }


def make_keys(env: dict[str, str]) -> dict[str, str]:
    from datetime import date

    from sendrules.api.security import KeyStore

    store = KeyStore(Path(env["SENDRULES_API_KEYS"]))
    keys = {}
    for role in ("caseworker", "auditor", "policy"):
        keys[role] = store.add(role, f"test {role}", date(2025, 1, 1))[1]
    keys["caseworker2"] = store.add("caseworker", "another caseworker", date(2025, 1, 1))[1]
    return keys


@pytest.fixture
def service(tmp_path, monkeypatch) -> Service:
    env = service_environment(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for name in (
        "SENDRULES_JWT_PUBLIC_KEY",
        "SENDRULES_MAX_EVENTS",
        "SENDRULES_MAX_BODY_BYTES",
        "SENDRULES_CONFIG",
        "SENDRULES_STANDARDS",
        "SENDRULES_BACKEND",
        "SENDRULES_HTTP_BACKENDS",
        "SENDRULES_RATE_LIMIT",
        "SENDRULES_RATE_BURST",
        "SENDRULES_INLINE_EVENTS",
        "SENDRULES_BODY_TIMEOUT",
    ):
        monkeypatch.delenv(name, raising=False)
    keys = make_keys(env)
    from sendrules.api.app import create_app

    app = create_app()
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Service(client, app, keys, env)
    app.state.log.close()
