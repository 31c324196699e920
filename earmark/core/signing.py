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
from datetime import datetime
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


def load_private(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        raise SigningKeyMissing(
            f"no certificate signing key at {path}: run `earmark certificate_keys`"
        )
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyMissing(f"{path} is not an Ed25519 private key")
    return key


def private_key() -> Ed25519PrivateKey:
    return load_private(Path(settings.EARMARK_SIGNING_KEY))


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


def fingerprint(public_raw_key: str) -> str:
    """The whole SHA-256 of a public key, in groups of four, as administrators read it to each
    other to confirm a key (its first 16 characters are the key id)."""
    digest = hashlib.sha256(_unb64(public_raw_key)).hexdigest().upper()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def key_id_of(public_raw_key: str) -> str:
    """The key id of a public key given as its 32 bytes, base64url."""
    return hashlib.sha256(_unb64(public_raw_key)).hexdigest()[:16]


def _retired_dir() -> Path:
    return Path(settings.EARMARK_SIGNING_KEY).parent / "retired"


def own_public_keys() -> dict[str, Ed25519PublicKey]:
    """This province's public keys by key id: the one in use and every one it replaced, which
    keep checking the certificates they signed."""
    keys: dict[str, Ed25519PublicKey] = {}
    retired = _retired_dir()
    for path in sorted(retired.glob("*.pub.pem")) if retired.exists() else []:
        key = serialization.load_pem_public_key(path.read_bytes())
        if isinstance(key, Ed25519PublicKey):
            keys[key_id(key)] = key
    try:
        current = private_key().public_key()
    except SigningKeyMissing:
        return keys
    keys[key_id(current)] = current
    return keys


def verify_own(payload: str) -> Verified:
    """Check a payload of this province against the key it names (the current one, or one it
    replaced)."""
    fields = payload_fields(payload)
    key = own_public_keys().get(str(fields.get("kid", "")))
    if key is None:
        return Verified(False, fields, "unknown key")
    return verify(payload, public_pem(key))


def _write_private(path: Path, key: Ed25519PrivateKey) -> None:
    """Write a private key (mode 600) in place of whatever is at ``path``, atomically: a crash
    leaves either the old key or the new one, never none."""
    fresh = path.with_name(f".{path.name}.new")
    fresh.unlink(missing_ok=True)
    fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(fresh, path)


def _endorsement_path() -> Path:
    return Path(settings.EARMARK_SIGNING_KEY).with_suffix(".endorsement")


def endorsement() -> str:
    """The signature of the key this one replaced, vouching for it ("" for a first key)."""
    path = _endorsement_path()
    return path.read_text(encoding="ascii").strip() if path.exists() else ""


def rotate(path: Path, valid_from: datetime) -> str:
    """Replace the key at ``path`` with a new one, taking over at ``valid_from``. The old public
    key is kept (it still checks what it signed); the old private key signs the new one (the
    endorsement other provinces check before they trust it, kept beside the key) and is then
    overwritten. Returns the endorsement."""
    old = load_private(path)
    retired = path.parent / "retired"
    retired.mkdir(parents=True, exist_ok=True)
    (retired / f"{key_id(old.public_key())}.pub.pem").write_bytes(public_pem(old.public_key()))
    fresh = Ed25519PrivateKey.generate()
    signed = sign(endorsement_fields(public_raw(fresh.public_key()), valid_from), key=old)
    path.with_suffix(".endorsement").write_text(signed + "\n", encoding="ascii")
    _write_private(path, fresh)
    path.with_suffix(".pub.pem").write_bytes(public_pem(fresh.public_key()))
    return signed


def endorsement_fields(new_public_raw: str, valid_from: datetime) -> dict[str, Any]:
    """What an old key signs to vouch for the key that replaces it, from ``valid_from``."""
    return {
        "endorses": key_id_of(new_public_raw),
        "public_key": new_public_raw,
        "province": settings.EARMARK_PROVINCE_CODE,
        "valid_from": valid_from.isoformat(),
    }
