"""Two-factor enrolment, recovery codes, regeneration and reset (S6, S14)."""

from __future__ import annotations

import re
from base64 import b32encode

import pytest
from django.contrib.auth import SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from aduan.audit.models import AuditEntry

from .accounts_support import (
    CODES,
    ENROL,
    HOME,
    LOGIN,
    LOGOUT,
    STAFF_PAGE,
    VERIFY,
    audit_actions,
    code_for,
    english,
    enrol,
    make_staff,
    no_otp_throttle,
    password_step,
    sign_in,
    wrong_code,
)

pytestmark = pytest.mark.django_db
__all__ = ["no_otp_throttle"]

CODE_RE = re.compile(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>")


def _enrol_through_the_form(client) -> tuple[TOTPDevice, list[str]]:
    page = client.get(ENROL)
    assert page.status_code == 200
    device = TOTPDevice.objects.get()
    assert not device.confirmed
    response = client.post(ENROL, {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == CODES
    codes = CODE_RE.findall(client.get(CODES).content.decode())
    return device, codes


def test_s6_enrolment_shows_a_qr_code_and_the_key_then_confirms_with_a_code(
    client, no_otp_throttle
):
    """S6: a new authenticator is added with a QR code (inline SVG) or the key typed by hand,
    confirmed with a current code; then ten recovery codes are shown once."""
    user = make_staff()
    english(client)
    password_step(client, "admin1")
    page = client.get(ENROL).content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert '<svg role="img"' in page and "<path" in page
    assert "QR code for your authenticator app" in page
    secret = b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    assert "<script" not in page.split("</head>")[1] and "style=" not in page

    response = client.post(ENROL, {"code": wrong_code(device)})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and "id_code_error" in html
    device.refresh_from_db()
    assert not device.confirmed

    response = client.post(ENROL, {"code": code_for(device)})
    assert response["Location"] == CODES
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    codes = CODE_RE.findall(client.get(CODES).content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert client.get(CODES)["Location"] == ENROL, "the codes are shown only once"
    assert client.get(STAFF_PAGE).status_code == 200
    assert audit_actions(actor=user) == ["auth.2fa_enrolled", "auth.login"]


def test_s6_recovery_code_signs_in_once_only(client, no_otp_throttle):
    """S6: a recovery code replaces the TOTP code, once; its use is audited (S14)."""
    make_staff()
    password_step(client, "admin1")
    _device, codes = _enrol_through_the_form(client)
    client.post(LOGOUT)

    password_step(client, "admin1")
    response = client.post(VERIFY, {"code": codes[0].upper()})
    assert response.status_code == 302 and response["Location"] == HOME
    assert client.get(STAFF_PAGE).status_code == 200
    used = AuditEntry.objects.get(action="auth.recovery_code_used")
    assert used.data == {"purpose": "sign-in", "remaining": 9}
    assert codes[0] not in str(used.data) and codes[0].replace("-", "") not in str(used.data)
    client.post(LOGOUT)

    password_step(client, "admin1")
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert AuditEntry.objects.filter(action="auth.otp_failed").count() == 1


def test_s14_a_wrong_code_is_refused_and_audited_without_the_code(client):
    user = make_staff()
    device = enrol(user)
    english(client)
    password_step(client, "admin1")
    bad = wrong_code(device)
    response = client.post(VERIFY, {"code": bad})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert SESSION_KEY not in client.session
    failed = AuditEntry.objects.get(action="auth.otp_failed")
    assert failed.actor == user and bad not in str(failed.data)


def test_s6_a_used_totp_code_cannot_be_replayed(client, no_otp_throttle):
    user = make_staff()
    device = enrol(user)
    sign_in(client, user, device)
    client.post(LOGOUT)
    password_step(client, "admin1")
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 200 and SESSION_KEY not in client.session


def test_s6_new_recovery_codes_need_a_current_code_and_replace_the_old(client, no_otp_throttle):
    user = make_staff()
    password_step(client, "admin1")
    device, old_codes = _enrol_through_the_form(client)
    page = client.get(ENROL)
    assert page.status_code == 200 and "regenerate-code" in page.content.decode()

    response = client.post(ENROL, {"action": "regenerate", "regenerate-code": "000000"})
    assert response.status_code == 200
    assert {t.token for t in StaticToken.objects.all()} == {c.replace("-", "") for c in old_codes}

    response = client.post(ENROL, {"action": "regenerate", "regenerate-code": old_codes[1]})
    assert response["Location"] == CODES
    new_codes = CODE_RE.findall(client.get(CODES).content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert StaticToken.objects.count() == 10
    assert "auth.recovery_codes_regenerated" in audit_actions(actor=user)
    assert TOTPDevice.objects.get() == device


def test_s6_reset_needs_a_current_code_then_enrolment_starts_again(client, no_otp_throttle):
    user = make_staff()
    password_step(client, "admin1")
    _device, _codes = _enrol_through_the_form(client)
    response = client.post(ENROL, {"action": "reset", "reset-code": "000000"})
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(confirmed=True).count() == 1

    response = client.post(ENROL, {"action": "reset", "reset-code": _codes[0]})
    assert response["Location"] == ENROL
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()
    assert "auth.2fa_reset" in audit_actions(actor=user)
    # The session lost its verified device: staff pages need the new enrolment first.
    assert client.get(STAFF_PAGE)["Location"].startswith(VERIFY)
    assert client.get(VERIFY)["Location"].startswith(ENROL)
    device, codes = _enrol_through_the_form(client)
    assert device.confirmed is False  # the object read before confirmation
    assert len(codes) == 10
    assert client.get(STAFF_PAGE).status_code == 200


def test_s6_managing_two_factor_needs_a_verified_session(client):
    user = make_staff()
    enrol(user)
    assert client.get(ENROL)["Location"].startswith(LOGIN)
    password_step(client, "admin1")
    assert client.get(ENROL)["Location"].startswith(VERIFY)
    response = client.post(ENROL, {"action": "reset", "reset-code": "000000"})
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.count() == 1


def test_s6_a_demo_account_signed_in_without_a_code_may_still_enrol(client, settings):
    settings.ADUAN_DEMO = True
    user = make_staff(email="admin@demo.aduan.local")
    password_step(client, "admin1")
    assert client.session[SESSION_KEY] == str(user.pk)
    device, codes = _enrol_through_the_form(client)
    assert len(codes) == 10
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
