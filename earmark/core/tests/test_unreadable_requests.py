"""What cannot be read is refused in the one error shape, saying what is wrong with it: a body
that is not JSON, a file that is empty or in an unknown encoding, too many entries at once, a
value the database cannot keep."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError

from earmark.accounts.models import User
from earmark.core.testing import client_for


def _file(content: bytes, name: str = "export.csv") -> dict[str, Any]:
    return {"file": SimpleUploadedFile(name, content)}


def test_a_body_that_is_not_json_is_a_bad_request(county_officer: User) -> None:
    answer = client_for(county_officer).post(
        "/api/v1/users", "{not json", content_type="application/json"
    )
    assert (answer.status_code, answer.json()["code"]) == (400, "bad_request")
    assert answer.json()["message"] == "无法读取请求（表单或文件）。"


def test_an_empty_file_and_one_in_an_unknown_encoding_say_so(county_officer: User) -> None:
    client = client_for(county_officer)
    empty = client.post("/api/v1/baseinfo-syncs", _file(b""))
    assert (empty.status_code, empty.json()["code"]) == (400, "empty_file")
    assert empty.json()["message"] == "文件为空。"
    garbled = client.post("/api/v1/baseinfo-syncs", _file(b"\xff\xfe\x80\x80"))
    assert (garbled.status_code, garbled.json()["code"]) == (400, "unreadable_text")
    assert "UTF-8" in garbled.json()["message"]


def test_more_entries_than_one_request_takes_are_refused_before_any_work(
    county_officer: User,
) -> None:
    serials = [f"QZ-{n:04d}" for n in range(501)]
    answer = client_for(county_officer).post(
        "/api/v1/pliers", {"serials": serials}, content_type="application/json"
    )
    assert (answer.status_code, answer.json()["code"]) == (400, "too_many_items")
    assert answer.json()["message"] == "每次最多 500 把耳标钳。"


def test_a_value_the_database_cannot_keep_is_refused_not_a_server_error(
    county_officer: User,
) -> None:
    # Every rule should catch such a value first; this is the last line behind them.
    with patch(
        "earmark.farms.api.premises.selectors.premises_list",
        side_effect=DataError("value too long for type character varying(200)"),
    ):
        answer = client_for(county_officer).get("/api/v1/premises")
    assert (answer.status_code, answer.json()["code"]) == (400, "out_of_range")
    assert answer.json()["detail"] == {"fields": {}, "items": []}
