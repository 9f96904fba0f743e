"""Messages from the complainant outside a question or a response window (R21)."""

import pytest

from aduan.complaints.models import Message
from aduan.complaints.services import complaint_add_complainant_message
from aduan.complaints.tests import factories as f
from aduan.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_a_message_on_a_dispatched_complaint_is_acknowledged_as_a_message(ref):
    """R21: the complainant is told their message was added, not that the report is being
    verified again (that is the answer to a pending question)."""
    complaint = f.dispatched()
    message = complaint_add_complainant_message(
        complaint=complaint, text="Lubangnya makin besar.", channel="web"
    )
    assert message.kind == Message.Kind.FROM_COMPLAINANT
    complaint.refresh_from_db()
    assert complaint.status == "dispatched"
    ack = OutboxMessage.objects.get(idempotency_key__startswith=f"c{complaint.pk}:m{message.pk}:")
    assert ack.template == "message_received" and ack.to_complainant
