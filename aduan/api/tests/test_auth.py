"""Who may call the staff and integrator endpoints (S3, S6, S7): personal tokens (revoked,
expired, deactivated user → 401; not 2FA-enrolled → 403; scope missing → 403), the back-office
session (second factor, CSRF), and API keys that never reach staff endpoints."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client, override_settings

from aduan.accounts.roles import Role
from aduan.api import keys
from aduan.api.models import Scope, StaffToken
from aduan.api.tests.staff_helpers import STAFF, bearer, get, post, token_for
from aduan.backoffice.tests.complaint_support import snapshot
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.tests import factories as f
from aduan.core import clock

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    if code is not None:
        assert body["code"] == code, body
    return body


def test_a_valid_token_reads_the_queue(client, ref) -> None:
    """A 2FA-enrolled admin's token with staff_read reads the queue and the list."""
    secret = token_for(f.staff(Role.ADMIN), [Scope.STAFF_READ])
    f.received()
    assert get(client, "/queue", secret).status_code == 200
    assert len(get(client, "/complaints", secret).json()["items"]) == 1


def test_no_credentials_or_unknown_token_is_401(client, ref) -> None:
    """S6: no header, a malformed header, an unknown token → 401 problem."""
    _problem(client.get(f"{STAFF}/queue"), 401, "unauthenticated")
    _problem(client.get(f"{STAFF}/queue", **bearer("adt_nope")), 401)
    _problem(client.get(f"{STAFF}/queue", HTTP_AUTHORIZATION="Basic abc"), 401)


def test_revoked_token_is_401(client, ref) -> None:
    """A revoked token stops working at once."""
    user = f.staff(Role.ADMIN)
    secret = token_for(user)
    assert get(client, "/queue", secret).status_code == 200
    keys.staff_token_revoke(token=StaffToken.objects.get(user=user), by=user)
    _problem(get(client, "/queue", secret), 401)


def test_expired_token_is_401(client, ref) -> None:
    secret = token_for(f.staff(Role.ADMIN), expires_at=clock.now() - dt.timedelta(seconds=1))
    _problem(get(client, "/queue", secret), 401)


def test_deactivated_user_token_is_401(client, ref) -> None:
    user = f.staff(Role.ADMIN)
    secret = token_for(user)
    user.is_active = False
    user.save()
    _problem(get(client, "/queue", secret), 401)


def test_user_without_role_token_is_401(client, ref) -> None:
    user = f.staff(Role.ADMIN)
    secret = token_for(user)
    user.role = ""
    user.save()
    _problem(get(client, "/queue", secret), 401)


def test_not_2fa_enrolled_is_403(client, ref) -> None:
    """S6: a token of a user without a confirmed TOTP device is refused (403), also for acts."""
    complaint = f.received()
    secret = token_for(f.staff(Role.ADMIN), enrolled=False)
    _problem(get(client, "/queue", secret), 403, "second_factor_required")
    before = snapshot(complaint)
    _problem(
        post(client, f"/complaints/{complaint.pk}/archive", secret, {"reason": "spam"}),
        403,
        "second_factor_required",
    )
    assert snapshot(complaint) == before


@override_settings(ADUAN_DEMO=True)
def test_demo_account_without_2fa_works_in_demo_mode(client, ref) -> None:
    """DESIGN.md: the demo accounts sign in without 2FA in demo mode — their tokens too."""
    demo = f.staff(Role.ADMIN, email="admin@demo.aduan.local")
    secret = token_for(demo, enrolled=False)
    assert get(client, "/queue", secret).status_code == 200


def test_demo_account_outside_demo_mode_needs_2fa(client, ref) -> None:
    demo = f.staff(Role.ADMIN, email="admin@demo.aduan.local")
    secret = token_for(demo, enrolled=False)
    _problem(get(client, "/queue", secret), 403, "second_factor_required")


