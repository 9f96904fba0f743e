"""The integrators' endpoints (`/api/v1/integrators/`): API keys with scopes, the key recorded
in the complaint's audit, channels restricted, idempotent retries (S16), rate limits per key
(S7: 429 problem + Retry-After, nothing stored), the public status without identity (S1)."""

from __future__ import annotations

import json
import typing

import pytest

from aduan.api import keys
from aduan.api.integrators import INTEGRATOR_CHANNELS, IntegratorChannel
from aduan.api.models import ApiKey, Scope
from aduan.audit.models import AuditEntry
from aduan.complaints.models import Complaint
from aduan.complaints.tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/integrators/complaints"
REPORT = {
    "title": "Jalan berlubang",
    "body": "Jalan di depan pasar Pasarwajo berlubang besar.",
    "identity": {"name": "Wa Ode Sitti", "phone": "081234567899"},
    "privacy_consent": True,
}


def _key(*scopes: str, rate: int = 60) -> tuple[ApiKey, str]:
    key, secret = keys.api_key_create(name="Aplikasi kecamatan", scopes=scopes or [Scope.SUBMIT])
    ApiKey.objects.filter(pk=key.pk).update(rate_per_minute=rate)
    return key, secret


def _submit(client, secret: str, body: dict | None = None, **extra):
    return client.post(
        URL, json.dumps(body or REPORT), "application/json", HTTP_X_API_KEY=secret, **extra
    )


def test_channels_are_the_documented_ones() -> None:
    assert set(typing.get_args(IntegratorChannel)) == {c.value for c in INTEGRATOR_CHANNELS}


def test_submit_with_a_key_records_the_key_in_the_audit(client, ref) -> None:
    key, secret = _key()
    response = _submit(client, secret, {**REPORT, "channel": "whatsapp"})
    assert response.status_code == 201, response.content
    body = response.json()
    complaint = Complaint.objects.get(tracking_code=body["tracking_code"])
    assert complaint.channel == "whatsapp"
    assert body["access_token"]
    entry = AuditEntry.objects.get(action="api.integrator.submit")
    assert entry.object_id == str(complaint.pk)
    assert entry.data["api_key"] == key.pk


def test_channel_outside_the_allowed_ones_is_422_and_nothing_stored(client, ref) -> None:
    _unused, secret = _key()
    for channel in ("walk_in", "national_lapor", "pigeon"):
        response = _submit(client, secret, {**REPORT, "channel": channel})
        assert response.status_code == 422, channel
    assert Complaint.objects.count() == 0


def test_idempotent_retry_and_replay_with_another_body(client, ref) -> None:
    """S16: the same Idempotency-Key and body → the same complaint (200, no token); the same
    key with another body → 409; nothing more stored."""
    _unused, secret = _key()
    first = _submit(client, secret, HTTP_IDEMPOTENCY_KEY="abc-1")
    again = _submit(client, secret, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["tracking_code"] == again.json()["tracking_code"]
    assert again.json()["access_token"] is None
    other = _submit(client, secret, {**REPORT, "body": "Lain."}, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert other.status_code == 409
    assert Complaint.objects.count() == 1


def test_keys_scopes_and_revocation(client, ref) -> None:
    """No key / unknown / revoked → 401; a read_public-only key cannot submit (403); nothing
    stored."""
    assert client.post(URL, json.dumps(REPORT), "application/json").status_code == 401
    assert _submit(client, "adn_unknown").status_code == 401
    key, secret = _key()
    keys.api_key_revoke(key=key)
    assert _submit(client, secret).status_code == 401
    _ro, read_only = _key(Scope.READ_PUBLIC)
    response = _submit(client, read_only)
    assert response.status_code == 403 and response.json()["code"] == "scope_missing"
    assert Complaint.objects.count() == 0


def test_s7_rate_limit_per_key(client, ref) -> None:
    """S7: a key allowed 2 requests a minute gets 429 with Retry-After on the third, and the
    third report is not stored; another key is not affected."""
    _k, secret = _key(rate=2)
    assert _submit(client, secret).status_code == 201
    assert _submit(client, secret).status_code == 201
    third = _submit(client, secret)
    assert third.status_code == 429
    assert int(third["Retry-After"]) >= 1
    assert third["Content-Type"].startswith("application/problem+json")
    assert third.json()["code"] == "rate_limited"
    assert Complaint.objects.count() == 2
    _other, other_secret = _key(rate=2)
    assert _submit(client, other_secret).status_code == 201


def test_status_is_the_public_view_without_identity(client, ref) -> None:
    """S1: the status shows no identity; a private report only its state; unknown → 404."""
    _k, secret = _key(Scope.READ_PUBLIC)
    complaint = f.dispatched("dpupr", name="Wa Ode Sitti", phone="081234567899")
    response = client.get(f"{URL}/{complaint.tracking_code}", HTTP_X_API_KEY=secret)
    assert response.status_code == 200, response.content
    assert "Wa Ode" not in response.content.decode()
    assert response.json()["tracking_code"] == complaint.tracking_code
    hidden = f.dispatched("dpupr", private=True, title="Rahasia")
    private = client.get(f"{URL}/{hidden.tracking_code}", HTTP_X_API_KEY=secret)
    assert private.status_code == 200 and "Rahasia" not in private.content.decode()
    assert client.get(f"{URL}/BTN-XXXX-XXX", HTTP_X_API_KEY=secret).status_code == 404
    assert client.get(f"{URL}/{complaint.tracking_code}").status_code == 401


def test_wrong_content_type_and_malformed_json(client, ref) -> None:
    _k, secret = _key()
    response = client.post(
        URL, "body=x", "application/x-www-form-urlencoded", HTTP_X_API_KEY=secret
    )
    assert response.status_code == 415
    response = client.post(URL, "{nope", "application/json", HTTP_X_API_KEY=secret)
    assert response.status_code == 400
    response = _submit(client, secret, {**REPORT, "unknown_field": 1})
    assert response.status_code == 422
    assert Complaint.objects.count() == 0
