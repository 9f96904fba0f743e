"""API keys and staff tokens: hashed at rest, revocable, scoped; the demo key only in demo mode."""

import pytest
from django.test import override_settings

from aduan.accounts.roles import Role
from aduan.api import keys
from aduan.api.models import ApiKey, Scope
from aduan.complaints.tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_key_is_stored_hashed_and_checked_by_its_secret():
    key, secret = keys.api_key_create(name="Kota app", scopes=[Scope.SUBMIT, "bogus"])
    assert key.scopes == [Scope.SUBMIT]
    assert secret not in ApiKey.objects.values_list("key_hash", flat=True).get()
    assert keys.api_key_check(secret) == key
    assert keys.api_key_check(secret + "x") is None
    keys.api_key_revoke(key=key)
    assert keys.api_key_check(secret) is None


def test_the_demo_key_works_only_in_demo_mode():
    with override_settings(ADUAN_DEMO=True):
        demo = keys.ensure_demo_api_key()
        assert keys.ensure_demo_api_key() == demo
        assert keys.api_key_check("demo-api-key") == demo
    assert keys.api_key_check("demo-api-key") is None


def test_a_staff_token_dies_with_revocation_or_a_deactivated_user(ref):
    user = f.staff(Role.ADMIN)
    token, secret = keys.staff_token_create(user=user, name="cli", scopes=[Scope.STAFF_READ])
    assert keys.staff_token_check(secret) == token
    user.is_active = False
    user.save()
    assert keys.staff_token_check(secret) is None
    user.is_active = True
    user.save()
    keys.staff_token_revoke(token=token, by=user)
    assert keys.staff_token_check(secret) is None
