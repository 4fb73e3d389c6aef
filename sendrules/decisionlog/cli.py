"""``sendrules log …`` and ``sendrules replay``: the decision log from the command line.

    sendrules log init    [--config PATH] [--log URL]   write a config file with fresh keys
    sendrules log migrate [--log URL]                   create or upgrade the schema
    sendrules log verify  [--log URL] [--anchor SEQ:HASH]… [--decrypt]
    sendrules log show ID [--log URL] [--unmask]
    sendrules log find --child ID|- [--log URL]         every decision about one child
    sendrules log rekey   [--log URL]                   re-encrypt payloads with the current key
    sendrules replay ID   [--log URL] [--standards REF] [--backend NAME] [--standards-dir DIR]

``--log`` defaults to the configured log (see decisionlog.config). Exit codes: 0 ok (replay:
identical, or same_findings_newer_engine); 1 replay different, or verify found a break; 2 invalid input or configuration
(unknown decision, bad URL, missing key); 70 internal error. Heavy modules (SQLAlchemy,
Alembic, cryptography) are imported only when a command runs, so ``sendrules decide`` without
``--log`` starts as fast as before.
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer

from sendrules.engine.errors import EngineError

EXIT_DIFFERS = 1
EXIT_INVALID = 2
DEFAULT_WORD = "default"

log_app = typer.Typer(
    name="log",
    help="The decision log: verify the chain, show an entry, manage it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


from sendrules.api.output import OutputFormat as Format, format_option, report  # noqa: E402 (the shared --format)


class ReplayFormat(str, Enum):
    table = "table"
    json = "json"
    html = "html"  # the auditor's report (sendrules.pages.audit_report)
    pdf = "pdf"


LogOption = typer.Option(
    None,
    "--log",
    metavar="URL",
    help="Database URL of the decision log (default: $SENDRULES_LOG_URL, log_url in the config "
    "file, else ~/.local/share/sendrules/decisions.sqlite3).",
)


def _fail(error: EngineError, output: Format = Format.table) -> None:
    if output == Format.json:
        print(json.dumps({"error": error.to_dict()}, indent=2, ensure_ascii=False), file=sys.stderr)
    else:
        print(error.describe(), file=sys.stderr)
    raise typer.Exit(EXIT_INVALID)


def _open(url: str | None, mode: str = "read"):
    from sendrules.decisionlog.config import load_config
    from sendrules.decisionlog.store import DecisionLog

    config = load_config(None if url in (None, DEFAULT_WORD) else url)
    return config, DecisionLog.open(config.url, mode=mode)


def cli_principal() -> str:
    """Who is using the log from the command line, for its access log: the local account."""
    import getpass

    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = f"uid-{os.getuid()}"
    return f"cli:{name}"[:128]


def _record(opened, action: str, decision_id: str | None = None, detail: str | None = None) -> None:
    """Record one use of the log made from the command line, before anything is shown, as the
    HTTP API records its callers' (docs/decision-log.md, "Who did what"). A use that cannot be
    recorded is refused."""
    from sendrules.decisionlog.store import AccessRecord

    opened.record_access(AccessRecord(cli_principal(), "cli", action, decision_id, detail))


def _json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


# --- used by `sendrules decide --log` --------------------------------------------------------


def decide_and_log(service, request, backend: str, url: str):
    """Decide ``request`` and record it in the log at ``url`` (``default``: the configured log).

    Keys and the log are checked before anything is decided. Who decided (the command line's
    principal, as for show and replay) is recorded in the access log in the same transaction as
    the entry. Returns the decision (only after its entry is committed) and notes for the user:
    where it was recorded, and a warning if the same decision id was already logged with a
    different outcome."""
    from sendrules.decisionlog.config import load_config
    from sendrules.decisionlog.recorder import Recorder
    from sendrules.decisionlog.replay import diff_decisions
    from sendrules.decisionlog.store import AccessRecord, DecisionLog

    config = load_config(None if url == DEFAULT_WORD else url)
    pseudonymiser, cipher = config.pseudonymiser(), config.cipher()
    log = DecisionLog.open(config.url, mode="append")
    access = AccessRecord(cli_principal(), "cli", "decide")
    try:
        recorded = Recorder(log, service, pseudonymiser, cipher).decide(
            request, backend=backend, access=access
        )
    finally:
        log.close()
    entry = recorded.result.entry
    if recorded.result.created:
        return recorded.decision, [
            f"Recorded decision {entry.decision_id} as entry #{entry.seq} in {log.display_url}"
        ]
    notes = [f"Decision {entry.decision_id} was already recorded as entry #{entry.seq} in {log.display_url}"]
    if not diff_decisions(entry.decision(), recorded.decision_dict, ignore_backend=True).empty:
        notes.append(
            f"warning: the logged decision {entry.decision_id} differs from this one; run "
            f"`sendrules replay {entry.decision_id}` to see how"
        )
    return recorded.decision, notes


# --- log init / migrate ----------------------------------------------------------------------


@log_app.command("init")
def init(
    config_path: Optional[Path] = typer.Option(
        None,
        "--config",
        dir_okay=False,
        help="Where to write the config file (default: $SENDRULES_CONFIG, else "
        "~/.config/sendrules/config.toml).",
    ),
    log: Optional[str] = LogOption,
    output: Format = format_option(),
) -> None:
    """Write a config file (mode 0600) with a fresh HMAC key and encryption key, and create the log."""
    import os

    from sendrules.decisionlog import config as settings
    from sendrules.decisionlog.database import display_url, parse_url
    from sendrules.decisionlog.store import DecisionLog

    try:
        path = config_path or Path(
            os.environ.get(settings.ENV_CONFIG) or settings.default_config_path(os.environ)
        )
        url = (
            log
            or os.environ.get(settings.ENV_URL)
            or "sqlite:///" + str(settings.default_log_path(os.environ))
        )
        parse_url(url)
        settings.write_new_config(path, url)
        DecisionLog.open(url, mode="append").close()
    except EngineError as error:
        _fail(error, output)
        return
    lines = [
        f"Wrote {path} (readable only by you) with a new HMAC key and encryption key k1.",
        f"The decision log is ready at {display_url(url)}.",
        "Back the config file up somewhere safe: without its keys, logged requests cannot be "
        "decrypted or replayed.",
    ]
    if not os.environ.get(settings.ENV_CONFIG) and config_path is not None:
        lines.append(f"Set SENDRULES_CONFIG={path} so that sendrules finds it.")
    report(output, {"config": str(path), "log": display_url(url), "encryption_key": "k1"}, "\n".join(lines))


@log_app.command("migrate")
def migrate(log: Optional[str] = LogOption, output: Format = format_option()) -> None:
    """Create the decision log's tables, or upgrade them to this version's schema."""
    from sendrules.decisionlog.database import head_revision

    try:
        _, opened = _open(log, mode="migrate")
    except EngineError as error:
        _fail(error, output)
        return
    report(
        output,
        {"log": opened.display_url, "schema": head_revision()},
        f"The decision log at {opened.display_url} is at schema {head_revision()}.",
    )
    opened.close()


# --- log verify ------------------------------------------------------------------------------


@log_app.command("verify")
def verify(
    log: Optional[str] = LogOption,
    anchor: list[str] = typer.Option(
        [],
        "--anchor",
        metavar="SEQ:HASH",
        help="A head recorded elsewhere earlier (printed by verify): SEQ:HASH for the decisions, "
        "access:SEQ:HASH for the access log; checks the log was not rewritten since. Repeatable.",
    ),
    decrypt: bool = typer.Option(
        False,
        "--decrypt",
        help="Also decrypt every request and check it against its hash (needs the encryption keys).",
    ),
    output: Format = format_option(),
) -> None:
    """Walk the hash chain; report the first entry altered, removed or reordered (exit 1)."""
    from sendrules.decisionlog.errors import LogError

    try:
        from sendrules.decisionlog.chain import parse_anchor

        anchors = []
        for item in anchor:
            parsed = parse_anchor(item)
            if parsed is None:
                raise LogError(
                    "invalid_anchor",
                    f"--anchor {item[:80]!r} must be SEQ:HASH or access:SEQ:HASH "
                    "(a sequence number and a 64-digit entry hash)",
                )
            anchors.append(parsed)
        config, opened = _open(log)
        with opened:
            cipher = config.cipher() if decrypt else None
            _record(opened, "verify", detail=f"anchors {len(anchors)}, decrypt {str(decrypt).lower()}")
            report = opened.verify(tuple(anchors), cipher=cipher)
    except EngineError as error:
        _fail(error, output)
        return
    if output == Format.json:
        _json({"log": opened.display_url, **report.to_dict()})
    elif report.ok:
        print(
            f"ok: {report.entries} entr{'y' if report.entries == 1 else 'ies'} in {opened.display_url}; "
            "the chain is intact"
        )
        if report.entries:
            print(f"head: {report.last_seq}:{report.last_hash}")
        if report.access_entries:
            print(f"access head: access:{report.access_last_seq}:{report.access_last_hash}")
        if report.entries or report.access_entries:
            print(
                "  (keep these lines somewhere else; `sendrules log verify --anchor` with them later "
                "proves the log was not rewritten since)"
            )
        for note in report.notes:
            print(f"  {note}")
    else:
        print(f"BROKEN: {report.first_break.describe()}")
        print(
            f"  {report.entries} entr{'y' if report.entries == 1 else 'ies'} before it verified; "
            "nothing after it can be trusted"
        )
    if not report.ok:
        raise typer.Exit(EXIT_DIFFERS)


# --- log show --------------------------------------------------------------------------------


@log_app.command("show")
def show(
    decision_id: str = typer.Argument(..., help="The decision id (as printed by decide)."),
    log: Optional[str] = LogOption,
    unmask: bool = typer.Option(
        False, "--unmask", help="Decrypt and print the whole request, personal details included."
    ),
    output: Format = format_option(),
) -> None:
    """Print one entry: metadata, the decision, and the request with personal details masked."""
    from sendrules.decisionlog.masking import masked_request

    try:
        config, opened = _open(log)
        with opened:
            entry = opened.get(decision_id.strip())
            _record(opened, "read", entry.decision_id, "unmasked" if unmask else None)
            if unmask:
                request: Any = opened.decrypt_request(entry, config.cipher())
                label = "request (unmasked)"
            else:
                try:
                    request = masked_request(
                        opened.decrypt_request(entry, config.cipher()), entry.child_pseudonym
                    )
                    label = "request (masked)"
                except EngineError as error:
                    request = {"encrypted_with": entry.request_key_id, "not_shown": error.message}
                    label = "request (not shown)"
    except EngineError as error:
        _fail(error, output)
        return
    problem = entry.integrity_problem()
    decision = _parsed(entry.decision_json)
    if output == Format.json:
        _json(
            {
                "entry": entry.metadata(),
                "integrity_problem": problem,
                "decision": decision,
                "request": request,
                "request_masked": not unmask,
            }
        )
        return
    print(f"Entry #{entry.seq} of {opened.display_url}")
    for name, value in entry.metadata().items():
        print(f"  {name:<18} {value}")
    if problem:
        print(f"  WARNING: {problem}; run `sendrules log verify`")
    print("decision:")
    print(_indent(json.dumps(decision, indent=2, ensure_ascii=False)))
    print(f"{label}:")
    print(_indent(json.dumps(request, indent=2, ensure_ascii=False)))


def _parsed(text: str) -> Any:
    """The stored decision as JSON if it parses (it may have been tampered with), else the text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


