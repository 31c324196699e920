from __future__ import annotations

from django.test import Client

from earmark.core.testing import get_answers, is_paginated


def test_the_openapi_document_describes_every_endpoint(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    for path, method in (
        ("/api/v1/regions", "get"),
        ("/api/v1/regions/{code}", "get"),
        ("/api/v1/me", "get"),
        ("/api/v1/agencies", "get"),
        ("/api/v1/users", "post"),
        ("/api/v1/tokens", "post"),
        ("/api/v1/tokens/{token_id}/revoke", "post"),
    ):
        assert method in paths[path], (path, method)
    schemes = document["components"]["securitySchemes"]
    assert {"BearerTokenAuth", "SessionAuth"} <= set(schemes)
    regions = paths["/api/v1/regions"]["get"]
    params = {p["name"] for p in regions["parameters"]}
    assert {"parent", "limit", "offset"} <= params


def test_the_docs_page_is_served_without_a_cdn(db: None) -> None:
    page = Client().get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_every_schema_has_a_name_of_its_own(db: None) -> None:
    """Two schemas of one name would share one component: a client would send the wrong body."""
    import importlib
    import pkgutil

    from ninja import Schema

    import earmark

    for module in pkgutil.iter_modules(earmark.__path__):
        if module.ispkg:
            try:
                importlib.import_module(f"earmark.{module.name}.api")
            except ModuleNotFoundError:
                continue
    names: dict[str, str] = {}
    clashes = []
    for schema in _subclasses(Schema):
        if not schema.__module__.startswith("earmark."):
            continue
        where = f"{schema.__module__}.{schema.__qualname__}"
        if schema.__name__ in names and names[schema.__name__] != where:
            clashes.append((names[schema.__name__], where))
        names[schema.__name__] = where
    assert clashes == []


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def test_every_error_is_documented_in_one_typed_shape(db: None) -> None:
    """A client generated from the document reads every error, of every operation, the same
    way: fields by name, then items by tag range or row."""
    document = Client().get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    detail = schemas["ErrorOut"]["properties"]["detail"]
    assert detail["$ref"] == "#/components/schemas/ErrorDetail"
    assert set(schemas["ErrorDetail"]["required"]) == {"fields", "items"}
    assert set(schemas["ErrorItem"]["required"]) == {"ref", "field", "count", "problems"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            errors = {s: r for s, r in operation["responses"].items() if s >= "400"}
            assert "400" in errors, (method, path)
            for status, response in errors.items():
                body = response["content"]["application/json"]
                assert body["schema"]["$ref"].endswith("/ErrorOut"), (method, path, status)
                # Each status lists the codes it answers, each described.
                assert response["x-error-codes"], (method, path, status)
                for code in response["x-error-codes"]:
                    assert f"`{code}`" in response["description"], (method, path, code)


def test_every_list_is_paginated_the_same_way(db: None) -> None:
    """No GET answers a bare array: every list takes ?limit= and ?offset= and answers
    {items, count}."""
    document = Client().get("/api/v1/openapi.json").json()
    bare = []
    paginated = 0
    for path, get, schema in get_answers(document):
        if schema.get("type") == "array":
            bare.append(path)
        elif is_paginated(schema):
            paginated += 1
            names = {p["name"] for p in get["parameters"]}
            assert {"limit", "offset"} <= names, path
    assert bare == []
    assert paginated >= 20


def test_every_operation_has_an_id_and_a_summary_written_for_people(db: None) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    ids: list[str] = []
    generated = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            ids.append(operation["operationId"])
            # django-ninja's fallback summary is the function name in title case.
            if operation["summary"] == operation["operationId"].replace("_", " ").title():
                generated.append(f"{method.upper()} {path}")
    assert len(ids) == len(set(ids)) > 100
    assert all(name.isidentifier() for name in ids)
    assert generated == []
