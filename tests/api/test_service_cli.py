"""``sendrules keys`` and ``sendrules serve``, as an operator runs them."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import httpx

from tests.api.conftest import EXAMPLE, ROOT
from tests.api.live import live_server


def sendrules(*args, env=None):
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "sendrules.api.cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_keys_are_printed_once_and_stored_as_hashes(tmp_path):
    keys_file = tmp_path / "keys.toml"
    added = sendrules(
        "keys", "add", "--role", "auditor", "--name", "Audit team", "--keys-file", str(keys_file)
    )
    assert added.returncode == 0
    key = added.stdout.strip()
    assert key.startswith("sr_") and "only time the key is shown" in added.stderr
    text = keys_file.read_text()
    assert key not in text and "sha256" in text
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    listed = json.loads(sendrules("keys", "list", "--keys-file", str(keys_file), "--format", "json").stdout)
    assert [(k["role"], k["name"]) for k in listed] == [("auditor", "Audit team")]
    assert key not in json.dumps(listed)
    assert sendrules("keys", "add", "--role", "root", "--keys-file", str(keys_file)).returncode == 2
    assert sendrules("keys", "revoke", listed[0]["id"], "--keys-file", str(keys_file)).returncode == 0
    assert sendrules("keys", "revoke", listed[0]["id"], "--keys-file", str(keys_file)).returncode == 2


def test_serve_on_loopback(tmp_path):
    with live_server(tmp_path) as (base, keys):
        caseworker = {"Authorization": f"Bearer {keys['caseworker']}"}
        made = httpx.post(
            f"{base}/v1/decisions", json={"journey": EXAMPLE, "as_of": "2025-06-01"}, headers=caseworker
        )
        assert made.status_code == 201
        decision_id = made.json()["decision_id"]
        auditor = {"Authorization": f"Bearer {keys['auditor']}"}
        assert (
            httpx.post(f"{base}/v1/decisions/{decision_id}/replay", headers=auditor).json()["result"]
            == "identical"
        )
        assert httpx.get(f"{base}/v1/log/verify").status_code == 401


def test_serve_refuses_to_start_without_log_keys(tmp_path):
    env = {
        "SENDRULES_LOG_URL": f"sqlite:///{tmp_path / 'log.sqlite3'}",
        "SENDRULES_API_KEYS": str(tmp_path / "k.toml"),
        "SENDRULES_HMAC_KEY": "",
        "SENDRULES_ENCRYPTION_KEYS": "",
        "SENDRULES_CONFIG": "",
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    result = sendrules("serve", "--port", "1", env=env)
    assert result.returncode == 2 and "cannot start" in result.stderr and "key" in result.stderr
