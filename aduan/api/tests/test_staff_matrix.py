"""S3 over the staff API: the back-office's permission matrix (role x action x ownership, the
same table: `aduan/backoffice/tests/test_permission_matrix.py`) run through
`/api/v1/staff/…` with a personal token. Same outcome as the back-office: a complaint the user
may not see is 404, a refused action is 403 (409 when only the complaint's state refuses it),
an allowed one 200 — and a refusal changes nothing."""

from __future__ import annotations

import pytest

from aduan.accounts.roles import Role
from aduan.api.staff import ACTION_PATHS
from aduan.api.tests.staff_helpers import get, post, token_for
from aduan.backoffice.actions import ACTIONS
from aduan.backoffice.tests.complaint_support import snapshot
from aduan.backoffice.tests.test_permission_matrix import (
    AGENCY_ROLES,
    OWN,
    OWNERSHIP,
    ROLES,
    SETUPS,
    allowed,
    visible,
)
from aduan.complaints.tests import factories as f

pytestmark = pytest.mark.django_db


def api_expected(action: str, role: Role, owner: str) -> set[int]:
    if action == "reveal":
        return {200} if role == Role.ADMIN else {403}
    if not visible(role, owner):
        return {404}
    if allowed(action, role, owner):
        return {200}
    return {403, 409}


CASES = [
    pytest.param(action, role, owner, id=f"{action}-{role.value}-{owner}")
    for action in SETUPS
    for role in ROLES
    for owner in OWNERSHIP
]


@pytest.mark.parametrize(("action", "role", "owner"), CASES)
def test_api_matrix(client, ref, action: str, role: Role, owner: str) -> None:
    """S3: the API answers as the back-office does for every role, action and ownership;
    refusals change nothing (state, agency, events, messages, links, reveals)."""
    build, data_fn = SETUPS[action]
    complaint = build(owner)
    user = f.staff(role, f.agency(OWN) if role in AGENCY_ROLES else None)
    secret = token_for(user)
    before = snapshot(complaint)
    if data_fn is None:
        response = get(client, f"/complaints/{complaint.pk}", secret)
    elif action == "reveal":
        response = post(client, f"/complaints/{complaint.pk}/reveal", secret, data_fn(complaint))
    else:
        path = ACTION_PATHS[action]
        response = post(client, f"/complaints/{complaint.pk}/{path}", secret, data_fn(complaint))
    want = api_expected(action, role, owner)
    assert response.status_code in want, response.content.decode()[-1500:]
    after = snapshot(complaint)
    if response.status_code != 200 or action == "page":
        assert after == before
        if response.status_code != 200:
            assert response["Content-Type"].startswith("application/problem+json")
    elif action == "reveal":
        assert after["reveals"] == before["reveals"] + 1
    else:
        assert after["events"] > before["events"]


def test_matrix_covers_the_backoffice_table() -> None:
    """The API matrix is the back-office's: 7 roles x 16 action URLs x 3 ownerships; every
    back-office action has its own API endpoint."""
    assert len(CASES) == 7 * 16 * 3
    assert set(ACTION_PATHS) == set(ACTIONS)