# --- log find --------------------------------------------------------------------------------


@log_app.command("find")
def find(
    child: str = typer.Option(
        ...,
        "--child",
        metavar="ID",
        help="The child's id as caseworker systems send it; '-' reads it from "
        "standard input (keeps it out of shell history and process lists).",
    ),
    log: Optional[str] = LogOption,
    output: Format = format_option(),
) -> None:
    """List every logged decision about one child (for a subject access request). The id is
    pseudonymised with the configured HMAC key and looked up; it is never stored or printed."""
    from sendrules.decisionlog.subject_access import find_child

    child_id = sys.stdin.readline() if child == "-" else child
    try:
        config, opened = _open(log)
        with opened:
            found = find_child(opened, config.pseudonymiser(), child_id)
            _record(opened, "find", detail=f"pseudonym {found.child_pseudonym}")
    except EngineError as error:
        _fail(error, output)
        return
    if output == Format.json:
        _json(found.to_dict())
        return
    count = len(found.entries)
    print(
        f"{count} decision{'s' if count != 1 else ''} about this child (pseudonym "
        f"{found.child_pseudonym[:16]}…) in {opened.display_url}"
    )
    for entry in found.entries:
        statuses = ", ".join(f"{status} {n}" for status, n in entry["statuses"].items()) or "no findings"
        print(
            f"  #{entry['seq']:<6} {entry['decision_id']}  as of {entry['as_of']}  {entry['standards']}  "
            f"recorded {entry['recorded_at']}  ({statuses})"
        )
    others = found.entries_under_other_pseudonym_keys
    if others:
        unsearched = sum(others.values())
        print(
            f"warning: {unsearched} entr{'ies were' if unsearched != 1 else 'y was'} pseudonymised with "
            f"another HMAC key ({', '.join(others)}) and cannot be matched with the current one; "
            "search again with that key to cover them"
        )


