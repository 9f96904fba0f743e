"""Pushes to the national LAPOR!-SP4N (issue 6): status changes and responses of complaints
that came from LAPOR!, and complaints outside the regency's authority forwarded upward. All go
through the transactional outbox (S17): written with the change, retried after a failure,
delivered once thanks to the idempotency key per event."""

from __future__ import annotations

import datetime as dt

import pytest

from aduan.accounts.roles import Role
from aduan.agencies.models import Cause
from aduan.complaints.models import Complaint, Resolution
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import transitions as t
from aduan.core import clock
from aduan.integrations.lapor.models import Link
from aduan.integrations.lapor.protocol import InboundReport
from aduan.integrations.lapor.services import lapor_import
from aduan.notifications.models import OutboxMessage
from aduan.notifications.services import outbox_deliver_due

pytestmark = pytest.mark.django_db

PHONE = "081377700033"
REPORT = InboundReport(
    tracking_id="6660001",
    title="Jembatan putus",
    body="Jembatan di Desa Wakalambe putus sejak banjir.",
    name="Wa Ode Pelapor",
    phone=PHONE,
)


def lapor_rows(complaint: Complaint | None = None):  # type: ignore[no-untyped-def]
    rows = OutboxMessage.objects.filter(channel="lapor").order_by("id")
    return rows.filter(complaint=complaint) if complaint is not None else rows


def deliver(later: dt.timedelta = dt.timedelta(0)) -> None:
    with clock.frozen_at(clock.now() + later):
        outbox_deliver_due()


def imported() -> Complaint:
    lapor_import()
    return Complaint.objects.get(national_reference=REPORT.tracking_id)


def dispatch_and_acknowledge(complaint: Complaint) -> Complaint:
    complaint = t.complaint_dispatch(
        complaint=complaint, by=f.actor(Role.ADMIN), agency=f.agency("dpupr")
    )
    return t.complaint_acknowledge(complaint=complaint, by=f.actor(Role.LIAISON, f.agency("dpupr")))


def respond(complaint: Complaint, text: str) -> Complaint:
    return t.complaint_respond(
        complaint=complaint,
        by=f.actor(Role.LIAISON, f.agency("dpupr")),
        text=text,
        cause=Cause.objects.get(code="sarana_rusak"),
        resolution=Resolution.RESOLVED,
    )


def test_status_changes_are_pushed_through_the_outbox(ref, fake_lapor):
    """Issue 6, S17: each state change of an imported complaint writes one outbox row in its
    transaction (none for the import itself), delivered to LAPOR! with its tracking id."""
    fake_lapor.forwarded = [REPORT]
    complaint = dispatch_and_acknowledge(imported())
    rows = list(lapor_rows(complaint))
    assert [r.template for r in rows] == ["lapor_status", "lapor_status"]
    assert all(r.idempotency_key.startswith(f"lapor:c{complaint.pk}:e") for r in rows)
    assert fake_lapor.statuses == []  # nothing leaves before the outbox delivers
    deliver()
    assert [(s["tracking_id"], s["kode"]) for s in fake_lapor.statuses] == [
        ("6660001", "didisposisikan"),
        ("6660001", "ditindaklanjuti"),
    ]
    assert set(lapor_rows().values_list("status", flat=True)) == {"sent"}


def test_response_reaches_lapor_once_after_a_failure_and_a_retry(ref, fake_lapor):
    """S17: the response push fails (HTTP 500), is retried with backoff and arrives once;
    the complainant's phone number is masked in the text that leaves (S1)."""
    fake_lapor.forwarded = [REPORT]
    complaint = dispatch_and_acknowledge(imported())
    deliver()
    complaint = respond(complaint, f"Sudah diperbaiki. Kami hubungi Ibu di {PHONE}.")
    row = lapor_rows(complaint).get(template="lapor_response")
    fake_lapor.fail_next(1, status=500)
    deliver()
    row.refresh_from_db()
    assert row.status == "pending" and row.attempts == 1 and "500" in row.last_error
    assert fake_lapor.responses == []
    deliver()  # not due yet: backoff
    assert fake_lapor.responses == []
    deliver(later=dt.timedelta(hours=1))
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2
    assert len(fake_lapor.responses) == 1
    sent = fake_lapor.responses[0]
    assert sent["tracking_id"] == "6660001" and sent["key"] == row.idempotency_key
    assert "Sudah diperbaiki" in sent["isi"] and "77700033" not in sent["isi"]


