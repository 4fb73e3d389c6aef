"""``sendrules decide --log``, ``replay`` and ``log …`` as a user runs them (separate processes)."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys

import pytest

from sendrules.decisionlog.store import DecisionLog
from tests.decisionlog.helpers import (
    EXAMPLE,
    ROOT,
    example_request,
    mark,
    recorder_for,
    set_assessment_weeks,
    standards_root,
    tamper,
)


@pytest.fixture
def env(keys, isolated, tmp_path):
    """The environment of the user's shell: keys set, home in a temporary folder, the tests'
    own standards root."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SENDRULES_") or key.startswith("SENDRULES_TEST")
    }
    environment.update(keys)
    environment.update(PYTHONPATH=str(ROOT), HOME=str(tmp_path / "home"), SENDRULES_STANDARDS=str(isolated))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        environment.pop(name, None)
    return environment


@pytest.fixture
def recorded(env, sqlite_url):
    """The environment with SENDRULES_LOG_URL naming a log that holds the example decision
    (recorded in this process, to save starting one; `decide --log` has its own test), and
    that decision's id."""
    with DecisionLog.open(sqlite_url, mode="append") as log:
        decision_id = recorder_for(log).decide(example_request()).decision.decision_id
    return {**env, "SENDRULES_LOG_URL": sqlite_url}, decision_id


