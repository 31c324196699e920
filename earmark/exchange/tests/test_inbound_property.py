"""Poison never spreads (#30): whatever the platform answers — JSON of any shape, or payloads
signed with a trusted key but hostile inside — the pull goes on, the worker keeps delivering,
and nothing stored breaks the rules a stored certificate, key or alert keeps."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from earmark.audit.models import OutboxEvent
from earmark.core import signing
from earmark.core.species import species_known
from earmark.exchange.models import HeldEvent
from earmark.exchange.worker import run
from earmark.movements.models import Alert
from earmark.quarantine.models import ForeignCertificate, ProvinceKey
from earmark.quarantine.neighbour import Neighbour

# JSON as another system may send it: any nesting, numbers of any size, any text.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
# Values a hostile signer may put in a field that should hold something narrow.
field_values = st.one_of(
    json_values,
    st.from_regex(r"[0-9]{6,15}", fullmatch=True),
    st.integers(min_value=-5, max_value=10**22),
    st.integers(min_value=-2, max_value=200_000),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)).map(date.isoformat),
    st.sampled_from(["pig", "cattle", "sheep", "A", "B", "220102", "230000", "<script>"]),
    st.from_regex(r"[0-9]{15}(-[0-9]{15})?(,[0-9]{15}(-[0-9]{15})?){0,3}", fullmatch=True),
)
SIGNED_FIELDS = ("n", "k", "sp", "q", "o", "d", "i", "u", "t", "td")
# One field made hostile, or a few at a time; the rest as an honest issuer signs them.
certificate_fields = st.one_of(
    st.builds(lambda name, value: {name: value}, st.sampled_from(SIGNED_FIELDS), field_values),
    st.dictionaries(st.sampled_from(SIGNED_FIELDS), field_values, max_size=3),
)
NOTHING = {"keys": None, "certificates": [], "alerts": None}
_serials = itertools.count(1)


def _hostile_certificate(neighbour: Neighbour, fields: dict[str, Any], extra: Any) -> Any:
    """A certificate whose signed fields are hostile, with whatever unsigned fields beside."""
    base = neighbour.certificate(f"2312{next(_serials):08d}")
    body = signing.payload_fields(base["payload"])
    body.pop("kid")
    # Only what is signed, so that the signed fields alone decide; then any unsigned ones.
    entry = {"payload": neighbour.sign(body | fields), "details": base["details"]}
    return entry | extra if isinstance(extra, dict) else entry


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# What once stopped every pull or crashed the worker (#30), and the edges of each bound.
@example(NOTHING, [({"q": "abc"}, None), ({"q": 10**20}, None), ({"q": 0}, None)])
@example(NOTHING, [({"q": 100_001}, None), ({"q": True}, None), ({"t": "1-2"}, None)])
@example(NOTHING, [({"i": "2026-02-30"}, None), ({"u": "2099-01-01"}, None), ({"d": "2301"}, None)])
@example(NOTHING, [({"td": "0" * 32}, {"tags": [[1, 10**16]]}), ({"n": "221260000001"}, {})])
@given(
    answers=st.fixed_dictionaries(
        {"keys": json_values, "certificates": json_values, "alerts": json_values}
    ),
    signed=st.lists(st.tuples(certificate_fields, json_values), max_size=4),
)
def test_the_inbound_side_takes_only_what_holds_and_keeps_going(
    heilongjiang: Neighbour, certified: Any, answers: dict[str, Any], signed: list[Any]
) -> None:
    hostile = [_hostile_certificate(heilongjiang, fields, extra) for fields, extra in signed]
    shape = {
        "/keys": {"keys": answers["keys"]},
        "/certificates": {
            "certificates": [
                *hostile,
                *(
                    answers["certificates"]
                    if isinstance(answers["certificates"], list)
                    else [answers["certificates"]]
                ),
            ]
        },
        "/alerts": answers["alerts"],
    }
    OutboxEvent.objects.update(status=OutboxEvent.Status.PENDING, attempts=0)
    sent: list[Any] = []
    delivered = run(once=True, send=sent.append, fetch=lambda path: shape[path.partition("?")[0]])
    # Delivery went on, whatever came in.
    assert delivered == OutboxEvent.objects.count()
    for certificate in ForeignCertificate.objects.select_related("key"):
        assert certificate.key is not None and certificate.key.trusted
        assert signing.verify_raw(certificate.payload, certificate.key.public_key).ok
        assert len(certificate.number) == 12 and certificate.number.startswith("231")
        assert 1 <= certificate.quantity <= 100_000
        assert species_known(certificate.species)
        assert 0 <= (certificate.valid_until - certificate.valid_from).days <= 30
        assert all(
            isinstance(a, int) and isinstance(b, int) and 0 < a <= b < 10**15
            for a, b in certificate.tags
        )
    # Only the pinned key is trusted; the platform added none.
    assert list(ProvinceKey.objects.filter(status="trusted").values_list("kid", flat=True)) == [
        heilongjiang.kid
    ]
    assert not Alert.objects.exclude(kind=Alert.Kind.PLATFORM).exists()
    for held in HeldEvent.objects.all():
        assert len(held.body) <= 16_000 and "\x00" not in held.reference + held.detail
