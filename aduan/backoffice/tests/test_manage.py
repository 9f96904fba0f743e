"""Administration in the back-office (`/kantor/pengaturan/`): admins only, ModelForms with
errors next to fields, every change audited (S14), permission changes recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.agencies.models import Agency, Category
from aduan.audit.models import AuditEntry
from aduan.backoffice.models import ResponseTemplate
from aduan.complaints.models import DeadlinePolicy
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref  # noqa: F401  (fixture)
from aduan.workdays.models import Holiday
from aduan.workdays.services import working_calendar

from .support import signed_in

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

PAGES = [
    "/kantor/pengaturan/",
    "/kantor/pengaturan/instansi/",
    "/kantor/pengaturan/instansi/baru/",
    "/kantor/pengaturan/pengguna/",
    "/kantor/pengaturan/pengguna/baru/",
    "/kantor/pengaturan/kategori/",
    "/kantor/pengaturan/kategori/baru/",
    "/kantor/pengaturan/templat/",
    "/kantor/pengaturan/templat/baru/",
    "/kantor/pengaturan/libur/",
    "/kantor/pengaturan/libur/baru/",
    "/kantor/pengaturan/tenggat/",
]


@pytest.fixture
def admin(ref: Any) -> Any:  # noqa: F811
    return f.staff(Role.ADMIN, username="admin.dinas")


@pytest.fixture
def client_admin(client: Any, admin: Any) -> Any:
    return signed_in(client, admin)


def audits(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


# --- who may -----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client: Any, ref: Any) -> None:  # noqa: F811
    """S3: no settings page without signing in."""
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("backoffice:login"))


@pytest.mark.parametrize(
    "role", [Role.LIAISON, Role.AGENCY_HEAD, Role.MEMBER, Role.CHAIR, Role.PATRON, Role.REGENT]
)
def test_other_roles_get_403_everywhere_and_change_nothing(
    client: Any,
    ref: Any,  # noqa: F811
    role: Role,
) -> None:
    """S3, S14: every settings page and a forged POST are refused for non-admins — a liaison
    cannot make themselves admin."""
    agency = f.agency("dpupr")
    user = f.staff(role, agency=agency if role in (Role.LIAISON, Role.AGENCY_HEAD) else None)
    signed_in(client, user)
    for url in PAGES:
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("backoffice:manage_user", args=[user.pk]),
        {"username": user.username, "email": user.email, "role": "admin"},
    )
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.role == role
    assert not AuditEntry.objects.filter(action__startswith="settings.").exists()


def test_every_page_renders_for_the_admin(client_admin: Any) -> None:
    for url in PAGES:
        response = client_admin.get(url, **EN)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"]
    landing = client_admin.get(PAGES[0], **EN).content.decode()
    assert "Targets per performance indicator" in landing  # issue 7's, noted not built


# --- agencies ------------------------------------------------------------------------------------


def test_an_agency_is_added_and_edited_with_audit(client_admin: Any, admin: Any) -> None:
    """R3, S14: the handler's contacts are kept; create and update are audited."""
    response = client_admin.post(
        reverse("backoffice:manage_agency_new"),
        {
            "code": "dinkes-baru",
            "name": "Dinas Kesehatan Baru",
            "handler_name": "Ibu Sari",
            "office_address": "Jl. Poros Pasarwajo",
            "email": "pengaduan@dinkes.test",
            "website": "dinkes.butonkab.go.id",
            "is_active": "on",
        },
    )
    assert response.status_code == 303
    agency = Agency.objects.get(code="dinkes-baru")
    assert agency.handler_name == "Ibu Sari" and agency.website.startswith("https://")
    assert audits("settings.agency.create")[0].object_id == str(agency.pk)

    response = client_admin.post(
        reverse("backoffice:manage_agency", args=[agency.pk]),
        {
            "code": "tampered",
            "name": "Dinas Kesehatan Baru",
            "handler_name": "Bapak Ali",
            "requires_head_approval": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 303
    agency.refresh_from_db()
    assert agency.code == "dinkes-baru"  # the code of an existing agency cannot change
    assert agency.handler_name == "Bapak Ali" and agency.requires_head_approval
    changes = audits("settings.agency.update")[0].data["changes"]
    assert changes["requires_head_approval"] == {"from": False, "to": True}
    assert changes["handler_name"] == "changed"


def test_an_invalid_agency_shows_errors_and_changes_nothing(client_admin: Any) -> None:
    response = client_admin.post(
        reverse("backoffice:manage_agency_new"),
        {"code": "dpupr", "name": "", "email": "bukan-email"},
        **EN,
    )
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("code", "name", "email"):
        assert f'id="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html
    assert Agency.objects.filter(code="dpupr").count() == 1
    assert not AuditEntry.objects.filter(action__startswith="settings.").exists()


# --- staff accounts ------------------------------------------------------------------------------


def test_a_new_user_gets_a_reset_mail_and_no_password_is_typed(
    client_admin: Any, admin: Any
) -> None:
    """S6, S14: the admin never types a password; the new user gets a one-time link; the
    creation and the permission it grants are audited."""
    agency = f.agency("dpupr")
    response = client_admin.post(
        reverse("backoffice:manage_user_new"),
        {
            "username": "penghubung2.dpupr",
            "first_name": "Rina",
            "email": "Rina@Pemda.test",
            "role": "liaison",
            "agency": agency.pk,
        },
    )
    assert response.status_code == 303
    user = User.objects.get(username="penghubung2.dpupr")
    assert user.email == "rina@pemda.test" and user.role == Role.LIAISON
    assert user.agency == agency and user.is_active
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rina@pemda.test"]
    assert "/kantor/masuk/sandi-baru/" in message.body or "/kantor/" in message.body
    assert "penghubung2.dpupr" in message.body
    change = audits("settings.user.permission_change")[0]
    assert change.actor == admin and change.object_id == str(user.pk)
    assert change.data["to"] == {"role": "liaison", "agency": agency.pk, "is_active": True}
    assert audits("settings.user.create")


def test_one_agency_may_have_several_liaisons(client_admin: Any) -> None:
    agency = f.agency("dpupr")
    f.staff(Role.LIAISON, agency=agency)
    response = client_admin.post(
        reverse("backoffice:manage_user_new"),
        {
            "username": "penghubung3",
            "email": "p3@pemda.test",
            "role": "liaison",
            "agency": agency.pk,
        },
    )
    assert response.status_code == 303
    assert User.objects.filter(role=Role.LIAISON, agency=agency).count() == 2


@pytest.mark.parametrize("role", ["liaison", "agency_head"])
def test_a_liaison_or_head_without_agency_is_refused(client_admin: Any, role: str) -> None:
    """R11: liaison officers and agency heads belong to an agency; nothing is created or mailed."""
    response = client_admin.post(
        reverse("backoffice:manage_user_new"),
        {"username": "tanpa.instansi", "email": "t@pemda.test", "role": role},
        **EN,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_agency_error"' in html and "belong to an agency" in html
    assert not User.objects.filter(username="tanpa.instansi").exists()
    assert mail.outbox == []


def test_bad_user_input_is_refused(client_admin: Any, admin: Any) -> None:
    """Duplicate username/email, no role: errors by the fields, nothing created."""
    response = client_admin.post(
        reverse("backoffice:manage_user_new"),
        {"username": admin.username, "email": admin.email.upper(), "role": ""},
        **EN,
    )
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("username", "email", "role"):
        assert f'id="id_{field}_error"' in html
    assert User.objects.count() == 1


def test_a_role_change_is_audited_as_a_permission_change(client_admin: Any, admin: Any) -> None:
    """S14: a liaison made a member of the coordination team: the from/to is in the log."""
    agency = f.agency("dpupr")
    user = f.staff(Role.LIAISON, agency=agency)
    response = client_admin.post(
        reverse("backoffice:manage_user", args=[user.pk]),
        {"username": user.username, "email": user.email, "role": "member", "agency": ""},
    )
    assert response.status_code == 303
    user.refresh_from_db()
    assert user.role == Role.MEMBER and user.agency is None
    change = audits("settings.user.permission_change")[-1]
    assert change.actor == admin
    assert change.data["from"] == {"role": "liaison", "agency": agency.pk, "is_active": True}
    assert change.data["to"] == {"role": "member", "agency": None, "is_active": True}


def test_an_admin_cannot_remove_their_own_admin_role(client_admin: Any, admin: Any) -> None:
    response = client_admin.post(
        reverse("backoffice:manage_user", args=[admin.pk]),
        {"username": admin.username, "email": admin.email, "role": "member"},
        **EN,
    )
    assert response.status_code == 400
    assert "cannot remove your own admin role" in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN
    assert not audits("settings.user.permission_change")


def test_the_service_also_refuses_self_demotion(admin: Any) -> None:
    """Defence in depth: the service refuses even when the form check is bypassed."""
    from aduan.backoffice.manage_forms import StaffUserForm
    from aduan.backoffice.manage_services import staff_user_update
    from aduan.core.exceptions import ApplicationError

    form = StaffUserForm(
        {"username": admin.username, "email": admin.email, "role": "member"}, instance=admin
    )
    assert form.is_valid()  # no editor given: the form cannot know
    with pytest.raises(ApplicationError):
        staff_user_update(form=form, by=admin)
    assert User.objects.get(pk=admin.pk).role == Role.ADMIN


def test_deactivate_and_reactivate_never_delete(client_admin: Any, client: Any) -> None:
    """S8, S14: a deactivated account cannot use its session any more; it is kept, audited."""
    from django.test import Client

    user = f.staff(Role.MEMBER)
    member = signed_in(Client(), user)
    assert member.get("/kantor/aduan/").status_code != 302
    url = reverse("backoffice:manage_user_active", args=[user.pk])
    assert client_admin.post(url, {"active": "0"}).status_code == 303
    user.refresh_from_db()
    assert not user.is_active
    response = member.get("/kantor/aduan/")
    assert response.status_code == 302  # the old session no longer signs them in
    assert audits("settings.user.deactivate") and audits("settings.user.permission_change")
    assert client_admin.post(url, {"active": "1"}).status_code == 303
    user.refresh_from_db()
    assert user.is_active and audits("settings.user.reactivate")


def test_an_admin_cannot_deactivate_themselves(client_admin: Any, admin: Any) -> None:
    url = reverse("backoffice:manage_user_active", args=[admin.pk])
    assert client_admin.post(url, {"active": "0"}).status_code == 303
    admin.refresh_from_db()
    assert admin.is_active
    assert not audits("settings.user.deactivate")


# --- categories ----------------------------------------------------------------------------------


def test_a_category_with_default_and_alternative_agencies(client_admin: Any) -> None:
    """R16: routing by category is set here; audited."""
    dpupr, disperkim = f.agency("dpupr"), f.agency("disperkim")
    response = client_admin.post(
        reverse("backoffice:manage_category_new"),
        {
            "code": "X1",
            "name": "Jalan kabupaten",
            "default_agency": dpupr.pk,
            "alternative_agencies": [disperkim.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 303
    category = Category.objects.get(code="X1")
    assert category.routing_agency() == dpupr
    assert list(category.alternative_agencies.all()) == [disperkim]
    assert audits("settings.category.create")


def test_an_invalid_category_changes_nothing(client_admin: Any) -> None:
    dpupr = f.agency("dpupr")
    response = client_admin.post(
        reverse("backoffice:manage_category_new"),
        {
            "code": "",
            "name": "Tanpa kode",
            "default_agency": dpupr.pk,
            "alternative_agencies": [dpupr.pk],
        },
        **EN,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_code_error"' in html and 'id="id_alternative_agencies_error"' in html
    assert not Category.objects.exists()


def test_the_category_list_runs_a_constant_number_of_queries(client_admin: Any) -> None:
    agencies = list(Agency.objects.all()[:3])

    def make(n: int, start: int) -> None:
        for i in range(start, start + n):
            category = Category.objects.create(
                code=f"C{i}", name=f"Kategori {i}", default_agency=agencies[0]
            )
            category.alternative_agencies.set(agencies[1:])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_admin.get(reverse("backoffice:manage_categories")).status_code == 200
        return len(queries)

    make(3, 0)
    count()
    few = count()
    make(27, 3)
    assert few == count()


def test_the_user_list_runs_a_constant_number_of_queries(client_admin: Any) -> None:
    agency = f.agency("dpupr")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_admin.get(reverse("backoffice:manage_users")).status_code == 200
        return len(queries)

    for _ in range(2):
        f.staff(Role.LIAISON, agency=agency)
    count()
    few = count()
    for _ in range(27):
        f.staff(Role.AGENCY_HEAD, agency=agency)
    assert few == count()


# --- response templates --------------------------------------------------------------------------


def test_a_response_template_is_added_and_bad_input_refused(client_admin: Any) -> None:
    url = reverse("backoffice:manage_template_new")
    assert client_admin.post(url, {"title": "", "body": ""}, **EN).status_code == 400
    assert not ResponseTemplate.objects.exists()
    response = client_admin.post(
        url, {"title": "Jalan sudah ditambal", "body": "Terima kasih...", "is_active": "on"}
    )
    assert response.status_code == 303
    template = ResponseTemplate.objects.get()
    assert template.category is None and template.agency is None
    assert audits("settings.response_template.create")[0].object_id == str(template.pk)


# --- holidays ------------------------------------------------------------------------------------


def test_the_holiday_page_lists_the_package_holidays_of_the_year(client_admin: Any) -> None:
    """The table rows of the year, and the national calendar's dates next to them (2030: no
    table rows yet, so every package date offers "make it a working day")."""
    html = client_admin.get(
        reverse("backoffice:manage_holidays") + "?tahun=2030", **EN
    ).content.decode()
    assert "No dates for 2030 in the table." in html
    assert "Make it a working day" in html
    assert "1 Jan 2030" in html  # New Year, from the holidays package
    html_2026 = client_admin.get(
        reverse("backoffice:manage_holidays") + "?tahun=2026", **EN
    ).content.decode()
    assert "Non-working day (also in the table)" in html_2026  # the loaded rows of 2026


def test_a_cuti_bersama_is_added_and_a_date_switched_back_to_work(client_admin: Any) -> None:
    """The working calendar follows the table: a new cuti bersama is non-working; a national
    date switched off becomes a working day again (audited)."""
    url = reverse("backoffice:manage_holiday_new")
    day = dt.date(2026, 11, 18)  # a Wednesday
    assert working_calendar().is_working_day(day)
    response = client_admin.post(
        url,
        {"date": "2026-11-18", "kind": "joint_leave", "name": "Cuti bersama", "is_active": "on"},
    )
    assert response.status_code == 303
    assert not working_calendar().is_working_day(day)
    new_year = dt.date(2027, 1, 1)  # a Friday, national holiday
    assert not working_calendar().is_working_day(new_year)
    response = client_admin.post(
        url, {"date": "2027-01-01", "kind": "national", "name": "Dibatalkan (uji)"}
    )
    assert response.status_code == 303
    assert working_calendar().is_working_day(new_year)
    assert len(audits("settings.holiday.create")) == 2


def test_a_duplicate_or_bad_date_is_refused(client_admin: Any) -> None:
    Holiday.objects.create(date=dt.date(2030, 12, 24), kind="joint_leave", name="Cuti")
    url = reverse("backoffice:manage_holiday_new")
    for date in ("2030-12-24", "besok"):
        response = client_admin.post(
            url, {"date": date, "kind": "local", "name": "X", "is_active": "on"}, **EN
        )
        assert response.status_code == 400
        assert 'id="id_date_error"' in response.content.decode()
    assert Holiday.objects.filter(name="X").count() == 0


# --- deadlines -----------------------------------------------------------------------------------


def test_deadlines_are_changed_with_audit_and_the_page_says_new_clocks_only(
    client_admin: Any, admin: Any
) -> None:
    url = reverse("backoffice:manage_deadlines")
    assert "applies to clocks started after it" in client_admin.get(url, **EN).content.decode()
    response = client_admin.post(
        url,
        {
            "dispatch_working_days": 3,
            "response_target_working_days": 2,
            "response_deadline_working_days": 7,
            "autoclose_days": 10,
            "autoarchive_pending_days": 10,
        },
    )
    assert response.status_code == 303
    assert DeadlinePolicy.current().dispatch_working_days == 3
    entry = audits("settings.deadlines.update")[0]
    assert entry.data["changes"] == {"dispatch_working_days": {"from": 2, "to": 3}}


def test_invalid_deadlines_change_nothing(client_admin: Any) -> None:
    url = reverse("backoffice:manage_deadlines")
    response = client_admin.post(
        url,
        {
            "dispatch_working_days": 0,
            "response_target_working_days": 9,
            "response_deadline_working_days": 7,
            "autoclose_days": "",
            "autoarchive_pending_days": 10,
        },
        **EN,
    )
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("dispatch_working_days", "response_target_working_days", "autoclose_days"):
        assert f'id="id_{field}_error"' in html
    policy = DeadlinePolicy.current()
    assert (policy.dispatch_working_days, policy.response_target_working_days) == (2, 2)
    assert not audits("settings.deadlines.update")
