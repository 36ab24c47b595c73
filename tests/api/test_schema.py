"""The API describes itself: OpenAPI 3 at /api/v1/schema/, docs at /api/v1/docs/ with no CDN."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_lists_the_citizen_science_endpoints(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/v1/contributors/",
        "/api/v1/contributors/me/",
        "/api/v1/contributors/me/consents/",
        "/api/v1/readings/",
    ]:
        assert path in schema["paths"], path
    assert not [path for path in schema["paths"] if path.startswith("/api/v2/") or "admin" in path]
    assert "contributorToken" in schema["components"]["securitySchemes"]


def test_the_docs_page_loads_its_assets_from_this_site(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert not [source for source in sources if source.startswith(("http:", "https:", "//"))]
