"""Every transition is one transaction: when any write inside it fails, the complaint row, its
events, clocks, messages, co-agencies, the outbox and the audit log are exactly as before
(S16, S17, DESIGN.md "every transition is atomic")."""

from __future__ import annotations

from typing import Any

import pytest

from aduan.complaints.models import Event
from aduan.complaints.workflow import transitions

from .support import CANONICAL_SOURCE, EXPECTED, VERBS, actor_for, build, call, snapshot


class Boom(RuntimeError):
    pass


def _after_real(real: Any) -> Any:
    """Do the real write, then fail: what was written must be rolled back."""

    def broken(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        raise Boom("write failed")

    return broken


def _break(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    if where == "event":
        monkeypatch.setattr(Event.objects, "create", _after_real(Event.objects.create))
    elif where == "audit":
        monkeypatch.setattr(transitions, "audit_record", _after_real(transitions.audit_record))
    else:
        monkeypatch.setattr(
            transitions, "notify_complainant", _after_real(transitions.notify_complainant)
        )
        monkeypatch.setattr(transitions, "notify_users", _after_real(transitions.notify_users))


CASES = [(verb, where) for verb in VERBS for where in ("event", "audit", "outbox")]
CASES.remove(("rate", "outbox"))  # a rating notifies nobody


@pytest.mark.parametrize(("verb", "where"), CASES)
def test_failed_write_leaves_everything_as_before(ref, monkeypatch, verb, where):
    """S16, S17: a write failing inside `verb` (the Event, the audit row or an outbox row)
    rolls back the whole transition."""
    complaint = build(CANONICAL_SOURCE[verb])
    by = actor_for(sorted(EXPECTED[verb][2])[0])
    before = snapshot(complaint)
    _break(monkeypatch, where)
    with pytest.raises(Boom):
        call(verb, complaint, by)
    monkeypatch.undo()
    assert snapshot(complaint) == before


def test_the_same_transition_succeeds_once_the_failure_is_gone(ref, monkeypatch):
    """S16: after a rolled-back attempt the complaint is still in its state and the move works."""
    complaint = build("received")
    by = actor_for("admin")
    _break(monkeypatch, "outbox")
    with pytest.raises(Boom):
        call("dispatch", complaint, by)
    monkeypatch.undo()
    complaint.refresh_from_db()
    assert complaint.status == "received"
    assert call("dispatch", complaint, by).status == "dispatched"