def test_scope_missing_is_403_and_changes_nothing(client, ref) -> None:
    """A read-only token cannot act; an act-only token cannot read."""
    complaint = f.received()
    admin = f.staff(Role.ADMIN)
    read_only = token_for(admin, [Scope.STAFF_READ])
    act_only = token_for(admin, [Scope.STAFF_ACT])
    before = snapshot(complaint)
    _problem(
        post(client, f"/complaints/{complaint.pk}/archive", read_only, {"reason": "spam"}),
        403,
        "scope_missing",
    )
    assert snapshot(complaint) == before
    _problem(get(client, f"/complaints/{complaint.pk}", act_only), 403, "scope_missing")
    assert (
        post(
            client, f"/complaints/{complaint.pk}/archive", act_only, {"reason": "spam"}
        ).status_code
        == 200
    )


def test_api_keys_never_reach_staff_endpoints(client, ref) -> None:
    """S3: an integrator's key — even one carrying every scope name — is 401 on every staff
    endpoint, GET and POST, and nothing changes."""
    complaint = f.received()
    _key, secret = keys.api_key_create(name="x", scopes=[s.value for s in Scope])
    before = snapshot(complaint)
    for method, path in [
        ("get", "/queue"),
        ("get", "/complaints"),
        ("get", f"/complaints/{complaint.pk}"),
        ("post", f"/complaints/{complaint.pk}/archive"),
        ("post", f"/complaints/{complaint.pk}/reveal"),
    ]:
        call = getattr(client, method)
        kwargs = {"HTTP_X_API_KEY": secret}
        if method == "post":
            response = call(
                f"{STAFF}{path}", json.dumps({"reason": "spam"}), "application/json", **kwargs
            )
        else:
            response = call(f"{STAFF}{path}", **kwargs)
        assert response.status_code in (401, 403), (path, response.status_code)
        # the key as a bearer token is not a staff token either
        response = client.get(f"{STAFF}/queue", **bearer(secret))
        assert response.status_code == 401
    assert snapshot(complaint) == before


def test_staff_tokens_do_not_open_integrator_endpoints(client, ref) -> None:
    secret = token_for(f.staff(Role.ADMIN))
    response = client.post(
        "/api/v1/integrators/complaints",
        json.dumps({"body": "Jalan rusak"}),
        "application/json",
        **bearer(secret),
    )
    _problem(response, 401)


def test_session_with_second_factor_works(ref) -> None:
    """The back-office session (2FA done) reads and acts (with the CSRF token)."""
    complaint = f.received()
    client = signed_in(Client(), f.staff(Role.ADMIN))
    assert client.get(f"{STAFF}/complaints/{complaint.pk}").status_code == 200
    response = client.post(
        f"{STAFF}/complaints/{complaint.pk}/archive",
        json.dumps({"reason": "spam"}),
        "application/json",
    )
    assert response.status_code == 200


def test_session_without_second_factor_is_403(ref) -> None:
    """S6: signed in with the password only → 403."""
    client = Client()
    client.force_login(f.staff(Role.ADMIN))
    _problem(client.get(f"{STAFF}/queue"), 403, "second_factor_required")


def test_session_post_without_csrf_is_refused(ref) -> None:
    """CSRF is enforced on unsafe methods for session callers; nothing changes."""
    complaint = f.received()
    client = signed_in(Client(enforce_csrf_checks=True), f.staff(Role.ADMIN))
    assert client.get(f"{STAFF}/queue").status_code == 200  # safe methods need no token
    before = snapshot(complaint)
    response = client.post(
        f"{STAFF}/complaints/{complaint.pk}/archive",
        json.dumps({"reason": "spam"}),
        "application/json",
    )
    _problem(response, 403, "csrf_failed")
    assert snapshot(complaint) == before


def test_errors_are_translated(client, ref) -> None:
    """Accept-Language en / id: a refusal's detail in the caller's language."""
    complaint = f.dispatched("dpupr")
    secret = token_for(f.staff(Role.LIAISON, f.agency("dpupr")))
    body = {"reason": "spam"}
    path = f"/complaints/{complaint.pk}/archive"
    en = _problem(post(client, path, secret, body, HTTP_ACCEPT_LANGUAGE="en"), 403)
    id_ = _problem(post(client, path, secret, body, HTTP_ACCEPT_LANGUAGE="id"), 403)
    assert en["code"] == id_["code"] == "role_not_allowed"
    assert "Your role may not do this" in en["detail"]
    assert en["detail"] != id_["detail"]
