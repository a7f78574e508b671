"""The OpenAPI schema generates cleanly and documents the ledger and org endpoints."""

import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

PATHS = {
    "/api/projects/": {"get", "post"},
    "/api/projects/{id}/": {"get", "put", "patch"},
    "/api/projects/{id}/reports/": {"get", "post"},
    "/api/projects/{id}/history/": {"get"},
    "/api/tasks/": {"get", "post"},
    "/api/tasks/{id}/": {"get", "put", "patch"},
    "/api/tasks/{id}/reports/": {"get", "post"},
    "/api/tasks/{id}/history/": {"get"},
    "/api/whistles/": {"get", "post"},
    "/api/whistles/{id}/": {"get"},
    "/api/whistles/{id}/respond/": {"post"},
    "/api/units/": {"get"},
    "/api/units/{id}/": {"get"},
    "/api/people/": {"get"},
    "/api/people/{id}/": {"get"},
    "/api/token/": {"post"},
}


def test_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    # Raises SchemaGenerationError on any warning, and validates against the OpenAPI spec.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    for path, methods in PATHS.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), path
    patch = schema["paths"]["/api/projects/{id}/"]["patch"]
    assert {"200", "400", "403", "404", "409", "428"} <= set(patch["responses"])
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"])
    listing = schema["paths"]["/api/projects/"]["get"]
    assert {"q", "unit", "leader", "phase", "status", "overdue", "category", "year", "mine"} <= {
        p["name"] for p in listing["parameters"]
    }
    report_post = schema["paths"]["/api/projects/{id}/reports/"]["post"]
    assert "multipart/form-data" in report_post["requestBody"]["content"]


def test_schema_and_docs_are_served_offline(db):
    client = APIClient()
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/projects/{id}/" in response.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in html
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
