"""Staff sessions: rotation, idle and absolute expiry, sign-out, deactivation, cookies (S8)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.test import Client

from aduan.audit.models import AuditEntry
from aduan.backoffice.tests.support import signed_in

from .accounts_support import (
    LOGIN,
    LOGOUT,
    PASSWORD,
    PASSWORD_CHANGE,
    STAFF_PAGE,
    VERIFY,
    code_for,
    english,
    enrol,
    make_staff,
    password_step,
    sign_in,
)

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 6, 9, 1, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


def _at(clock, **delta) -> None:
    clock.move_to(T0 + dt.timedelta(**delta), tick=False)


def test_s8_the_session_key_changes_at_each_sign_in_step(client):
    """S8: no session fixation — the key before sign-in, after the password and after the code
    are three different keys."""
    user = make_staff()
    device = enrol(user)
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    before = client.session.session_key
    password_step(client, "admin1")
    after_password = client.session.session_key
    client.post(VERIFY, {"code": code_for(device)})
    after_code = client.session.session_key
    assert SESSION_KEY in client.session
    assert len({before, after_password, after_code}) == 3


def test_s8_an_idle_session_ends_after_thirty_minutes(client, clock):
    user = make_staff()
    sign_in(client, user, enrol(user))
    _at(clock, minutes=29)
    assert client.get(STAFF_PAGE).status_code == 200
    _at(clock, minutes=29 + 29)
    assert client.get(STAFF_PAGE).status_code == 200
    _at(clock, minutes=29 + 29 + 31)
    response = client.get(STAFF_PAGE)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert SESSION_KEY not in client.session
    assert "Your session has ended" in english(client).get(LOGIN).content.decode()
    logout = AuditEntry.objects.get(action="auth.logout")
    assert logout.actor == user and logout.data == {"reason": "idle"}


def test_s8_a_session_ends_twelve_hours_after_sign_in_however_active(client, clock):
    user = make_staff()
    sign_in(client, user, enrol(user))
    expiry = client.session.get_expiry_date()
    assert expiry == T0 + dt.timedelta(hours=12), "the cookie itself dies after 12 hours"
    minutes = 0
    while minutes < 12 * 60 - 20:
        minutes += 20
        _at(clock, minutes=minutes)
        assert client.get(STAFF_PAGE).status_code == 200, minutes
    _at(clock, hours=12, minutes=1)
    assert client.get(STAFF_PAGE)["Location"].startswith(LOGIN)


def test_s8_a_session_made_elsewhere_also_ends_twelve_hours_after_its_first_request(client, clock):
    """S8: a session not made by our sign-in (e.g. the Django admin) gets the same lifetime,
    counted from its first back-office request; the logout is audited with the reason."""
    user = make_staff()
    signed_in(client, user)
    assert client.get(STAFF_PAGE).status_code == 200
    for step in range(1, 36):  # a request every 20 minutes: never idle
        _at(clock, minutes=20 * step)
        assert client.get(STAFF_PAGE).status_code == 200
    _at(clock, hours=12, seconds=1)
    assert client.get(STAFF_PAGE)["Location"].startswith(LOGIN)
    assert AuditEntry.objects.get(action="auth.logout").data == {"reason": "lifetime"}


def test_s8_sign_out_is_post_only_and_ends_the_session(client):
    user = make_staff()
    sign_in(client, user, enrol(user))
    assert client.get(LOGOUT).status_code == 405
    assert client.get(STAFF_PAGE).status_code == 200, "a GET did not sign out"
    old_key = client.session.session_key
    response = client.post(LOGOUT)
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert SESSION_KEY not in client.session
    assert client.get(STAFF_PAGE)["Location"].startswith(LOGIN)
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=old_key).exists()
    assert AuditEntry.objects.get(action="auth.logout").data == {"reason": "user"}


def test_s8_a_deactivated_user_is_signed_out_at_the_next_request(client):
    """S8: deactivating an account ends its sessions at once."""
    user = make_staff()
    sign_in(client, user, enrol(user))
    assert client.get(STAFF_PAGE).status_code == 200
    user.is_active = False
    user.save()
    response = client.get(STAFF_PAGE)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_s8_changing_the_password_keeps_this_session_and_ends_the_others(client, clock):
    """S8, S14: a password change ends the user's other sessions and is audited."""
    user = make_staff()
    device = enrol(user)
    sign_in(client, user, device)
    _at(clock, minutes=1)  # the next code (a used code cannot be replayed)
    other = sign_in(Client(), user, device)
    english(client)
    response = client.post(
        PASSWORD_CHANGE,
        {"old_password": "salah", "new_password1": "x", "new_password2": "x"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and "id_old_password_error" in html
    new = "sandi-baru-yang-kuat-2026"
    response = client.post(
        PASSWORD_CHANGE,
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get(STAFF_PAGE).status_code == 200, "this session stays signed in"
    assert other.get(STAFF_PAGE)["Location"].startswith(LOGIN), "the other session ended"
    user.refresh_from_db()
    assert user.check_password(new)
    row = AuditEntry.objects.get(action="auth.password_changed")
    assert row.actor == user and new not in str(row.data)


def test_s8_cookies_are_http_only_and_lax_everywhere():
    assert django_settings.SESSION_COOKIE_HTTPONLY is True
    assert django_settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert django_settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_s8_production_cookies_are_secure_http_only_and_lax():
    """S8: the production settings module sets Secure, HttpOnly and SameSite=Lax."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "p" * 64,
        "ADUAN_FIELD_KEYS": "x0d7mM2iQyKJ1b4bV8mR0fQ8m6yq0s9p3pYcX1yq2Zs=",
        "ADUAN_HASH_KEY": "h" * 40,
        "ADUAN_DEMO": "0",
        "DJANGO_DEBUG": "0",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE)"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["True", "True", "True", "Lax", "Lax"]
