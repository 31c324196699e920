"""A slaughter batch: the ante-mortem check opens it and takes its animals from the
slaughterhouse's stock, certificate by certificate (never more than each brought in and still
waits); the post-mortem closes it with its findings by organ, what was slaughtered apart (急宰)
or condemned to harmless treatment (which reaches the disposal plant's records) and what it
produced. A notifiable finding blocks the batch and alerts the counties the animals came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.outbox import outbox_emit
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError
from earmark.core.sequences import sequence_take
from earmark.eartags.messages import format_ranges, tag_pairs
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises, StockChange
from earmark.movements.models import Alert, Death
from earmark.movements.services.alerts import alert_raise
from earmark.movements.services.slaughter import slaughter_record
from earmark.quarantine.models import Certificate
from earmark.slaughter.errors import BATCH_REFUSED, BATCH_WRONG_STATUS
from earmark.slaughter.models import BatchSource, Product, SlaughterBatch
from earmark.slaughter.selectors import batch_tags_received, tags_in_other_batches

# The post-mortem's findings, by what the rules have the vet inspect (同步检疫).
ORGANS = {
    "head": "头部及颌下淋巴结",
    "skin": "体表",
    "viscera": "内脏",
    "heart": "心脏",
    "liver": "肝脏",
    "spleen": "脾脏",
    "lungs": "肺脏",
    "kidneys": "肾脏",
    "carcass": "胴体",
    "trichina": "旋毛虫检验",
}


@dataclass(frozen=True)
class Source:
    certificate: str
    count: int


@dataclass(frozen=True)
class PostMortem:
    findings: dict[str, str] = field(default_factory=dict)
    emergency: int = 0
    condemned: int = 0
    condemned_tags: RangeSet = field(default_factory=RangeSet)
    condemned_kg: Decimal = Decimal(0)
    disposal_plant: Premises | None = None
    notifiable: str = ""
    quality_certificate: str = ""
    # (kind, quantity, weight in kg)
    products: list[tuple[str, int, Decimal]] = field(default_factory=list)


def _refuse(fields: dict[str, str]) -> BusinessError:
    return BusinessError(
        _("The slaughter batch could not be recorded."), code=BATCH_REFUSED, fields=fields
    )


def _check_sources(sources: list[Source], ante_result: str, ante_signs: str) -> None:
    problems = {}
    if not sources:
        problems["sources"] = _("Name the certificates the animals came in on.")
    elif len({s.certificate for s in sources}) != len(sources):
        problems["sources"] = _("Each certificate once.")
    elif any(not 1 <= s.count <= 100_000 for s in sources):
        problems["sources"] = _("Each certificate brings 1 to 100,000 animals to the batch.")
    if ante_result not in SlaughterBatch.Ante.values:
        problems["ante_result"] = _("Fit for slaughter, or suspect.")
    elif ante_result == SlaughterBatch.Ante.SUSPECT and not ante_signs.strip():
        problems["ante_signs"] = _("Describe the clinical signs seen.")
    if problems:
        raise _refuse(problems)


def _slaughtered(
    actor: User, slaughterhouse: Premises, certificate: str, count: int, batch: str
) -> StockChange:
    """The certificate's animals leave the stock for the batch; a refusal names the
    certificate whole (its own code kept), under the batch's sources."""
    try:
        return slaughter_record(
            actor=actor,
            slaughterhouse=slaughterhouse,
            certificate=certificate,
            count=count,
            note=f"屠宰批次 {batch}",
        )
    except BusinessError as error:
        raise BusinessError(
            error.message, code=error.code, fields={"sources": str(error.message)}
        ) from error


