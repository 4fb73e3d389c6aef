"""``sendrules decide --log``, ``replay`` and ``log …`` as a user runs them (separate processes)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from decisionlog.store import DecisionLog
from tests.decisionlog.helpers import EXAMPLE, ROOT, example_request, recorder_for, tamper
from tests.dsl.helpers import copy_pack, edit

EXAMPLE_ID = "91025bf2-1700-55f0-af3e-b7c041b09b51"


@pytest.fixture
def env(keys, tmp_path):
    """The environment of the user's shell: keys set, home in a temporary folder."""
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("SENDRULES_") or key.startswith("SENDRULES_TEST")}
    environment.update(keys)
    environment.update(PYTHONPATH=str(ROOT), HOME=str(tmp_path / "home"))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        environment.pop(name, None)
    return environment


@pytest.fixture
def recorded(env, sqlite_url):
    """The environment with SENDRULES_LOG_URL naming a log that holds the example decision
    (recorded in this process, to save starting one; `decide --log` has its own test)."""
    with DecisionLog.open(sqlite_url, mode="append") as log:
        recorder_for(log).decide(example_request())
    return {**env, "SENDRULES_LOG_URL": sqlite_url}


def sendrules(env, *args, expect=None):
    result = subprocess.run([sys.executable, "-m", "api.cli", *map(str, args)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    if expect is not None:
        assert result.returncode == expect, (result.stdout, result.stderr)
    return result


def test_decide_records_the_decision_it_prints(env, log_url):
    table = sendrules(env, "decide", EXAMPLE, "--as-of", "2025-06-01", "--log", log_url, expect=0)
    assert table.stdout.startswith(f"Decision {EXAMPLE_ID}")
    assert f"Recorded decision {EXAMPLE_ID} as entry #1 in" in table.stdout
    as_json = sendrules(env, "decide", EXAMPLE, "--as-of", "2025-06-01", "--log", log_url,
                        "--format", "json", expect=0)
    assert json.loads(as_json.stdout)["decision_id"] == EXAMPLE_ID  # stdout: the decision only
    assert f"Decision {EXAMPLE_ID} was already recorded as entry #1" in as_json.stderr
    shown = sendrules(env, "log", "show", EXAMPLE_ID, "--log", log_url, "--format", "json", expect=0)
    assert json.loads(shown.stdout)["decision"] == json.loads(as_json.stdout)


def test_replay_identical_and_different(env, sqlite_url, tmp_path):
    root = tmp_path / "standards"
    copy_pack(root)
    other = copy_pack(root, "1.1.0")
    edit(other / "manifest.yaml", "version: 1.0.0", "version: 1.1.0")
    edit(other / "manifest.yaml", "status: published", "status: draft")
    edit(other / "parameters.yaml", "  source: SEND Regulations 2014 reg 5(1)\n  values:\n    2014-09-01: 6\n",
         "  source: SEND Regulations 2014 reg 5(1)\n  values:\n    2014-09-01: 4\n")
    env = {**env, "SENDRULES_LOG_URL": sqlite_url, "SENDRULES_STANDARDS": str(root)}
    sendrules(env, "decide", EXAMPLE, "--as-of", "2025-06-01", "--log", "default", expect=0)

    same = sendrules(env, "replay", EXAMPLE_ID, expect=0)
    assert same.stdout.rstrip().endswith("identical")
    assert "from the log's standards store" in same.stdout
    assert json.loads(sendrules(env, "replay", EXAMPLE_ID, "--format", "json", expect=0).stdout)["result"] == "identical"

    other_version = sendrules(env, "replay", EXAMPLE_ID, "--standards", "send-ap@1.1.0", expect=1)
    assert "standards.version: 1.0.0 -> 1.1.0" in other_version.stdout
    assert "~ changed ehc.assessment_decision e1" in other_version.stdout
    assert "status: met -> late" in other_version.stdout
    report = json.loads(sendrules(env, "replay", EXAMPLE_ID, "--standards", "send-ap@1.1.0",
                                  "--format", "json", expect=1).stdout)
    assert report["result"] == "different"
    assert report["diff"]["findings"]["changed"][0]["rule"] == "ehc.assessment_decision"
    sendrules(env, "log", "verify", expect=0)  # replaying changed nothing


def test_verify_reports_the_first_break_and_exits_1(recorded, sqlite_url):
    env = recorded
    with DecisionLog.open(sqlite_url, mode="append") as log:
        for as_of in ("2025-06-02", "2025-06-03"):
            recorder_for(log).decide(example_request(as_of))
    ok = sendrules(env, "log", "verify", expect=0)
    assert ok.stdout.startswith("ok: 3 entries")
    head = next(line for line in ok.stdout.splitlines() if line.startswith("head: "))[len("head: "):]
    sendrules(env, "log", "verify", "--anchor", head, "--decrypt", expect=0)
    with DecisionLog.open(sqlite_url) as log:
        tamper(log, ("UPDATE decision_log SET as_of = '2025-06-09' WHERE seq = 2", {}))
    broken = sendrules(env, "log", "verify", expect=1)
    assert broken.stdout.startswith("BROKEN: entry #2 (decision ") and "altered" in broken.stdout
    report = json.loads(sendrules(env, "log", "verify", "--format", "json", expect=1).stdout)
    assert report["first_break"]["seq"] == 2 and report["first_break"]["kind"] == "altered"
    assert sendrules(env, "log", "verify", "--anchor", "3:" + "0" * 64, expect=1).returncode == 1


def test_show_masks_personal_details_unless_asked(recorded):
    env = recorded
    masked = sendrules(env, "log", "show", EXAMPLE_ID, expect=0).stdout
    assert "C-000123" not in masked and "2015-03-14" not in masked and "E09000033" not in masked
    assert '"pseudonym":' in masked and "request (masked)" in masked and '"suspension"' not in masked
    unmasked = sendrules(env, "log", "show", EXAMPLE_ID, "--unmask", expect=0).stdout
    assert "C-000123" in unmasked and "2015-03-14" in unmasked
    without_keys = {k: v for k, v in env.items() if k != "SENDRULES_ENCRYPTION_KEYS"}
    shown = sendrules(without_keys, "log", "show", EXAMPLE_ID, expect=0).stdout
    assert "request (not shown)" in shown and "C-000123" not in shown
    refused = sendrules(without_keys, "log", "show", EXAMPLE_ID, "--unmask", expect=2)
    assert "SENDRULES_ENCRYPTION_KEYS" in refused.stderr and refused.stdout == ""


@pytest.mark.parametrize("args, message", [
    (["replay", "00000000-0000-5000-8000-000000000000"], "[unknown_decision]"),
    (["log", "show", "nope"], "[unknown_decision]"),
    (["log", "verify", "--log", "mysql://x/y"], "[invalid_log_url]"),
    (["log", "verify", "--log", "sqlite:////nonexistent/folder/log.sqlite3"], "[log_not_found]"),
    (["log", "verify", "--anchor", "12"], "[invalid_anchor]"),
    (["replay", EXAMPLE_ID, "--backend", "nonesuch"], "[unknown_backend]"),
])
def test_invalid_input_exits_2_with_a_message(recorded, args, message):
    result = sendrules(recorded, *args, expect=2)
    assert message in result.stderr and result.stdout == ""


@pytest.mark.parametrize("missing", ["SENDRULES_HMAC_KEY", "SENDRULES_ENCRYPTION_KEYS"])
def test_logging_without_keys_decides_nothing_and_writes_nothing(env, tmp_path, missing):
    path = tmp_path / "log.sqlite3"
    env = {k: v for k, v in env.items() if k != missing}
    result = sendrules(env, "decide", EXAMPLE, "--as-of", "2025-06-01", "--log", f"sqlite:///{path}",
                       "--format", "json", expect=2)
    assert result.stdout == "" and json.loads(result.stderr)["error"]["code"] == "missing_key"
    assert missing in result.stderr and not path.exists()


def test_init_then_decide_with_the_default_log(env, tmp_path):
    env = {k: v for k, v in env.items() if k not in ("SENDRULES_HMAC_KEY", "SENDRULES_ENCRYPTION_KEYS")}
    home = tmp_path / "home"
    sendrules(env, "log", "init", expect=0)
    config = home / ".config" / "sendrules" / "config.toml"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert (home / ".local" / "share" / "sendrules" / "decisions.sqlite3").exists()
    again = sendrules(env, "log", "init", expect=2)
    assert "never overwritten" in again.stderr
    sendrules(env, "decide", EXAMPLE, "--as-of", "2025-06-01", "--log", "default", expect=0)
    assert sendrules(env, "replay", EXAMPLE_ID, expect=0).stdout.rstrip().endswith("identical")
    sendrules(env, "log", "migrate", expect=0)


def test_rekey_moves_payloads_to_the_new_key_and_keeps_the_chain(recorded):
    import base64

    env = recorded
    head = sendrules(env, "log", "verify", expect=0).stdout.splitlines()[1]
    new_key = "k2:" + base64.b64encode(os.urandom(32)).decode()
    rotated = {**env, "SENDRULES_ENCRYPTION_KEYS": new_key + "," + env["SENDRULES_ENCRYPTION_KEYS"]}
    assert "Re-encrypted 1 request payload with key 'k2'" in sendrules(rotated, "log", "rekey", expect=0).stdout
    only_new = {**env, "SENDRULES_ENCRYPTION_KEYS": new_key}
    verified = sendrules(only_new, "log", "verify", "--decrypt", expect=0).stdout
    assert verified.splitlines()[1] == head  # the same chain head: nothing chained changed
    assert "every request decrypts and matches its input_sha256" in verified
    sendrules(only_new, "replay", EXAMPLE_ID, expect=0)
    assert "request_key_id     k2" in sendrules(only_new, "log", "show", EXAMPLE_ID, expect=0).stdout
