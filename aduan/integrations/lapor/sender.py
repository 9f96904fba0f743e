"""The outbox sender of the "lapor" channel (settings.ADUAN_SENDERS["lapor"]).

The outbox claims a row, calls `send`, and records the result: a `LaporUnavailable` or a
malformed reply is retried with backoff, a refusal (`LaporRejected`) or a disabled or
misconfigured connector is a dead letter an admin can send again. The row's idempotency key
travels with every request, so a resend after a crash can be recognised by LAPOR!.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from aduan.audit.services import audit_record
from aduan.complaints.models import Complaint, Message
from aduan.complaints.redaction import public_text
from aduan.core import clock
from aduan.notifications.models import OutboxMessage
from aduan.notifications.senders import PermanentFailure, RenderedMessage

from .client import (
    LaporClient,
    LaporRejected,
    ResponseUpdate,
    StatusUpdate,
    get_client,
    lapor_enabled,
)
from .messages import TEMPLATE_FORWARD_UP, TEMPLATE_RESPONSE, TEMPLATE_STATUS
from .models import Link
from .protocol import OutboundReport

logger = logging.getLogger(__name__)


class LaporSender:
    def send(self, message: RenderedMessage) -> str:
        row = OutboxMessage.objects.select_related("complaint").get(pk=message.outbox_id)
        complaint = row.complaint
        if complaint is None:
            raise PermanentFailure("a LAPOR! push without a complaint")
        if not lapor_enabled():
            raise PermanentFailure("the LAPOR! connector is disabled")
        try:
            client = get_client()
        except ImproperlyConfigured as exc:
            raise PermanentFailure(f"the LAPOR! connector is misconfigured: {exc}") from None
        try:
            if row.template == TEMPLATE_FORWARD_UP:
                return self._forward_up(client, row, complaint)
            if row.template == TEMPLATE_RESPONSE:
                return self._response(client, row, complaint)
            if row.template == TEMPLATE_STATUS:
                return self._status(client, row, complaint)
        except LaporRejected as exc:
            raise PermanentFailure(str(exc)) from None
        raise PermanentFailure(f"unknown LAPOR! template {row.template}")

    # -- status -----------------------------------------------------------------------------

    def _status(self, client: LaporClient, row: OutboxMessage, complaint: Complaint) -> str:
        newer = OutboxMessage.objects.filter(
            complaint=complaint,
            template=TEMPLATE_STATUS,
            status=OutboxMessage.Status.SENT,
            pk__gt=row.pk,
        ).exists()
        if newer:
            # A later status already reached LAPOR!: a late retry must not set it back.
            return "superseded"
        note = ""
        if row.context.get("status") == "archived" and complaint.forwarded_to:
            note = public_text(complaint.forwarded_to, None)
        transaction_id = client.push_status(
            StatusUpdate(
                key=row.idempotency_key,
                tracking_id=complaint.national_reference,
                status=str(row.context.get("status") or complaint.status),
                at=row.created_at,
                note=note,
            )
        )
        return f"lapor-status-{transaction_id or row.pk}"

    # -- response ---------------------------------------------------------------------------

    def _response(self, client: LaporClient, row: OutboxMessage, complaint: Complaint) -> str:
        response = (
            Message.objects.select_related("agency")
            .filter(pk=row.context.get("message"), complaint=complaint)
            .first()
        )
        if response is None:
            raise PermanentFailure("the response is gone")
        complainant = getattr(complaint, "complainant", None)
        transaction_id = client.push_response(
            ResponseUpdate(
                key=row.idempotency_key,
                tracking_id=complaint.national_reference,
                text=public_text(response.body, complainant),
                at=response.created_at,
                agency=str(response.agency) if response.agency else "",
            )
        )
        return f"lapor-response-{transaction_id or row.pk}"

    # -- forward up ---------------------------------------------------------------------------

    def _forward_up(self, client: LaporClient, row: OutboxMessage, complaint: Complaint) -> str:
        existing = Link.objects.filter(
            complaint=complaint, direction=Link.Direction.OUTBOUND
        ).first()
        if existing is not None:
            return f"lapor-{existing.tracking_id}"
        complainant = getattr(complaint, "complainant", None)
        share_identity = complainant is not None and not complaint.anonymous
        report = OutboundReport(
            key=row.idempotency_key,
            # An anonymous complainant's identity leaves with nothing, not even in the text (S1).
            body=complaint.body if share_identity else public_text(complaint.body, complainant),
            title=complaint.title if share_identity else public_text(complaint.title, complainant),
            anonymous=complaint.anonymous,
            private=complaint.private,
            name=complainant.name if share_identity and complainant else "",
            phone=complainant.phone if share_identity and complainant else "",
            email=complainant.email if share_identity and complainant else "",
            reference=complaint.tracking_code,
        )
        tracking_id, transaction_id = client.forward_up(report)
        with transaction.atomic():
            Link.objects.get_or_create(
                complaint=complaint,
                direction=Link.Direction.OUTBOUND,
                defaults={
                    "tracking_id": tracking_id,
                    "transaction_id": transaction_id,
                    "created_at": clock.now(),
                },
            )
            Complaint.objects.filter(pk=complaint.pk, national_reference="").update(
                national_reference=tracking_id
            )
            audit_record(
                "lapor.forward_up",
                obj=complaint,
                data={"tracking_id": tracking_id, "transaction_id": transaction_id},
            )
        return f"lapor-{tracking_id}"
