"""Which outbox rows each transition writes, to whom and on which channel (R13, R19, R21, S17)."""

from __future__ import annotations

import pytest

from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.complaints.tests import factories as f

from .support import (
    CANONICAL_SOURCE,
    EXPECTED,
    VERBS,
    actor_for,
    build,
    call,
    new_events,
    new_outbox,
    snapshot,
)

# verb: (template to the complainant or None, (staff template, who) or None)
NOTIFIES = {
    "dispatch": ("complaint_dispatched", ("complaint_assigned", "lead_liaisons")),
    "redispatch": ("complaint_dispatched", ("complaint_assigned", "lead_liaisons")),
    "request_info": ("info_requested", None),
    "supplement": ("supplement_received", None),
    "archive": ("complaint_archived", None),
    "forward_out": ("complaint_forwarded", None),
    "acknowledge": ("complaint_acknowledged", None),
    "return": (None, ("complaint_returned", "admins")),
    "respond": ("complaint_responded", None),
    "follow_up": ("follow_up_received", ("follow_up_for_agency", "lead_liaisons")),
    "confirm": ("complaint_closed", None),
    "rate": (None, None),
    "auto_close": ("complaint_auto_closed", None),
    "auto_archive": ("complaint_archived", None),
    "restore": ("complaint_restored", None),
}
CONTACTS = {
    "web_email": ({"channel": "web"}, "email"),
    "sms": ({"channel": "sms", "email": ""}, "sms"),
    "no_contact": ({"channel": "web", "phone": "", "email": ""}, None),
}


def _staff(who: str, lead_agency_id: int | None) -> set[str]:
    users = User.objects.filter(is_active=True).exclude(email="")
    if who == "admins":
        users = users.filter(role=Role.ADMIN)
    else:
        users = users.filter(role=Role.LIAISON, agency_id=lead_agency_id)
    return set(users.values_list("username", flat=True))


@pytest.mark.parametrize("contact", list(CONTACTS))
@pytest.mark.parametrize("verb", VERBS)
def test_outbox_rows_of_each_transition(ref, verb, contact):
    """R13, R19, R21, S17: each transition writes exactly its outbox rows in its transaction —
    the complainant on the channel they used (none without a contact), the lead agency's
    liaisons, or the admins — keyed by complaint, event and template."""
    submit_kwargs, channel = CONTACTS[contact]
    complaint = build(CANONICAL_SOURCE[verb], **submit_kwargs)
    by = actor_for(sorted(EXPECTED[verb][2])[0])
    f.staff(Role.LIAISON, f.agency("disperkim"))  # the agency redispatch sends to
    before = snapshot(complaint)
    call(verb, complaint, by)
    complaint.refresh_from_db()
    (event,) = new_events(complaint, before)

    to_complainant, to_staff = NOTIFIES[verb]
    expected = set()
    if to_complainant and channel:
        expected.add((to_complainant, "complainant", channel))
    if to_staff:
        template, who = to_staff
        recipients = _staff(who, complaint.lead_agency_id)
        assert recipients, "the factories create staff to notify"
        expected |= {(template, name, "email") for name in recipients}
    rows = new_outbox(before)
    assert {
        (m.template, "complainant" if m.to_complainant else m.to_user.username, m.channel)
        for m in rows
    } == expected
    for row in rows:
        assert row.status == "pending"
        assert row.complaint_id == complaint.pk
        assert row.idempotency_key.startswith(f"c{complaint.pk}:e{event.pk}:")
        assert row.address == ""
