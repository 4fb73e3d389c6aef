"""Keys and what they protect: child-id pseudonyms and encrypted request payloads.

* **Pseudonyms.** The child id of a logged decision is stored only as
  HMAC-SHA256(key, child id): the same child always gets the same pseudonym under one key,
  and without the key a pseudonym cannot be traced back, even by trying every plausible id.
* **Payloads.** The canonical request (the whole journey) is encrypted with AES-256-GCM from
  ``cryptography``. Each payload names the id of the key that encrypted it, so keys can be
  rotated: the first key configured encrypts, every key configured can decrypt. The decision
  id is bound in as associated data, so a payload moved to another entry does not decrypt.

Key values never appear in messages; errors name the setting that holds them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sendrules.decisionlog.errors import LogError

KEY_BYTES = 32  # AES-256; the HMAC key is at least as long
KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
NONCE_BYTES = 12
PAYLOAD_FORMAT = b"\x01"  # first byte of every stored payload: format 1 = nonce + AES-GCM output
_PSEUDONYM_CONTEXT = b"sendrules/child-id/v1\x00"
_FINGERPRINT_CONTEXT = b"sendrules/hmac-key-fingerprint/v1\x00"
_REQUEST_CONTEXT = b"sendrules/request/v1\x00"


def new_key() -> str:
    """A fresh random 256-bit key, base64-encoded (what ``sendrules log init`` writes)."""
    return base64.b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def decode_key(text: str, setting: str, exact: bool = False) -> bytes:
    """A base64 key (standard or URL-safe alphabet) of at least (``exact``: exactly) 32 bytes."""
    cleaned = text.strip()
    try:
        if "-" in cleaned or "_" in cleaned:
            raw = base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
        else:
            raw = base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise LogError("invalid_key", f"{setting} is not valid base64") from None
    if len(raw) < KEY_BYTES or (exact and len(raw) != KEY_BYTES):
        raise LogError(
            "invalid_key",
            f"{setting} is {len(raw)} bytes long; keys must be "
            f"{'exactly' if exact else 'at least'} {KEY_BYTES} random bytes, "
            "base64-encoded (sendrules log init writes some)",
        )
    return raw


class Pseudonymiser:
    """Turns a child id into its pseudonym with a keyed HMAC."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        #: A public fingerprint of the key, stored with each entry, so that a change of key
        #: is visible (pseudonyms made with different keys do not match).
        self.key_id = "hmac-" + hashlib.sha256(_FINGERPRINT_CONTEXT + key).hexdigest()[:16]

    def pseudonym(self, child_id: str) -> str:
        return hmac.new(self._key, _PSEUDONYM_CONTEXT + child_id.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SealedRequest:
    key_id: str
    payload: bytes


class RequestCipher:
    """AES-256-GCM with named keys; the first key encrypts, all of them decrypt."""

    def __init__(self, keys: list[tuple[str, bytes]]) -> None:
        if not keys:
            raise LogError("missing_key", "no encryption key is configured")
        self._keys = {key_id: AESGCM(raw) for key_id, raw in keys}
        self.current_key_id = keys[0][0]
        self.key_ids = tuple(key_id for key_id, _ in keys)

    def encrypt(self, plaintext: bytes, decision_id: str) -> SealedRequest:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._keys[self.current_key_id].encrypt(nonce, plaintext, _aad(decision_id))
        return SealedRequest(self.current_key_id, PAYLOAD_FORMAT + nonce + sealed)

    def decrypt(self, sealed: SealedRequest, decision_id: str) -> bytes:
        aead = self._keys.get(sealed.key_id)
        if aead is None:
            raise LogError(
                "missing_key",
                f"the request of decision {decision_id} is encrypted with key "
                f"'{sealed.key_id}', which is not configured (configured: "
                f"{', '.join(self.key_ids)}); add it to SENDRULES_ENCRYPTION_KEYS",
            )
        payload = sealed.payload
        if not payload or payload[:1] != PAYLOAD_FORMAT or len(payload) < 1 + NONCE_BYTES + 16:
            raise LogError(
                "undecryptable_request",
                f"the stored request of decision {decision_id} is not an encrypted payload "
                "(it was altered or truncated)",
            )
        try:
            return aead.decrypt(payload[1 : 1 + NONCE_BYTES], payload[1 + NONCE_BYTES :], _aad(decision_id))
        except InvalidTag:
            raise LogError(
                "undecryptable_request",
                f"the stored request of decision {decision_id} does not decrypt with key "
                f"'{sealed.key_id}': the key is not the one it was encrypted with, or the "
                "payload was altered",
            ) from None


def parse_encryption_keys(text: str, setting: str) -> RequestCipher:
    """``"k2:<base64>,k1:<base64>"`` (the first key encrypts) -> a ``RequestCipher``."""
    keys: list[tuple[str, bytes]] = []
    for position, item in enumerate(part.strip() for part in text.split(",")):
        if not item:
            continue
        key_id, sep, value = item.partition(":")
        if not sep or not KEY_ID_PATTERN.match(key_id):
            raise LogError(
                "invalid_key",
                f"{setting}: item {position + 1} must be written ID:BASE64 "
                "with an id of letters, digits, '.', '_' or '-' (e.g. k1:…)",
            )
        if any(existing == key_id for existing, _ in keys):
            raise LogError("invalid_key", f"{setting}: key id '{key_id}' is given twice")
        keys.append((key_id, decode_key(value, f"{setting} (key '{key_id}')", exact=True)))
    if not keys:
        raise LogError("missing_key", f"{setting} holds no key")
    return RequestCipher(keys)


def _aad(decision_id: str) -> bytes:
    return _REQUEST_CONTEXT + decision_id.encode("ascii")
