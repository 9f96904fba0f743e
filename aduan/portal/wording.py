"""The words of a complaint's progress, for everyone who shows it to the public or to the
complainant: the portal's tracking page, the REST API and Open311 (one wording, R4/R5)."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from aduan.complaints.models import Complaint, Event
from aduan.complaints.workflow import transitions as t
from aduan.complaints.workflow.actors import Actor
from aduan.complaints.workflow.states import ArchiveReason, Status
from aduan.core import clock


def when_words(moment: dt.datetime) -> str:
    """'Tuesday 16 June 2026 at 15:00 WITA' in the current language (deadlines in words)."""
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return _("%(date)s at %(time)s") % {
        "date": formats.date_format(local, "l j F Y"),
        "time": f"{local:%H:%M} {local.tzname()}",
    }


def date_words(moment: dt.datetime) -> str:
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return formats.date_format(local, "l j F Y")


def event_text(event: Event, show_agency: bool) -> str:
    agency = str(event.agency) if (show_agency and event.agency_id) else ""
    verb = event.verb
    if verb == "submit":
        return _("Report received.")
    if verb in ("dispatch", "redispatch"):
        if agency:
            return _("Verified and passed to %(agency)s.") % {"agency": agency}
        return _("Verified and passed to the agency responsible.")
    if verb == "request_info":
        return _("The Dinas asked the complainant for more information.")
    if verb == "supplement":
        return _("The complainant answered; the report is verified again.")
    if verb == "acknowledge":
        return _("The agency is following up the report.")
    if verb == "return":
        return _("The agency returned the report to the Dinas to find the right agency.")
    if verb == "respond":
        if agency:
            return _("%(agency)s responded.") % {"agency": agency}
        return _("The agency responded.")
    if verb == "follow_up":
        return _("The complainant replied that it is not solved; back with the agency.")
    if verb == "confirm":
        return _("The complainant confirmed that it is solved.")
    if verb == "auto_close":
        return _("Closed: no reply came within the days after the response.")
    if verb in ("archive", "auto_archive"):
        reason = event.data.get("reason", "")
        if reason in ArchiveReason.values:
            return _("Archived: %(reason)s.") % {"reason": ArchiveReason(reason).label}
        return _("Archived.")
    if verb == "forward_out":
        return _("Outside the authority of the regency; handed on to whoever is competent.")
    if verb == "restore":
        return _("Reopened; the report is verified again.")
    return ""


def next_step(complaint: Complaint, show_agency: bool, granted: bool) -> str:
    """The current stage's deadline, in words."""
    status = complaint.status
    agency = str(complaint.lead_agency) if (show_agency and complaint.lead_agency_id) else ""
    if status in (Status.RECEIVED, Status.RETURNED) and complaint.dispatch_due_at:
        return _(
            "The Dinas verifies the report and passes it to the agency responsible by %(due)s "
            "at the latest."
        ) % {"due": when_words(complaint.dispatch_due_at)}
    if status == Status.PENDING:
        if granted and complaint.autoarchive_at:
            return _(
                "The Dinas is waiting for your answer to its question. Without an answer by "
                "%(due)s the report is archived."
            ) % {"due": when_words(complaint.autoarchive_at)}
        return _("The Dinas is waiting for more information from the complainant.")
    if status in (Status.DISPATCHED, Status.IN_PROGRESS) and complaint.response_due_at:
        if agency:
            return _("%(agency)s answers by %(due)s at the latest.") % {
                "agency": agency,
                "due": when_words(complaint.response_due_at),
            }
        return _("The agency answers by %(due)s at the latest.") % {
            "due": when_words(complaint.response_due_at)
        }
    if status == Status.RESPONDED and complaint.autoclose_at:
        return _(
            "Not solved? The complainant can reply until %(due)s; otherwise the report closes then."
        ) % {"due": when_words(complaint.autoclose_at)}
    if status == Status.CLOSED:
        return _("The report is closed.")
    if status == Status.ARCHIVED:
        return _("The report is archived.")
    return ""


def complainant_actions(complaint: Complaint) -> set[str]:
    """What the complainant may do now (the workflow's guard decides the transitions)."""
    verbs = set(t.allowed_verbs(complaint, Actor.complainant()))
    if (
        "follow_up" in verbs
        and complaint.autoclose_at is not None
        and clock.now() >= complaint.autoclose_at
    ):
        verbs.discard("follow_up")
    if "rate" in verbs and complaint.rated_at is not None:
        verbs.discard("rate")
    if complaint.is_open:
        verbs.add("message")
    return verbs
