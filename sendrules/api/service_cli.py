"""``sendrules serve`` (the HTTP service) and ``sendrules keys`` (its API keys)."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from sendrules.api.output import OutputFormat, format_option, print_json
from sendrules.api.security import ROLES, KeyStore, keys_path

keys_app = typer.Typer(
    help="Manage the HTTP service's API keys (only their hashes are stored).", no_args_is_help=True
)

KeysFile = typer.Option(
    None,
    "--keys-file",
    envvar="SENDRULES_API_KEYS",
    help="The key file (default: ~/.config/sendrules/api-keys.toml).",
    dir_okay=False,
)


def _store(keys_file: Optional[Path]) -> KeyStore:
    try:
        return KeyStore(keys_file or keys_path())
    except ValueError as error:
        print(f"error: {error} [invalid_keys_file]", file=sys.stderr)
        raise typer.Exit(2)


@keys_app.command("add")
def add_key(
    role: str = typer.Option(..., "--role", help="caseworker, auditor or policy."),
    name: str = typer.Option("", "--name", help="Who the key is for (shown in listings)."),
    keys_file: Optional[Path] = KeysFile,
    output: OutputFormat = format_option(),
) -> None:
    """Create an API key; the key is printed once and only its hash is stored."""
    if role not in ROLES:
        print(f"error: unknown role '{role[:40]}'; roles: {', '.join(ROLES)} [invalid_role]", file=sys.stderr)
        raise typer.Exit(2)
    if len(name) > 200:
        print("error: the name is longer than 200 characters [invalid_name]", file=sys.stderr)
        raise typer.Exit(2)
    store = _store(keys_file)
    # The wall clock only dates the key for people; it decides nothing.
    stored, key = store.add(role, name, date.today())
    if output == OutputFormat.json:
        print_json(
            {"id": stored.id, "role": stored.role, "name": stored.name, "created": stored.created, "key": key}
        )
    else:
        print(key)
    print(
        f"key {stored.id} ({role}) added to {store.path}; this is the only time the key is shown",
        file=sys.stderr,
    )


@keys_app.command("list")
def list_keys(keys_file: Optional[Path] = KeysFile, output: OutputFormat = format_option()) -> None:
    """The keys: id, role, name and creation date (never the keys themselves)."""
    store = _store(keys_file)
    rows = [{"id": k.id, "role": k.role, "name": k.name, "created": k.created} for k in store.keys.values()]
    if output == OutputFormat.json:
        print_json(rows)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(header_style="bold")
    for column in ("Id", "Role", "Created", "Name"):
        table.add_column(column)
    for row in rows:
        table.add_row(*(Text(row[key]) for key in ("id", "role", "created", "name")))
    Console(highlight=False, emoji=False, markup=False).print(table)
    if not rows:
        print(f"no keys in {store.path}", file=sys.stderr)


@keys_app.command("revoke")
def revoke_key(
    key_id: str = typer.Argument(..., help="The key's id."),
    keys_file: Optional[Path] = KeysFile,
    output: OutputFormat = format_option(),
) -> None:
    """Remove a key; a running service stops accepting it within a second (it rereads the file)."""
    store = _store(keys_file)
    if not store.revoke(key_id):
        print(f"error: there is no key {key_id[:40]} in {store.path} [unknown_key]", file=sys.stderr)
        raise typer.Exit(2)
    if output == OutputFormat.json:
        print_json({"revoked": key_id})
    else:
        print(f"key {key_id} revoked")


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes."),
    log: Optional[str] = typer.Option(None, "--log", help="Decision log URL (default: the configured log)."),
    keys_file: Optional[Path] = KeysFile,
    standards_dir: Optional[Path] = typer.Option(
        None, "--standards-dir", envvar="SENDRULES_STANDARDS", file_okay=False
    ),
    access_log: bool = typer.Option(
        True,
        "--access-log/--no-access-log",
        help="Log one JSON line per request (method, route, status, caller; never bodies).",
    ),
) -> None:
    """Run the HTTP API (FastAPI on gunicorn with uvicorn workers, one listening socket each).
    Settings reach every worker through the environment (docs/http-api.md lists them)."""
    from sendrules.api import serving

    if log:
        os.environ["SENDRULES_LOG_URL"] = log
    if keys_file:
        os.environ["SENDRULES_API_KEYS"] = str(keys_file)
    if standards_dir:
        os.environ["SENDRULES_STANDARDS"] = str(standards_dir)
    metrics = serving.metrics_folder()  # before anything imports prometheus_client
    try:
        from sendrules.api.app import create_app

        app = create_app(prepare=False)  # fail here, clearly, rather than in every worker
        app.state.log.close()
        keys = app.state.authenticator.keys
    except Exception as error:  # noqa: BLE001 -- shown as one line; the CLI's main handles the rest
        message = getattr(error, "message", None) or str(error)
        print(f"error: the service cannot start: {message}", file=sys.stderr)
        raise typer.Exit(2)
    if keys.others_can_read():
        print(
            f"error: the service cannot start: the API key file {keys.path} can be read or written by "
            f"other users; run: chmod 600 {keys.path}",
            file=sys.stderr,
        )
        raise typer.Exit(2)
    serving.run(host, port, workers, access_log, metrics)
