from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earmark.accounts.models import ApiToken
from earmark.accounts.tokens import token_revoke


class Command(BaseCommand):
    help = "Revoke an API token by its prefix (the middle part of the token)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        token = ApiToken.objects.select_related("user").filter(prefix=options["prefix"]).first()
        if token is None:
            raise CommandError(f"no such token: {options['prefix']}")
        token_revoke(actor=None, token=token)
        self.stdout.write(self.style.SUCCESS(f"token {token.prefix} ({token.name}) revoked"))
