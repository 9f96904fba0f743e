"""/api/v1 public endpoints: reference data, submission (JSON and multipart), idempotency,
public status, public list, statistics (issue 6)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from aduan.complaints.models import Complainant, Complaint, InboundKey, Upload
from aduan.complaints.tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/complaints"
DISTINCT_NAME = "Zulkarnain Wabula Mbeoge"
DISTINCT_PHONE = "081377712345"
DISTINCT_EMAIL = "zulkarnain.wabula@contoh.id"


def post_json(client: Client, data: Any, **headers: str) -> Any:
    return client.post(URL, data=json.dumps(data), content_type="application/json", **headers)


def report(**extra: Any) -> dict[str, Any]:
    return {"body": "Lampu jalan mati di depan pasar sejak seminggu.", **extra}


def test_reference_lists(buton: Any, client: Client) -> None:
    """R-directory: categories, regions (flat with parent) and agencies with handler contacts."""
    cats = client.get("/api/v1/categories")
    assert cats.status_code == 200 and cats.json()
    assert {"code", "name", "parent", "topic"} <= set(cats.json()[0])
    regions = client.get("/api/v1/regions").json()
    assert regions and any(r["parent"] for r in regions)
    agencies = client.get("/api/v1/agencies").json()
    assert agencies[0]["is_coordinator"] is True
    assert set(agencies[0]["handler"]) == {"name", "office_address", "phone", "email"}


def test_submit_json_anonymous_returns_token_once(ref: Any, client: Client) -> None:
    """R9: a report by API; anonymous allowed; 201 with the code, the token and the URLs."""
    r = post_json(client, report(anonymous=True))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["created"] is True and len(body["access_token"]) > 20
    assert body["status_url"].endswith(f"/api/v1/complaints/{body['tracking_code']}")
    assert "/private" in body["private_url"] and body["access_token"] not in body["private_url"]
    assert body["received_at"].endswith("+08:00")
    c = Complaint.objects.get(tracking_code=body["tracking_code"])
    assert c.anonymous and c.channel == "app"


def test_submit_with_region_category_identity(buton: Any, client: Client) -> None:
    region = client.get("/api/v1/regions").json()[-1]["code"]
    category = client.get("/api/v1/categories").json()[0]["code"]
    r = post_json(
        client,
        report(
            region=region,
            category=category,
            kind="complaint",
            ground="neglect",
            identity={"name": "Ibu Sari", "phone": "081234567890"},
            privacy_consent=True,
        ),
    )
    assert r.status_code == 201, r.content
    c = Complaint.objects.get(tracking_code=r.json()["tracking_code"])
    assert c.region.code == region and c.category.code == category
    assert Complainant.objects.get(complaint=c).name == "Ibu Sari"


def test_identity_without_consent_refused(ref: Any, client: Client) -> None:
    r = post_json(client, report(identity={"name": "Ibu Sari"}))
    assert r.status_code == 400
    assert r.json()["code"] == "consent_required"
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({"body": "x", "colour": "red"}, 422, "validation_error"),  # unknown field
        ({"body": ""}, 422, "validation_error"),
        ({"body": 12}, 422, "validation_error"),  # wrong type
        ({"body": "x", "anonymous": "perhaps"}, 422, "validation_error"),
        ({"body": "x", "latitude": 200}, 422, "validation_error"),
        ({"body": "x", "kind": "gossip"}, 422, "validation_error"),
        ({"body": "x", "region": "nowhere"}, 400, "unknown_code"),
        ({"body": "x", "event_date": "2999-01-01"}, 400, "future_date"),
        ([1, 2], 400, "malformed_body"),
    ],
)
def test_submit_bad_input_stores_nothing(
    ref: Any, client: Client, data: Any, status: int, code: str
) -> None:
    """Every client error is problem+json, and nothing is stored."""
    r = post_json(client, data)
    assert r.status_code == status, r.content
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["code"] == code
    assert not Complaint.objects.exists()


def test_malformed_json_and_wrong_content_type(ref: Any, client: Client) -> None:
    r = client.post(URL, data="{not json", content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "malformed_body"
    r = client.post(URL, data="body=x", content_type="text/plain")
    assert r.status_code == 415 and r.json()["code"] == "unsupported_media_type"
    assert not Complaint.objects.exists()


def test_large_body_refused_413(ref: Any, client: Client) -> None:
    """S10: a 10 MB JSON body is refused with 413 problem+json before parsing."""
    big = json.dumps({"body": "x" * (10 * 1024 * 1024)})
    r = client.post(URL, data=big, content_type="application/json")
    assert r.status_code == 413
    assert r.json()["code"] == "too_large"
    assert not Complaint.objects.exists()


def _png() -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buf, "PNG")
    buf.seek(0)
    buf.name = "foto.png"
    return buf


def test_submit_multipart_with_file(ref: Any, client: Client) -> None:
    r = client.post(URL, data={"payload": json.dumps(report()), "files": [_png()]})
    assert r.status_code == 201, r.content
    c = Complaint.objects.get(tracking_code=r.json()["tracking_code"])
    assert c.attachments.count() == 1


def test_submit_multipart_bad_file_stores_nothing(ref: Any, client: Client) -> None:
    bad = io.BytesIO(b"MZ this is not an image")
    bad.name = "virus.exe"
    r = client.post(URL, data={"payload": json.dumps(report()), "files": [bad]})
    assert r.status_code == 400, r.content
    assert r["Content-Type"] == "application/problem+json"
    assert not Complaint.objects.exists() and not Upload.objects.exists()


def test_submit_multipart_without_payload(ref: Any, client: Client) -> None:
    r = client.post(URL, data={"body": "x"})
    assert r.status_code == 422
    assert not Complaint.objects.exists()


def test_idempotency_key_replay_and_reuse(ref: Any, client: Client) -> None:
    """S16: the same key and body → the same complaint (201 then 200, no token the second
    time); the same key with another body → 409 and nothing stored."""
    first = post_json(client, report(), HTTP_IDEMPOTENCY_KEY="k-123")
    again = post_json(client, report(), HTTP_IDEMPOTENCY_KEY="k-123")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["tracking_code"] == again.json()["tracking_code"]
    assert again.json()["access_token"] is None and again.json()["created"] is False
    other = post_json(client, report(body="Lain sama sekali."), HTTP_IDEMPOTENCY_KEY="k-123")
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
    assert Complaint.objects.count() == 1 and InboundKey.objects.count() == 1


def test_idempotency_key_invalid(ref: Any, client: Client) -> None:
    r = post_json(client, report(), HTTP_IDEMPOTENCY_KEY="x" * 300)
    assert r.status_code == 400 and r.json()["code"] == "invalid_idempotency_key"
    assert not Complaint.objects.exists()


def test_submit_rate_limited(ref: Any, client: Client, settings: Any) -> None:
    """S7: submissions per IP are limited; 429 problem with Retry-After."""
    settings.ADUAN_API_SUBMIT_LIMIT = 2
    assert post_json(client, report()).status_code == 201
    assert post_json(client, report()).status_code == 201
    r = post_json(client, report())
    assert r.status_code == 429
    assert int(r["Retry-After"]) > 0
    assert r.json()["code"] == "rate_limited"
    assert Complaint.objects.count() == 2


# --- status -------------------------------------------------------------------------------------


def test_status_public_shows_agency_deadline_responses_without_identity(
    ref: Any, client: Client
) -> None:
    """S1: a distinctive identity is in no public response, even when the agency quoted it."""
    c = f.responded(name=DISTINCT_NAME, phone=DISTINCT_PHONE, email=DISTINCT_EMAIL)
    msg = c.messages.get(kind="response")
    msg.body = f"Bapak {DISTINCT_NAME} ({DISTINCT_PHONE}), jalan sudah diperbaiki."
    msg.save()
    r = client.get(f"/api/v1/complaints/{c.tracking_code}")
    assert r.status_code == 200
    body = r.json()
    assert body["agency"] and body["responses"] and body["timeline"]
    assert body["deadline"]["stage"] == "follow_up"
    assert body["deadline"]["due_at"].endswith("+08:00")
    raw = r.content.decode()
    for secret in (DISTINCT_NAME, "Zulkarnain", DISTINCT_PHONE, DISTINCT_EMAIL):
        assert secret not in raw


def test_status_private_complaint_shows_states_only(ref: Any, client: Client) -> None:
    """S22/Pasal 4: a rahasia report shows its states and dates, nothing else."""
    c = f.responded(private=True)
    body = client.get(f"/api/v1/complaints/{c.tracking_code}").json()
    assert body["private"] is True
    assert body["agency"] is None and body["category"] is None and body["responses"] == []
    assert all("dpupr" not in e["text"].lower() for e in body["timeline"])


def test_status_unknown_and_malformed_code_404(ref: Any, client: Client) -> None:
    for code in ("XXXX-XXXX-XXXX", "bad", "A" * 300):
        r = client.get(f"/api/v1/complaints/{code}")
        assert r.status_code == 404
        assert r.json()["code"] == "not_found"


def test_status_forgiving_code(ref: Any, client: Client) -> None:
    c = f.received()
    r = client.get(f"/api/v1/complaints/{c.tracking_code.lower()}")
    assert r.status_code == 200 and r.json()["tracking_code"] == c.tracking_code


def test_list_excludes_private_and_paginates(ref: Any, client: Client) -> None:
    """S22: rahasia reports are never listed; cursor pagination walks every public report."""
    public = {f.received().tracking_code for _ in range(5)}
    hidden = f.received(private=True).tracking_code
    seen: list[str] = []
    url = "/api/v1/complaints?limit=2"
    pages = 0
    while url:
        r = client.get(url)
        assert r.status_code == 200, r.content
        page = r.json()
        seen += [item["tracking_code"] for item in page["items"]]
        assert len(page["items"]) <= 2
        url = page["next"]
        if url:
            assert r["Link"].endswith('rel="next"')
        pages += 1
    assert pages == 3 and set(seen) == public and hidden not in seen
    assert len(seen) == len(set(seen))


def test_list_bad_cursor_and_limit(ref: Any, client: Client) -> None:
    r = client.get("/api/v1/complaints?cursor=forged")
    assert r.status_code == 400 and r.json()["code"] == "invalid_cursor"
    assert client.get("/api/v1/complaints?limit=101").status_code == 422
    assert client.get("/api/v1/complaints?limit=0").status_code == 422


def test_statistics(ref: Any, client: Client) -> None:
    f.closed()
    r = client.get("/api/v1/statistics")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] >= 1 and body["computed_at"].endswith("+08:00")
    assert set(body["satisfaction_distribution"]) == {"1", "2", "3", "4", "5"}
