"""Signing payloads (certificates, audit checkpoints) with the province's Ed25519 key, and checking
them offline.

The payload is ``base64url(canonical JSON) + "." + base64url(signature)``; the JSON is encoded
with sorted keys, no spaces, UTF-8. Anyone holding the public key can check it without a network:
decode the first part, verify the signature over exactly those bytes, then read the fields.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings


class SigningKeyMissing(RuntimeError):
    pass


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate(path: Path) -> Path:
    """Write a new private key (mode 600) and its public key next to it; returns the public path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    public = path.with_suffix(".pub.pem")
    public.write_bytes(public_pem(key.public_key()))
    return public


def private_key() -> Ed25519PrivateKey:
    path = Path(settings.EARMARK_SIGNING_KEY)
    if not path.exists():
        raise SigningKeyMissing(
            f"no certificate signing key at {path}: run `earmark certificate_keys`"
        )
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyMissing(f"{path} is not an Ed25519 private key")
    return key


def public_pem(key: Ed25519PublicKey | None = None) -> bytes:
    key = key or private_key().public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_raw(key: Ed25519PublicKey | None = None) -> str:
    """The public key's 32 bytes, base64url: what a browser imports to check a payload."""
    key = key or private_key().public_key()
    return _b64(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def key_id(key: Ed25519PublicKey | None = None) -> str:
    """A short fingerprint of the public key, carried in every payload."""
    key = key or private_key().public_key()
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(fields: dict[str, Any], key: Ed25519PrivateKey | None = None) -> str:
    """``fields`` signed with the province's key (or ``key``), carrying its key id."""
    key = key or private_key()
    body = json.dumps(
        {**fields, "kid": key_id(key.public_key())},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    return f"{_b64(body)}.{_b64(key.sign(body))}"


@dataclass(frozen=True)
class Verified:
    ok: bool
    fields: dict[str, Any]
    reason: str = ""


def verify(payload: str, public_key_pem: bytes) -> Verified:
    """Check a payload against a public key, offline."""
    key = serialization.load_pem_public_key(public_key_pem)
    if not isinstance(key, Ed25519PublicKey):
        return Verified(False, {}, "not an Ed25519 public key")
    body_text, _dot, signature_text = payload.strip().partition(".")
    try:
        body, signature = _unb64(body_text), _unb64(signature_text)
        fields = json.loads(body)
    except (binascii.Error, ValueError):
        return Verified(False, {}, "unreadable payload")
    try:
        key.verify(signature, body)
    except InvalidSignature:
        return Verified(False, fields if isinstance(fields, dict) else {}, "bad signature")
    return Verified(True, fields)


def is_public_raw(text: str) -> bool:
    """Whether ``text`` is an Ed25519 public key's 32 bytes, base64url."""
    try:
        Ed25519PublicKey.from_public_bytes(_unb64(text))
    except (binascii.Error, ValueError):
        return False
    return True


def verify_raw(payload: str, public_raw_key: str) -> Verified:
    """Check a payload against a public key given as its 32 bytes, base64url (as another
    province publishes it)."""
    try:
        key = Ed25519PublicKey.from_public_bytes(_unb64(public_raw_key))
    except (binascii.Error, ValueError):
        return Verified(False, {}, "unreadable public key")
    return verify(payload, public_pem(key))


def payload_fields(payload: str) -> dict[str, Any]:
    """What a payload says, unverified (to find the key it names)."""
    body_text, _dot, _signature = payload.strip().partition(".")
    try:
        fields = json.loads(_unb64(body_text))
    except (binascii.Error, ValueError):
        return {}
    return fields if isinstance(fields, dict) else {}


def ranges_digest(ranges: list[tuple[int, int]]) -> str:
    text = ",".join(f"{a:015d}-{b:015d}" for a, b in ranges)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