def sendrules(env, *args, expect=None):
    result = subprocess.run(
        [sys.executable, "-m", "sendrules.api.cli", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in result.stderr, result.stderr
    if expect is not None:
        assert result.returncode == expect, (result.stdout, result.stderr)
    return result


def test_decide_records_the_decision_it_prints(env, log_url):
    as_json = sendrules(
        env, "decide", EXAMPLE, "--as-of", "2025-06-01", "--log", log_url, "--format", "json", expect=0
    )
    decision = json.loads(as_json.stdout)  # stdout holds the decision only
    decision_id = decision["decision_id"]
    assert as_json.stderr.startswith(f"Recorded decision {decision_id} as entry #1 in")
    table = sendrules(env, "decide", EXAMPLE, "--as-of", "2025-06-01", "--log", log_url, expect=0)
    assert table.stdout.startswith(f"Decision {decision_id}")
    assert f"Decision {decision_id} was already recorded as entry #1 in" in table.stdout
    shown = sendrules(env, "log", "show", decision_id, "--log", log_url, "--format", "json", expect=0)
    assert json.loads(shown.stdout)["decision"] == decision
    # who decided is in the access log, once per decide (also when it was already recorded)
    with DecisionLog.open(log_url) as log:
        decided = [
            (row["role"], row["action"], row["decision_id"])
            for row in log.access_records()
            if row["action"] == "decide"
        ]
        assert all(row["principal"].startswith("cli:") for row in log.access_records())
    assert decided == [("cli", "decide", decision_id)] * 2


def test_replay_identical_and_different(env, sqlite_url, tmp_path):
    root = standards_root(tmp_path / "two", "1.0.0", "1.1.0")
    mark(root / "send-ap" / "1.1.0", "draft")
    set_assessment_weeks(root / "send-ap" / "1.1.0", 4)
    env = {**env, "SENDRULES_LOG_URL": sqlite_url, "SENDRULES_STANDARDS": str(root)}
    decided = sendrules(
        env, "decide", EXAMPLE, "--as-of", "2025-06-01", "--log", "default", "--format", "json", expect=0
    )
    decision_id = json.loads(decided.stdout)["decision_id"]

    same = sendrules(env, "replay", decision_id, expect=0)
    assert same.stdout.rstrip().endswith("identical")
    assert "from the log's standards store" in same.stdout
    report = json.loads(sendrules(env, "replay", decision_id, "--format", "json", expect=0).stdout)
    assert report["result"] == "identical" and report["decision_id"] == decision_id

    other_version = sendrules(env, "replay", decision_id, "--standards", "send-ap@1.1.0", expect=1)
    assert "standards.version: 1.0.0 -> 1.1.0" in other_version.stdout
    assert "~ changed ehc.assessment_decision e1" in other_version.stdout
    assert "status: met -> late" in other_version.stdout
    report = json.loads(
        sendrules(
            env, "replay", decision_id, "--standards", "send-ap@1.1.0", "--format", "json", expect=1
        ).stdout
    )
    assert report["result"] == "different"
    assert report["diff"]["findings"]["changed"][0]["rule"] == "ehc.assessment_decision"
    sendrules(env, "log", "verify", expect=0)  # replaying changed nothing


def test_verify_reports_the_first_break_and_exits_1(recorded, sqlite_url):
    env, _ = recorded
    with DecisionLog.open(sqlite_url, mode="append") as log:
        for as_of in ("2025-06-02", "2025-06-03"):
            recorder_for(log).decide(example_request(as_of))
    ok = sendrules(env, "log", "verify", expect=0)
    assert ok.stdout.startswith("ok: 3 entries")
    head = next(line for line in ok.stdout.splitlines() if line.startswith("head: "))[len("head: ") :]
    access_head = next(line for line in ok.stdout.splitlines() if line.startswith("access head: "))
    access_anchor = access_head[len("access head: ") :]
    assert access_anchor.startswith("access:1:")  # the verify itself is the first access row
    sendrules(env, "log", "verify", "--anchor", head, "--anchor", access_anchor, "--decrypt", expect=0)
    wrong = sendrules(env, "log", "verify", "--anchor", "access:1:" + "0" * 64, expect=1)
    assert wrong.stdout.startswith(
        "BROKEN: access-log row #1: access_anchor: the anchor recorded for access-log row #1"
    )

    with DecisionLog.open(sqlite_url) as log:
        tamper(log, ("UPDATE decision_log SET as_of = '2025-06-09' WHERE seq = 2", {}))
    broken = sendrules(env, "log", "verify", expect=1)
    assert broken.stdout.startswith("BROKEN: entry #2 (decision ") and "altered" in broken.stdout
    report = json.loads(sendrules(env, "log", "verify", "--format", "json", expect=1).stdout)
    assert report["first_break"]["seq"] == 2 and report["first_break"]["kind"] == "altered"
    sendrules(env, "log", "verify", "--anchor", "3:" + "0" * 64, expect=1)


def test_verify_reports_an_edited_access_log_row(recorded, sqlite_url):
    """Issue 12 item 7: the access log is chained, so editing who read a decision is reported."""
    env, decision_id = recorded
    sendrules(env, "log", "show", decision_id, expect=0)
    ok = sendrules(env, "log", "verify", expect=0)
    assert "the access log's chain is intact" in ok.stdout
    with DecisionLog.open(sqlite_url) as log:
        rows = log.access_records()
        assert [(row["seq"], row["action"]) for row in rows] == [(1, "read"), (2, "verify")]
        tamper(log, ("UPDATE access_log SET principal = 'cli:someone-else' WHERE seq = 1", {}))
    broken = sendrules(env, "log", "verify", expect=1)
    assert broken.stdout.startswith(f"BROKEN: access-log row #1 (decision {decision_id}): access_altered")
    report = json.loads(sendrules(env, "log", "verify", "--format", "json", expect=1).stdout)
    assert report["first_break"]["kind"] == "access_altered" and report["access_entries"] == 0


def test_show_masks_personal_details_unless_asked(recorded):
    env, decision_id = recorded
    masked = sendrules(env, "log", "show", decision_id, expect=0).stdout
    assert "C-000123" not in masked and "2015-03-14" not in masked and "E09000033" not in masked
    assert '"pseudonym":' in masked and "request (masked)" in masked and '"suspension"' not in masked
    unmasked = sendrules(env, "log", "show", decision_id, "--unmask", expect=0).stdout
    assert "C-000123" in unmasked and "2015-03-14" in unmasked
    without_keys = {k: v for k, v in env.items() if k != "SENDRULES_ENCRYPTION_KEYS"}
    shown = sendrules(without_keys, "log", "show", decision_id, expect=0).stdout
    assert "request (not shown)" in shown and "C-000123" not in shown
    refused = sendrules(without_keys, "log", "show", decision_id, "--unmask", expect=2)
    assert "SENDRULES_ENCRYPTION_KEYS" in refused.stderr and refused.stdout == ""


def test_find_lists_a_childs_decisions_without_printing_the_id(recorded):
    env, decision_id = recorded
    table = sendrules(env, "log", "find", "--child", "C-000123", expect=0).stdout
    assert table.startswith("1 decision about this child (pseudonym ")
    assert f"#1      {decision_id}  as of 2025-06-01  send-ap@1.0.0" in table
    assert "C-000123" not in table and "warning" not in table
    found = json.loads(
        subprocess.run(
            [sys.executable, "-m", "sendrules.api.cli", "log", "find", "--child", "-", "--format", "json"],
            input="C-000123\n",
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        ).stdout
    )
    assert [entry["decision_id"] for entry in found["entries"]] == [decision_id]
    assert found["entries"][0]["statuses"] and found["entries_under_other_pseudonym_keys"] == {}
    assert "C-000123" not in json.dumps(found)
    none = sendrules(env, "log", "find", "--child", "C-999999", expect=0).stdout
    assert none.startswith("0 decisions about this child")
    rekeyed = {**env, "SENDRULES_HMAC_KEY": base64.b64encode(os.urandom(32)).decode()}
    other = sendrules(rekeyed, "log", "find", "--child", "C-000123", expect=0).stdout
    assert (
        other.startswith("0 decisions")
        and "warning: 1 entry was pseudonymised with another HMAC key" in other
    )
    empty = sendrules(env, "log", "find", "--child", "  ", expect=2)
    assert "[invalid_child_id]" in empty.stderr and empty.stdout == ""
    typo = sendrules(env, "log", "find", "--child", "C-000 123", expect=2)
    assert "[invalid_child_id]" in typo.stderr and "C-000 123" not in typo.stderr and typo.stdout == ""
    no_key = sendrules(
        {k: v for k, v in env.items() if k != "SENDRULES_HMAC_KEY"},
        "log",
        "find",
        "--child",
        "C-000123",
        expect=2,
    )
    assert "SENDRULES_HMAC_KEY" in no_key.stderr and no_key.stdout == ""


@pytest.mark.parametrize(
    "args, message",
    [
        (["replay", "00000000-0000-5000-8000-000000000000"], "[unknown_decision]"),
        (["log", "show", "nope"], "[unknown_decision]"),
        (["log", "verify", "--log", "mysql://x/y"], "[invalid_log_url]"),
        (["log", "verify", "--log", "sqlite:////nonexistent/folder/log.sqlite3"], "[log_not_found]"),
        (["log", "verify", "--anchor", "12"], "[invalid_anchor]"),
        (["replay", "{id}", "--backend", "nonesuch"], "[unknown_backend]"),
    ],
)
def test_invalid_input_exits_2_with_a_message(recorded, args, message):
    env, decision_id = recorded
    result = sendrules(env, *[arg.replace("{id}", decision_id) for arg in args], expect=2)
    assert message in result.stderr and result.stdout == ""


@pytest.mark.parametrize("missing", ["SENDRULES_HMAC_KEY", "SENDRULES_ENCRYPTION_KEYS"])
def test_logging_without_keys_decides_nothing_and_writes_nothing(env, tmp_path, missing):
    path = tmp_path / "log.sqlite3"
    env = {k: v for k, v in env.items() if k != missing}
    result = sendrules(
        env,
        "decide",
        EXAMPLE,
        "--as-of",
        "2025-06-01",
        "--log",
        f"sqlite:///{path}",
        "--format",
        "json",
        expect=2,
    )
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
    decided = sendrules(
        env, "decide", EXAMPLE, "--as-of", "2025-06-01", "--log", "default", "--format", "json", expect=0
    )
    decision_id = json.loads(decided.stdout)["decision_id"]
    assert sendrules(env, "replay", decision_id, expect=0).stdout.rstrip().endswith("identical")
    sendrules(env, "log", "migrate", expect=0)


def test_rekey_moves_payloads_to_the_new_key_and_keeps_the_chain(recorded):
    env, decision_id = recorded
    head = sendrules(env, "log", "verify", expect=0).stdout.splitlines()[1]
    new_key = "k2:" + base64.b64encode(os.urandom(32)).decode()
    rotated = {**env, "SENDRULES_ENCRYPTION_KEYS": new_key + "," + env["SENDRULES_ENCRYPTION_KEYS"]}
    assert (
        "Re-encrypted 1 request payload with key 'k2'" in sendrules(rotated, "log", "rekey", expect=0).stdout
    )
    only_new = {**env, "SENDRULES_ENCRYPTION_KEYS": new_key}
    verified = sendrules(only_new, "log", "verify", "--decrypt", expect=0).stdout
    assert verified.splitlines()[1] == head  # the same chain head: nothing chained changed
    assert "every request decrypts and matches its input_sha256" in verified
    sendrules(only_new, "replay", decision_id, expect=0)
    assert "request_key_id     k2" in sendrules(only_new, "log", "show", decision_id, expect=0).stdout


def test_every_use_of_the_log_from_the_command_line_is_in_its_access_log(recorded):
    """Issue 12 #7: log show --unmask, replay, log find and verify from the CLI left no trace."""
    env, decision_id = recorded
    sendrules(env, "log", "show", decision_id, "--unmask", "--format", "json", expect=0)
    sendrules(env, "log", "show", decision_id, "--format", "json", expect=0)
    sendrules(env, "replay", decision_id, "--format", "json", expect=0)
    sendrules(env, "log", "find", "--child", "C-000123", "--format", "json", expect=0)
    sendrules(env, "log", "verify", "--decrypt", expect=0)
    with DecisionLog.open(env["SENDRULES_LOG_URL"]) as log:
        rows = [
            (row["principal"], row["role"], row["action"], row["decision_id"], row["detail"])
            for row in log.access_records()
            if row["role"] == "cli"
        ]
    assert [(action, made, detail) for _, _, action, made, detail in rows] == [
        ("read", decision_id, "unmasked"),
        ("read", decision_id, None),
        ("replay", decision_id, None),
        ("find", None, rows[3][4]),
        ("verify", None, "anchors 0, decrypt true"),
    ]
    assert rows[3][4].startswith("pseudonym ") and "C-000123" not in rows[3][4]
    assert all(principal.startswith("cli:") for principal, *_ in rows)
