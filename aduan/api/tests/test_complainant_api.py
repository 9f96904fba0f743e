"""/api/v1 complainant endpoints: the secret token in a header (S5), wrong token → 404 (never
reveal existence), rate limit (S7), actions through the workflow (issue 6)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from aduan.accounts.roles import Role
from aduan.agencies.models import Cause
from aduan.complaints.models import Complaint, Message, Resolution
from aduan.complaints.services import ComplaintSubmission, IdentityInput, complaint_submit
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import transitions as t

pytestmark = pytest.mark.django_db


def new(anonymous: bool = False) -> tuple[Complaint, str]:
    result = complaint_submit(
        submission=ComplaintSubmission(
            channel="app",
            body="Air PDAM tidak mengalir.",
            anonymous=anonymous,
            identity=IdentityInput(name="Wa Ode Rahmi", phone="081299887766"),
        )
    )
    return result.complaint, result.access_token


def responded(c: Complaint) -> Complaint:
    admin = f.actor(Role.ADMIN)
    c = t.complaint_dispatch(complaint=c, by=admin, agency=f.agency("dpupr"))
    liaison = f.actor(Role.LIAISON, f.agency("dpupr"))
    c = t.complaint_acknowledge(complaint=c, by=liaison)
    c.messages.create(kind=Message.Kind.NOTE, body="INTERNAL-NOTE-SECRET", created_at=c.received_at)
    return t.complaint_respond(
        complaint=c,
        by=liaison,
        text="Sudah diperbaiki.",
        cause=Cause.objects.get(code="sarana_rusak"),
        resolution=Resolution.RESOLVED,
    )


def post(client: Client, url: str, data: Any, token: str = "", **extra: str) -> Any:
    if token:
        extra.setdefault("HTTP_X_COMPLAINT_TOKEN", token)
    return client.post(url, data=json.dumps(data), content_type="application/json", **extra)


def test_private_view_with_header_token(ref: Any, client: Client) -> None:
    """S5: the token in X-Complaint-Token (or Authorization: Token) opens the own view with
    the own identity, the conversation, and no internal note."""
    c, token = new()
    c = responded(c)
    url = f"/api/v1/complaints/{c.tracking_code}/private"
    for headers in ({"HTTP_X_COMPLAINT_TOKEN": token}, {"HTTP_AUTHORIZATION": f"Token {token}"}):
        r = client.get(url, **headers)
        assert r.status_code == 200, r.content
        body = r.json()
        assert body["identity"]["name"] == "Wa Ode Rahmi"
        assert any(m["kind"] == "response" for m in body["conversation"])
        assert "INTERNAL-NOTE-SECRET" not in r.content.decode()
        assert {"follow_up", "confirm"} <= set(body["actions"])


def test_wrong_or_missing_token_is_404(ref: Any, client: Client) -> None:
    """Never reveal existence: a wrong token, another complaint's token or none → 404,
    exactly as for an unknown code."""
    c, _token = new()
    _other, other_token = new()
    url = f"/api/v1/complaints/{c.tracking_code}/private"
    for headers in (
        {},
        {"HTTP_X_COMPLAINT_TOKEN": "nope"},
        {"HTTP_X_COMPLAINT_TOKEN": other_token},
    ):
        r = client.get(url, **headers)
        assert r.status_code == 404 and r.json()["code"] == "not_found"
    unknown = client.get("/api/v1/complaints/AAAA-AAAA-AAAA/private", HTTP_X_COMPLAINT_TOKEN="x")
    assert unknown.json() == client.get(url, HTTP_X_COMPLAINT_TOKEN="y").json()


def test_token_in_url_is_not_accepted(ref: Any, client: Client) -> None:
    """S5: the token never travels in the URL."""
    c, token = new()
    r = client.get(f"/api/v1/complaints/{c.tracking_code}/private?token={token}&t={token}")
    assert r.status_code == 404


def test_wrong_tokens_are_rate_limited(ref: Any, client: Client) -> None:
    """S7: wrong tokens count per IP; past the limit even the right token gets 429."""
    c, token = new()
    url = f"/api/v1/complaints/{c.tracking_code}/private"
    statuses = [client.get(url, HTTP_X_COMPLAINT_TOKEN=f"w{i}").status_code for i in range(11)]
    assert statuses[:10] == [404] * 10 and statuses[10] == 429
    r = client.get(url, HTTP_X_COMPLAINT_TOKEN=token)
    assert r.status_code == 429 and "Retry-After" in r


def test_follow_up_then_message(ref: Any, client: Client) -> None:
    c, token = new()
    c = responded(c)
    base = f"/api/v1/complaints/{c.tracking_code}"
    r = post(client, f"{base}/follow-up", {"text": "Masih bocor."}, token)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "in_progress"
    r = post(client, f"{base}/messages", {"text": "Tambahan info."}, token)
    assert r.status_code == 201
    assert any(m["text"] == "Tambahan info." for m in r.json()["conversation"])


def test_confirm_and_rating_refused_twice(ref: Any, client: Client) -> None:
    c, token = new()
    c = responded(c)
    base = f"/api/v1/complaints/{c.tracking_code}"
    r = post(client, f"{base}/confirm", {"satisfaction": 5, "comment": "Terima kasih"}, token)
    assert r.status_code == 200 and r.json()["status"] == "closed"
    assert r.json()["rating"]["satisfaction"] == 5
    again = post(client, f"{base}/rating", {"satisfaction": 3}, token)
    assert again.status_code == 409 and again.json()["code"] == "already_rated"


def test_supplement_only_when_pending(ref: Any, client: Client) -> None:
    """A refused transition changes nothing and says why (409 invalid_state)."""
    c, token = new()
    base = f"/api/v1/complaints/{c.tracking_code}"
    r = post(client, f"{base}/supplement", {"text": "Di RT 3."}, token)
    assert r.status_code == 409 and r.json()["code"] == "invalid_state"
    t.complaint_request_info(complaint=c, by=f.actor(Role.ADMIN), question="Di mana?")
    private = client.get(f"{base}/private", HTTP_X_COMPLAINT_TOKEN=token).json()
    assert private["question"] == "Di mana?" and "supplement" in private["actions"]
    r = post(client, f"{base}/supplement", {"text": "Di RT 3."}, token)
    assert r.status_code == 200 and r.json()["status"] == "received"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("messages", {"text": ""}),
        ("messages", {"text": "x", "extra": 1}),
        ("rating", {"satisfaction": 9}),
        ("confirm", {"satisfaction": "five"}),
    ],
)
def test_bad_input_422(ref: Any, client: Client, path: str, data: Any) -> None:
    c, token = new()
    before = Message.objects.count()
    r = post(client, f"/api/v1/complaints/{c.tracking_code}/{path}", data, token)
    assert r.status_code == 422 and r["Content-Type"] == "application/problem+json"
    assert Message.objects.count() == before


def test_wrong_token_action_404_and_nothing_stored(ref: Any, client: Client) -> None:
    c, _token = new()
    before = Message.objects.count()
    r = post(client, f"/api/v1/complaints/{c.tracking_code}/messages", {"text": "x"}, "bad")
    assert r.status_code == 404
    assert Message.objects.count() == before


def test_anonymous_identity_only_to_self(ref: Any, client: Client) -> None:
    """S1: the anonymous complainant sees their own identity; the public view never does."""
    c, token = new(anonymous=True)
    own = client.get(f"/api/v1/complaints/{c.tracking_code}/private", HTTP_X_COMPLAINT_TOKEN=token)
    assert own.json()["identity"]["anonymous"] is True
    public = client.get(f"/api/v1/complaints/{c.tracking_code}")
    assert "Wa Ode Rahmi" not in public.content.decode()
    assert "081299887766" not in public.content.decode()
