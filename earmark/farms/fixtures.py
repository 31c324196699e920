"""pytest fixtures for premises, made through the real services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.farms.models import Checkpoint, Premises
from earmark.farms.services.checkpoints import CheckpointData, checkpoint_register
from earmark.farms.services.registration import PremisesData, premises_register

MakePremises = Callable[..., Premises]


@pytest.fixture
def make_premises(jilin: None) -> MakePremises:
    """``make_premises(township="220102001", stock={"pig": 10}, ...)``, complete by default."""

    counter = iter(range(1, 10_000))

    def make(township: str = "220102001", **fields: Any) -> Premises:
        n = next(counter)
        values: dict[str, Any] = {
            "kind": "farm",
            "name": f"测试养殖场{n}",
            "owner_name": "王五",
            "phone": "13800000000",
            "address": "一村一社",
            "stock": {"pig": 100},
            **fields,
        }
        return premises_register(actor=None, data=PremisesData(township=township, **values))

    return make


@pytest.fixture
def township_officer(make_user: MakeUser) -> User:
    """A township officer of 南岭街道 (220102001), in 南关区."""
    return make_user("220102001", (Role.TOWNSHIP_OFFICER,), username="nanling-station")


@pytest.fixture
def designated_checkpoint(province_admin: User) -> Checkpoint:
    """拉林河检查站 (JL-ZD-001) on the road to Heilongjiang, in 榆树市."""
    return checkpoint_register(
        actor=province_admin,
        data=CheckpointData(
            code="JL-ZD-001", name="拉林河检查站", road="G1 京哈高速", county="220182"
        ),
    )
