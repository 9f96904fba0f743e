"""The EmailSender's threading and loop-prevention headers (S17), per recipient."""

from __future__ import annotations

from aduan.accounts.roles import Role
from aduan.complaints.models import Complaint
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import transitions as t
from aduan.notifications.models import OutboxMessage
from aduan.notifications.senders import message_id_for
from aduan.notifications.services import outbox_deliver_due

from .test_fixtures import deliver
from .test_imap import citizen_mail


def _sent(mailoutbox, row: OutboxMessage):  # type: ignore[no-untyped-def]
    (mail,) = [
        m for m in mailoutbox if m.extra_headers["X-Aduan-Idempotency-Key"] == row.idempotency_key
    ]
    return mail.message()


def test_staff_mail_does_not_reply_to_the_citizens_message(ref, mailoutbox, settings):
    """The complainant's mail program threads our answers under their own mail; a staff
    notification about the same complaint only carries the complaint's thread root (the
    citizen's Message-ID is theirs, not the liaison's). Both say Auto-Submitted and ask
    Exchange not to auto-answer (S17)."""
    settings.ADUAN_EMAIL_REPLY_TO = "aduan@buton.example"
    record = deliver(citizen_mail("Lampu pasar mati.", message_id="<first@example.id>"))
    complaint = Complaint.objects.get(pk=record.complaint_id)
    f.staff(Role.LIAISON, f.agency("dpupr"), username="pupr-liaison")
    t.complaint_dispatch(complaint=complaint, by=f.actor(Role.ADMIN), agency=f.agency("dpupr"))
    outbox_deliver_due()
    root = message_id_for(f"thread.{complaint.tracking_code}")

    receipt = _sent(mailoutbox, OutboxMessage.objects.get(template="complaint_received"))
    assert receipt["In-Reply-To"] == "<first@example.id>"
    assert receipt["References"] == f"<first@example.id> {root}"
    assert receipt["Auto-Submitted"] == "auto-replied"
    assert receipt["Reply-To"] == "aduan@buton.example"

    staff = _sent(mailoutbox, OutboxMessage.objects.get(template="complaint_assigned"))
    assert staff["In-Reply-To"] == staff["References"] == root
    assert staff["Auto-Submitted"] == "auto-generated"
    assert staff["X-Auto-Response-Suppress"] == "All"


def test_a_citizen_message_id_that_could_inject_headers_is_not_copied(ref, mailoutbox):
    """S13: the citizen's Message-ID is untrusted text; one that is not a plain <id@host> (here
    with a space, as a folded header would leave it) is not copied into our headers."""
    raw = citizen_mail("Got tersumbat.", message_id="<a@b.c>").replace(
        b"<a@b.c>", b"<a@b.c>\n Bcc: korban@example.id"
    )
    record = deliver(raw)
    assert record.headers["Message-ID"] == "<a@b.c> Bcc: korban@example.id"
    outbox_deliver_due()
    complaint = Complaint.objects.get(pk=record.complaint_id)
    receipt = _sent(mailoutbox, OutboxMessage.objects.get(template="complaint_received"))
    root = message_id_for(f"thread.{complaint.tracking_code}")
    assert receipt["In-Reply-To"] == receipt["References"] == root
    assert receipt["Bcc"] is None and "korban" not in receipt.as_string()
