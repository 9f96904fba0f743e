"""S3: every role x every action URL of the complaint page x the complaint's ownership (the
user's own agency leads it / another agency leads it / no agency yet), over HTTP.

A complaint the user may not see is a 404; an action the role, the agency or the state does not
allow is a 403; both change nothing (state, agency, events, messages, links, reveals). Allowed
actions succeed (303, the reveal and the page 200). Plus guessed URLs (IDOR) and tampered form
fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aduan.accounts.roles import Role
from aduan.agencies.models import Cause
from aduan.audit.models import AuditEntry
from aduan.backoffice.tests.complaint_support import (
    ACTION,
    PAGE,
    form_state,
    post_action,
    snapshot,
)
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.models import Complaint
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref
from aduan.complaints.workflow import transitions as t

__all__ = ["ref"]

pytestmark = pytest.mark.django_db

OWN, OTHER = "dpupr", "dinkes"
THIRD = "dishub"
ROLES = [
    Role.ADMIN,
    Role.LIAISON,
    Role.AGENCY_HEAD,
    Role.MEMBER,
    Role.CHAIR,
    Role.PATRON,
    Role.REGENT,
]
OWNERSHIP = ["own", "other", "none"]
AGENCY_ROLES = {Role.LIAISON, Role.AGENCY_HEAD}
COORDINATION = {Role.MEMBER, Role.CHAIR, Role.PATRON}


def _lead(owner: str) -> str:
    return OWN if owner == "own" else OTHER


def _with_co_agency(to: str) -> Complaint:
    return t.complaint_dispatch(
        complaint=f.submit(),
        by=f.actor(Role.ADMIN),
        agency=f.agency(to),
        co_agencies=[f.agency(THIRD)],
    )


# action → (build the complaint for an ownership, the POST data (None: a GET of the page)).
Builder = Callable[[str], Complaint]
DataFn = Callable[[Complaint], dict[str, Any]]


def _state(for_agency: Callable[[str], Complaint], without: Callable[[], Complaint]) -> Builder:
    return lambda owner: without() if owner == "none" else for_agency(_lead(owner))


SETUPS: dict[str, tuple[Builder, DataFn | None]] = {
    "page": (_state(f.dispatched, f.received), None),
    "dispatch": (
        _state(f.received_after_return, f.received),
        lambda c: {"agency": f.agency(THIRD).pk, "kind": "complaint"},
    ),
    "redispatch": (
        _state(f.returned, f.received),
        lambda c: {"agency": f.agency(THIRD).pk},
    ),
    "request_info": (
        _state(f.received_after_return, f.received),
        lambda c: {"question": "Di mana lokasinya?"},
    ),
    "archive": (_state(f.received_after_return, f.received), lambda c: {"reason": "unclear"}),
    "forward_out": (
        _state(f.received_after_return, f.received),
        lambda c: {"forwarded_to": "Pemerintah Provinsi Sulawesi Tenggara"},
    ),
    "restore": (
        _state(f.archived_after_return, f.archived),
        lambda c: {"reason": "Pengadu melengkapi."},
    ),
    "acknowledge": (_state(f.dispatched, f.received), lambda c: {}),
    "return": (
        _state(f.dispatched, f.received),
        lambda c: {"reason": "Ini urusan dinas lain."},
    ),
    "respond": (
        _state(f.in_progress, f.received),
        lambda c: {
            "text": "Sudah kami perbaiki.",
            "cause": Cause.objects.get(code="sarana_rusak").pk,
            "resolution": "resolved",
        },
    ),
    "note": (_state(f.dispatched, f.received), lambda c: {"text": "Catatan internal."}),
    "field_check": (
        _state(f.in_progress, f.received),
        lambda c: {"text": "Lubang 2 meter.", "checked_on": ""},
    ),
    "coordinate": (_state(f.dispatched, f.received), lambda c: {"text": "Mohon dipercepat."}),
    "co_agency_input": (
        _state(_with_co_agency, f.received),
        lambda c: {"agency": f.agency(THIRD).pk, "text": "Mohon data puskesmas."},
    ),
    "link": (
        _state(f.dispatched, f.received),
        lambda c: {"other": f.dispatched(OWN, title="Lain").tracking_code},
    ),
    "reveal": (
        lambda owner: (
            f.received(anonymous=True)
            if owner == "none"
            else f.received_after_return(_lead(owner), anonymous=True)
        ),
        lambda c: {"reason": "Perlu konfirmasi lokasi dengan pengadu."},
    ),
}


def visible(role: Role, owner: str) -> bool:
    return role not in AGENCY_ROLES or owner == "own"


def allowed(action: str, role: Role, owner: str) -> bool:
    own_agency = role in AGENCY_ROLES and owner == "own"
    has_agency = owner != "none"
    return {
        "page": True,
        "dispatch": role == Role.ADMIN,
        "redispatch": role == Role.ADMIN and has_agency,
        "request_info": role == Role.ADMIN,
        "archive": role == Role.ADMIN,
        "forward_out": role == Role.ADMIN,
        "restore": role == Role.ADMIN,
        "acknowledge": own_agency,
        "return": own_agency,
        "respond": own_agency,
        "field_check": own_agency,
        "note": role != Role.REGENT,
        "coordinate": role in COORDINATION and has_agency,
        "co_agency_input": (role == Role.ADMIN or own_agency) and has_agency,
        "link": role == Role.ADMIN or own_agency,
        "reveal": role == Role.ADMIN,
    }[action]


def expected_status(action: str, role: Role, owner: str) -> int:
    if action == "reveal":  # an admin-only URL: 403 for every other role before any lookup
        return 200 if role == Role.ADMIN else 403
    if not visible(role, owner):
        return 404
    if allowed(action, role, owner):
        return 200 if action == "page" else 303
    return 403


CASES = [
    pytest.param(action, role, owner, id=f"{action}-{role.value}-{owner}")
    for action in SETUPS
    for role in ROLES
    for owner in OWNERSHIP
]


@pytest.mark.parametrize(("action", "role", "owner"), CASES)
def test_matrix(client, ref, action: str, role: Role, owner: str) -> None:
    """S3: the status is what the role, agency and ownership allow; refusals change nothing."""
    build, data_fn = SETUPS[action]
    complaint = build(owner)
    user = f.staff(role, f.agency(OWN) if role in AGENCY_ROLES else None)
    before = snapshot(complaint)
    if data_fn is None:
        response = signed_in(client, user).get(PAGE.format(pk=complaint.pk))
    elif action == "reveal":
        response = signed_in(client, user).post(
            f"/kantor/aduan/{complaint.pk}/identitas/", data_fn(complaint)
        )
    else:
        response = post_action(client, user, complaint, action, data_fn(complaint))
    want = expected_status(action, role, owner)
    assert response.status_code == want, response.content.decode()[-1500:]
    after = snapshot(complaint)
    if want in (403, 404) or action == "page":
        assert after == before
    elif action == "reveal":
        assert after["reveals"] == before["reveals"] + 1
    else:
        assert after["events"] > before["events"]


def test_matrix_size() -> None:
    """The size of the matrix, for the report (7 roles x 16 action URLs x 3 ownerships)."""
    assert len(CASES) == 7 * 16 * 3 == 336


# --- guessed URLs and tampered fields ---------------------------------------------------------


def test_idor_other_agency_every_action_is_404(client, ref) -> None:
    """S3: a liaison guessing the number of another agency's complaint gets 404 on the page and
    on every action, and nothing changes."""
    from aduan.backoffice.actions import ACTIONS

    complaint = f.in_progress(OTHER)
    liaison = f.staff(Role.LIAISON, f.agency(OWN))
    before = snapshot(complaint)
    assert signed_in(client, liaison).get(PAGE.format(pk=complaint.pk)).status_code == 404
    for verb in ACTIONS:
        response = post_action(client, liaison, complaint, verb, {"text": "x", "reason": "x"})
        assert response.status_code == 404, verb
    assert (
        signed_in(client, liaison)
        .post(f"/kantor/aduan/{complaint.pk}/catatan/", {"text": "x"})
        .status_code
        == 404
    )
    assert (
        signed_in(client, liaison).get(f"/kantor/aduan/{complaint.pk}/templat/").status_code == 404
    )
    assert snapshot(complaint) == before
    assert AuditEntry.objects.filter(action="access.denied", object_id=str(complaint.pk)).exists()


def test_liaison_dispatch_to_another_agency_is_refused(client, ref) -> None:
    """S3, tampered field: a liaison posting a dispatch (an admin verb) with another agency's id
    on a complaint of their own agency gets 403 and nothing changes."""
    complaint = f.received_after_return(OWN)
    liaison = f.staff(Role.LIAISON, f.agency(OWN))
    before = snapshot(complaint)
    response = post_action(
        client, liaison, complaint, "dispatch", {"agency": f.agency(OTHER).pk, "kind": "complaint"}
    )
    assert response.status_code == 403
    assert snapshot(complaint) == before
    assert AuditEntry.objects.filter(
        action="complaint.denied", object_id=str(complaint.pk)
    ).exists()


def test_co_agency_liaison_sees_but_cannot_act_for_the_lead(client, ref) -> None:
    """S3: a co-agency's liaison sees the complaint (no identity) but may not acknowledge,
    respond or return for the lead agency."""
    complaint = _with_co_agency(OWN)
    co_liaison = f.staff(Role.LIAISON, f.agency(THIRD))
    response = signed_in(client, co_liaison).get(PAGE.format(pk=complaint.pk))
    assert response.status_code == 200
    assert b"Warga Uji" not in response.content
    before = snapshot(complaint)
    for verb, data in [
        ("acknowledge", {}),
        ("return", {"reason": "bukan kami"}),
        ("field_check", {"text": "cek"}),
    ]:
        assert post_action(client, co_liaison, complaint, verb, data).status_code == 403, verb
    assert snapshot(complaint) == before


def test_link_to_a_complaint_the_user_cannot_see_is_refused(client, ref) -> None:
    """S3, tampered field: linking to another agency's complaint by its code is refused as an
    unknown complaint; its title never appears."""
    complaint = f.dispatched(OWN)
    hidden = f.dispatched(OTHER, title="Rahasia dinas lain")
    liaison = f.staff(Role.LIAISON, f.agency(OWN))
    before = snapshot(complaint)
    response = post_action(client, liaison, complaint, "link", {"other": hidden.tracking_code})
    assert response.status_code == 400
    assert b"Rahasia dinas lain" not in response.content
    assert snapshot(complaint) == before


def test_co_agency_input_to_an_agency_that_is_not_a_co_agency(client, ref) -> None:
    """Tampered field: asking input from an agency that is not a co-agency is a form error."""
    complaint = _with_co_agency(OWN)
    liaison = f.staff(Role.LIAISON, f.agency(OWN))
    before = snapshot(complaint)
    response = post_action(
        client, liaison, complaint, "co_agency_input", {"agency": f.agency(OTHER).pk, "text": "x"}
    )
    assert response.status_code == 400
    assert snapshot(complaint) == before


def test_unknown_verb_missing_complaint_and_get_on_action(client, ref) -> None:
    """Unknown verbs and complaint numbers are 404; an action URL does not answer GET."""
    complaint = f.received()
    admin = f.staff(Role.ADMIN)
    client = signed_in(client, admin)
    assert (
        client.post(
            ACTION.format(pk=complaint.pk, verb="delete"), form_state(complaint)
        ).status_code
        == 404
    )
    assert (
        client.post(ACTION.format(pk=999999, verb="archive"), {"reason": "spam"}).status_code == 404
    )
    assert client.get(PAGE.format(pk=999999)).status_code == 404
    assert client.get(ACTION.format(pk=complaint.pk, verb="archive")).status_code == 405


def test_anonymous_visitor_and_unverified_staff_are_sent_to_sign_in(client, ref) -> None:
    """S6: no session → the sign-in page; a session without the second factor → the OTP step."""
    complaint = f.received()
    response = client.get(PAGE.format(pk=complaint.pk))
    assert response.status_code == 302 and "/kantor/masuk/" in response["Location"]
    admin = f.staff(Role.ADMIN)
    client.force_login(admin)
    response = client.post(ACTION.format(pk=complaint.pk, verb="archive"), {"reason": "spam"})
    assert response.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).status == "received"
