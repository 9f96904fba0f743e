"""Staff sign-in: password, then the second factor (S6, S14)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY

from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry

from .accounts_support import (
    ENROL,
    HOME,
    LOGIN,
    PASSWORD,
    STAFF_PAGE,
    VERIFY,
    audit_actions,
    code_for,
    english,
    enrol,
    make_staff,
    password_step,
)

pytestmark = pytest.mark.django_db

WRONG = "The username, email address or password is not right."


def test_s6_full_sign_in_with_password_then_totp_code(client):
    """S6: the password alone does not sign in; the TOTP code completes it and lands home."""
    user = make_staff()
    device = enrol(user)
    english(client)
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert 'name="identifier"' in page.content.decode()
    assert "no-store" in page["Cache-Control"]

    response = password_step(client, "admin1")
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert SESSION_KEY not in client.session, "not signed in after the password alone"
    assert client.get(VERIFY).status_code == 200

    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == HOME
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(STAFF_PAGE).status_code == 200
    assert audit_actions(actor=user) == ["auth.login"]


def test_s6_email_address_in_any_case_works_as_the_name(client):
    make_staff(email="Admin.Dinas@Pemda.test")
    response = password_step(client, "admin.dinas@PEMDA.test")
    assert response.status_code == 302 and response["Location"] == ENROL


def test_s14_wrong_password_is_refused_and_logged_without_the_password(client):
    """S14: a failed sign-in writes one audit row naming the user, never the password."""
    make_staff()
    english(client)
    response = password_step(client, "admin1", "salah-sekali-123")
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert SESSION_KEY not in client.session
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert failed.actor_label == "admin1"
    assert "salah-sekali" not in str(failed.data)


@pytest.mark.parametrize("identifier", ["nobody", "nobody@pemda.test"])
def test_s7_unknown_user_gets_the_same_answer_as_a_wrong_password(client, identifier):
    """S7: no enumeration — an unknown name or address gets the very same page."""
    make_staff()
    english(client)
    known = password_step(client, "admin1", "salah-sekali-123").content.decode()
    unknown = password_step(client, identifier, "salah-sekali-123").content.decode()
    assert WRONG in unknown

    def strip(html: str, name: str) -> str:  # the CSRF token and the typed name differ
        return re.sub(r'value="[^"]{30,}"', "", html).replace(f'value="{name}"', "")

    assert strip(known, "admin1") == strip(unknown, identifier)


def test_s7_unknown_user_still_runs_the_password_hasher(client, monkeypatch):
    """S7: similar timing — the hasher runs for an unknown name as for a known one."""
    from django.contrib.auth.hashers import MD5PasswordHasher

    calls = []
    original = MD5PasswordHasher.encode

    def counting(self, password, salt):
        calls.append(1)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting)
    password_step(client, "nobody", "salah-sekali-123")
    assert calls, "the hasher ran"


def test_s6_accounts_without_a_staff_role_or_inactive_are_refused_alike(client):
    english(client)
    make_staff(username="norole", role="")
    make_staff(username="gone", is_active=False)
    for name in ("norole", "gone"):
        response = password_step(client, name)
        assert response.status_code == 200 and WRONG in response.content.decode()
        assert SESSION_KEY not in client.session


def test_s6_staff_without_an_authenticator_is_sent_to_enrolment(client):
    make_staff(role=Role.MEMBER)
    response = password_step(client, "admin1")
    assert response["Location"] == ENROL


def test_s6_a_staff_page_is_unreachable_without_the_second_factor(client):
    """S6: after the password only, and in a session signed in without a code (e.g. the Django
    admin), staff pages send the user to sign-in / the code page, never show content."""
    user = make_staff()
    enrol(user)
    password_step(client, "admin1")
    response = client.get(STAFF_PAGE)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)

    other = make_staff(username="other")
    enrol(other)
    client.force_login(other)
    response = client.get(STAFF_PAGE)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.get(HOME)["Location"].startswith(VERIFY)


def test_s6_a_session_signed_in_without_a_code_can_verify_on_the_code_page(client):
    user = make_staff()
    device = enrol(user)
    client.force_login(user)
    response = client.post(f"{VERIFY}?next={STAFF_PAGE}", {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == STAFF_PAGE
    assert client.get(STAFF_PAGE).status_code == 200


@pytest.mark.parametrize(
    ("demo", "email", "skips"),
    [
        (True, "admin@demo.aduan.local", True),
        (False, "admin@demo.aduan.local", False),
        (True, "admin@pemda.test", False),
    ],
)
def test_s6_demo_accounts_skip_the_second_factor_only_in_demo_mode(
    client, settings, demo, email, skips
):
    """S6: only a demo-domain account in demo mode signs in with the password alone."""
    settings.ADUAN_DEMO = demo
    user = make_staff(email=email)
    enrol(user)
    response = password_step(client, "admin1")
    if skips:
        assert response["Location"] == HOME
        assert client.session[SESSION_KEY] == str(user.pk)
        assert client.get(STAFF_PAGE).status_code == 200
    else:
        assert response["Location"] == VERIFY
        assert SESSION_KEY not in client.session


def test_next_is_kept_through_both_steps_and_foreign_urls_are_ignored(client):
    user = make_staff()
    device = enrol(user)
    response = client.post(
        f"{LOGIN}?next=/kantor/aduan/", {"identifier": "admin1", "password": "x" * 3}
    )
    assert 'name="next" value="/kantor/aduan/"' in response.content.decode()
    response = client.post(
        LOGIN, {"identifier": "admin1", "password": PASSWORD, "next": "/kantor/aduan/"}
    )
    assert response["Location"] == f"{VERIFY}?next=%2Fkantor%2Faduan%2F"
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == HOME


def test_s6_the_code_step_expires_ten_minutes_after_the_password(client, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 9, 9, 0, tzinfo=dt.UTC), tick=False)
    user = make_staff()
    device = enrol(user)
    password_step(client, "admin1")
    time_machine.move_to(dt.datetime(2026, 6, 9, 9, 11, tzinfo=dt.UTC), tick=False)
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response["Location"].startswith(LOGIN)
    assert SESSION_KEY not in client.session
