"""The staff API (`/api/v1/staff/`): S1 (an anonymous complainant's identity in no response
but an admin's reveal), identity views audited (S14), If-Match (412 when stale, nothing done),
bad input (422, nothing done), the queue per role, the list with filters and cursor pagination,
internal notes in the conversation."""

from __future__ import annotations

import json

import pytest

from aduan.accounts.roles import Role
from aduan.api.tests.staff_helpers import get, post, token_for
from aduan.audit.models import AuditEntry
from aduan.backoffice.tests.complaint_support import snapshot
from aduan.complaints.models import Complaint
from aduan.complaints.services import ComplaintSubmission, IdentityInput, complaint_submit
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import transitions as t

pytestmark = pytest.mark.django_db

NAME = "Zulkarnaen Wibisono Tamalate"
PHONE = "+6281299887766"
EMAIL = "rahasia.sekali@example.org"
NIK = "7404019988776655"
IDENTITY = [NAME, "Zulkarnaen", "Tamalate", PHONE, "81299887766", EMAIL, NIK]


def _anonymous() -> Complaint:
    submission = ComplaintSubmission(
        channel="web",
        title="Lampu jalan mati",
        body="Lampu jalan di depan pasar mati sejak seminggu.",
        anonymous=True,
        identity=IdentityInput(name=NAME, phone=PHONE, email=EMAIL, nik=NIK),
    )
    complaint = complaint_submit(submission=submission).complaint
    return t.complaint_dispatch(
        complaint=complaint, by=f.actor(Role.ADMIN), agency=f.agency("dpupr")
    )


def _leaks(content: bytes) -> list[str]:
    text = content.decode()
    return [item for item in IDENTITY if item in text]


@pytest.mark.parametrize(
    "role",
    [Role.LIAISON, Role.AGENCY_HEAD, Role.MEMBER, Role.CHAIR, Role.PATRON, Role.REGENT, Role.ADMIN],
)
def test_s1_anonymous_identity_in_no_staff_response(client, ref, role: Role) -> None:
    """S1: for every role the anonymous complainant's identity is absent from the queue, the
    list, the detail and the response of an action — the lead agency's staff included."""
    complaint = _anonymous()
    user = f.staff(role, f.agency("dpupr") if role in (Role.LIAISON, Role.AGENCY_HEAD) else None)
    secret = token_for(user)
    responses = [
        get(client, "/queue", secret),
        get(client, "/complaints", secret),
        get(client, f"/complaints/{complaint.pk}", secret),
    ]
    if role != Role.REGENT:
        responses.append(
            post(client, f"/complaints/{complaint.pk}/notes", secret, {"text": "Cek lokasi."})
        )
    for response in responses:
        assert response.status_code == 200, response.content
        assert _leaks(response.content) == []
    detail = responses[2].json()
    assert detail["identity"] is None and detail["identity_hidden"] is True


