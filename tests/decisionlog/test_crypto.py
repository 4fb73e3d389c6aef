"""Pseudonyms and payload encryption, key parsing and rotation."""

from __future__ import annotations

import base64
import os

import pytest

from sendrules.decisionlog.crypto import Pseudonymiser, SealedRequest, decode_key, parse_encryption_keys
from sendrules.decisionlog.errors import LogError


def key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def test_pseudonyms_are_stable_per_key_and_differ_between_keys():
    first, second = Pseudonymiser(os.urandom(32)), Pseudonymiser(os.urandom(32))
    assert first.pseudonym("C-000123") == first.pseudonym("C-000123")
    assert first.pseudonym("C-000123") != first.pseudonym("C-000124")
    assert first.pseudonym("C-000123") != second.pseudonym("C-000123")
    assert first.key_id != second.key_id and first.key_id.startswith("hmac-")
    assert "C-000123" not in first.pseudonym("C-000123")


def test_encryption_round_trips_and_is_bound_to_the_decision_id():
    cipher = parse_encryption_keys(f"k1:{key()}", "TEST")
    sealed = cipher.encrypt(b'{"journey": 1}', "decision-a")
    assert sealed.key_id == "k1" and b"journey" not in sealed.payload
    assert cipher.decrypt(sealed, "decision-a") == b'{"journey": 1}'
    assert (
        cipher.encrypt(b"x", "decision-a").payload != cipher.encrypt(b"x", "decision-a").payload
    )  # fresh nonce
    with pytest.raises(LogError) as error:
        cipher.decrypt(sealed, "decision-b")
    assert error.value.code == "undecryptable_request"
    flipped = bytearray(sealed.payload)
    flipped[-1] ^= 1
    with pytest.raises(LogError):
        cipher.decrypt(SealedRequest("k1", bytes(flipped)), "decision-a")
    with pytest.raises(LogError, match="not an encrypted payload"):
        cipher.decrypt(SealedRequest("k1", b"plain text"), "decision-a")


def test_rotation_the_first_key_encrypts_every_key_decrypts():
    old_key, new_key = key(), key()
    old = parse_encryption_keys(f"k1:{old_key}", "TEST")
    sealed = old.encrypt(b"payload", "d")
    rotated = parse_encryption_keys(f"k2:{new_key}, k1:{old_key}", "TEST")
    assert rotated.current_key_id == "k2" and rotated.decrypt(sealed, "d") == b"payload"
    assert rotated.encrypt(b"payload", "d").key_id == "k2"
    with pytest.raises(LogError) as error:
        parse_encryption_keys(f"k2:{new_key}", "TEST").decrypt(sealed, "d")
    assert error.value.code == "missing_key" and "'k1'" in error.value.message


def test_the_wrong_key_under_the_right_name_does_not_decrypt():
    sealed = parse_encryption_keys(f"k1:{key()}", "TEST").encrypt(b"payload", "d")
    with pytest.raises(LogError, match="not the one it was encrypted with"):
        parse_encryption_keys(f"k1:{key()}", "TEST").decrypt(sealed, "d")


@pytest.mark.parametrize(
    "text, message",
    [
        ("k1", "ID:BASE64"),
        ("bad id!:AAAA", "ID:BASE64"),
        ("k1:not base64!!", "not valid base64"),
        ("k1:" + base64.b64encode(b"short").decode(), "5 bytes long"),
        ("k1:" + base64.b64encode(bytes(range(48))).decode(), "exactly 32"),
        ("k1:{k},k1:{k}", "given twice"),
        (" , ", "holds no key"),
    ],
)
def test_bad_encryption_keys_are_reported_without_their_value(text, message):
    text = text.replace("{k}", key())
    with pytest.raises(LogError) as error:
        parse_encryption_keys(text, "SENDRULES_ENCRYPTION_KEYS")
    assert message in error.value.message and "SENDRULES_ENCRYPTION_KEYS" in error.value.message
    secret = text.partition(":")[2]
    assert len(secret) < 8 or secret not in error.value.message


def test_keys_may_be_urlsafe_base64():
    raw = os.urandom(32)
    assert decode_key(base64.urlsafe_b64encode(raw).decode().rstrip("="), "K") == raw
