"""The complainant's identity on the complaint page (R7, S1, S2, S14)."""

from __future__ import annotations

import pytest

from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry
from aduan.backoffice.tests.complaint_support import page
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref

__all__ = ["ref"]

pytestmark = pytest.mark.django_db

NAME = "Zulkarnain Wibisono-Quetzal"
PHONE = "081377712345"
PHONE_E164 = "+6281377712345"
EMAIL = "zq.rahasia.7741@contoh.id"
VALUES = [NAME, PHONE, PHONE_E164, EMAIL, "7712345"]


def _anonymous(to: str = "dpupr"):  # type: ignore[no-untyped-def]
    return f.dispatched(to, anonymous=True, name=NAME, phone=PHONE, email=EMAIL)


def _assert_absent(content: bytes) -> None:
    text = content.decode()
    for value in VALUES:
        assert value not in text, value


def _reveals(complaint) -> int:  # type: ignore[no-untyped-def]
    return AuditEntry.objects.filter(action="identity.reveal", object_id=str(complaint.pk)).count()


@pytest.mark.parametrize("role", [Role.LIAISON, Role.AGENCY_HEAD])
def test_agency_staff_never_see_an_anonymous_identity(client, ref, role) -> None:
    """S1: the lead agency's liaison and head render the page of an anonymous complaint: none
    of the identity's values appears, and there is no reveal form."""
    complaint = _anonymous()
    response = page(client, f.staff(role, f.agency("dpupr")), complaint)
    assert response.status_code == 200
    _assert_absent(response.content)
    assert b"/identitas/" not in response.content
    assert not AuditEntry.objects.filter(action="identity.view", object_id=str(complaint.pk))


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAIR, Role.PATRON, Role.REGENT])
def test_coordination_and_regent_never_see_identity(client, ref, role) -> None:
    """S1: neither the coordination team nor the regent see an identity (anonymous or not)."""
    for complaint in (_anonymous(), f.dispatched(name=NAME, phone=PHONE, email=EMAIL)):
        response = page(client, f.staff(role), complaint)
        assert response.status_code == 200
        _assert_absent(response.content)


@pytest.mark.parametrize("role", [Role.LIAISON, Role.AGENCY_HEAD, Role.MEMBER])
def test_only_the_admin_may_reveal(client, ref, role) -> None:
    """S2: the reveal URL refuses every other role (403), nothing is revealed or logged as a
    reveal."""
    complaint = _anonymous()
    user = f.staff(role, f.agency("dpupr") if role != Role.MEMBER else None)
    response = signed_in(client, user).post(
        f"/kantor/aduan/{complaint.pk}/identitas/", {"reason": "Perlu menghubungi pengadu."}
    )
    assert response.status_code == 403
    _assert_absent(response.content)
    assert _reveals(complaint) == 0


def test_admin_without_reveal_sees_nothing_then_reveals_with_a_reason(client, ref) -> None:
    """S2: the admin sees the anonymous identity only after a reveal with a reason; the reveal is
    logged with the reason; the next page view hides it again (not cached in the session)."""
    complaint = _anonymous()
    admin = f.staff(Role.ADMIN)
    response = page(client, admin, complaint)
    _assert_absent(response.content)
    assert b"/identitas/" in response.content

    url = f"/kantor/aduan/{complaint.pk}/identitas/"
    for bad in ("", "short"):
        refused = signed_in(client, admin).post(url, {"reason": bad}, HTTP_ACCEPT_LANGUAGE="en")
        assert refused.status_code == 400
        _assert_absent(refused.content)
        assert b'aria-invalid="true"' in refused.content
    assert _reveals(complaint) == 0

    revealed = signed_in(client, admin).post(
        url, {"reason": "Pengadu perlu dihubungi untuk lokasi."}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert revealed.status_code == 200
    text = revealed.content.decode()
    assert NAME in text and PHONE_E164 in text and EMAIL in text
    assert revealed["Cache-Control"].count("no-store") == 1
    entry = AuditEntry.objects.get(action="identity.reveal", object_id=str(complaint.pk))
    assert entry.actor == admin and entry.data["reason"] == "Pengadu perlu dihubungi untuk lokasi."

    again = page(client, admin, complaint)
    _assert_absent(again.content)


def test_reveal_get_is_not_allowed(client, ref) -> None:
    complaint = _anonymous()
    response = signed_in(client, f.staff(Role.ADMIN)).get(
        f"/kantor/aduan/{complaint.pk}/identitas/"
    )
    assert response.status_code == 405


def test_lead_agency_sees_a_named_identity_and_it_is_logged(client, ref) -> None:
    """R7, S14: a non-anonymous complainant's identity is shown to the lead agency's liaison and
    each view writes an identity.view row."""
    complaint = f.dispatched(name=NAME, phone=PHONE, email=EMAIL)
    officer = f.staff(Role.LIAISON, f.agency("dpupr"))
    response = page(client, officer, complaint)
    assert NAME in response.content.decode()
    page(client, officer, complaint)
    views = AuditEntry.objects.filter(action="identity.view", object_id=str(complaint.pk))
    assert views.count() == 2 and {v.actor for v in views} == {officer}


def test_admin_sees_a_named_identity_logged(client, ref) -> None:
    complaint = f.received(name=NAME, phone=PHONE, email=EMAIL)
    admin = f.staff(Role.ADMIN)
    assert NAME in page(client, admin, complaint).content.decode()
    assert AuditEntry.objects.filter(
        action="identity.view", object_id=str(complaint.pk), actor=admin
    ).exists()


def test_co_agency_does_not_see_a_named_identity(client, ref) -> None:
    """R7: only the lead agency's staff (and admins) see a named identity, not a co-agency."""
    from aduan.complaints.workflow import transitions as t

    complaint = t.complaint_dispatch(
        complaint=f.submit(name=NAME, phone=PHONE, email=EMAIL),
        by=f.actor(Role.ADMIN),
        agency=f.agency("dpupr"),
        co_agencies=[f.agency("dinkes")],
    )
    response = page(client, f.staff(Role.LIAISON, f.agency("dinkes")), complaint)
    assert response.status_code == 200
    _assert_absent(response.content)


def test_duplicate_suggestions_never_say_same_contact_to_agency_staff(client, ref) -> None:
    """S1: agency staff are never told two (anonymous) reports come from the same person."""
    first = _anonymous()
    second = f.dispatched(anonymous=True, name=NAME, phone=PHONE, email=EMAIL, title="Lain sekali")
    response = page(client, f.staff(Role.LIAISON, f.agency("dpupr")), second)
    assert all(not d.same_contact for d in response.context["duplicates"])
    assert first.pk  # the first complaint exists and is visible to the liaison