# --- log rekey -------------------------------------------------------------------------------


@log_app.command("rekey")
def rekey(log: Optional[str] = LogOption, output: Format = format_option()) -> None:
    """Re-encrypt every request payload not under the current (first) encryption key."""
    try:
        config, opened = _open(log)
        with opened:
            cipher = config.cipher()
            count = opened.rekey(cipher)
    except EngineError as error:
        _fail(error, output)
        return
    report(
        output,
        {"reencrypted": count, "key": cipher.current_key_id},
        f"Re-encrypted {count} request payload{'s' if count != 1 else ''} with key "
        f"'{cipher.current_key_id}'. The chain is unchanged (payloads are not chained).",
    )


# --- replay ----------------------------------------------------------------------------------


def replay(
    decision_id: str = typer.Argument(..., help="The decision id (as printed by decide)."),
    log: Optional[str] = LogOption,
    standards: Optional[str] = typer.Option(
        None,
        "--standards",
        metavar="REF",
        help="Replay under other standards: ID@VERSION or ID (from the standards folder, else the "
        "log's store) or sha256:HEX (from the log's store). Default: those recorded.",
    ),
    backend: Optional[str] = typer.Option(
        None, "--backend", help="Which engine evaluates (default: the one recorded)."
    ),
    output: ReplayFormat = typer.Option(
        ReplayFormat.table,
        "--format",
        help="table, json, or the auditor's report as html (one self-contained page) or pdf (needs Chromium).",
    ),
    standards_dir: Optional[Path] = typer.Option(
        None,
        "--standards-dir",
        envvar="SENDRULES_STANDARDS",
        file_okay=False,
        help="Folder of standards packs for --standards (default: the bundled ones).",
    ),
    to_file: Optional[Path] = typer.Option(
        None,
        "--output",
        metavar="FILE",
        dir_okay=False,
        help="Write the html or pdf report to FILE (html: default stdout; pdf: required).",
    ),
    unmask: bool = typer.Option(
        False, "--unmask", help="html/pdf: show the logged request with personal details."
    ),
) -> None:
    """Re-evaluate a logged decision: `identical` or `same_findings_newer_engine` (exit 0), or
    `different` with what changed (exit 1)."""
    from sendrules.decisionlog.replay import replay as run_replay
    from sendrules.engine.library import StandardsLibrary

    report = None
    try:
        if output == ReplayFormat.pdf and to_file is None:
            from sendrules.engine.errors import InputError

            raise InputError("output_required", "--format pdf needs --output FILE")
        config, opened = _open(log)
        with opened:
            result = run_replay(
                opened,
                decision_id.strip(),
                config.cipher(),
                standards=standards,
                backend=backend,
                library=StandardsLibrary(standards_dir),
            )
            _record(
                opened,
                "replay",
                result.entry.decision_id,
                "unmasked" if unmask and output in (ReplayFormat.html, ReplayFormat.pdf) else None,
            )
            if output in (ReplayFormat.html, ReplayFormat.pdf):  # the auditor's report (sendrules.pages)
                from sendrules.pages.audit_report import render_audit_report

                report = render_audit_report(opened, config.cipher(), result, unmask=unmask)
        if report is not None:
            _write_report(report, output, to_file)
    except EngineError as error:
        _fail(error, Format.json if output == ReplayFormat.json else Format.table)
        return
    if report is not None:
        if to_file is None:
            sys.stdout.write(report)
        else:
            print(f"wrote {to_file} (replay {result.result})", file=sys.stderr)
    elif output == ReplayFormat.json:
        _json(result.to_dict())
    else:
        _print_replay(result)
    if result.result == "different":
        raise typer.Exit(EXIT_DIFFERS)


