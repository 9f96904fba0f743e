"""Property-based tests of the staff and integrator operations (issue 6): schemathesis
generates requests from `/api/v1/openapi.json` and sends them to the live server with an
admin's token and an integrator's key: no server error, every response as documented
(status, content type, body). Bounded: 15 examples per operation, no deadline."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks

from aduan.accounts.roles import Role
from aduan.api import keys
from aduan.api.models import ApiKey, Scope
from aduan.api.tests.staff_helpers import token_for
from aduan.api.tests.test_schemathesis import _document
from aduan.complaints.tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

schema = schemathesis.openapi.from_dict(_document()).include(tag=["staff", "integrators"])


@pytest.fixture
def credentials(ref: Any) -> dict[str, str]:
    f.received()
    f.dispatched("dpupr")
    secret = token_for(f.staff(Role.ADMIN))
    key, api_key = keys.api_key_create(name="fuzz", scopes=[Scope.SUBMIT, Scope.READ_PUBLIC])
    ApiKey.objects.filter(pk=key.pk).update(rate_per_minute=100_000)
    return {"Authorization": f"Bearer {secret}", "X-Api-Key": api_key}


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_staff_and_integrator_operations_conform(
    case: Any, credentials: dict[str, str], live_server: Any
) -> None:
    # Schema-valid ids of objects that do not exist are refused with a documented problem.
    case.call_and_validate(
        base_url=live_server.url,
        headers=credentials,
        excluded_checks=[checks.positive_data_acceptance],
    )
