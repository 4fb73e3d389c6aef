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

**One canonical identity.** A caller is ``key:<key id>``, ``jwt:<sub>`` or, for a token subject
longer than ``MAX_SUBJECT`` characters or with characters outside printable ASCII,
``jwt-sha256:<sha256 of the subject>``: at most 128 characters, so the access log stores exactly
what ownership checks compare.

**Changes without a restart.** The key file is read again when it changes (checked at most
once a second), so a revoked key stops working within a second.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import stat
import tempfile
import threading
import time
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jwt
import tomli_w

ROLES = ("caseworker", "auditor", "policy")
KEY_PATTERN = re.compile(r"^sr_(?P<id>[a-z0-9]{12})_(?P<secret>[A-Za-z0-9_-]{20,100})$")
JWT_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"]
#: Token subjects longer than this (or not printable ASCII) are identified by their sha256.
MAX_SUBJECT = 100
_PRINTABLE_SUBJECT = re.compile(r"^[\x21-\x7e]+$")
#: How often (seconds) the key file is checked for changes.
RELOAD_EVERY = 1.0


class AuthError(Exception):
    """Authentication failed (401) or the role may not do this (403)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Principal:
    """Who is calling: its canonical identity (``key:<id>``, ``jwt:<sub>`` or
    ``jwt-sha256:<hex>``, at most 128 characters) and its role."""

    id: str
    role: str


def token_identity(subject: str) -> str:
    """The canonical identity of a token subject: ``jwt:<sub>`` when it is short printable
    ASCII, else ``jwt-sha256:<hex>`` (distinct prefix, so the two forms never collide)."""
    if len(subject) <= MAX_SUBJECT and _PRINTABLE_SUBJECT.match(subject):
        return f"jwt:{subject}"
    return "jwt-sha256:" + hashlib.sha256(subject.encode("utf-8", "surrogatepass")).hexdigest()


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
    """The API keys in one file (TOML, ``[[keys]]`` tables), written with tomli-w."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.keys: dict[str, StoredKey] = {}
        self._signature = self._stat()
        self._checked = time.monotonic()
        self._lock = threading.Lock()
        if self._signature is not None:
            self.keys = self._load()

    def _stat(self) -> tuple | None:
        try:
            info = self.path.stat()
        except OSError:
            return None
        return (info.st_ino, info.st_size, info.st_mtime_ns)

    def _load(self) -> dict[str, StoredKey]:
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ValueError(f"cannot read the API key file {self.path}: {error}") from None
        keys: dict[str, StoredKey] = {}
        entries = data.get("keys", [])
        if not isinstance(entries, list):
            raise ValueError(f"{self.path}: 'keys' must be a list of [[keys]] tables")
        for index, entry in enumerate(entries):
            try:
                key = StoredKey(
                    str(entry["id"]),
                    str(entry["role"]),
                    str(entry["sha256"]),
                    str(entry.get("name", "")),
                    str(entry.get("created", "")),
                )
            except (KeyError, TypeError):
                raise ValueError(f"{self.path}: key {index + 1} needs id, role and sha256") from None
            if key.role not in ROLES:
                raise ValueError(f"{self.path}: key {key.id} has unknown role '{key.role}'")
            keys[key.id] = key
        return keys

    def refresh(self, now: float | None = None) -> None:
        """Read the file again if it changed since it was read (checked at most once every
        ``RELOAD_EVERY`` seconds). A file that became unreadable or invalid keeps no key
        valid: failing closed is safer than serving a revoked key."""
        now = time.monotonic() if now is None else now
        if now - self._checked < RELOAD_EVERY:
            return
        with self._lock:
            self._checked = now
            signature = self._stat()
            if signature == self._signature:
                return
            self._signature = signature
            try:
                self.keys = self._load() if signature is not None else {}
            except ValueError:
                self.keys = {}

    def others_can_read(self) -> bool:
        """Whether the key file can be read or written by its group or by others."""
        try:
            mode = self.path.stat().st_mode
        except OSError:
            return False
        return bool(mode & (stat.S_IRWXG | stat.S_IRWXO))

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
        """Write the file atomically, readable by its owner only. tomli-w writes every string
        escaped (a name with a carriage return or a quote stays one valid TOML string)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "keys": [
                {
                    "id": key.id,
                    "role": key.role,
                    "name": key.name,
                    "sha256": key.sha256,
                    "created": key.created,
                }
                for key in self.keys.values()
            ]
        }
        text = (
            "# sendrules API keys: only the sha256 of each key is kept (sendrules keys add).\n\n"
            + tomli_w.dumps(document)
        )
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".api-keys.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
            os.chmod(temporary, stat.S_IRUSR | stat.S_IWUSR)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self._signature = self._stat()

    def authenticate(self, presented: str) -> Principal | None:
        match = KEY_PATTERN.match(presented)
        if not match:
            return None
        self.refresh()
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
        return cls(
            key,
            os.environ.get("SENDRULES_JWT_ISSUER") or None,
            os.environ.get("SENDRULES_JWT_AUDIENCE") or None,
        )

    def authenticate(self, token: str) -> Principal | None:
        options = {
            "require": ["exp", "sub"] + (["iss"] if self.issuer else []) + (["aud"] if self.audience else [])
        }
        try:
            claims = jwt.decode(
                token,
                self.public_key,
                algorithms=JWT_ALGORITHMS,
                issuer=self.issuer,
                audience=self.audience,
                options=options,
            )
        except jwt.PyJWTError:
            return None
        role = claims.get("role")
        subject = claims.get("sub")
        if role not in ROLES or not isinstance(subject, str) or not subject:
            return None
        return Principal(token_identity(subject), role)


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2 and not token.startswith("sr_")


# --- the authenticator the API uses ----------------------------------------------------------


class Authenticator:
    def __init__(self, keys: KeyStore, verifier: JwtVerifier | None) -> None:
        self.keys = keys
        self.verifier = verifier

    def from_headers(self, headers: list[tuple[bytes, bytes]]) -> Principal:
        """The caller, from the raw ASGI headers: exactly one ``Authorization`` header (two
        are refused: proxies and frameworks disagree on which one counts)."""
        found = [value for name, value in headers if name == b"authorization"]
        if len(found) > 1:
            raise AuthError(401, "unauthorized", "send one Authorization header, not several")
        return self.principal(found[0].decode("latin-1") if found else None)

    def principal(self, authorization: str | None) -> Principal:
        """The caller, from an ``Authorization: Bearer …`` header; ``AuthError`` (401) if not."""
        if not authorization:
            raise AuthError(401, "unauthorized", "send an API key or token: Authorization: Bearer <key>")
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise AuthError(401, "unauthorized", "the Authorization header must be 'Bearer <key>'")
        principal = None
        if looks_like_jwt(token) and self.verifier is not None and len(token) <= 8192:
            principal = self.verifier.authenticate(token)
        elif len(token) <= 200:
            principal = self.keys.authenticate(token)
        if principal is None:
            raise AuthError(401, "unauthorized", "the API key or token is not valid")
        return principal


def require_role(principal: Principal, *roles: str) -> None:
    """``AuthError`` (403) unless the caller has one of ``roles``."""
    if principal.role not in roles:
        raise AuthError(
            403, "forbidden", f"the {principal.role} role may not do this; it needs " + " or ".join(roles)
        )
