from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from earmark.core import signing


class Command(BaseCommand):
    help = (
        "Verify a certificate offline: give the signed payload, the URL from its QR code, or an "
        "image of the QR code. Only the public key is needed (--public-key)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="payload, QR URL, or image file of the QR code")
        parser.add_argument("--public-key", type=Path, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        public = options["public_key"] or Path(settings.EARMARK_SIGNING_KEY).with_suffix(".pub.pem")
        if not public.exists():
            raise CommandError(f"no public key at {public}")
        payload = payload_from(options["source"])
        result = signing.verify(payload, public.read_bytes())
        if not result.ok:
            raise CommandError(f"NOT VALID: {result.reason}")
        self.stdout.write(self.style.SUCCESS("signature valid"))
        self.stdout.write(json.dumps(result.fields, ensure_ascii=False, indent=2, sort_keys=True))


def payload_from(source: str) -> str:
    """The payload itself, from a QR URL (its ``p`` parameter) or from an image of the code."""
    path = Path(source)
    if len(source) < 4096 and path.suffix.lower() in {".png", ".jpg", ".jpeg"} and path.exists():
        import zxingcpp
        from PIL import Image

        codes = zxingcpp.read_barcodes(
            Image.open(path), formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        )
        if not codes:
            raise CommandError(f"no QR code found in {path}")
        source = codes[0].text
    if source.startswith(("http://", "https://")):
        values = parse_qs(urlparse(source).query).get("p")
        if not values:
            raise CommandError("the URL carries no payload")
        return values[0]
    return source
