from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earmark.accounts.models import User
from earmark.accounts.tokens import token_create
from earmark.core.errors import BusinessError


class Command(BaseCommand):
    help = "Create an API bearer token for a user's device and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="the device, e.g. '其塔木镇 terminal 3'")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no such user: {options['username']}")
        try:
            token, raw = token_create(actor=None, user=user, name=options["name"])
        except BusinessError as error:
            raise CommandError(str(error.message)) from error
        self.stderr.write(
            f"token {token.prefix} for {user.username} ({token.name}); shown only once:"
        )
        self.stdout.write(raw)
