"""Password reset by email (S7, S8, S14)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from aduan.audit.models import AuditEntry

from .accounts_support import LOGIN, STAFF_PAGE, VERIFY, english, enrol, make_staff, sign_in

pytestmark = pytest.mark.django_db
RESET = "/kantor/masuk/lupa-sandi/"
DONE = "/kantor/masuk/lupa-sandi/terkirim/"
NEW_PASSWORD = "sandi-baru-yang-kuat-2026"  # nosec B105


def _link(message) -> str:
    match = re.search(r"http://testserver(/kantor/masuk/sandi-baru/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_s7_the_answer_is_the_same_for_a_known_and_an_unknown_address(client):
    """S7: the page never says whether an address has an account; only a known one gets mail."""
    make_staff(email="Admin1@Pemda.test")
    english(client)
    page = client.get(RESET)
    assert page.status_code == 200 and 'name="email"' in page.content.decode()
    unknown = client.post(RESET, {"email": "nobody@pemda.test"})
    assert len(mail.outbox) == 0
    known = client.post(RESET, {"email": "admin1@pemda.test"})
    assert len(mail.outbox) == 1
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == DONE
    assert mail.outbox[0].to == ["Admin1@Pemda.test"]
    assert mail.outbox[0].subject == "Choose a new password for Aduan Kabupaten Buton"
    assert "/kantor/masuk/sandi-baru/" in mail.outbox[0].body
    assert "Check your email" in client.get(DONE).content.decode()


def test_s8_reset_sets_a_new_password_and_ends_every_session(client):
    """S8, S14: the mailed link sets a new password; the user's open sessions end; the reset is
    audited; the link works once; the second factor is still needed afterwards."""
    user = make_staff()
    device = enrol(user)
    signed_in_elsewhere = sign_in(Client(), user, device)
    assert signed_in_elsewhere.get(STAFF_PAGE).status_code == 200

    english(client)
    client.post(RESET, {"email": "admin1@pemda.test"})
    link = _link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert 'name="new_password1"' in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert signed_in_elsewhere.get(STAFF_PAGE)["Location"].startswith(LOGIN)
    assert AuditEntry.objects.filter(action="auth.password_reset", actor=user).count() == 1

    again = client.get(link, follow=True).content.decode()
    assert "This link does not work any more" in again

    response = client.post(LOGIN, {"identifier": "admin1", "password": NEW_PASSWORD})
    assert response["Location"] == VERIFY, "a new password does not skip the second factor"


def test_s7_reset_requests_are_rate_limited_per_address(client, settings):
    settings.ADUAN_PASSWORD_RESETS_PER_IP = 2
    make_staff()
    for _ in range(2):
        assert client.post(RESET, {"email": "admin1@pemda.test"}).status_code == 302
    response = client.post(RESET, {"email": "admin1@pemda.test"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert len(mail.outbox) == 2


def test_a_broken_link_says_so(client):
    english(client)
    response = client.get("/kantor/masuk/sandi-baru/MQ/bad-token/")
    assert "This link does not work any more" in response.content.decode()
