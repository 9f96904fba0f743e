"""Operator intake (Pasal 10, R23): complaints from the call center, the complaint box and
walk-ins — and messages transcribed from SMS, email, WhatsApp or social media — entered in the
back-office by a Dinas admin. One service: it records the channel and the operator, and the
moment the complaint was really received when that was earlier than its entry (a paper form
from the box, a call taken during an outage), so that the dispatch clock of Pasal 11(2)c runs
from the receipt, not from the typing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from aduan.accounts.roles import Role
from aduan.audit.services import audit_record
from aduan.complaints.models import Channel, Upload
from aduan.complaints.services import ComplaintSubmission, SubmitResult, complaint_submit
from aduan.complaints.workflow.actors import Actor
from aduan.core import clock
from aduan.core.exceptions import ApplicationError, PermissionDenied

# Channels an operator enters: the paper and voice ones of Pasal 10 first, then the ones an
# operator transcribes when a message did not arrive through its own adapter.
OPERATOR_CHANNELS: tuple[str, ...] = (
    Channel.CALL_CENTER,
    Channel.COMPLAINT_BOX,
    Channel.WALK_IN,
    Channel.SMS,
    Channel.EMAIL,
    Channel.WHATSAPP,
    Channel.SOCIAL_MEDIA,
)
IDEMPOTENCY_SOURCE = "operator-form"
# How far back a receipt time may go (a box emptied after a long holiday, not last year's mail).
MAX_BACKDATE = dt.timedelta(days=366)


@transaction.atomic
def complaint_enter_by_operator(
    *,
    submission: ComplaintSubmission,
    by: Actor,
    received_at: dt.datetime | None = None,
    idempotency_key: str = "",
    uploads: Sequence[Upload] = (),
) -> SubmitResult:
    """Submit a complaint on behalf of a complainant, as the Dinas admin `by` (R23).

    The complaint records `submitted_by` (the operator) and the channel; `received_at` (optional,
    not in the future, at most a year back) becomes the complaint's receipt time, its first
    event's time and the start of its dispatch clock. The same `idempotency_key` twice creates
    one complaint (S16). The scan or photo of a paper form comes in as `uploads`.
    """
    if by.role != Role.ADMIN or by.user is None:
        raise PermissionDenied(
            _("Only a Dinas admin enters complaints for the complainant."), code="forbidden"
        )
    if submission.channel not in OPERATOR_CHANNELS:
        raise ApplicationError(
            _("Choose how the complaint came in."),
            code="invalid_channel",
            extra={"field": "channel"},
        )
    now = clock.now()
    if received_at is not None:
        if received_at > now:
            raise ApplicationError(
                _("The time of receipt cannot be in the future."),
                code="future_date",
                extra={"field": "received_at"},
            )
        if received_at < now - MAX_BACKDATE:
            raise ApplicationError(
                _("The time of receipt cannot be more than a year ago."),
                code="too_old",
                extra={"field": "received_at"},
            )
    with clock.frozen_at(received_at or now):
        result = complaint_submit(
            submission=submission,
            by=by,
            idempotency_key=idempotency_key,
            idempotency_source=IDEMPOTENCY_SOURCE,
            uploads=uploads,
        )
    if result.created:
        audit_record(
            "complaint.operator_entry",
            actor=by,
            obj=result.complaint,
            data={
                "channel": submission.channel,
                "received_at": result.complaint.received_at.isoformat(),
                "backdated": received_at is not None,
                "attachments": len(uploads),
            },
        )
    return result
