"""Where the decision log is and which keys it uses.

Each setting is taken from the first place that has it:

1. the command line (``--log URL``; keys are never taken from the command line, where other
   users could read them in the process list);
2. the environment: ``SENDRULES_LOG_URL``, ``SENDRULES_HMAC_KEY``, ``SENDRULES_ENCRYPTION_KEYS``;
3. the config file: ``$SENDRULES_CONFIG`` if set (it must then exist), otherwise
   ``$XDG_CONFIG_HOME/sendrules/config.toml`` (``~/.config/sendrules/config.toml``) if it
   exists. A TOML file with the keys ``log_url``, ``hmac_key`` and ``encryption_keys``; a file
   that holds keys must not be readable by other users (mode 0600);
4. for the URL only, the default: the SQLite file
   ``$XDG_DATA_HOME/sendrules/decisions.sqlite3`` (``~/.local/share/sendrules/…``).

Keys have no default: a command that needs a missing key stops and says which setting to set.
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from sendrules.decisionlog.crypto import (
    Pseudonymiser,
    RequestCipher,
    decode_key,
    new_key,
    parse_encryption_keys,
)
from sendrules.decisionlog.errors import LogError

ENV_URL = "SENDRULES_LOG_URL"
ENV_HMAC_KEY = "SENDRULES_HMAC_KEY"
ENV_ENCRYPTION_KEYS = "SENDRULES_ENCRYPTION_KEYS"
ENV_CONFIG = "SENDRULES_CONFIG"
FILE_KEYS = {"log_url": ENV_URL, "hmac_key": ENV_HMAC_KEY, "encryption_keys": ENV_ENCRYPTION_KEYS}


def default_config_path(environ: Mapping[str, str]) -> Path:
    base = environ.get("XDG_CONFIG_HOME") or str(Path(environ.get("HOME") or Path.home()) / ".config")
    return Path(base) / "sendrules" / "config.toml"


def default_log_path(environ: Mapping[str, str]) -> Path:
    base = environ.get("XDG_DATA_HOME") or str(Path(environ.get("HOME") or Path.home()) / ".local" / "share")
    return Path(base) / "sendrules" / "decisions.sqlite3"


@dataclass(frozen=True)
class LogConfig:
    """The settings in effect, and where each came from (for messages)."""

    url: str
    url_source: str
    hmac_key: str | None
    hmac_key_source: str | None
    encryption_keys: str | None
    encryption_keys_source: str | None
    config_path: Path | None

    def pseudonymiser(self) -> Pseudonymiser:
        """The HMAC key for child-id pseudonyms; a clear error if it is not configured."""
        if self.hmac_key is None:
            raise LogError(
                "missing_key",
                "no key for pseudonymising child ids: set "
                f"{ENV_HMAC_KEY} or hmac_key in the config file ({self._where()}); "
                "`sendrules log init` writes a config file with fresh keys",
            )
        return Pseudonymiser(decode_key(self.hmac_key, self.hmac_key_source or ENV_HMAC_KEY))

    def cipher(self) -> RequestCipher:
        """The encryption keys for request payloads; a clear error if none is configured."""
        if self.encryption_keys is None:
            raise LogError(
                "missing_key",
                "no key for encrypting or decrypting requests: set "
                f"{ENV_ENCRYPTION_KEYS} (e.g. k1:<base64>) or encryption_keys in the "
                f"config file ({self._where()}); `sendrules log init` writes one",
            )
        return parse_encryption_keys(self.encryption_keys, self.encryption_keys_source or ENV_ENCRYPTION_KEYS)

    def _where(self) -> str:
        return str(self.config_path) if self.config_path else "none found"


def load_config(url: str | None = None, environ: Mapping[str, str] | None = None) -> LogConfig:
    """The settings in effect; ``url`` is the command line's ``--log``, if given."""
    environ = os.environ if environ is None else environ
    path, settings = _read_config_file(environ)
    label = f"config file {path}" if path else None

    def pick(name: str) -> tuple[str | None, str | None]:
        env_name = FILE_KEYS[name]
        if environ.get(env_name):
            return environ[env_name], env_name
        if name in settings:
            return settings[name], f"{name} in {label}"
        return None, None

    log_url, url_source = pick("log_url")
    if url:
        log_url, url_source = url, "--log"
    if log_url is None:
        log_url, url_source = "sqlite:///" + str(default_log_path(environ)), "the default location"
    hmac_key, hmac_source = pick("hmac_key")
    encryption_keys, keys_source = pick("encryption_keys")
    return LogConfig(log_url, url_source, hmac_key, hmac_source, encryption_keys, keys_source, path)


def _read_config_file(environ: Mapping[str, str]) -> tuple[Path | None, dict[str, str]]:
    named = environ.get(ENV_CONFIG)
    path = Path(named) if named else default_config_path(environ)
    if not path.exists():
        if named:
            raise LogError("invalid_config", f"{ENV_CONFIG} names {path}, which does not exist")
        return None, {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise LogError("invalid_config", f"cannot read the config file {path}: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise LogError("invalid_config", f"the config file {path} is not valid TOML: {error}") from None
    settings: dict[str, str] = {}
    for key, value in data.items():
        if key not in FILE_KEYS:
            raise LogError(
                "invalid_config",
                f"the config file {path} has an unknown setting '{key}'; known: " + ", ".join(FILE_KEYS),
            )
        if key == "encryption_keys" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = ",".join(value)
        if not isinstance(value, str):
            raise LogError("invalid_config", f"the config file {path}: '{key}' must be a string")
        settings[key] = value
    if ("hmac_key" in settings or "encryption_keys" in settings) and os.name == "posix":
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise LogError(
                "invalid_config",
                f"the config file {path} holds keys and other users can "
                f"read it (mode {mode:04o}); run: chmod 600 {path}",
            )
    return path, settings


def write_new_config(path: Path, log_url: str) -> None:
    """Write a config file with fresh random keys, readable only by its owner (mode 0600).

    Never overwrites: a config file holds the only copy of keys that decrypt logged requests."""
    if path.exists():
        raise LogError(
            "invalid_config",
            f"{path} already exists; it may hold the only copy of your "
            "keys, so it is never overwritten (move it away first if you mean to)",
        )
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = (
        "# sendrules decision log settings (see docs/decision-log.md).\n"
        "# Keep this file secret and back it up: without encryption_keys the logged requests\n"
        "# cannot be decrypted or replayed, and without hmac_key new pseudonyms will not match\n"
        "# old ones.\n"
        f"log_url = {toml_string(log_url)}\n"
        f"hmac_key = {toml_string(new_key())}\n"
        "# The first key encrypts; every key listed can decrypt. Rotate by adding a new key first.\n"
        f"encryption_keys = [{toml_string('k1:' + new_key())}]\n"
    )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise LogError("invalid_config", f"{path} already exists; it is never overwritten") from None
    except OSError as error:
        raise LogError("invalid_config", f"cannot create {path}: {error.strerror}") from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def toml_string(value: str) -> str:
    """A TOML basic string on one line (newlines become spaces)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'
