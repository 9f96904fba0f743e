"""POST requests (create a service request): the demo key, bad keys, missing or wrong fields,
unknown services — an error document and nothing stored — idempotency (S16) and the per-key
rate limit (S7)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from aduan.api import keys
from aduan.api.models import ApiKey, Scope
from aduan.audit.models import AuditEntry
from aduan.complaints.models import Channel, Complainant, Complaint, InboundKey
from aduan.complaints.workflow.states import Status

from .conftest import BASE, FORMATS, errors, parse, rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_key(open311_ref: dict[str, Any]):  # type: ignore[no-untyped-def]
    with override_settings(ADUAN_DEMO=True):
        yield keys.ensure_demo_api_key()


def form(open311_ref: dict[str, Any], **changes: str) -> dict[str, str]:
    data = {
        "api_key": keys.DEMO_API_KEY,
        "service_code": "K01.01",
        "description": "Jalan berlubang di depan SD Negeri 2.",
        "lat": "-5.453149",
        "long": "122.612251",
        "attribute[kecamatan]": open311_ref["kecamatan"].code,
        "attribute[desa]": open311_ref["desa"].code,
        "attribute[anonymous]": "true",
        "first_name": "Wa Ode",
        "last_name": "Saniati",
        "email": "wa.ode@contoh.id",
        "phone": "0812 3456 7890",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post(client, fmt: str, data: dict[str, str], **headers: str):  # type: ignore[no-untyped-def]
    return client.post(f"{BASE}/requests.{fmt}", data, HTTP_ACCEPT_LANGUAGE="en", **headers)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_demo_key_creates_a_request_and_gets_its_id_directly(
    client, open311_ref, demo_key, fmt
):
    response = post(client, fmt, form(open311_ref))
    assert response.status_code == 200, response.content
    (row,) = rows(parse(response, fmt), fmt, "request")
    assert set(row) == {"service_request_id", "service_notice", "account_id"}
    complaint = Complaint.objects.get()
    assert row["service_request_id"] == complaint.tracking_code
    assert row["service_notice"]
    assert complaint.category == open311_ref["pothole"]
    assert complaint.region == open311_ref["desa"]
    assert str(complaint.latitude) == "-5.453149"
    assert complaint.anonymous and not complaint.private
    assert complaint.channel == Channel.APP
    assert complaint.status == Status.RECEIVED and complaint.dispatch_due_at is not None
    complainant = Complainant.objects.get(complaint=complaint)
    assert complainant.name == "Wa Ode Saniati"
    assert complainant.email == "wa.ode@contoh.id"
    assert complainant.phone.endswith("81234567890")
    assert AuditEntry.objects.filter(action="open311.submit", object_id=str(complaint.pk)).exists()
    # and it can be read back at once
    assert client.get(f"{BASE}/requests/{complaint.tracking_code}.{fmt}").status_code == 200


@pytest.mark.parametrize(
    "changes",
    [
        {"lat": None, "long": None, "attribute[desa]": None},  # kecamatan alone
        {
            "lat": None,
            "long": None,
            "attribute[desa]": None,
            "attribute[kecamatan]": None,
            "address_string": "Jl. Poros Pasarwajo km 3",
        },
        {"attribute[kecamatan]": None, "attribute[desa]": None},  # lat/long alone
    ],
)
def test_a_location_by_region_address_or_position_is_enough(client, open311_ref, demo_key, changes):
    response = post(client, "json", form(open311_ref, **changes))
    assert response.status_code == 200, response.content
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"api_key": None}, 403),
        ({"api_key": "wrong-key"}, 403),
        ({"service_code": None}, 400),
        ({"service_code": "NOPE"}, 400),
        ({"service_code": "K99"}, 400),  # inactive
        ({"description": " "}, 400),
        (
            {"lat": None, "long": None, "attribute[desa]": None, "attribute[kecamatan]": None},
            400,
        ),
        ({"lat": "91", "long": "122"}, 400),
        ({"lat": "-5.4", "long": None}, 400),
        ({"lat": "abc", "long": "122"}, 400),
        ({"lat": "NaN", "long": "122"}, 400),
        ({"attribute[desa]": "74.04.99.9999"}, 400),
        ({"attribute[kecamatan]": "74.04.02"}, 400),  # the desa is not in it
        ({"attribute[anonymous]": "maybe"}, 400),
        ({"attribute[kind]": "praise"}, 400),
        ({"attribute[ground]": "bogus"}, 400),
        ({"attribute[kind]": "aspiration", "attribute[ground]": "neglect"}, 400),
        ({"email": "not-an-email"}, 400),
        ({"jurisdiction_id": "elsewhere.example"}, 400),
    ],
)
def test_a_bad_post_is_an_error_document_and_stores_nothing(
    client, open311_ref, demo_key, fmt, changes, status
):
    response = post(client, fmt, form(open311_ref, **changes))
    assert response.status_code == status, response.content
    (error,) = errors(parse(response, fmt), fmt)
    assert error["code"] == status and error["description"]
    assert Complaint.objects.count() == 0
    assert Complainant.objects.count() == 0


def test_the_demo_key_is_refused_outside_demo_mode(client, open311_ref):
    with override_settings(ADUAN_DEMO=True):
        keys.ensure_demo_api_key()
    response = post(client, "xml", form(open311_ref))
    assert response.status_code == 403
    assert Complaint.objects.count() == 0


def test_a_key_without_the_submit_scope_and_a_revoked_key_are_refused(client, open311_ref):
    _read_only, secret = keys.api_key_create(name="reader", scopes=[Scope.READ_PUBLIC])
    assert post(client, "json", form(open311_ref, api_key=secret)).status_code == 403
    writer, secret = keys.api_key_create(name="writer", scopes=[Scope.SUBMIT])
    keys.api_key_revoke(key=writer)
    assert post(client, "json", form(open311_ref, api_key=secret)).status_code == 403
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_s16_an_idempotency_key_makes_a_retry_return_the_same_request(
    client, open311_ref, demo_key, fmt
):
    """S16: the same Idempotency-Key and body create one complaint; the retry gets its id."""
    data = form(open311_ref)
    first = post(client, fmt, data, HTTP_IDEMPOTENCY_KEY="retry-1")
    again = post(client, fmt, data, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == again.status_code == 200
    ids = [rows(parse(r, fmt), fmt, "request")[0]["service_request_id"] for r in (first, again)]
    assert ids[0] == ids[1] == Complaint.objects.get().tracking_code
    # the same key with another body: 409, nothing more stored
    other = post(
        client, fmt, form(open311_ref, description="Lain."), HTTP_IDEMPOTENCY_KEY="retry-1"
    )
    assert other.status_code == 409
    assert errors(parse(other, fmt), fmt)[0]["code"] == 409
    assert Complaint.objects.count() == 1
    assert InboundKey.objects.count() == 1
    # without the header, two posts are two complaints
    post(client, fmt, data)
    post(client, fmt, data)
    assert Complaint.objects.count() == 3


def test_idempotency_keys_of_two_integrators_do_not_collide(client, open311_ref, demo_key):
    _key, secret = keys.api_key_create(name="other", scopes=[Scope.SUBMIT])
    post(client, "json", form(open311_ref), HTTP_IDEMPOTENCY_KEY="k1")
    post(client, "json", form(open311_ref, api_key=secret), HTTP_IDEMPOTENCY_KEY="k1")
    assert Complaint.objects.count() == 2


def test_s7_posts_are_limited_per_key(client, open311_ref, demo_key):
    """S7: beyond the key's requests per minute: 429 with Retry-After, nothing stored."""
    ApiKey.objects.filter(pk=demo_key.pk).update(rate_per_minute=2)
    assert post(client, "json", form(open311_ref)).status_code == 200
    assert post(client, "json", form(open311_ref)).status_code == 200
    third = post(client, "xml", form(open311_ref))
    assert third.status_code == 429
    assert int(third["Retry-After"]) >= 1
    assert errors(parse(third, "xml"), "xml")[0]["code"] == 429
    assert Complaint.objects.count() == 2


def test_posting_needs_no_csrf_token(open311_ref, demo_key):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert post(client, "json", form(open311_ref)).status_code == 200
