"""API conventions: ETag/304, problem+json shape and language, cursor tampering, times with
offset (issue 6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from aduan.api.conventions import cursor_page, etag_response, local_iso
from aduan.complaints.models import Complaint
from aduan.complaints.tests import factories as f
from aduan.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def test_etag_and_304(ref: Any, client: Client) -> None:
    first = client.get("/api/v1/agencies")
    tag = first["ETag"]
    assert tag.startswith('W/"')
    again = client.get("/api/v1/agencies", HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again.content == b""
    other = client.get("/api/v1/agencies", HTTP_IF_NONE_MATCH='W/"different"')
    assert other.status_code == 200


def test_etag_changes_with_content(ref: Any, client: Client) -> None:
    c = f.received()
    url = f"/api/v1/complaints/{c.tracking_code}"
    tag = client.get(url)["ETag"]
    from aduan.accounts.roles import Role
    from aduan.complaints.workflow import transitions as t

    t.complaint_dispatch(complaint=c, by=f.actor(Role.ADMIN), agency=f.agency("dpupr"))
    assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_etag_response_helper() -> None:
    request = RequestFactory().get("/x")
    response = etag_response(request, {"a": 1})
    request = RequestFactory().get("/x", HTTP_IF_NONE_MATCH=response["ETag"])
    assert etag_response(request, {"a": 1}).status_code == 304
    post = RequestFactory().post("/x", HTTP_IF_NONE_MATCH=response["ETag"])
    assert etag_response(post, {"a": 1}).status_code == 200


@pytest.mark.parametrize("language", ["en", "id"])
def test_problem_detail_follows_accept_language(ref: Any, client: Client, language: str) -> None:
    """problem+json: RFC 9457 members and a `detail` in the Accept-Language (catalog) language."""
    r = client.post(
        "/api/v1/complaints",
        data="{broken",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    body = r.json()
    assert r["Content-Type"] == "application/problem+json"
    assert {"type", "title", "status", "code", "detail"} <= set(body)
    assert body["status"] == 400 and r["Content-Language"] == language
    with translation.override(language):
        assert body["detail"] == translation.gettext("The request body is not valid JSON.")
    if language == "en":
        assert body["detail"] == "The request body is not valid JSON."


def test_problem_default_language_is_indonesian(ref: Any, client: Client) -> None:
    r = client.get("/api/v1/complaints/AAAA-AAAA-AAAA")
    assert r.status_code == 404 and r["Content-Language"] == "id"


def test_cursor_is_signed_and_scoped(ref: Any) -> None:
    for _ in range(3):
        f.received()
    request = RequestFactory().get("/x")
    page = cursor_page(request, Complaint.objects.all(), key="received_at", limit=1, scope="a")
    assert page.next_cursor and "cursor=" in (page.next or "")
    nxt = cursor_page(
        request,
        Complaint.objects.all(),
        key="received_at",
        limit=1,
        cursor=page.next_cursor,
        scope="a",
    )
    assert nxt.items[0].pk != page.items[0].pk
    with pytest.raises(ApplicationError) as exc:
        cursor_page(
            request,
            Complaint.objects.all(),
            key="received_at",
            limit=1,
            cursor=page.next_cursor,
            scope="b",
        )
    assert exc.value.code == "invalid_cursor"
    with pytest.raises(ApplicationError):
        cursor_page(
            request,
            Complaint.objects.all(),
            limit=1,
            key="received_at",
            cursor=page.next_cursor + "x",
            scope="a",
        )
    with pytest.raises(ApplicationError):
        cursor_page(request, Complaint.objects.all(), limit=101)


def test_times_carry_the_regency_offset() -> None:
    moment = dt.datetime(2026, 6, 16, 7, 0, tzinfo=dt.UTC)
    assert local_iso(moment) == "2026-06-16T15:00:00+08:00"


def test_openapi_describes_problems(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    post = schema["paths"]["/api/v1/complaints"]["post"]
    assert "application/problem+json" in post["responses"]["409"]["content"]
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert "ComplaintIn" in schema["components"]["schemas"]


def test_a_body_over_the_request_limit_is_refused_as_a_problem_before_it_is_read(client):
    """S10/S15: the API's 413 for a body refused unread is problem+json, not the HTML page."""
    from django.conf import settings

    response = client.post(
        "/api/v1/complaints",
        data=b"",
        content_type="application/json",
        CONTENT_LENGTH=str(settings.ADUAN_REQUEST_MAX_BYTES + 1),
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "request_too_large"
