"""Key management in the back-office (issue 6): integrators' API keys (admin only; the secret
shown once; revoke works; audited) and every staff member's own API tokens."""

from __future__ import annotations

import pytest
from django.test import Client

from aduan.accounts.roles import Role
from aduan.api import keys
from aduan.api.models import ApiKey, StaffToken
from aduan.api.tests.staff_helpers import STAFF, bearer
from aduan.audit.models import AuditEntry
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.tests import factories as f

pytestmark = pytest.mark.django_db

KEYS = "/kantor/pengaturan/api/"
TOKENS = "/kantor/akun/token/"


def test_only_admins_manage_api_keys(client, ref) -> None:
    """S3: the key pages are admin-only (403 for every other role; the sign-in for nobody)."""
    key, _secret = keys.api_key_create(name="x", scopes=["submit"])
    for role in (Role.LIAISON, Role.AGENCY_HEAD, Role.MEMBER, Role.REGENT):
        user = f.staff(
            role, f.agency("dpupr") if role in (Role.LIAISON, Role.AGENCY_HEAD) else None
        )
        staff = signed_in(Client(), user)
        assert staff.get(KEYS).status_code == 403, role
        assert (
            staff.post(KEYS, {"name": "a", "scopes": ["submit"], "rate_per_minute": 5}).status_code
            == 403
        )
        assert staff.post(f"{KEYS}{key.pk}/cabut/").status_code == 403
    assert Client().get(KEYS).status_code == 302
    assert ApiKey.objects.count() == 1 and ApiKey.objects.get().revoked_at is None


def test_create_shows_the_secret_once_and_the_key_works(client, ref) -> None:
    admin = f.staff(Role.ADMIN)
    signed_in(client, admin)
    response = client.post(
        KEYS,
        {"name": "Aplikasi Pasarwajo", "scopes": ["submit", "read_public"], "rate_per_minute": 7},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("adn_") and secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    key = ApiKey.objects.get()
    assert key.rate_per_minute == 7 and key.scopes == ["read_public", "submit"]
    assert key.created_by == admin
    assert keys.api_key_check(secret) == key
    # never again: the list shows only the prefix
    listing = client.get(KEYS).content.decode()
    assert secret not in listing and key.prefix in listing
    assert AuditEntry.objects.filter(action="api.key.create", object_id=str(key.pk)).exists()


def test_invalid_key_form_creates_nothing(client, ref) -> None:
    signed_in(client, f.staff(Role.ADMIN))
    response = client.post(KEYS, {"name": "", "scopes": ["staff_act"], "rate_per_minute": 0})
    assert response.status_code == 400
    assert ApiKey.objects.count() == 0


def test_revoke_a_key(client, ref) -> None:
    admin = f.staff(Role.ADMIN)
    key, secret = keys.api_key_create(name="x", scopes=["submit"])
    signed_in(client, admin)
    response = client.post(f"{KEYS}{key.pk}/cabut/")
    assert response.status_code == 303
    assert keys.api_key_check(secret) is None
    assert AuditEntry.objects.filter(action="api.key.revoke", object_id=str(key.pk)).exists()
    assert client.get(f"{KEYS}{key.pk}/cabut/").status_code == 405
    assert client.post(f"{KEYS}99999/cabut/").status_code == 404


def test_staff_token_created_once_used_and_revoked(client, ref) -> None:
    """Every staff member creates their own token (shown once), it works on the staff API, and
    after revoking it is 401."""
    liaison = f.staff(Role.LIAISON, f.agency("dpupr"))
    signed_in(client, liaison)
    response = client.post(TOKENS, {"name": "skrip", "scopes": ["staff_read"], "expires_in": "30"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("adt_") and secret in response.content.decode()
    token = StaffToken.objects.get(user=liaison)
    assert token.expires_at is not None and token.scopes == ["staff_read"]
    assert secret not in client.get(TOKENS).content.decode()
    api = Client()
    assert api.get(f"{STAFF}/queue", **bearer(secret)).status_code == 200
    assert client.post(f"{TOKENS}{token.pk}/cabut/").status_code == 303
    assert api.get(f"{STAFF}/queue", **bearer(secret)).status_code == 401
    assert AuditEntry.objects.filter(action="api.token.revoke", object_id=str(token.pk)).exists()


def test_nobody_revokes_another_users_token(client, ref) -> None:
    owner = f.staff(Role.ADMIN)
    token, secret = keys.staff_token_create(user=owner, name="x", scopes=["staff_read"])
    signed_in(client, f.staff(Role.ADMIN))
    assert client.post(f"{TOKENS}{token.pk}/cabut/").status_code == 404
    assert keys.staff_token_check(secret) == token
    assert "x" not in [t.name for t in client.get(TOKENS).context["tokens"]]


def test_token_form_refuses_integrator_scopes(client, ref) -> None:
    signed_in(client, f.staff(Role.ADMIN))
    response = client.post(TOKENS, {"name": "x", "scopes": ["submit"], "expires_in": "30"})
    assert response.status_code == 400
    assert StaffToken.objects.count() == 0
