"""Another province's type A certificate is told to its destination before the truck arrives
(#30, as TRACES pre-notifies): among the 待接收 of the county it goes to — the county or township
its issuer signed, else the one county its signed address names — until it is received,
revoked or expired."""

from __future__ import annotations

from typing import Any

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role
from earmark.core.testing import client_for
from earmark.quarantine.models import ForeignCertificate
from earmark.quarantine.neighbour import Neighbour
from earmark.quarantine.services.foreign import foreign_certificates_store


def test_the_destination_county_sees_it_coming(
    heilongjiang: Neighbour, make_user: MakeUser, make_premises: Any
) -> None:
    foreign_certificates_store(
        [
            # Signed for the province only, to an address in 南关区.
            heilongjiang.certificate(
                "231260000500",
                destination="220000",
                destination_name="吉林省长春市南关区南岭街道育肥场",
            ),
            # Signed for 宽城区, for slaughter.
            heilongjiang.certificate(
                "231260000501",
                destination="220103",
                purpose="slaughter",
                tags=((123010200000101, 123010200000105),),
            ),
            # An address that names no county: nobody is told but the province.
            heilongjiang.certificate(
                "231260000502",
                destination="220000",
                destination_name="吉林省某地",
                tags=((123010200000201, 123010200000205),),
            ),
        ]
    )
    regions = dict(ForeignCertificate.objects.values_list("number", "destination_region"))
    assert regions == {"231260000500": "220102", "231260000501": "220103", "231260000502": ""}
    nanguan = client_for(make_user("220102", (Role.DESTINATION_STAFF,), username="nanguan-rcv"))
    kuancheng = client_for(make_user("220103", (Role.OFFICIAL_VET,), username="kuancheng-vet"))
    home = nanguan.get("/").content.decode()
    assert 'data-foreign="231260000500"' in home and "231260000501" not in home
    arrivals = nanguan.get("/receive/arrival").content.decode()
    assert 'data-foreign="231260000500"' in arrivals
    assert "231260000500" not in kuancheng.get("/receive/slaughter").content.decode()
    assert 'data-foreign="231260000501"' in kuancheng.get("/receive/slaughter").content.decode()
    # Received, it is no longer on its way.
    farm = make_premises(name="南岭育肥场", stock={"pig": 0})
    received = nanguan.post(
        "/api/v1/foreign-arrivals",
        {
            "certificate": "231260000500",
            "premises": farm.code,
            "tags": "123010200000001-123010200000005",
        },
        content_type="application/json",
    )
    assert received.status_code == 201, received.json()
    assert "231260000500" not in nanguan.get("/").content.decode()
