"""Who may do what, from which state: every verb of TRANSITIONS against all 8 states, all 9
actor roles, and own vs other agency (R6, R11, R19, R24, S3, S14)."""

from __future__ import annotations

import pytest

from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import transitions as t
from aduan.complaints.workflow.states import TRANSITIONS
from aduan.core.exceptions import ApplicationError, PermissionDenied

from .support import (
    AGENCY_VERBS,
    CANONICAL_SOURCE,
    EXPECTED,
    ROLES,
    STATES,
    VERBS,
    actor_for,
    assert_one_event,
    build,
    call,
    snapshot,
)


def test_transition_table_is_the_designed_lifecycle():
    """R6, R11: TRANSITIONS is exactly DESIGN.md's lifecycle: sources, target, roles, own agency."""
    assert set(TRANSITIONS) == set(EXPECTED)
    for verb, (sources, target, roles, own_agency) in EXPECTED.items():
        transition = TRANSITIONS[verb]
        assert {s.value for s in transition.sources} == sources, verb
        assert (transition.target.value if transition.target else None) == target, verb
        assert {r.value for r in transition.roles} == roles, verb
        assert transition.own_agency is own_agency, verb


@pytest.mark.parametrize(("verb", "state"), [(v, s) for v in VERBS for s in STATES])
def test_source_states(ref, verb, state):
    """R6: a verb works from each of its source states (one Event, one audit row, the target
    state) and is refused from every other state with code invalid_state, changing nothing."""
    sources, target, roles, _own = EXPECTED[verb]
    complaint = build(state)
    by = actor_for(sorted(roles)[0])
    before = snapshot(complaint)
    if state in sources:
        result = call(verb, complaint, by)
        to_state = target or state
        assert result.status == to_state
        complaint.refresh_from_db()
        assert complaint.status == to_state
        assert_one_event(complaint, before, verb=verb, from_state=state, to_state=to_state, by=by)
    else:
        with pytest.raises(ApplicationError) as excinfo:
            call(verb, complaint, by)
        assert excinfo.value.code == "invalid_state"
        assert not isinstance(excinfo.value, PermissionDenied)
        assert excinfo.value.extra == {"state": state, "verb": verb}
        assert snapshot(complaint) == before


@pytest.mark.parametrize(("verb", "role"), [(v, r) for v in VERBS for r in ROLES])
def test_roles(ref, verb, role):
    """R11, S3: only the roles of the lifecycle table may do a verb; any other role gets
    PermissionDenied (role_not_allowed) and nothing changes."""
    _sources, target, roles, _own = EXPECTED[verb]
    state = CANONICAL_SOURCE[verb]
    complaint = build(state)
    by = actor_for(role)
    before = snapshot(complaint)
    if role in roles:
        result = call(verb, complaint, by)
        assert result.status == (target or state)
        assert_one_event(
            complaint, before, verb=verb, from_state=state, to_state=target or state, by=by
        )
    else:
        with pytest.raises(PermissionDenied) as excinfo:
            call(verb, complaint, by)
        assert excinfo.value.code == "role_not_allowed"
        assert snapshot(complaint) == before


@pytest.mark.parametrize("verb", AGENCY_VERBS)
@pytest.mark.parametrize("role", ["liaison", "agency_head"])
@pytest.mark.parametrize("whose", ["own", "other", "co_agency"])
def test_own_agency_only(ref, verb, role, whose):
    """R19, S3: acknowledge, return and respond are for the lead agency's liaison or head; the
    staff of another agency — even a co-agency of the complaint — get not_own_agency."""
    state = CANONICAL_SOURCE[verb]
    if whose == "co_agency":
        complaint = t.complaint_dispatch(
            complaint=f.submit(),
            by=f.actor(f.Role.ADMIN),
            agency=f.agency("dpupr"),
            co_agencies=[f.agency("dinkes")],
        )
        if state == "in_progress":
            complaint = t.complaint_acknowledge(complaint=complaint, by=actor_for("liaison"))
    else:
        complaint = build(state)
    agency_code = {"own": "dpupr", "other": "dishub", "co_agency": "dinkes"}[whose]
    by = actor_for(role, agency_code)
    before = snapshot(complaint)
    if whose == "own":
        target = EXPECTED[verb][1]
        assert call(verb, complaint, by).status == target
        assert_one_event(complaint, before, verb=verb, from_state=state, to_state=target, by=by)
    else:
        with pytest.raises(PermissionDenied) as excinfo:
            call(verb, complaint, by)
        assert excinfo.value.code == "not_own_agency"
        assert snapshot(complaint) == before


@pytest.mark.parametrize("verb", AGENCY_VERBS)
def test_agency_verb_on_a_complaint_without_lead_agency(ref, verb):
    """S3: before any dispatch a complaint has no lead agency, so no agency may act on it."""
    complaint = f.received()
    by = actor_for("liaison")
    before = snapshot(complaint)
    with pytest.raises(PermissionDenied) as excinfo:
        call(verb, complaint, by)
    assert excinfo.value.code == "not_own_agency"
    assert snapshot(complaint) == before


def test_inactive_or_roleless_user_cannot_act(ref):
    """S3: a deactivated account or one without a role is no actor at all."""
    inactive = f.staff(f.Role.ADMIN, is_active=False)
    roleless = f.UserFactory(username="tanpa-peran")
    for user in (inactive, roleless):
        with pytest.raises(PermissionDenied) as excinfo:
            t.Actor.of(user)
        assert excinfo.value.code == "no_role"


@pytest.mark.parametrize("state", STATES)
def test_allowed_verbs_lists_exactly_the_possible_moves(ref, state):
    """R21: the actions offered to each role are exactly those the table allows from the state."""
    complaint = build(state)
    for role in ROLES:
        by = actor_for(role)
        expected = [
            verb
            for verb, (sources, _target, roles, _own) in EXPECTED.items()
            if state in sources and role in roles
        ]
        assert t.allowed_verbs(complaint, by) == expected, role
