"""No write endpoint of the published API crashes on junk.

Every POST/PUT/PATCH operation in ``/api/schema/`` is called, as the supervision office
and as a unit reporter, with each junk value in every property of its request body; a
server error fails the test. Ids beyond 64 bits, for one, crash SQLite if they reach a
query.
"""

import re

import pytest
from rest_framework.test import APIClient

from taizhang.core.testing import make_project
from taizhang.ledger import services as ledger_services

JUNK = [None, "", "abc", -1, 10**23, 1e308, [], {}, "2026-02-30", "<b>'\"" * 400]


@pytest.mark.parametrize("role", ["supervisor", "reporter_a"])
def test_no_write_endpoint_crashes_on_junk(world, role):
    make_project(world.district, world.dept_a, name="测试项目")
    ledger_services.whistle_raise(actor=world.reporter_a, item=world.project_a, problem="需协调", units=[world.dept_b])
    client = APIClient()
    client.force_authenticate(getattr(world, role))
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]
    crashed, calls = [], 0
    for path, operations in schema["paths"].items():
        for method in ("post", "put", "patch"):
            if method not in operations:
                continue
            url = re.sub(r"\{[^}]+\}", "1", path)  # the first row of each kind exists
            content = operations[method].get("requestBody", {}).get("content", {})
            ref = next(iter(content.values()), {}).get("schema", {}).get("$ref", "")
            properties = components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}) or {"x": {}}
            for junk in JUNK:
                calls += 1
                response = getattr(client, method)(url, dict.fromkeys(properties, junk), format="json")
                if response.status_code >= 500:
                    crashed.append(f"{method.upper()} {url} ← {junk!r:.20}")
    assert calls > 50 and crashed == []