def test_a_timeout_after_lapor_stored_the_push_is_not_a_second_push(ref, fake_lapor):
    """S17: LAPOR! stored the response but answered too late; the retry carries the same
    idempotency key, so LAPOR! holds it once."""
    fake_lapor.forwarded = [REPORT]
    complaint = dispatch_and_acknowledge(imported())
    deliver()
    respond(complaint, "Sudah diperbaiki.")
    fake_lapor.fail_next(1, mode="timeout")
    deliver()
    row = lapor_rows(complaint).get(template="lapor_response")
    assert row.status == "pending" and "in time" in row.last_error
    deliver(later=dt.timedelta(hours=1))
    row.refresh_from_db()
    assert row.status == "sent"
    assert len(fake_lapor.responses) == 1
    keys = [body for path, body in fake_lapor.requests if path.endswith("tindaklanjut")]
    assert len(keys) == 2  # two requests, one stored


def test_a_malformed_reply_is_retried(ref, fake_lapor):
    """S17: a reply that is not XML (a proxy's error page) is retried, not taken for success."""
    fake_lapor.forwarded = [REPORT]
    t.complaint_dispatch(complaint=imported(), by=f.actor(Role.ADMIN), agency=f.agency("dpupr"))
    fake_lapor.fail_next(1, mode="malformed")
    deliver()
    row = lapor_rows().get()
    assert row.status == "pending" and "malformed XML" in row.last_error
    deliver(later=dt.timedelta(hours=1))
    row.refresh_from_db()
    assert row.status == "sent"
    assert [s["kode"] for s in fake_lapor.statuses] == ["didisposisikan"]


def test_a_refusal_is_a_dead_letter(ref, fake_lapor):
    """S17: LAPOR! says no: no endless retries, a dead letter an admin can see and resend."""
    fake_lapor.forwarded = [REPORT]
    complaint = imported()
    t.complaint_dispatch(complaint=complaint, by=f.actor(Role.ADMIN), agency=f.agency("dpupr"))
    fake_lapor.fail_next(1, mode="reject")
    deliver()
    row = lapor_rows().get()
    assert row.status == "dead" and "laporan ditolak" in row.last_error


def test_a_late_retry_does_not_set_the_status_back(ref, fake_lapor):
    fake_lapor.forwarded = [REPORT]
    dispatch_and_acknowledge(imported())
    older, _newer = lapor_rows()
    OutboxMessage.objects.filter(pk=older.pk).update(
        next_attempt_at=clock.now() + dt.timedelta(minutes=30)
    )
    deliver()
    deliver(later=dt.timedelta(hours=1))
    older.refresh_from_db()
    assert older.status == "sent" and older.provider_message_id == "superseded"
    assert [s["kode"] for s in fake_lapor.statuses] == ["ditindaklanjuti"]