def _write_report(report: str, output: "ReplayFormat", to_file: Optional[Path]) -> None:
    """Write the html report to ``to_file`` (if given) or print the pdf there."""
    from sendrules.engine.errors import InputError

    if output == ReplayFormat.pdf:
        from sendrules.pages.pdf import html_to_pdf

        html_to_pdf(report, to_file)
    elif to_file is not None:
        try:
            to_file.write_text(report, encoding="utf-8", newline="\n")
        except OSError as error:
            raise InputError("cannot_write", f"cannot write {to_file}: {error.strerror or error}") from None


def _print_replay(result) -> None:
    recorded, replayed = result.recorded, result.replayed
    print(
        f"Replay of decision {result.entry.decision_id} (entry #{result.entry.seq}, as of "
        f"{result.entry.as_of})"
    )
    print(f"  recorded with {_standards(recorded)}, engine {_engine(recorded)}")
    print(
        f"  replayed with {_standards(replayed)} from {result.standards_source}, engine {_engine(replayed)}"
    )
    if result.backend_differs:
        print(
            f"  backend: recorded {result.recorded_backend}, replayed {result.backend} "
            "(the backend name is not compared)"
        )
    diff = result.diff
    if result.result != "different":
        print(result.result if result.identical else f"{result.result}: {result.account.split(': ', 1)[1]}")
        return
    print(
        f"different: {len(diff.fields)} field{'s' if len(diff.fields) != 1 else ''} changed; findings: "
        f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed"
    )
    for change in diff.fields:
        print(f"  {change.path}: {_value(change.old)} -> {_value(change.new)}")
    for finding in diff.removed:
        print(f"  - removed {finding.get('rule')} {finding.get('trigger')}: {_finding(finding)}")
    for finding in diff.added:
        print(f"  + added   {finding.get('rule')} {finding.get('trigger')}: {_finding(finding)}")
    for changed in diff.changed:
        print(f"  ~ changed {changed.rule} {changed.trigger}")
        for change in changed.changes:
            print(f"      {change.path}: {_value(change.old)} -> {_value(change.new)}")


def _standards(decision: dict) -> str:
    standards = decision.get("standards", {})
    return f"{standards.get('id')}@{standards.get('version')} (sha256 {str(standards.get('sha256'))[:12]}…)"


def _engine(decision: dict) -> str:
    engine = decision.get("engine", {})
    return f"{engine.get('version')} ({engine.get('backend')}, {engine.get('calendar')})"


def _finding(finding: dict) -> str:
    return f"status {finding.get('status')}, due {finding.get('due') or '—'}"


def _value(value: Any) -> str:
    if isinstance(value, str):
        return value
    return repr(value) if not isinstance(value, (dict, list)) else json.dumps(value, ensure_ascii=False)
