"""The complaint lifecycle of Perbup Buton 15/2019: states and the one transition table.

docs/workflow.md is generated from TRANSITIONS and a test fails when the two drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.accounts.roles import Role


class Status(models.TextChoices):
    """English values in the database, Indonesian labels on screen (via the translations)."""

    RECEIVED = "received", _("Received")
    PENDING = "pending", _("Awaiting confirmation")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("Being followed up")
    RETURNED = "returned", _("Returned")
    RESPONDED = "responded", _("Responded")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


class ActorRole(models.TextChoices):
    """Who can move a complaint: the staff roles, the complainant (with the secret link), the system."""

    ADMIN = Role.ADMIN.value, Role.ADMIN.label
    LIAISON = Role.LIAISON.value, Role.LIAISON.label
    AGENCY_HEAD = Role.AGENCY_HEAD.value, Role.AGENCY_HEAD.label
    MEMBER = Role.MEMBER.value, Role.MEMBER.label
    CHAIR = Role.CHAIR.value, Role.CHAIR.label
    PATRON = Role.PATRON.value, Role.PATRON.label
    REGENT = Role.REGENT.value, Role.REGENT.label
    COMPLAINANT = "complainant", _("Complainant")
    SYSTEM = "system", _("System")


OPEN_STATES = frozenset(
    {
        Status.RECEIVED,
        Status.PENDING,
        Status.DISPATCHED,
        Status.IN_PROGRESS,
        Status.RETURNED,
        Status.RESPONDED,
    }
)
FINAL_STATES = frozenset({Status.CLOSED, Status.ARCHIVED})
# Where the dispatch clock runs (admin's turn) and where the response clock runs (agency's turn).
DISPATCH_CLOCK_STATES = frozenset({Status.RECEIVED, Status.RETURNED})
RESPONSE_CLOCK_STATES = frozenset({Status.DISPATCHED, Status.IN_PROGRESS})

A = ActorRole
S = Status


@dataclass(frozen=True)
class Transition:
    verb: str
    sources: frozenset[Status]
    target: Status | None  # None: the state does not change (an event only)
    roles: frozenset[ActorRole]
    own_agency: bool  # agency roles may act only when their agency is the lead agency
    description: str


def _t(
    verb: str,
    sources: set[Status],
    target: Status | None,
    roles: set[ActorRole],
    description: str,
    *,
    own_agency: bool = False,
) -> Transition:
    return Transition(verb, frozenset(sources), target, frozenset(roles), own_agency, description)


TRANSITIONS: dict[str, Transition] = {
    t.verb: t
    for t in [
        _t(
            "dispatch",
            {S.RECEIVED},
            S.DISPATCHED,
            {A.ADMIN},
            "Verify (relevant, complete, clear) and dispatch to the lead agency (Pasal 11(2)a-c)",
        ),
        _t(
            "redispatch",
            {S.RETURNED, S.DISPATCHED, S.IN_PROGRESS},
            S.DISPATCHED,
            {A.ADMIN},
            "Dispatch again: after a return, or to correct a wrong dispatch",
        ),
        _t(
            "request_info",
            {S.RECEIVED, S.RETURNED},
            S.PENDING,
            {A.ADMIN},
            "Ask the complainant for missing information; the dispatch clock pauses (Pasal 11(2)d)",
        ),
        _t(
            "supplement",
            {S.PENDING},
            S.RECEIVED,
            {A.COMPLAINANT},
            "The complainant answers; back to verification, the dispatch clock resumes",
        ),
        _t(
            "archive",
            {S.RECEIVED, S.PENDING, S.RETURNED},
            S.ARCHIVED,
            {A.ADMIN},
            "Archive: unclear, incomplete, duplicate, SARA, spam (Pasal 11(2)e)",
        ),
        _t(
            "forward_out",
            {S.RECEIVED, S.PENDING, S.RETURNED},
            S.ARCHIVED,
            {A.ADMIN},
            "Outside the regency's authority: hand on to whoever is competent (Pasal 11(2)f)",
        ),
        _t(
            "acknowledge",
            {S.DISPATCHED},
            S.IN_PROGRESS,
            {A.LIAISON, A.AGENCY_HEAD},
            "The liaison takes the complaint up (Pasal 7(7))",
            own_agency=True,
        ),
        _t(
            "return",
            {S.DISPATCHED, S.IN_PROGRESS},
            S.RETURNED,
            {A.LIAISON, A.AGENCY_HEAD},
            "Not this agency's business: back to the Dinas with a suggested agency (Pasal 11(3)g)",
            own_agency=True,
        ),
        _t(
            "respond",
            {S.DISPATCHED, S.IN_PROGRESS},
            S.RESPONDED,
            {A.LIAISON, A.AGENCY_HEAD},
            "Answer the complainant, with cause and result (Pasal 11(3)d, 12, 13)",
            own_agency=True,
        ),
        _t(
            "follow_up",
            {S.RESPONDED},
            S.IN_PROGRESS,
            {A.COMPLAINANT},
            "The complainant replies within the 10 days: back to the agency with a new clock",
        ),
        _t(
            "confirm",
            {S.RESPONDED},
            S.CLOSED,
            {A.COMPLAINANT},
            "The complainant confirms it is solved (and may rate it)",
        ),
        _t(
            "rate",
            {S.CLOSED},
            None,
            {A.COMPLAINANT},
            "The complainant rates the handling 1-5 with a comment (Pasal 12)",
        ),
        _t(
            "auto_close",
            {S.RESPONDED},
            S.CLOSED,
            {A.SYSTEM},
            "10 days after the response without a reply (Pasal 11(3))",
        ),
        _t(
            "auto_archive",
            {S.PENDING},
            S.ARCHIVED,
            {A.SYSTEM},
            "No answer to the pending question within the set days",
        ),
        _t(
            "restore",
            {S.ARCHIVED, S.CLOSED},
            S.RECEIVED,
            {A.ADMIN},
            "Reopen with a reason: back to verification with a new dispatch clock",
        ),
    ]
}


class ArchiveReason(models.TextChoices):
    UNCLEAR = "unclear", _("Unclear")
    INCOMPLETE = "incomplete", _("Incomplete")
    DUPLICATE = "duplicate", _("Duplicate")
    SARA = "sara", _("Contains SARA (hatred based on ethnicity, religion, race or group)")
    OUT_OF_AUTHORITY = "out_of_authority", _("Outside the regency's authority")
    SPAM = "spam", _("Spam")
    NO_REPLY = "no_reply", _("No reply to the request for information")


# Reasons an admin may pick when archiving (out_of_authority goes through forward_out,
# no_reply is the auto-archive's).
ADMIN_ARCHIVE_REASONS = frozenset(
    {
        ArchiveReason.UNCLEAR,
        ArchiveReason.INCOMPLETE,
        ArchiveReason.DUPLICATE,
        ArchiveReason.SARA,
        ArchiveReason.SPAM,
    }
)
