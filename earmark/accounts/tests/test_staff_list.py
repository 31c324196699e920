from __future__ import annotations

from typing import Any

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.testing import assert_guarded, client_for


def test_staff_are_found_by_name_and_role_within_the_jurisdiction(
    county_officer: User, outsider: User, make_user: MakeUser
) -> None:
    make_user("220102001", (Role.VACCINATOR,), full_name="张防疫", vaccinator_number="11")
    make_user("220102002", (Role.TOWNSHIP_OFFICER,), full_name="张站长")
    make_user("220103002", (Role.VACCINATOR,), full_name="张邻县", vaccinator_number="11")
    client = client_for(county_officer)
    page = client.get("/staff/", {"q": "张"}).content.decode()
    assert "张防疫" in page
    assert "张站长" in page
    assert "张邻县" not in page
    vaccinators = client.get("/staff/", {"q": "张", "role": "vaccinator"}).content.decode()
    assert "张防疫" in vaccinators
    assert "张站长" not in vaccinators
    api = client.get("/api/v1/users", {"search": "张", "role": "vaccinator"}).json()
    assert [u["full_name"] for u in api["items"]] == ["张防疫"]
    assert_guarded("get", "/staff/?q=张", outsider=outsider, outsider_status=200)
    assert "张防疫" not in client_for(outsider).get("/staff/", {"q": "张"}).content.decode()


def test_the_staff_menu_is_for_supervisors_only(county_officer: User, make_user: MakeUser) -> None:
    assert "/staff/" in client_for(county_officer).get("/").content.decode()
    vet = make_user("220102", (Role.OFFICIAL_VET,))
    assert 'href="/staff/"' not in client_for(vet).get("/").content.decode()


def test_the_staff_list_costs_the_same_queries_for_many_people(
    county_officer: User, make_user: MakeUser, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        make_user("220102001", (Role.DESTINATION_STAFF,), username=f"many{n}")
    client = client_for(county_officer)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/users?limit=100").json()
    assert body["count"] == 31
    with django_assert_max_num_queries(10):
        page = client.get("/staff/").content.decode()
    assert "many29" in page
