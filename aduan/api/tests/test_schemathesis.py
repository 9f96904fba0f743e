"""Property-based API tests: schemathesis generates requests from `/api/v1/openapi.json` for the
public and complainant operations and checks, against the live server, that none answers with
a server error and that every response matches the documented schema (status, content type,
body). Bounded: 25 examples per operation, no deadline (issue 6)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis.specs.openapi import checks

from aduan.api.v1 import api

pytestmark = pytest.mark.django_db(transaction=True)


def _document() -> dict[str, Any]:
    return json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))


# The document the live server serves at /api/v1/openapi.json (checked to be the same below).
schema = schemathesis.openapi.from_dict(_document()).include(tag=["public", "complainant"])


@pytest.fixture(autouse=True)
def _generous_limits(settings: Any) -> None:
    # Generated requests are many; the rate limits are tested in test_*_api.py.
    settings.ADUAN_API_SUBMIT_LIMIT = 10_000


def test_served_document_is_the_tested_one(live_server: Any) -> None:
    import requests

    served = requests.get(f"{live_server.url}/api/v1/openapi.json", timeout=10).json()
    assert served == _document()


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case: Any, ref: Any, live_server: Any) -> None:
    # A JSON Schema cannot say "a cursor this server signed" or "a region code that exists":
    # such schema-valid requests are refused with a documented 400 problem, which is right.
    case.call_and_validate(
        base_url=live_server.url, excluded_checks=[checks.positive_data_acceptance]
    )
