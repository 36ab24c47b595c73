"""The API describes itself: OpenAPI 3 at /api/v1/schema/, docs at /api/v1/docs/ with no CDN."""

import re
from pathlib import Path

import pytest
import yaml

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


COMMITTED_SCHEMA = Path(__file__).resolve().parents[2] / "api" / "openapi.yaml"


def test_the_committed_schema_is_the_live_one(client):
    """api/openapi.yaml is what clients generate code from: it must match the running API.

    When this fails, run `make schema` and commit the result with the change to the API.
    """
    live = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert live.status_code == 200
    committed = yaml.safe_load(COMMITTED_SCHEMA.read_text(encoding="utf-8"))
    assert yaml.safe_load(live.content) == committed, (
        "Run `make schema` and commit api/openapi.yaml"
    )


def test_every_api_endpoint_is_in_the_schema_with_its_errors():
    from django.urls import get_resolver

    schema = yaml.safe_load(COMMITTED_SCHEMA.read_text(encoding="utf-8"))
    routes = {
        "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        for pattern in get_resolver("api.urls").url_patterns
        if str(pattern.pattern) not in ("schema/", "docs/", r"^[\s\S]*$")
    }
    assert routes == set(schema["paths"])
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert codes & {"200", "201"}, (path, method)
            # Anything that takes input says what a bad one gets.
            takes_input = operation.get("parameters") or operation.get("requestBody")
            if takes_input:
                assert codes & {"400", "404"}, (path, method)
