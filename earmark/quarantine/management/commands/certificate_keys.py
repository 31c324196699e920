from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from earmark.core import signing
from earmark.quarantine.services.province_keys import signing_key_publish


class Command(BaseCommand):
    help = (
        "Create the province's Ed25519 key pair that signs certificate QR codes, at "
        "EARMARK_SIGNING_KEY (the public key goes next to it as .pub.pem); with --rotate, "
        "replace it: the old key signs the new one for other provinces and keeps verifying "
        "the certificates it signed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-missing", action="store_true", help="do nothing if a key exists")
        parser.add_argument(
            "--path", type=Path, default=None, help="where to write the private key"
        )
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="replace the key in use with a new one, signed by the old one",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"] or Path(settings.EARMARK_SIGNING_KEY)
        if options["rotate"]:
            self._rotate(path)
            return
        if path.exists():
            if options["if_missing"]:
                self.stdout.write(f"signing key present: {path}")
                self._publish(path)
                return
            raise CommandError(f"{path} exists; move it away first to make a new key")
        public = signing.generate(path)
        self.stdout.write(
            self.style.SUCCESS(f"private key {path} (keep it secret), public key {public}")
        )
        self._publish(path)

    def _rotate(self, path: Path) -> None:
        if not path.exists():
            raise CommandError(f"no key at {path} to rotate: run `earmark certificate_keys`")
        old = signing.key_id(signing.load_private(path).public_key())
        signing.rotate(path, timezone.now())
        public = signing.load_private(path).public_key()
        self.stdout.write(
            self.style.SUCCESS(
                f"key {old} retired (it keeps verifying what it signed); "
                f"key {signing.key_id(public)} in use"
            )
        )
        self.stdout.write(f"fingerprint {signing.fingerprint(signing.public_raw(public))}")
        self._publish(path)

    def _publish(self, path: Path) -> None:
        """The key in use goes to the platform once (through the outbox), for other provinces."""
        if path == Path(settings.EARMARK_SIGNING_KEY) and signing_key_publish():
            self.stdout.write("public key queued for the national platform")
