"""Object-level access to complaints (S3) and who sees identity without a reveal (R7, S1)."""

import pytest

from aduan.accounts.access import can_see_identity, complaints_visible_to
from aduan.accounts.roles import Role
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow.transitions import complaint_dispatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaints(buton):
    roads = f.dispatched("dpupr")
    health = f.dispatched("dinkes")
    shared = f.submit(title="Banjir")
    complaint_dispatch(
        complaint=shared,
        by=f.actor(Role.ADMIN),
        agency=f.agency("dpupr"),
        co_agencies=[f.agency("dlh")],
    )
    return {"roads": roads, "health": health, "shared": shared}


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MEMBER, Role.CHAIR, Role.PATRON, Role.REGENT])
def test_dinas_coordination_team_and_regent_see_every_complaint(complaints, role):
    """S3, R11: the Dinas admins, the coordination team and the regent oversee every agency."""
    user = f.staff(role)
    assert set(complaints_visible_to(user)) == set(complaints.values())


@pytest.mark.parametrize("role", [Role.LIAISON, Role.AGENCY_HEAD])
def test_agency_staff_see_only_their_agencys_complaints(complaints, role):
    """S3: a liaison or head sees complaints where their agency leads or is a co-agency."""
    assert set(complaints_visible_to(f.staff(role, f.agency("dpupr")))) == {
        complaints["roads"],
        complaints["shared"],
    }
    assert set(complaints_visible_to(f.staff(role, f.agency("dlh")))) == {complaints["shared"]}
    assert set(complaints_visible_to(f.staff(role, f.agency("dinkes")))) == {complaints["health"]}


def test_inactive_or_roleless_users_see_nothing(complaints):
    """S3, S8: a deactivated account or one without a role sees no complaint."""
    assert not complaints_visible_to(f.staff(Role.ADMIN, is_active=False)).exists()
    assert not complaints_visible_to(f.UserFactory(username="plain")).exists()


def test_identity_visibility_follows_the_privacy_model(buton):
    """R7, S1: an anonymous complainant's identity is shown to nobody without a reveal;
    otherwise to admins and the lead agency's staff, not to co-agencies or the coordination team."""
    named = f.dispatched("dpupr")
    anonymous = f.dispatched("dpupr", anonymous=True)
    admin = f.staff(Role.ADMIN)
    lead_liaison = f.staff(Role.LIAISON, f.agency("dpupr"))
    other_liaison = f.staff(Role.LIAISON, f.agency("dinkes"))
    member = f.staff(Role.MEMBER)
    assert can_see_identity(user=admin, complaint=named)
    assert can_see_identity(user=lead_liaison, complaint=named)
    assert not can_see_identity(user=other_liaison, complaint=named)
    assert not can_see_identity(user=member, complaint=named)
    for user in (admin, lead_liaison, other_liaison, member):
        assert not can_see_identity(user=user, complaint=anonymous)
