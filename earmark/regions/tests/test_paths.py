"""A region's full name, read in one query, is the same as walking up the tree."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from earmark.regions.models import Region
from earmark.regions.selectors import region_ancestors, region_paths


def _walked(region: Region) -> str:
    return "".join(r.name for r in [*region_ancestors(region=region), region])


def test_every_region_of_jilin_has_the_walked_path(db: None) -> None:
    regions = list(Region.objects.filter(code__startswith="22").select_related("parent"))
    assert len(regions) > 900
    paths = region_paths(codes=[r.code for r in regions])
    wrong = [r.code for r in regions if paths[r.code] != _walked(r)]
    assert wrong == []
    assert paths["220113102"] == "吉林省长春市九台区其塔木镇"


def test_two_places_cost_one_query(db: None) -> None:
    with CaptureQueriesContext(connection) as captured:
        paths = region_paths(codes=["220102001", "220113", ""])
    assert len(captured.captured_queries) == 1
    assert paths == {"220102001": "吉林省长春市南关区南岭街道", "220113": "吉林省长春市九台区"}


def test_a_region_whose_parent_is_not_in_its_code_is_walked_up(db: None) -> None:
    """A county placed under a city its code does not name (as after a redistricting)
    still reads in full, through the tree."""
    county = Region.objects.get(code="220113")
    county.parent_id = "220200"
    county.save(update_fields=["parent"])
    assert region_paths(codes=["220113102"]) == {"220113102": "吉林省吉林市九台区其塔木镇"}