@transaction.atomic
def batch_open(
    *,
    actor: User,
    slaughterhouse: Premises,
    sources: list[Source],
    ante_result: str,
    ante_signs: str = "",
    tags: RangeSet | None = None,
) -> SlaughterBatch:
    """The ante-mortem check (宰前检查) of animals received on ``sources``: every animal is seen;
    they leave the slaughterhouse's stock for slaughter, certificate by certificate."""
    require_region(actor, slaughterhouse.township_id)
    require_role(actor, Role.OFFICIAL_VET)
    _check_sources(sources, ante_result, ante_signs)
    tags = tags or RangeSet()
    numbers = [s.certificate.strip() for s in sources]
    stray = tags.difference(batch_tags_received(slaughterhouse=slaughterhouse, numbers=numbers))
    if stray:
        raise _refuse(
            {
                "tags": _("Not recovered here on these certificates: %(ranges)s.")
                % {"ranges": format_ranges(stray)}
            }
        )
    count = sum(s.count for s in sources)
    if tags.count > count:
        raise _refuse({"tags": _("More tags than animals in the batch.")})
    today = timezone.localdate()
    number = (
        f"TZ{slaughterhouse.code}{today:%y}"
        f"{sequence_take(f'batch:{slaughterhouse.code}:{today.year}'):05d}"
    )
    changes = [
        _slaughtered(actor, slaughterhouse, certificate, source.count, number)
        for certificate, source in zip(numbers, sources, strict=True)
    ]
    species = {change.species for change in changes}
    if len(species) > 1:
        raise _refuse({"sources": _("One batch, one species.")})
    twice = tags.intersection(tags_in_other_batches(slaughterhouse=slaughterhouse))
    if twice:
        raise _refuse(
            {"tags": _("Already in another batch: %(ranges)s.") % {"ranges": format_ranges(twice)}}
        )
    batch = SlaughterBatch.objects.create(
        number=number,
        slaughterhouse=slaughterhouse,
        county_code=slaughterhouse.county_code,
        township_code=slaughterhouse.township_id,
        species=species.pop(),
        sources=[
            {"certificate": n, "count": s.count} for n, s in zip(numbers, sources, strict=True)
        ],
        count=count,
        tags=tags.as_lists(),
        ante_result=ante_result,
        ante_signs=ante_signs.strip()[:500],
        opened_by=actor,
        opened_at=timezone.now(),
    )
    BatchSource.objects.bulk_create(
        BatchSource(batch=batch, certificate=n, count=s.count)
        for n, s in zip(numbers, sources, strict=True)
    )
    audit_record(
        actor=actor,
        action="slaughter.batch_open",
        obj=batch,
        region_code=batch.township_code,
        details={"number": number, "count": count, "sources": batch.sources},
    )
    return batch


def _check_post(batch: SlaughterBatch, post: PostMortem) -> None:
    problems: dict[str, str] = {}
    unknown = set(post.findings) - set(ORGANS)
    if unknown:
        problems["findings"] = _("Unknown organs: %(names)s.") % {
            "names": "、".join(sorted(unknown))
        }
    if post.emergency + post.condemned > batch.count:
        problems["condemned"] = _("At most %(n)d animals in this batch.") % {"n": batch.count}
    if post.condemned and (
        post.disposal_plant is None or post.disposal_plant.kind != Premises.Kind.DISPOSAL
    ):
        problems["disposal_plant"] = _("Name the disposal plant that treats what is condemned.")
    if post.condemned and post.condemned_kg <= 0:
        problems["condemned_kg"] = _("Give the weight condemned, in kg.")
    if post.condemned_tags.difference(RangeSet.of(batch.tags)):
        problems["condemned_tags"] = _("Tags of this batch only.")
    kinds = [kind for kind, _q, _w in post.products]
    if post.notifiable.strip():
        if post.products:
            problems["products"] = _("A batch with a notifiable finding produces nothing.")
    elif not post.products:
        problems["products"] = _("Say what the batch produced.")
    elif len(set(kinds)) != len(kinds) or set(kinds) - set(Product.Kind.values):
        problems["products"] = _("Each kind of product once: carcasses, cuts, by-products.")
    elif any(quantity < 1 or weight <= 0 for _k, quantity, weight in post.products):
        problems["products"] = _("Each product with its quantity and its weight in kg.")
    if problems:
        raise _refuse(problems)


