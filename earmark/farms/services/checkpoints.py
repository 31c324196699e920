"""The province's register of designated checkpoints (指定通道, #17) and the officers posted at
each; checks there and type A certificates name them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from earmark.accounts.access import can_read_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.outbox import outbox_emit
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError, NotFound, invalid
from earmark.core.validators import FieldCheck
from earmark.farms.errors import CHECKPOINT_TAKEN, NOT_A_CHECKPOINT_OFFICER
from earmark.farms.models import Checkpoint
from earmark.regions.models import Region


@dataclass(frozen=True)
class CheckpointData:
    code: str
    name: str
    road: str
    county: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@transaction.atomic
def checkpoint_register(*, actor: User, data: CheckpointData) -> Checkpoint:
    """The province registers a designated checkpoint in one of its counties."""
    require_role(actor, Role.PROVINCE_ADMIN)
    check = FieldCheck()
    code = check.text("code", data.code, 20, missing=_("Enter the checkpoint's code."))
    name = check.text("name", data.name, 100, missing=_("Name the checkpoint."))
    road = check.text("road", data.road, 100, missing=_("Name the road."))
    errors = check.problems
    county = Region.objects.filter(code=data.county, level=Region.Level.COUNTY).first()
    if county is None or not can_read_region(actor, county.code):
        errors["county"] = _("Choose a county of your jurisdiction.")
    if (data.latitude is None) != (data.longitude is None) or (
        data.latitude is not None
        and data.longitude is not None
        and not (-90 <= data.latitude <= 90 and -180 <= data.longitude <= 180)
    ):
        errors["latitude"] = _("Give both coordinates, in degrees, or neither.")
    if errors:
        raise invalid(_("The checkpoint was not registered."), errors)
    assert county is not None
    site: Region = county
    duplicate = (
        Checkpoint.objects.filter(code=code).exists()
        or Checkpoint.objects.filter(name=name).exists()
    )
    if duplicate:
        raise BusinessError(code=CHECKPOINT_TAKEN)
    try:
        with transaction.atomic():
            checkpoint = Checkpoint.objects.create(
                code=code or "",
                name=name or "",
                road=road or "",
                county=site,
                latitude=data.latitude,
                longitude=data.longitude,
                created_by=actor,
            )
    except IntegrityError as error:
        raise BusinessError(code=CHECKPOINT_TAKEN) from error
    outbox_emit(
        "checkpoint.registered",
        f"checkpoint:{checkpoint.code}",
        {
            "code": checkpoint.code,
            "name": checkpoint.name,
            "road": checkpoint.road,
            "county": checkpoint.county_id,
            "latitude": checkpoint.latitude,
            "longitude": checkpoint.longitude,
        },
    )
    audit_record(
        actor=actor,
        action="checkpoint.register",
        obj=checkpoint,
        region_code=site.code,
        details={"code": checkpoint.code, "name": checkpoint.name},
    )
    return checkpoint


@transaction.atomic
def checkpoint_post(*, actor: User, checkpoint: Checkpoint, username: str) -> Checkpoint:
    """The province, or the checkpoint's county, posts a checkpoint officer of that county at
    the checkpoint; an officer works at one checkpoint at a time."""
    require_role(actor, Role.PROVINCE_ADMIN, Role.COUNTY_OFFICER)
    if not can_read_region(actor, checkpoint.county_id):
        raise NotFound(_("Not a checkpoint of your jurisdiction."))
    officer = User.objects.filter(username=username.strip(), is_active=True).first()
    if (
        officer is None
        or not officer.has_role(Role.CHECKPOINT_OFFICER)
        or officer.region_code != checkpoint.county_id
    ):
        message = _("No active checkpoint officer of %(county)s with this user name.") % {
            "county": checkpoint.county.name
        }
        raise BusinessError(message, code=NOT_A_CHECKPOINT_OFFICER, fields={"username": message})
    for other in officer.checkpoint_posts.exclude(pk=checkpoint.pk):
        other.officers.remove(officer)
    checkpoint.officers.add(officer)
    audit_record(
        actor=actor,
        action="checkpoint.post",
        obj=checkpoint,
        region_code=checkpoint.county_id,
        details={"officer": officer.username},
    )
    return checkpoint
