from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from earmark.core.codes import is_region_code, is_within
from earmark.core.errors import BusinessError, NotFound
from earmark.regions.errors import NOT_A_REGION_CODE
from earmark.regions.models import Region, RegionAlias


def region_get(*, code: str) -> Region:
    """A region by its code, or by a historical county code that now names another county."""
    if not is_region_code(code):
        raise BusinessError(
            _("%(code)s is not a region code.") % {"code": code}, code=NOT_A_REGION_CODE
        )
    region = Region.objects.select_related("parent__parent__parent").filter(code=code).first()
    if region is None:
        alias = (
            RegionAlias.objects.select_related("region__parent__parent__parent")
            .filter(code=code)
            .first()
        )
        if alias is None:
            raise NotFound(_("Region %(code)s does not exist.") % {"code": code})
        region = alias.region
    return region


def region_paths(*, codes: list[str]) -> dict[str, str]:
    """The full name of each region (province, city, county, township names run together)."""
    return {code: "".join(names) for code, names in region_names(codes=codes).items()}


def region_names(*, codes: list[str]) -> dict[str, list[str]]:
    """The names of each region and of those above it, province first, in one query: a
    region's ancestors are looked for among the codes its own code begins with, and only a
    region whose parent lies elsewhere costs a walk up the tree."""
    candidates = {
        prefix
        for code in codes
        if code
        for prefix in (code, code[:6], code[:4] + "00", code[:2] + "0000")
    }
    found = {r.code: r for r in Region.objects.filter(code__in=candidates)}
    paths: dict[str, list[str]] = {}
    for code in filter(None, codes):
        chain: list[Region] = []
        current = found.get(code)
        while current is not None:
            chain.append(current)
            parent = current.parent_id
            current = found.get(parent) if parent else None
            if parent and current is None:
                chain.extend(reversed(region_ancestors(region=chain[-1])))
                break
        paths[code] = [r.name for r in reversed(chain)]
    return paths


def region_children(*, code: str | None) -> QuerySet[Region]:
    """The regions directly below ``code``; the provinces when ``code`` is None."""
    if code is None:
        return Region.objects.filter(parent__isnull=True)
    parent = region_get(code=code)
    return Region.objects.filter(parent=parent)


def townships_of(*, county: str) -> QuerySet[Region]:
    """The townships of a county, in code order (none for an empty or unknown code)."""
    return Region.objects.filter(parent_id=county, level=Region.Level.TOWNSHIP).order_by("code")


def region_ancestors(*, region: Region) -> list[Region]:
    """The regions above ``region``, from the province down to its parent."""
    chain: list[Region] = []
    current = region.parent
    while current is not None:
        chain.append(current)
        current = current.parent
    return list(reversed(chain))


def region_is_within(*, code: str, jurisdiction: str) -> bool:
    """Whether ``code`` (or the county a historical code now names) lies within ``jurisdiction``."""
    try:
        region = region_get(code=code)
    except NotFound:
        return False
    return is_within(region.code, jurisdiction)


def region_aliases(*, region: Region) -> list[str]:
    return list(region.aliases.values_list("code", flat=True))


def counties_within(*, prefix: str) -> QuerySet[Region]:
    """The counties whose codes start with ``prefix`` (a jurisdiction's), in code order."""
    return Region.objects.filter(level=Region.Level.COUNTY, code__startswith=prefix).order_by(
        "code"
    )
