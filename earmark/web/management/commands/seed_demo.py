from __future__ import annotations

from datetime import timedelta
from typing import Any

import time_machine
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from earmark.accounts.demo import DEMO_PASSWORD, seed_accounts
from earmark.accounts.models import User
from earmark.eartags.demo import seed_pliers, seed_tags
from earmark.exchange.demo import seed_held_events
from earmark.farms.demo import (
    seed_checkpoints,
    seed_dealers,
    seed_premises,
    seed_restriction,
    seed_vehicles,
)
from earmark.immunization.demo import seed_farm_vets, seed_immunizations
from earmark.movements.demo import seed_movements
from earmark.quarantine.demo import seed_declarations, seed_foreign_certificate
from earmark.regions.demo import DemoPlace, demo_place_choose
from earmark.regions.models import Region
from earmark.rollout.demo import (
    seed_bulletins,
    seed_organisation,
    seed_rollout,
    seed_supervision,
)
from earmark.slaughter.demo import seed_slaughter
from earmark.stocktakes.demo import seed_stocktakes
from earmark.trace.demo import seed_cases, seed_trace

# How long ago the demo county's farms and tags were registered.
HISTORY_DAYS = 220


class Command(BaseCommand):
    help = (
        "Seed the demo of the instance's province (EARMARK_PROVINCE_CODE) in one of its "
        "counties: every agency and station, one demo user per role, premises, tags, "
        "certificates and the rest (长春市九台区 for Jilin, 哈尔滨市双城区 for Heilongjiang). "
        "Idempotent. For demonstrations only: never run it in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            default=None,
            help="the instance's province code (it must be EARMARK_PROVINCE_CODE)",
        )
        parser.add_argument("--county", default="", help="the county the demo is set in")
        parser.add_argument(
            "--no-partner",
            action="store_true",
            help="leave out the other province the demo plays (its pinned key and "
            "certificate): for an instance that meets a real one",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        province = options["province"] or settings.EARMARK_PROVINCE_CODE
        if province != settings.EARMARK_PROVINCE_CODE:
            raise CommandError(
                f"this instance is of {settings.EARMARK_PROVINCE_CODE}: set "
                f"EARMARK_PROVINCE_CODE={province} to seed a demo of {province}"
            )
        county = options["county"]
        if (
            county
            and not Region.objects.filter(
                code=county, level=Region.Level.COUNTY, code__startswith=province[:2]
            ).exists()
        ):
            raise CommandError(f"{county} is no county of {province} loaded here")
        place = demo_place_choose(province, county)
        if not Region.objects.filter(code=place.county).exists():
            raise CommandError("load the regions first: earmark load_regions")
        self._seed(place, partner=not options["no_partner"])

    def _seed(self, place: DemoPlace, *, partner: bool) -> None:
        created = seed_accounts()
        if created:
            self.stdout.write(
                f"demo users created (password {DEMO_PASSWORD}): {', '.join(created)}"
            )
        if seed_rollout(province=User.objects.get(username="demo-province")):
            self.stdout.write(
                f"demo rollout: {place.county_name} enabled, {place.city_name}'s other counties "
                "at every step"
            )
        # The demo's history happens at its own times: the farms and the inventory months ago,
        # before the first vaccinations that use the tags; the rest today.
        with time_machine.travel(timezone.now() - timedelta(days=HISTORY_DAYS), tick=True):
            premises = seed_premises(county_officer=User.objects.get(username="demo-county"))
            inventory = seed_tags(
                province=User.objects.get(username="demo-province"),
                county_officer=User.objects.get(username="demo-county"),
                township_officer=User.objects.get(username="demo-township"),
                vaccinator=User.objects.get(username="demo-vaccinator"),
            )
        if premises:
            self.stdout.write(f"demo premises created: {premises}")
        if inventory:
            self.stdout.write("demo ear-tag inventory registered and issued")
        if seed_pliers(
            county_officer=User.objects.get(username="demo-county"),
            township_officer=User.objects.get(username="demo-township"),
            vaccinator=User.objects.get(username="demo-vaccinator"),
        ):
            self.stdout.write("demo ear-tag pliers registered and issued")
        if seed_vehicles(county_officer=User.objects.get(username="demo-county")):
            self.stdout.write("demo transport vehicles registered (one suspended)")
        if seed_checkpoints(
            province=User.objects.get(username="demo-province"),
            county_officer=User.objects.get(username="demo-county"),
        ):
            self.stdout.write("demo designated checkpoints registered, demo-checkpoint posted")
        if seed_dealers(county_officer=User.objects.get(username="demo-county")):
            self.stdout.write("demo livestock dealers registered (one suspended)")
        if seed_farm_vets(county_officer=User.objects.get(username="demo-county")):
            self.stdout.write("demo farm veterinarian approved for 宏达")
        if seed_immunizations(vaccinator=User.objects.get(username="demo-vaccinator")):
            self.stdout.write("demo immunizations recorded")
        if seed_declarations(
            township_officer=User.objects.get(username="demo-township"),
            vet=User.objects.get(username="demo-vet"),
        ):
            self.stdout.write("demo declarations and certificates created")
        if seed_movements(
            county_officer=User.objects.get(username="demo-county"),
            township_officer=User.objects.get(username="demo-township"),
            vet=User.objects.get(username="demo-vet"),
            vaccinator=User.objects.get(username="demo-vaccinator"),
            receiver=User.objects.get(username="demo-destination"),
        ):
            self.stdout.write("demo arrivals, slaughter, deaths and destruction recorded")
        if seed_stocktakes(vaccinator=User.objects.get(username="demo-vaccinator")):
            self.stdout.write("demo stocktakes: one matching, one awaiting the county")
        if seed_trace(
            county_officer=User.objects.get(username="demo-county"),
            township_officer=User.objects.get(username="demo-township"),
            vet=User.objects.get(username="demo-vet"),
        ):
            self.stdout.write("demo chain to trace and an open investigation created")
        if seed_slaughter(vet=User.objects.get(username="demo-vet")):
            self.stdout.write(
                "demo slaughterhouse day: two batches, one condemned pig, 产品A, 产品B and a split"
            )
        if seed_cases(county_officer=User.objects.get(username="demo-county")):
            self.stdout.write("demo violation cases: one open, one closed")
        if seed_supervision(
            province=User.objects.get(username="demo-province"),
            city=User.objects.get(username="demo-city"),
            county_officer=User.objects.get(username="demo-county"),
        ):
            self.stdout.write("demo progress reports (one late) and an inspection with open fixes")
        if seed_organisation(
            province=User.objects.get(username="demo-province"),
            county_officer=User.objects.get(username="demo-county"),
            township_officer=User.objects.get(username="demo-township"),
        ):
            self.stdout.write("demo leading groups, publicity, farmer and dealer training")
        if partner and seed_foreign_certificate():
            self.stdout.write(
                f"demo {place.partner} certificate on its way to {place.county_name}, with its key"
            )
        if partner and seed_held_events():
            self.stdout.write("demo platform entries set aside: a forged key, an unpinned signer")
        if seed_restriction(county_officer=User.objects.get(username="demo-county")):
            self.stdout.write("demo movement restriction placed on 孙玉芬's township")
        if seed_bulletins(
            province=User.objects.get(username="demo-province"),
            reviewer=User.objects.get(username="demo-province-review"),
        ):
            self.stdout.write("demo bulletins: last month's issued, this month's drafted")
        self.stdout.write(self.style.SUCCESS("demo data ready"))