def test_s1_identity_only_after_an_admin_reveal_with_reason(client, ref) -> None:
    """S2: the admin reveals with a reason → the identity in that response only, audited; the
    next read hides it again. A too-short reason is refused and nothing is revealed."""
    complaint = _anonymous()
    secret = token_for(f.staff(Role.ADMIN))
    short = post(client, f"/complaints/{complaint.pk}/reveal", secret, {"reason": "x"})
    assert short.status_code == 400 and _leaks(short.content) == []
    response = post(
        client,
        f"/complaints/{complaint.pk}/reveal",
        secret,
        {"reason": "Perlu konfirmasi lokasi dengan pengadu."},
    )
    assert response.status_code == 200
    identity = response.json()["identity"]
    assert identity["name"] == NAME and identity["revealed"] is True
    assert response["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get(action="identity.reveal", object_id=str(complaint.pk))
    assert entry.data["reason"].startswith("Perlu konfirmasi")
    again = get(client, f"/complaints/{complaint.pk}", secret)
    assert _leaks(again.content) == []


def test_reveal_by_other_roles_is_403_and_audited(client, ref) -> None:
    complaint = _anonymous()
    secret = token_for(f.staff(Role.LIAISON, f.agency("dpupr")))
    response = post(
        client, f"/complaints/{complaint.pk}/reveal", secret, {"reason": "Perlu konfirmasi."}
    )
    assert response.status_code == 403 and _leaks(response.content) == []
    assert AuditEntry.objects.filter(action="identity.reveal_denied").exists()


def test_identity_of_a_named_complainant_for_the_lead_agency_is_audited(client, ref) -> None:
    """R7/S14: the lead agency's liaison sees a named complainant's identity; each view is
    logged. The coordination team does not see it."""
    complaint = f.dispatched("dpupr", name=NAME, phone=PHONE)
    liaison = token_for(f.staff(Role.LIAISON, f.agency("dpupr")))
    response = get(client, f"/complaints/{complaint.pk}", liaison)
    assert response.json()["identity"]["name"] == NAME
    assert AuditEntry.objects.filter(action="identity.view", object_id=str(complaint.pk)).count()
    member = token_for(f.staff(Role.MEMBER))
    assert _leaks(get(client, f"/complaints/{complaint.pk}", member).content) == []


def test_if_match_stale_is_412_and_nothing_changes(client, ref) -> None:
    """Optimistic concurrency: an action with the ETag of an older version → 412 problem with
    the current version; nothing done. With the current ETag the action runs."""
    complaint = f.received()
    secret = token_for(f.staff(Role.ADMIN))
    etag = get(client, f"/complaints/{complaint.pk}", secret)["ETag"]
    post(client, f"/complaints/{complaint.pk}/notes", secret, {"text": "Catatan."})
    t.complaint_request_info(complaint=complaint, by=f.actor(Role.ADMIN), question="Di mana?")
    before = snapshot(complaint)
    response = post(
        client,
        f"/complaints/{complaint.pk}/archive",
        secret,
        {"reason": "spam"},
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 412, response.content
    assert response.json()["code"] == "stale"
    assert snapshot(complaint) == before
    fresh = get(client, f"/complaints/{complaint.pk}", secret)["ETag"]
    assert fresh != etag
    response = post(
        client,
        f"/complaints/{complaint.pk}/archive",
        secret,
        {"reason": "spam"},
        HTTP_IF_MATCH=fresh,
    )
    assert response.status_code == 200 and response.json()["status"] == "archived"


def test_bad_bodies_are_422_and_change_nothing(client, ref) -> None:
    """Unknown fields, wrong types, missing fields, invalid choices, malformed JSON: 422/400
    problems; nothing changes."""
    complaint = f.received()
    secret = token_for(f.staff(Role.ADMIN))
    before = snapshot(complaint)
    path = f"/complaints/{complaint.pk}/dispatch"
    for body in [
        {},
        {"agency": "dpupr"},
        {"agency": 999999},
        {"agency": f.agency("dpupr").pk, "kind": "nonsense"},
        {"agency": f.agency("dpupr").pk, "surprise": 1},
    ]:
        response = post(client, path, secret, body)
        assert response.status_code == 422, (body, response.content)
        assert response["Content-Type"].startswith("application/problem+json")
    response = client.post(
        f"/api/v1/staff{path}", "{nope", "application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code in (400, 422)
    archive = post(client, f"/complaints/{complaint.pk}/archive", secret, {"reason": "duplicate"})
    assert archive.status_code == 422 and "duplicate_of" in archive.content.decode()
    assert snapshot(complaint) == before


def test_invalid_state_is_409(client, ref) -> None:
    """An action the complaint's state does not allow (restore of a received complaint) is a
    409 conflict, audited as a refusal."""
    complaint = f.received()
    secret = token_for(f.staff(Role.ADMIN))
    response = post(client, f"/complaints/{complaint.pk}/restore", secret, {"reason": "Buka lagi."})
    assert response.status_code == 409 and response.json()["code"] == "invalid_state"
    assert AuditEntry.objects.filter(action="complaint.denied", object_id=str(complaint.pk))


def test_internal_notes_are_in_the_staff_conversation(client, ref) -> None:
    complaint = f.dispatched("dpupr")
    secret = token_for(f.staff(Role.LIAISON, f.agency("dpupr")))
    response = post(client, f"/complaints/{complaint.pk}/notes", secret, {"text": "Catatan dalam."})
    notes = [m for m in response.json()["conversation"] if m["internal"]]
    assert [n["body"] for n in notes] == ["Catatan dalam."]


def test_full_way_through_the_api(client, ref) -> None:
    """Dispatch with a co-agency (admin) → acknowledge → respond (liaison), each with If-Match
    (`*` accepted as "whatever the current version is")."""
    from aduan.agencies.models import Cause

    complaint = f.received()
    admin = token_for(f.staff(Role.ADMIN))
    liaison = token_for(f.staff(Role.LIAISON, f.agency("dpupr")))

    def act(secret: str, path: str, body: dict) -> dict:
        etag = get(client, f"/complaints/{complaint.pk}", secret)["ETag"]
        response = post(
            client, f"/complaints/{complaint.pk}/{path}", secret, body, HTTP_IF_MATCH=etag
        )
        assert response.status_code == 200, response.content
        return response.json()

    dispatched = act(
        admin, "dispatch", {"agency": f.agency("dpupr").pk, "co_agencies": [f.agency("dinkes").pk]}
    )
    assert dispatched["status"] == "dispatched"
    assert [a["code"] for a in dispatched["co_agencies"]] == ["dinkes"]
    acknowledged = post(
        client, f"/complaints/{complaint.pk}/acknowledge", liaison, {}, HTTP_IF_MATCH="*"
    )
    assert acknowledged.json()["status"] == "in_progress"
    cause = Cause.objects.filter(is_active=True).first()
    done = act(liaison, "respond", {"text": "Sudah.", "cause": cause.pk, "resolution": "resolved"})
    assert done["status"] == "responded"


def test_queue_per_role(client, ref) -> None:
    f.received()
    f.dispatched("dpupr")
    for role, kind in [
        (Role.ADMIN, "admin"),
        (Role.LIAISON, "agency"),
        (Role.AGENCY_HEAD, "agency"),
        (Role.MEMBER, "coordination"),
        (Role.REGENT, "regent"),
    ]:
        user = f.staff(
            role, f.agency("dpupr") if role in (Role.LIAISON, Role.AGENCY_HEAD) else None
        )
        response = get(client, "/queue", token_for(user))
        assert response.status_code == 200, response.content
        assert response.json()["kind"] == kind
    liaison = token_for(f.staff(Role.LIAISON, f.agency("dpupr")))
    groups = {g["key"]: g for g in get(client, "/queue", liaison).json()["groups"]}
    assert len(groups["queue"]["complaints"]) == 1


def test_list_is_limited_to_what_the_user_sees_filtered_and_paginated(client, ref) -> None:
    """S3: a liaison lists only their agency's complaints; filters narrow; the cursor walks
    the pages without repeats; a tampered cursor or a bad filter is 400."""
    for _ in range(3):
        f.dispatched("dpupr")
    f.dispatched("dinkes")
    f.received()
    liaison = token_for(f.staff(Role.LIAISON, f.agency("dpupr")))
    items = get(client, "/complaints", liaison).json()["items"]
    assert len(items) == 3 and {i["lead_agency"]["code"] for i in items} == {"dpupr"}
    admin = token_for(f.staff(Role.ADMIN))
    assert len(get(client, "/complaints?state=received", admin).json()["items"]) == 1
    seen: list[str] = []
    url = "/complaints?limit=2"
    while url:
        page = get(client, url, admin).json()
        seen += [i["tracking_code"] for i in page["items"]]
        url = page["next"].split("/api/v1/staff", 1)[1] if page["next"] else ""
    assert len(seen) == len(set(seen)) == 5
    assert get(client, "/complaints?cursor=abc", admin).status_code == 400
    assert get(client, "/complaints?state=nonsense", admin).status_code == 400
    assert get(client, "/complaints?limit=1000", admin).status_code == 400


def test_unknown_complaint_is_404(client, ref) -> None:
    secret = token_for(f.staff(Role.ADMIN))
    assert get(client, "/complaints/999999", secret).status_code == 404
    assert post(client, "/complaints/999999/archive", secret, {"reason": "spam"}).status_code == 404


def test_openapi_documents_every_staff_action(client, ref) -> None:
    from aduan.api.staff import ACTION_PATHS

    paths = json.loads(client.get("/api/v1/openapi.json").content)["paths"]
    for segment in ACTION_PATHS.values():
        assert f"/api/v1/staff/complaints/{{complaint_id}}/{segment}" in paths, segment
    assert "/api/v1/staff/queue" in paths
    assert "/api/v1/integrators/complaints" in paths
