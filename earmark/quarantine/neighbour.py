"""Another province's Earmark as the national platform shows it to this one: its signing key and
the entries its certificates, revocations and alerts become. The demo plays Heilongjiang with
it, and the tests play both honest neighbours and hostile platforms (sign anything, unsigned
fields that lie)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from earmark.core import signing
from earmark.eartags.codes import format_tag


@dataclass
class Neighbour:
    province: str = "230000"
    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)

    @property
    def public(self) -> str:
        return signing.public_raw(self.key.public_key())

    @property
    def kid(self) -> str:
        return signing.key_id(self.key.public_key())

    @property
    def fingerprint(self) -> str:
        return signing.fingerprint(self.public)

    def key_entry(self, endorsement: str = "") -> dict[str, Any]:
        """Its key, as the platform answers ``/keys``."""
        return {
            "province": self.province,
            "kid": self.kid,
            "public_key": self.public,
            "valid_from": timezone.now().isoformat(),
            **({"endorsement": endorsement} if endorsement else {}),
        }

    def rotate(self, valid_from: datetime | None = None) -> dict[str, Any]:
        """A new key, signed by the one it replaces; the new key's entry."""
        old, self.key = self.key, Ed25519PrivateKey.generate()
        fields = {
            "endorses": self.kid,
            "public_key": self.public,
            "province": self.province,
            "valid_from": (valid_from or timezone.now()).isoformat(),
        }
        return self.key_entry(signing.sign(fields, key=old))

    def sign(self, fields: dict[str, Any]) -> str:
        return signing.sign(fields, key=self.key)

    def certificate(
        self,
        number: str,
        *,
        destination: str = "220102",
        quantity: int = 5,
        tags: tuple[tuple[int, int], ...] = ((123010200000001, 123010200000005),),
        species: str = "pig",
        purpose: str = "raising",
        issued: date | None = None,
        days: int = 2,
        origin: str = "黑龙江省哈尔滨市道里区兴旺养殖场",
        destination_name: str = "吉林省长春市南关区",
    ) -> dict[str, Any]:
        """A type A certificate for this province, as the platform answers ``/certificates``."""
        issued = issued or timezone.localdate()
        ranges = ",".join(f"{a:015d}-{b:015d}" if a != b else f"{a:015d}" for a, b in sorted(tags))
        payload = self.sign(
            {
                "v": 1,
                "n": number,
                "k": "A",
                "sp": species,
                "q": quantity,
                "o": f"{self.province[:2]}0102000017",
                "ot": f"{self.province[:2]}0102001",
                "d": destination,
                "pl": "黑A3K916",
                "i": issued.isoformat(),
                "u": (issued + timedelta(days=days)).isoformat(),
                "t": ranges,
            }
        )
        details = self.sign({"n": number, "pu": purpose, "on": origin, "dn": destination_name})
        return {
            "province": self.province,
            "number": number,
            "kind": "A",
            "species": species,
            "quantity": quantity,
            "purpose": purpose,
            "destination_province": f"{destination[:2]}0000",
            "origin": origin,
            "destination": destination_name,
            "tags": [[format_tag(a), format_tag(b)] for a, b in sorted(tags)],
            "payload": payload,
            "details": details,
        }

    def revocation(self, number: str, reason: str = "检疫后发现疫病") -> str:
        return self.sign(
            {"n": number, "p": self.province, "rv": reason, "ra": timezone.now().isoformat()}
        )

    def alert(
        self,
        certificate: str,
        problems: tuple[str, ...] = ("mismatch",),
        *,
        key: str = "alert-1",
        missing: tuple[tuple[int, int], ...] = (),
        extra: tuple[tuple[int, int], ...] = (),
    ) -> dict[str, Any]:
        """An alert about a certificate of this province, as the platform answers
        ``/alerts``."""
        signed = self.sign(
            {
                "c": certificate,
                "p": self.province,
                "pr": list(problems),
                "m": f"检疫证明 {certificate} 到达时发现问题",
                "pm": "哈尔滨市道里区兴旺养殖场",
                "at": timezone.now().isoformat(),
                "mi": [list(r) for r in missing],
                "ex": [list(r) for r in extra],
            }
        )
        return {
            "key": key,
            "payload": {
                "province": self.province,
                "origin_province": f"{certificate[:2]}0000",
                "certificate": certificate,
                "signed": signed,
            },
        }

    def receipt(
        self,
        certificate: str,
        *,
        key: str = "receipt-1",
        slaughter: bool = False,
        recovered: tuple[tuple[int, int], ...] = (),
    ) -> dict[str, Any]:
        """Its receipt of a certificate of this province — at a farm, or at a slaughterhouse
        with the tags it recovered — as the platform answers ``/receipts``."""
        signed = self.sign(
            {
                "n": certificate,
                "p": self.province,
                "pm": f"{self.province[:2]}0102000017",
                "at": timezone.now().isoformat(),
                "k": "slaughter" if slaughter else "arrival",
                "r": [list(r) for r in recovered],
            }
        )
        return {
            "key": key,
            "payload": {
                "number": certificate,
                "province": f"{certificate[:2]}0000",
                "signed": signed,
            },
        }

    def trace_question(
        self, certificates: list[str], *, to: str = "220000", key: str = ""
    ) -> dict[str, Any]:
        """Its investigation's question about certificates of this province, as the platform
        answers ``/trace-requests``."""
        today = timezone.localdate()
        fields = {
            "id": key or "6f1c1d6e-0000-4000-8000-000000000001",
            "p": self.province,
            "to": to,
            "i": f"DC{self.province[:2]}01022026{len(certificates):04d}",
            "c": certificates,
            "s": (today - timedelta(days=30)).isoformat(),
            "u": today.isoformat(),
            "h": 3,
        }
        return {"key": fields["id"], "payload": {"to": to, "signed": self.sign(fields)}}

    def trace_answer(
        self, key: str, farms: list[dict[str, Any]], *, to: str = "220000"
    ) -> dict[str, Any]:
        """Its answer to this province's question, as the platform answers ``/trace-answers``."""
        signed = self.sign({"id": key, "p": self.province, "to": to, "f": farms})
        return {"key": f"answer-{key}", "payload": {"to": to, "signed": signed}}
