"""Sweeps over the whole back-office: the headers of every page (S9), who is sent to the sign-in
(S6), and issue 4's privacy test — an anonymous complainant's identity appears on no page for
any role (S1) unless an admin reveals it with a reason, and every identity view is logged (S14).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.agencies.models import Category, Cause
from aduan.api.keys import api_key_create, staff_token_create
from aduan.audit.models import AuditEntry
from aduan.backoffice import urls as backoffice_urls
from aduan.backoffice.models import ResponseTemplate, SavedFilter
from aduan.backoffice.tests.support import signed_in
from aduan.backoffice.tests.test_blocklist import sender_block_row
from aduan.backoffice.tests.test_inbound_monitor import record as inbound_record
from aduan.backoffice.tests.test_intake import form_data
from aduan.complaints.models import Channel, Complaint, Resolution
from aduan.complaints.services import ComplaintSubmission, IdentityInput, complaint_submit
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref
from aduan.complaints.workflow import transitions as t
from aduan.reports.models import Indicator, Target
from aduan.reports.tests.written_support import issued_report_stub
from aduan.workdays.models import Holiday

__all__ = ["ref"]

pytestmark = pytest.mark.django_db

LOGIN = "/kantor/masuk/"
# Pages for people who are not signed in (yet): the sign-in steps and the password reset.
PUBLIC = {
    "login",
    "otp_verify",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def _names(patterns: list[Any] | None = None) -> set[str]:
    """Every URL name of the back-office, those of included modules (reports) too."""
    names: set[str] = set()
    for p in backoffice_urls.urlpatterns if patterns is None else patterns:
        if isinstance(p, URLPattern):
            names |= {p.name} if p.name else set()
        elif isinstance(p, URLResolver):
            names |= _names(p.url_patterns)
    return names


def _urls(admin: User, client: Client) -> dict[str, str]:
    """One concrete address per URL name of `aduan.backoffice.urls` (objects made here)."""
    complaint = f.dispatched(title="Lampu jalan mati")
    client.post(reverse("backoffice:intake"), form_data())  # a receipt in this session
    entered = Complaint.objects.get(submitted_by=admin)
    category = Category.objects.create(code="uji", name="Kategori uji")
    saved = SavedFilter.objects.create(user=admin, name="Terlambat", query="overdue=1")
    template = ResponseTemplate.objects.create(title="Terima kasih", body="Terima kasih.")
    liaison = f.staff(Role.LIAISON, f.agency("dpupr"))
    api_key, _secret = api_key_create(name="Uji", scopes=["submit"], by=admin)
    token, _secret = staff_token_create(user=admin, name="Uji", scopes=["staff_read"])
    target = Target.objects.create(
        indicator=Indicator.SATISFACTION,
        value=4,
        period_start=dt.date(2026, 6, 1),
        period_end=dt.date(2026, 6, 30),
    )
    written = issued_report_stub()
    inbound = inbound_record()  # the inbound monitor (issue 5)
    c = {"pk": complaint.pk}

    def url(name: str, **kwargs: Any) -> str:
        return reverse(f"backoffice:{name}", kwargs=kwargs or None)

    return {
        "login": url("login"),
        "otp_verify": url("otp_verify"),
        "logout": url("logout"),
        "password_reset": url("password_reset"),
        "password_reset_done": url("password_reset_done"),
        "password_reset_confirm": url("password_reset_confirm", uidb64="MQ", token="x-y"),
        "password_reset_complete": url("password_reset_complete"),
        "two_factor": url("two_factor"),
        "recovery_codes": url("recovery_codes"),
        "password_change": url("password_change"),
        "home": url("home"),
        "list": url("list"),
        "export": url("export"),
        "saved_filter_create": url("saved_filter_create"),
        "saved_filter_delete": url("saved_filter_delete", pk=saved.pk),
        "complaint": url("complaint", **c),
        "complaint_action": url("complaint_action", verb="note", **c),
        "complaint_note": url("complaint_note", **c),
        "complaint_identity_reveal": url("complaint_identity_reveal", **c),
        "complaint_response_text": url("complaint_response_text", **c),
        "intake": url("intake"),
        "intake_receipt": url("intake_receipt", pk=entered.pk),
        "moderation": url("moderation"),
        "moderation_review": url("moderation_review", **c),
        "moderation_unpublish": url("moderation_unpublish", **c),
        "manage": url("manage"),
        "manage_agencies": url("manage_agencies"),
        "manage_agency_new": url("manage_agency_new"),
        "manage_agency": url("manage_agency", pk=complaint.lead_agency_id),
        "manage_users": url("manage_users"),
        "manage_user_new": url("manage_user_new"),
        "manage_user": url("manage_user", pk=liaison.pk),
        "manage_user_active": url("manage_user_active", pk=liaison.pk),
        "manage_categories": url("manage_categories"),
        "manage_category_new": url("manage_category_new"),
        "manage_category": url("manage_category", pk=category.pk),
        "manage_templates": url("manage_templates"),
        "manage_template_new": url("manage_template_new"),
        "manage_template": url("manage_template", pk=template.pk),
        "manage_holidays": url("manage_holidays"),
        "manage_holiday_new": url("manage_holiday_new"),
        "manage_holiday": url("manage_holiday", pk=Holiday.objects.first().pk),  # type: ignore[union-attr]
        "manage_deadlines": url("manage_deadlines"),
        "api_keys": url("api_keys"),
        "api_key_revoke": url("api_key_revoke", pk=api_key.pk),
        "staff_tokens": url("staff_tokens"),
        "staff_token_revoke": url("staff_token_revoke", pk=token.pk),
        "reports": url("reports"),
        "report_targets": url("report_targets"),
        "report_target_delete": url("report_target_delete", pk=target.pk),
        "inbound": url("inbound"),
        "inbound_retry": url("inbound_retry", pk=inbound.pk),
        "inbound_block": url("inbound_block", pk=inbound.pk),
        "blocklist": url("blocklist"),  # issue 5: blocked senders
        "blocklist_remove": url("blocklist_remove", pk=sender_block_row().pk),
        # written report (aduan/reports/written): a draft and an issued one with a stored file
        "report_written_list": url("report_written_list"),
        "report_written": url("report_written", pk=written.pk),
        "report_written_issue": url("report_written_issue", pk=written.pk),
        "report_written_download": url("report_written_download", pk=written.pk, fmt="pdf"),
    }


def _assert_headers(name: str, response: Any, *, no_store: bool = True) -> None:
    csp = response["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, name
    assert "frame-ancestors 'none'" in csp, name
    assert response["X-Content-Type-Options"] == "nosniff", name
    if no_store:
        assert "no-store" in response.get("Cache-Control", ""), (name, response.status_code)


def test_s9_every_backoffice_page_carries_the_security_headers(client, ref) -> None:
    """S9: every URL of the back-office, GET as a signed-in admin: a CSP without inline script
    and with frame-ancestors 'none', nosniff and `Cache-Control: no-store` — the sign-in pages
    included. The covered set is the set in urls.py, so a new URL must be added here."""
    admin = f.staff(Role.ADMIN)
    signed_in(client, admin)
    urls = _urls(admin, client)
    assert set(urls) == _names()
    statuses = {}
    for name, url in urls.items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        statuses[name] = response.status_code
        _assert_headers(name, response)
    # The response-template fragment is for whoever may respond (the admin may not: 404, an
    # empty page); the lead agency's liaison gets it, no-store.
    assert statuses.pop("complaint_response_text") == 404
    complaint = f.in_progress(title="Jalan berlubang")
    liaison = signed_in(Client(), f.staff(Role.LIAISON, complaint.lead_agency))
    fragment = liaison.get(reverse("backoffice:complaint_response_text", args=[complaint.pk]))
    assert fragment.status_code == 200
    _assert_headers("complaint_response_text", fragment)
    # The pages were really rendered (not refused): GET-only ones answer 200 to the admin.
    post_only = {n for n, s in statuses.items() if s == 405}
    assert post_only == {
        "logout",
        "saved_filter_create",
        "saved_filter_delete",
        "complaint_action",
        "complaint_note",
        "complaint_identity_reveal",
        "moderation_unpublish",
        "manage_user_active",
        "api_key_revoke",
        "staff_token_revoke",
        "report_target_delete",
        "inbound_retry",
        "inbound_block",
        "blocklist_remove",
        "report_written_issue",
    }
    signed_in_redirects = {n for n, s in statuses.items() if s == 302}
    # Signed in and verified: the sign-in steps send on; the recovery codes are shown only
    # right after they were made.
    assert signed_in_redirects <= {"login", "otp_verify", "recovery_codes"}
    assert all(s in (200, 302, 405) for s in statuses.values()), statuses


def test_s6_anonymous_visitors_are_sent_to_the_sign_in(client, ref) -> None:
    """S6: without a session every staff page redirects to the sign-in (a POST-only address
    refuses the GET); none answers 200. The sign-in pages themselves are public, no-store."""
    admin = f.staff(Role.ADMIN)
    urls = _urls(admin, signed_in(Client(), admin))
    for name, url in urls.items():
        response = client.get(url)
        # Every response under /kantor/ is no-store, redirects and refusals included.
        _assert_headers(name, response)
        if name in PUBLIC:
            assert response.status_code == 200 or name == "otp_verify", name
            continue
        assert response.status_code != 200, name
        if response.status_code != 405:
            assert response.status_code == 302, name
            assert response["Location"].startswith(LOGIN), name


# --- S1: an anonymous complainant's identity on every page -------------------------------------

NAME = "Zulkarnaen Wibisono Tamalate"
PHONE = "+6281299887766"
EMAIL = "rahasia.sekali@example.org"
NIK = "7404019988776655"
IDENTITY = [
    NAME,
    "Zulkarnaen",
    "Wibisono",
    "Tamalate",
    PHONE,
    "081299887766",
    "81299887766",
    EMAIL,
    NIK,
]
RESPONSE = "Lampu jalan sudah diganti oleh petugas kami pada hari Senin."


def _submitted(*, anonymous: bool) -> Complaint:
    submission = ComplaintSubmission(
        channel=Channel.WEB,
        title="Lampu jalan mati di Pasarwajo",
        body="Lampu jalan di depan pasar mati sejak seminggu, gelap sekali malam hari.",
        anonymous=anonymous,
        identity=IdentityInput(name=NAME, phone=PHONE, email=EMAIL, nik=NIK),
    )
    return complaint_submit(submission=submission).complaint


def _anonymous_responded(agency: str = "dpupr") -> Complaint:
    complaint = _submitted(anonymous=True)
    t.complaint_dispatch(complaint=complaint, by=f.actor(Role.ADMIN), agency=f.agency(agency))
    t.complaint_acknowledge(complaint=complaint, by=f.actor(Role.LIAISON, f.agency(agency)))
    return t.complaint_respond(
        complaint=complaint,
        by=f.actor(Role.LIAISON, f.agency(agency)),
        text=RESPONSE,
        cause=Cause.objects.get(code="sarana_rusak"),
        resolution=Resolution.RESOLVED,
    )


def _pages(complaint: Complaint, role: Role) -> dict[str, str]:
    pages = {
        "home": reverse("backoffice:home"),
        "list": reverse("backoffice:list"),
        "search": reverse("backoffice:list") + "?q=Zulkarnaen",
        "search_title": reverse("backoffice:list") + "?q=Pasarwajo",
        "complaint": reverse("backoffice:complaint", kwargs={"pk": complaint.pk}),
        "export": reverse("backoffice:export"),
    }
    if role == Role.ADMIN:
        pages["moderation"] = reverse("backoffice:moderation")
        pages["moderation_review"] = reverse(
            "backoffice:moderation_review", kwargs={"pk": complaint.pk}
        )
    return pages


def _text(response: Any) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize(
    "role",
    [Role.LIAISON, Role.AGENCY_HEAD, Role.MEMBER, Role.CHAIR, Role.REGENT, Role.ADMIN],
)
def test_s1_an_anonymous_identity_appears_on_no_backoffice_page(client, ref, role) -> None:
    """S1 (issue 4's privacy test): an anonymous complaint dispatched to and answered by agency
    A: every back-office page — home, list, list searched for the complainant's name, complaint
    page, CSV export, and for the admin the moderation queue and review — rendered as A's
    liaison and head, the coordination team, the regent and the admin, contains none of the
    name, phone (any form), email or NIK; a search for the name does not find the complaint."""
    complaint = _anonymous_responded()
    agency = f.agency("dpupr") if role in (Role.LIAISON, Role.AGENCY_HEAD) else None
    signed_in(client, f.staff(role, agency))
    for name, url in _pages(complaint, role).items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, (name, response.status_code)
        text = _text(response)
        for value in IDENTITY:
            if name == "search" and value == "Zulkarnaen":
                continue  # the search box (and the export / save links) repeat what was typed
            assert value not in text, (name, value)
        if name in ("complaint", "search_title", "export", "moderation_review"):
            assert complaint.tracking_code in text, name  # the control: it is on the page
        if name == "search":
            assert complaint.tracking_code not in text  # identity is not searchable
    assert not AuditEntry.objects.filter(
        action__in=["identity.view", "identity.reveal"], object_id=str(complaint.pk)
    ).exists()


def test_s1_s2_the_admin_sees_an_anonymous_identity_only_after_a_reveal(client, ref) -> None:
    """S2 control: the admin reveals with a reason (POST): the name, phone, email and NIK are
    on that response and an `identity.reveal` row with the reason is written; the next GET hides
    them again."""
    complaint = _anonymous_responded()
    admin = f.staff(Role.ADMIN)
    signed_in(client, admin)
    url = reverse("backoffice:complaint_identity_reveal", kwargs={"pk": complaint.pk})
    response = client.post(url, {"reason": "Perlu menghubungi pengadu untuk survei lapangan."})
    assert response.status_code == 200
    html = response.content.decode()
    for value in (NAME, EMAIL, NIK):
        assert value in html, value
    assert "81299887766" in html
    reveal = AuditEntry.objects.get(action="identity.reveal", object_id=str(complaint.pk))
    assert reveal.actor_id == admin.pk
    assert reveal.data["reason"].startswith("Perlu menghubungi")
    again = client.get(reverse("backoffice:complaint", kwargs={"pk": complaint.pk}))
    assert NAME not in again.content.decode()


def test_s14_every_identity_view_by_an_admin_is_logged(client, ref) -> None:
    """S14: each time an admin opens a non-anonymous complaint with an identity, an
    `identity.view` audit row is written (two views, two rows)."""
    complaint = _submitted(anonymous=False)
    t.complaint_dispatch(complaint=complaint, by=f.actor(Role.ADMIN), agency=f.agency("dpupr"))
    admin = f.staff(Role.ADMIN)
    signed_in(client, admin)
    url = reverse("backoffice:complaint", kwargs={"pk": complaint.pk})
    for _ in range(2):
        response = client.get(url)
        assert NAME in response.content.decode()
    rows = AuditEntry.objects.filter(action="identity.view", object_id=str(complaint.pk))
    assert rows.count() == 2
    assert set(rows.values_list("actor_id", flat=True)) == {admin.pk}
