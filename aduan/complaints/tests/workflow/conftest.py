"""Fixtures shared by the workflow tests."""

import pytest

from aduan.accounts.roles import Role
from aduan.complaints.tests import factories as f


@pytest.fixture
def admin(ref):
    """A Dinas admin (the verification and dispatch role)."""
    return f.actor(Role.ADMIN)