def test_forward_up_returns_ids_stored_on_the_complaint(ref, fake_lapor):
    """Issue 6 (Pasal 7(6)e): an admin forwards an out-of-authority complaint to LAPOR!
    nasional; the outbox delivers it once and the tracking and transaction ids are kept."""
    complaint = f.received(body="Jalan nasional Trans Sulawesi berlubang.")
    t.complaint_forward_out(
        complaint=complaint,
        by=f.actor(Role.ADMIN),
        forwarded_to="LAPOR! nasional (Kementerian PUPR)",
        to_national_lapor=True,
    )
    row = lapor_rows(complaint).get()
    assert row.template == "lapor_forward_up"
    fake_lapor.fail_next(1, status=502)
    deliver()
    deliver(later=dt.timedelta(hours=1))
    row.refresh_from_db()
    assert row.status == "sent"
    assert len(fake_lapor.reports) == 1
    sent = fake_lapor.reports[0]
    assert sent["isi"] == "Jalan nasional Trans Sulawesi berlubang."
    assert sent["namadepan"] == "Warga" and sent["anonim"] == "0" and sent["rahasia"] == "0"
    complaint.refresh_from_db()
    link = Link.objects.get(complaint=complaint, direction=Link.Direction.OUTBOUND)
    assert complaint.national_reference == link.tracking_id == sent["tracking_id"]
    assert link.transaction_id == f"TRX-{sent['tracking_id']}"
    # A resend of the same row (an admin retrying) does not forward it a second time.
    OutboxMessage.objects.filter(pk=row.pk).update(status="pending")
    deliver()
    assert len(fake_lapor.reports) == 1


def test_forward_up_of_an_anonymous_complaint_carries_no_identity(ref, fake_lapor):
    """S1: an anonymous complainant's identity does not leave, not even inside the text."""
    complaint = f.received(
        anonymous=True,
        private=True,
        name="Wa Ode Rahasia",
        phone="081377712345",
        email="rahasia@contoh.id",
        body="Saya Wa Ode Rahasia (081377712345) melaporkan pungli.",
    )
    t.complaint_forward_out(
        complaint=complaint, by=f.actor(Role.ADMIN), forwarded_to="SP4N-LAPOR! nasional"
    )
    deliver()
    sent = fake_lapor.reports[0]
    raw = b" ".join(body for path, body in fake_lapor.requests)
    for secret in (b"Rahasia", b"77712345", b"rahasia@contoh.id"):
        assert secret not in raw
    assert sent["anonim"] == "1" and sent["rahasia"] == "1"


def test_forward_out_elsewhere_is_not_pushed(ref, fake_lapor):
    complaint = f.received()
    t.complaint_forward_out(
        complaint=complaint, by=f.actor(Role.ADMIN), forwarded_to="Polres Buton"
    )
    assert not lapor_rows().exists()


def test_a_lapor_complaint_handed_back_is_a_status_not_a_new_report(ref, fake_lapor):
    fake_lapor.forwarded = [REPORT]
    complaint = imported()
    t.complaint_forward_out(
        complaint=complaint,
        by=f.actor(Role.ADMIN),
        forwarded_to="LAPOR! nasional: kewenangan provinsi",
        to_national_lapor=True,
    )
    assert [r.template for r in lapor_rows()] == ["lapor_status"]
    deliver()
    assert fake_lapor.reports == []
    assert fake_lapor.statuses[0]["kode"] == "diarsipkan"
    assert "kewenangan provinsi" in fake_lapor.statuses[0]["keterangan"]


def test_complaints_not_from_lapor_are_not_pushed(ref, fake_lapor):
    f.responded()
    assert not lapor_rows().exists()


def test_disabled_connector_writes_and_sends_nothing(ref, fake_lapor, settings):
    """Issue 6: with the connector off no push is written; a row left from before is not
    sent but kept as a dead letter."""
    fake_lapor.forwarded = [REPORT]
    complaint = imported()
    settings.ADUAN_LAPOR_ENABLED = False
    complaint = dispatch_and_acknowledge(complaint)
    t.complaint_forward_out(
        complaint=f.received(),
        by=f.actor(Role.ADMIN),
        forwarded_to="LAPOR!",
        to_national_lapor=True,
    )
    assert not lapor_rows().exists()
    settings.ADUAN_LAPOR_ENABLED = True
    respond(complaint, "Sudah.")
    settings.ADUAN_LAPOR_ENABLED = False
    deliver()
    assert lapor_rows().get().status == "dead"
    assert [p for p, _b in fake_lapor.requests if p != "/api/stream/forwarded"] == []
