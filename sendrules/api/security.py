"""Who is calling, and what they may do: bearer API keys and, optionally, JWTs.

**API keys.** A key looks like ``sr_<key id>_<secret>``. The key file stores, for each key, its
id, role, an optional name and the sha256 of the whole key — never the key itself, which
``sendrules keys add`` prints once. A presented key is looked up by its id and compared by hash
in constant time. Keys are high-entropy random strings, so a plain sha256 is the right hash
(a slow password hash protects guessable secrets, which these are not).

**JWTs** (optional). With ``SENDRULES_JWT_PUBLIC_KEY`` set to a PEM public key file, a bearer
token that is a JWT is verified against that key — locally, nothing is fetched over the
network — and must carry ``sub``, ``exp`` and a ``role`` claim (and ``iss``/``aud`` when
``SENDRULES_JWT_ISSUER``/``SENDRULES_JWT_AUDIENCE`` are set).

**Roles.** ``caseworker`` decides and reads the decisions it made; ``auditor`` reads any
decision, replays and verifies the log; ``policy`` reads the standards and replays decisions
under another version of the standards.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import stat
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jwt

from sendrules.decisionlog.config import toml_string

ROLES = ("caseworker", "auditor", "policy")
KEY_PATTERN = re.compile(r"^sr_(?P<id>[a-z0-9]{12})_(?P<secret>[A-Za-z0-9_-]{20,100})$")
JWT_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"]


class AuthError(Exception):
    """Authentication failed (401) or the role may not do this (403)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Principal:
    """Who is calling: a key id (``key:<id>``) or a token subject (``jwt:<sub>``), and a role."""

    id: str
    role: str


@dataclass(frozen=True)
class StoredKey:
    id: str
    role: str
    sha256: str
    name: str = ""
    created: str = ""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


# --- the key file --------------------------------------------------------------------------


def default_keys_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "sendrules" / "api-keys.toml"


def keys_path() -> Path:
    configured = os.environ.get("SENDRULES_API_KEYS")
    return Path(configured) if configured else default_keys_path()


class KeyStore:
    """The API keys in one file (TOML, ``[[keys]]`` tables)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.keys: dict[str, StoredKey] = {}
        if path.exists():
            self._load()

    def _load(self) -> None:
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ValueError(f"cannot read the API key file {self.path}: {error}") from None
        for index, entry in enumerate(data.get("keys", [])):
            try:
                key = StoredKey(str(entry["id"]), str(entry["role"]), str(entry["sha256"]),
                                str(entry.get("name", "")), str(entry.get("created", "")))
            except (KeyError, TypeError):
                raise ValueError(f"{self.path}: key {index + 1} needs id, role and sha256") from None
            if key.role not in ROLES:
                raise ValueError(f"{self.path}: key {key.id} has unknown role '{key.role}'")
            self.keys[key.id] = key

    def add(self, role: str, name: str, today: date) -> tuple[StoredKey, str]:
        """Create a key; returns the stored record and the key itself (shown once)."""
        if role not in ROLES:
            raise ValueError(f"unknown role '{role}'; roles: {', '.join(ROLES)}")
        key_id = secrets.token_hex(6)
        key = f"sr_{key_id}_{secrets.token_urlsafe(32)}"
        stored = StoredKey(key_id, role, hash_key(key), name, today.isoformat())
        self.keys[key_id] = stored
        self.save()
        return stored, key

    def revoke(self, key_id: str) -> bool:
        if self.keys.pop(key_id, None) is None:
            return False
        self.save()
        return True

    def save(self) -> None:
        """Write the file atomically, readable by its owner only."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lines = ["# sendrules API keys: only the sha256 of each key is kept (sendrules keys add).", ""]
        for key in self.keys.values():
            lines += ["[[keys]]", f'id = "{key.id}"', f'role = "{key.role}"', f"name = {toml_string(key.name)}",
                      f'sha256 = "{key.sha256}"', f'created = "{key.created}"', ""]
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".api-keys.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write("\n".join(lines))
            os.chmod(temporary, stat.S_IRUSR | stat.S_IWUSR)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def authenticate(self, presented: str) -> Principal | None:
        match = KEY_PATTERN.match(presented)
        if not match:
            return None
        stored = self.keys.get(match.group("id"))
        if stored is None or not hmac.compare_digest(stored.sha256, hash_key(presented)):
            return None
        return Principal(f"key:{stored.id}", stored.role)


# --- JWT -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class JwtVerifier:
    public_key: str
    issuer: str | None = None
    audience: str | None = None

    @classmethod
    def from_environment(cls) -> "JwtVerifier | None":
        path = os.environ.get("SENDRULES_JWT_PUBLIC_KEY")
        if not path:
            return None
        try:
            key = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise ValueError(f"cannot read SENDRULES_JWT_PUBLIC_KEY {path}: {error.strerror}") from None
        return cls(key, os.environ.get("SENDRULES_JWT_ISSUER") or None,
                   os.environ.get("SENDRULES_JWT_AUDIENCE") or None)

    def authenticate(self, token: str) -> Principal | None:
        options = {"require": ["exp", "sub"] + (["iss"] if self.issuer else []) + (["aud"] if self.audience else [])}
        try:
            claims = jwt.decode(token, self.public_key, algorithms=JWT_ALGORITHMS, issuer=self.issuer,
                                audience=self.audience, options=options)
        except jwt.PyJWTError:
            return None
        role = claims.get("role")
        subject = claims.get("sub")
        if role not in ROLES or not isinstance(subject, str) or not subject:
            return None
        return Principal(f"jwt:{subject}", role)


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2 and not token.startswith("sr_")


# --- the authenticator the API uses ----------------------------------------------------------


class Authenticator:
    def __init__(self, keys: KeyStore, verifier: JwtVerifier | None) -> None:
        self.keys = keys
        self.verifier = verifier

    def principal(self, authorization: str | None) -> Principal:
        """The caller, from an ``Authorization: Bearer …`` header; ``AuthError`` (401) if not."""
        if not authorization:
            raise AuthError(401, "unauthorized", "send an API key or token: Authorization: Bearer <key>")
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise AuthError(401, "unauthorized", "the Authorization header must be 'Bearer <key>'")
        principal = None
        if looks_like_jwt(token) and self.verifier is not None:
            principal = self.verifier.authenticate(token)
        elif len(token) <= 200:
            principal = self.keys.authenticate(token)
        if principal is None:
            raise AuthError(401, "unauthorized", "the API key or token is not valid")
        return principal


def require_role(principal: Principal, *roles: str) -> None:
    """``AuthError`` (403) unless the caller has one of ``roles``."""
    if principal.role not in roles:
        raise AuthError(403, "forbidden", f"the {principal.role} role may not do this; it needs "
                        + " or ".join(roles))
