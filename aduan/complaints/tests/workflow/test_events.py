"""The Event each transition writes is the audit trail and the public timeline: one per
transition, immutable once written (R6, R21, S14)."""

from __future__ import annotations

import pytest

from aduan.audit.models import AuditEntry
from aduan.complaints.models import Event
from aduan.complaints.selectors import complaint_public_timeline
from aduan.core.append_only import AppendOnlyError

from .support import CANONICAL_SOURCE, EXPECTED, VERBS, actor_for, build, call, new_events, snapshot


@pytest.mark.parametrize("verb", VERBS)
def test_event_cannot_be_changed_or_removed(ref, verb):
    """S14: the Event of every verb refuses save-as-update, queryset update and delete, and
    its audit row likewise; the stored rows stay as written."""
    complaint = build(CANONICAL_SOURCE[verb])
    by = actor_for(sorted(EXPECTED[verb][2])[0])
    before = snapshot(complaint)
    call(verb, complaint, by)
    (event,) = new_events(complaint, before)
    stored = Event.objects.filter(pk=event.pk).values().get()

    event.note = "rewritten history"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).update(note="rewritten history")
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).delete()
    assert Event.objects.filter(pk=event.pk).values().get() == stored

    audit = AuditEntry.objects.get(data__event=event.pk)
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=audit.pk).update(action="nothing")
    with pytest.raises(AppendOnlyError):
        audit.delete()


def test_public_timeline_shows_the_lifecycle_in_order(ref):
    """R21: the public timeline lists every public step in order, from receipt to the response."""
    from aduan.complaints.tests import factories as f

    complaint = f.responded()
    timeline = list(complaint_public_timeline(complaint))
    assert [(e.verb, e.from_state, e.to_state) for e in timeline] == [
        ("submit", "", "received"),
        ("dispatch", "received", "dispatched"),
        ("acknowledge", "dispatched", "in_progress"),
        ("respond", "in_progress", "responded"),
    ]


def test_rating_is_not_on_the_public_timeline(ref):
    """R32: the complainant's rating is recorded as an Event but kept off the public timeline."""
    from aduan.complaints.tests import factories as f

    complaint = f.unrated_closed()
    call("rate", complaint, actor_for("complainant"))
    rate = Event.objects.get(complaint=complaint, verb="rate")
    assert rate.is_public is False
    assert rate.data == {"satisfaction": 3}
    assert rate not in complaint_public_timeline(complaint)
