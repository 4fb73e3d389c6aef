"""Issue 12 #3, #4, #8 and #9 on the command line: invalid input exits 2 with a bounded message
(never 70, never a hang), the terminal table prints ids literally, help text piped to a file is
whole, the README's HTTP example works, and key names cannot corrupt the key file."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.api.conftest import EXAMPLE, ROOT
from tests.cli.test_cli import run


def decide(path, *extra):
    return run("decide", path, "--as-of", "2025-06-01", *extra)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_as_the_journey_is_refused_quickly():
    result = decide("/dev/zero")
    assert result.returncode == 2 and "larger than" in result.stderr


@pytest.mark.parametrize(
    "content, says",
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (
            b'{"child": {"id": "C-1", "date_of_birth": "2015-01-01"}, "events": [], "n": '
            + b"9" * 10_000
            + b"}",
            "number that cannot be read",
        ),
        (b'{"child": ', "not valid JSON"),
        (b'{"child": "\xff"}', "not UTF-8"),
    ],
)
def test_hostile_journey_files_exit_2(tmp_path, content, says):
    path = tmp_path / "journey.json"
    path.write_bytes(content)
    result = decide(path)
    assert result.returncode == 2, result.stderr[-500:]
    assert says in result.stderr


def test_a_byte_order_mark_is_accepted_as_over_http(tmp_path):
    path = tmp_path / "journey.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(EXAMPLE).encode())
    with_mark = decide(path, "--format", "json")
    assert with_mark.returncode == 0, with_mark.stderr
    assert with_mark.stdout == decide(ROOT / "examples" / "journey.json", "--format", "json").stdout


def test_a_huge_bad_value_is_quoted_by_a_short_prefix_only(tmp_path):
    journey = json.loads(json.dumps(EXAMPLE))
    journey["events"][0]["type"] = "t" * 2_000_000
    path = tmp_path / "journey.json"
    path.write_text(json.dumps(journey))
    for extra in ((), ("--format", "json")):
        result = decide(path, *extra)
        assert result.returncode == 2 and len(result.stderr) < 20_000, len(result.stderr)


def test_decide_reads_the_journey_from_standard_input():
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sendrules.api.cli",
            "decide",
            "-",
            "--as-of",
            "2025-06-01",
            "--format",
            "json",
        ],
        input=(ROOT / "examples" / "journey.json").read_text(),
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == decide(ROOT / "examples" / "journey.json", "--format", "json").stdout


def test_the_table_prints_ids_literally(tmp_path):
    journey = json.loads(json.dumps(EXAMPLE))
    for event in journey["events"]:
        if event["id"] == "e1":
            event["id"] = "e:x:1"
        for key, value in list(event.items()):
            if value == "e1":
                event[key] = "e:x:1"
    journey["child"]["id"] = "C-:smile:"
    path = tmp_path / "journey.json"
    path.write_text(json.dumps(journey))
    result = decide(path)
    assert result.returncode == 0, result.stderr
    assert "e:x:1" in result.stdout and "✖" not in result.stdout and "❌" not in result.stdout


def test_help_piped_to_a_file_is_whole():
    for command in (("serve",), ("keys", "add"), ("decide",), ("log", "verify")):
        result = run(*command, "--help")
        assert result.returncode == 0
        assert "…" not in result.stdout, (command, result.stdout)
    assert "SENDRULES_STANDARDS" in run("serve", "--help").stdout
    assert "SENDRULES_API_KEYS" in run("serve", "--help").stdout
    assert "CONTRACT" not in run("decide", "--help").stdout, "help cites no file the repository lacks"


def test_the_readme_http_example_names_a_request_file_that_exists_and_works():
    readme = (ROOT / "README.md").read_text()
    assert "-d @examples/request.json" in readme
    request = json.loads((ROOT / "examples" / "request.json").read_text())
    from sendrules.engine.library import StandardsLibrary
    from sendrules.engine.request import parse_request
    from sendrules.engine.service import DecisionService

    assert DecisionService(StandardsLibrary()).decide(parse_request(request)).findings


def test_a_key_name_with_a_carriage_return_keeps_the_key_file_valid(tmp_path):
    keys = tmp_path / "keys.toml"
    assert (
        run(
            "keys", "add", "--role", "auditor", "--name", 'Audit\rteam "A"\n\\', "--keys-file", keys
        ).returncode
        == 0
    )
    assert run("keys", "add", "--role", "policy", "--name", "second", "--keys-file", keys).returncode == 0
    listed = run("keys", "list", "--format", "json", "--keys-file", keys)
    assert listed.returncode == 0, listed.stderr
    assert [row["name"] for row in json.loads(listed.stdout)] == ['Audit\rteam "A"\n\\', "second"]
