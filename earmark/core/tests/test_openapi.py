from __future__ import annotations

from django.test import Client


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
        ("/api/v1/tokens/{token_id}", "delete"),
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
