from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from earmark.accounts.access import farm_vet_only
from earmark.accounts.models import Role, User

# Who counts animals on premises (the stocktake, 盘点).
STOCKTAKERS = (Role.VACCINATOR, Role.OFFICIAL_VET, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu of the signed-in user; each later module adds its entries for its roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.agency_id is None:
        return {"nav_items": [], "offline_pages": []}
    if farm_vet_only(user):
        # A farm's own veterinarian has the immunization form and nothing else (art. 13).
        return {
            "nav_items": [
                (_("Immunize"), reverse("immunize")),
                (_("Outbox"), reverse("outbox")),
                (_("My account"), reverse("account")),
            ],
            "offline_pages": offline_pages(user),
        }
    items = [
        (_("Home"), reverse("home")),
        (_("Jurisdiction"), reverse("region-detail", args=[user.agency.region_id])),
        (_("Premises"), reverse("premises-list")),
        (_("Ear tags"), reverse("tags-inventory")),
        (_("Trace"), reverse("trace-search")),
        (_("My agency"), reverse("agency-detail", args=[user.agency_id])),
    ]
    if user.has_role(
        Role.TOWNSHIP_OFFICER, Role.OFFICIAL_VET, Role.COUNTY_OFFICER, Role.DESTINATION_STAFF
    ):
        items.insert(1, (_("Certificates"), reverse("certificate-list")))
    if user.has_role(Role.TOWNSHIP_OFFICER, Role.OFFICIAL_VET, Role.COUNTY_OFFICER):
        items.insert(1, (_("Quarantine"), reverse("quarantine-queue")))
    if user.has_role(Role.VACCINATOR):
        items.insert(1, (_("Immunize"), reverse("immunize")))
    if user.has_role(Role.CHECKPOINT_OFFICER):
        items.insert(1, (_("Checkpoint"), reverse("checkpoint")))
    if user.has_role(Role.DESTINATION_STAFF, Role.TOWNSHIP_OFFICER):
        items.insert(1, (_("Arrivals"), reverse("receive-arrival")))
    if user.has_role(Role.OFFICIAL_VET):
        items.insert(1, (_("Slaughter inspection"), reverse("receive-slaughter")))
    if user.has_role(*STOCKTAKERS):
        items.append((_("Stocktake"), reverse("stocktakes")))
    if user.has_role(Role.COUNTY_OFFICER, Role.OFFICIAL_VET):
        items.append((_("Alerts"), reverse("alerts")))
    if user.has_role(Role.COUNTY_OFFICER):
        items.append((_("Tag destruction"), reverse("tags-destruction")))
    if user.has_role(Role.COUNTY_OFFICER, Role.CITY_OFFICER, Role.PROVINCE_ADMIN):
        items.append((_("Movement restrictions"), reverse("restrictions")))
    if user.has_role(
        Role.COUNTY_OFFICER, Role.CITY_OFFICER, Role.PROVINCE_ADMIN, Role.OFFICIAL_VET
    ):
        items.append((_("Anomalies"), reverse("anomalies")))
    if user.has_role(Role.PROVINCE_ADMIN, Role.CITY_OFFICER, Role.COUNTY_OFFICER):
        items.append((_("Rollout"), reverse("rollout")))
    items.append((_("Vaccines"), reverse("vaccines")))
    if user.has_role(Role.PROVINCE_ADMIN, Role.CITY_OFFICER, Role.COUNTY_OFFICER):
        items.append((_("Staff"), reverse("staff-list")))
    if user.has_role(Role.PROVINCE_ADMIN):
        items.append((_("Species followed"), reverse("species")))
        items.append((_("Data sharing"), reverse("exchange-status")))
        items.append((_("API documentation"), reverse("api-docs")))
    items.append((_("Outbox"), reverse("outbox")))
    items.append((_("My account"), reverse("account")))
    return {"nav_items": items, "offline_pages": offline_pages(user)}


def offline_pages(user: User) -> list[str]:
    """The pages of the user's field work, kept on the device once signed in so that they open
    with no connection even if they were never opened on it before."""
    pages = [reverse("home"), reverse("outbox")]
    if user.has_role(Role.VACCINATOR, Role.FARM_VET):
        pages.append(reverse("immunize"))
    if user.has_role(Role.CHECKPOINT_OFFICER):
        pages.append(reverse("checkpoint"))
    if user.has_role(Role.DESTINATION_STAFF, Role.TOWNSHIP_OFFICER):
        pages.append(reverse("receive-arrival"))
    if user.has_role(Role.OFFICIAL_VET):
        pages += [reverse("receive-slaughter"), reverse("slaughter-batch-new")]
    if user.has_role(*STOCKTAKERS):
        pages.append(reverse("stocktake-new"))
    return pages