def alert_origins(actor: User, batch: SlaughterBatch, message: str) -> int:
    """The counties the batch's animals came from hear of ``message``, with each certificate's
    trace; answers how many alerts were raised."""
    numbers = [source["certificate"] for source in batch.sources]
    raised = 0
    for certificate in Certificate.objects.filter(number__in=numbers).select_related(
        "premises", "declaration"
    ):
        alert_raise(
            actor=actor,
            kind=Alert.Kind.DISEASE,
            certificate=certificate,
            message=message,
            extra={"batch": batch.number, "findings": batch.findings},
        )
        raised += 1
    return raised


@transaction.atomic
def batch_close(*, actor: User, batch: SlaughterBatch, post: PostMortem) -> SlaughterBatch:
    """The post-mortem inspection (同步检疫) of an open batch, once."""
    require_region(actor, batch.township_code)
    require_role(actor, Role.OFFICIAL_VET)
    batch = (
        SlaughterBatch.objects.select_for_update(of=("self",))
        .select_related("slaughterhouse")
        .get(pk=batch.pk)
    )
    if batch.status != SlaughterBatch.Status.OPEN:
        raise BusinessError(
            _("The post-mortem of batch %(number)s is recorded already.")
            % {"number": batch.number},
            code=BATCH_WRONG_STATUS,
        )
    _check_post(batch, post)
    batch.findings = {organ: text.strip()[:200] for organ, text in post.findings.items()}
    batch.emergency, batch.condemned = post.emergency, post.condemned
    batch.condemned_tags = post.condemned_tags.as_lists()
    batch.condemned_kg = post.condemned_kg if post.condemned else Decimal(0)
    batch.disposal_plant = post.disposal_plant if post.condemned else None
    batch.notifiable = post.notifiable.strip()[:100]
    batch.quality_certificate = post.quality_certificate.strip()[:40]
    batch.status = (
        SlaughterBatch.Status.BLOCKED if batch.notifiable else SlaughterBatch.Status.PASSED
    )
    batch.closed_by, batch.closed_at = actor, timezone.now()
    batch.save()
    Product.objects.bulk_create(
        Product(batch=batch, kind=kind, quantity=quantity, weight_kg=weight)
        for kind, quantity, weight in post.products
    )
    if batch.condemned:
        # To harmless treatment: the disposal plant sees it among what it has to confirm.
        Death.objects.create(
            premises=batch.slaughterhouse,
            county_code=batch.county_code,
            township_code=batch.township_code,
            species=batch.species,
            count=batch.condemned,
            tags=batch.condemned_tags,
            cause=f"宰后检疫不合格（屠宰批次 {batch.number}，{batch.condemned_kg} 千克）",
            disposal_plant=batch.disposal_plant,
            reported_by=actor,
        )
    if batch.notifiable:
        alert_origins(
            actor,
            batch,
            _("Post-mortem inspection of batch %(batch)s at %(place)s: %(finding)s")
            % {
                "batch": batch.number,
                "place": batch.slaughterhouse.name,
                "finding": batch.notifiable,
            },
        )
    outbox_emit(
        "slaughter.batch_inspected",
        f"batch:{batch.number}",
        {
            "batch": batch.number,
            "premises": batch.slaughterhouse.code,
            "species": batch.species,
            "count": batch.count,
            "sources": batch.sources,
            "tags": tag_pairs(RangeSet.of(batch.tags)),
            "emergency": batch.emergency,
            "condemned": batch.condemned,
            "result": batch.status,
            "products": [[k, q, str(w)] for k, q, w in post.products],
        },
    )
    audit_record(
        actor=actor,
        action="slaughter.batch_close",
        obj=batch,
        region_code=batch.township_code,
        details={"number": batch.number, "result": batch.status, "condemned": batch.condemned},
    )
    return batch
