from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from earmark.exchange.simulator import Platform, serve


class Command(BaseCommand):
    help = (
        "Run a stand-in for the national traceability platform: it stores each event once per "
        "idempotency key, answers queries (GET /events, /stats) and fails on demand."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8100)
        parser.add_argument(
            "--fail-rate", type=float, default=0.0, help="share of requests refused"
        )
        parser.add_argument(
            "--down-until", default="", help="refuse every request until this local ISO time"
        )
        parser.add_argument(
            "--latency", type=float, default=0.0, help="seconds each request takes to answer"
        )
        parser.add_argument("--token", default="", help="the bearer token required, if any")
        parser.add_argument("--store", default="", help="a JSON Lines file keeping what arrived")

    def handle(self, *args: Any, **options: Any) -> None:
        platform = Platform(
            fail_rate=options["fail_rate"],
            latency=options["latency"],
            down_until=datetime.fromisoformat(options["down_until"])
            if options["down_until"]
            else None,
            token=options["token"],
            store=Path(options["store"]) if options["store"] else None,
        )
        server = serve(platform, options["host"], options["port"])
        self.stdout.write(
            f"national platform simulator on http://{options['host']}:{server.server_port}/ "
            f"(fail rate {platform.fail_rate}, {len(platform.events)} events stored)"
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
