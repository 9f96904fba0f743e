"""The inbound monitor (issue 5), `/kantor/kelola/masuk/`: what came in on the channels, for the
Dinas admin only — masked senders, PII-masked texts, filters, pages, a 24-hour health overview
per channel, and two audited actions: process a failed message again, block a sender."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry
from aduan.backoffice.models import SocialPost
from aduan.backoffice.operator_intake import post_url_hash
from aduan.complaints.models import Complaint
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref  # noqa: F401  (fixture)
from aduan.core import clock
from aduan.intake.abuse import address_hash, mask_address
from aduan.intake.inbound import inbound_store
from aduan.intake.models import InboundRecord, SenderBlock
from aduan.intake.types import InboundMessage
from aduan.portal.tests.browser import assert_accessible, assert_no_horizontal_scroll

from .support import signed_in
from .test_browser_manage import admin_page  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
URL = "/kantor/kelola/masuk/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
Status = InboundRecord.Status
PHONE = "+6281234567890"
EMAIL = "warga.rahasia@gmail.com"


def record(
    channel: str = "sms",
    *,
    sender: str = PHONE,
    text: str = "Lampu jalan mati di Pasarwajo.",
    subject: str = "",
    status: str = Status.PROCESSED,
    ago: dt.timedelta = dt.timedelta(minutes=5),
    pid: str = "",
    **fields: Any,
) -> InboundRecord:
    """A stored record as an adapter leaves it (through the one store), then in `status`."""
    at = clock.now() - ago
    stored, _created = inbound_store(
        InboundMessage(
            channel=channel,
            provider_message_id=pid or f"{channel}-{InboundRecord.objects.count() + 1}",
            sender=sender,
            text=text,
            subject=subject,
            received_at=at,
        )
    )
    InboundRecord.objects.filter(pk=stored.pk).update(stored_at=at, status=status, **fields)
    stored.refresh_from_db()
    return stored


@pytest.fixture
def admin(ref: Any) -> Any:  # noqa: F811
    return f.staff(Role.ADMIN)


@pytest.fixture
def client_admin(client: Any, admin: Any) -> Any:
    return signed_in(client, admin)


# --- who may -------------------------------------------------------------------------------------


def test_s6_anonymous_visitors_are_sent_to_the_sign_in(client: Any, ref: Any) -> None:  # noqa: F811
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:login"))


@pytest.mark.parametrize(
    "role", [Role.LIAISON, Role.AGENCY_HEAD, Role.CHAIR, Role.MEMBER, Role.PATRON, Role.REGENT]
)
def test_s3_only_the_admin_sees_the_monitor_and_acts(client: Any, ref: Any, role: Role) -> None:  # noqa: F811
    """S3: every other role gets 403 on the page and on both actions; nothing changes."""
    failed = record(status=Status.FAILED, attempts=5)
    agency = f.agency("dpupr") if role in (Role.LIAISON, Role.AGENCY_HEAD) else None
    signed_in(client, f.staff(role, agency=agency))
    assert client.get(URL).status_code == 403
    assert client.post(reverse("backoffice:inbound_retry", args=[failed.pk])).status_code == 403
    assert client.post(reverse("backoffice:inbound_block", args=[failed.pk])).status_code == 403
    failed.refresh_from_db()
    assert failed.status == Status.FAILED and not SenderBlock.objects.exists()


# --- the list ------------------------------------------------------------------------------------


def test_s1_senders_are_masked_and_texts_pii_masked(client_admin: Any) -> None:
    """S1: the sender's number or address is shown masked as the blocklist masks it
    (+62812****890, wa****@gmail.com), never in full; phone numbers, email addresses and NIKs in the text are hidden; long texts
    are cut; the sender's name is not shown at all."""
    record(text="Hubungi saya di 0813 9988 7766 atau nik 7404011234567890 ya.")
    record(
        "email",
        sender=EMAIL,
        subject="Jalan rusak",
        text="Jalan rusak parah. " * 30,
        sender_name="Wa Ode Rahasia",
    )
    html = client_admin.get(URL, **EN).content.decode()
    masked_phone = mask_address("sms", PHONE)
    assert masked_phone.startswith("+62") and masked_phone.endswith("****890")
    assert masked_phone in html and "wa****@gmail.com" in html
    for secret in (
        PHONE,
        "81234567890",
        EMAIL,
        "warga.rahasia",
        "0813 9988 7766",
        "7404011234567890",
        "Wa Ode Rahasia",
    ):
        assert secret not in html, secret
    assert "Hubungi saya di […]" in html
    assert "Jalan rusak — Jalan rusak parah." in html and "…" in html
    assert html.count("Jalan rusak parah.") < 30


def test_s13_untrusted_text_and_senders_are_escaped(client_admin: Any) -> None:
    """S13: a message's text and a messenger sender are shown as text, never as markup."""
    record("telegram", sender="<b>bot</b>123", text="<script>alert('x')</script> <img src=x>")
    html = client_admin.get(URL, **EN).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &lt;img src=x&gt;" in html
    assert "<script>alert" not in html and "<img src=x>" not in html and "<b>bot" not in html


def test_newest_first_with_status_and_the_complaint_linked(client_admin: Any) -> None:
    complaint = f.received()
    record(text="Pesan lama", ago=dt.timedelta(hours=3))
    record(text="Pesan baru", complaint=complaint, action="created")
    html = client_admin.get(URL, **EN).content.decode()
    assert html.index("Pesan baru") < html.index("Pesan lama")
    assert f'href="{reverse("backoffice:complaint", args=[complaint.pk])}"' in html
    assert complaint.tracking_code in html and "(created)" in html


def test_the_list_is_filtered_by_channel_and_status(client_admin: Any) -> None:
    record("sms", text="SMS diproses")
    record("sms", text="SMS gagal", status=Status.FAILED, error="TimeoutError: gammu")
    record("email", sender=EMAIL, text="Email diabaikan", status=Status.IGNORED)
    record("telegram", sender="987654321", text="Telegram ditolak", status=Status.REJECTED)
    page = client_admin.get(URL, {"channel": "sms", "status": "failed"}, **EN)
    assert page.status_code == 200
    html = page.content.decode()
    assert "SMS gagal" in html and "TimeoutError: gammu" in html
    for other in ("SMS diproses", "Email diabaikan", "Telegram ditolak"):
        assert other not in html
    html = client_admin.get(URL, {"status": "ignored"}, **EN).content.decode()
    assert "Email diabaikan" in html and "SMS gagal" not in html
    html = client_admin.get(URL, {"channel": "telegram"}, **EN).content.decode()
    assert "Telegram ditolak" in html and "SMS diproses" not in html
    assert client_admin.get(URL, {"status": "lost"}).status_code == 400


def test_pages_of_fifty_keep_the_filter(client_admin: Any) -> None:
    for i in range(51):
        record(text=f"Pesan nomor {i:02d}.", ago=dt.timedelta(minutes=60 - i))
    record("email", sender=EMAIL, text="Tidak ikut")
    html = client_admin.get(URL, {"channel": "sms"}, **EN).content.decode()
    assert "51 messages." in html
    assert "Pesan nomor 50." in html and "Pesan nomor 00." not in html
    assert 'href="?channel=sms&amp;page=2"' in html
    second = client_admin.get(URL, {"channel": "sms", "page": "2"}, **EN).content.decode()
    assert "Pesan nomor 00." in second and "Pesan nomor 01." not in second
    assert "Tidak ikut" not in second


def test_the_health_overview_counts_the_last_24_hours_per_channel(client_admin: Any) -> None:
    """Per channel: when the last message was stored (even if older than a day), and the last
    24 hours per status, failures linked to their list."""
    record("sms")
    record("sms")
    record("sms", status=Status.FAILED)
    record("sms", status=Status.REJECTED, ago=dt.timedelta(days=2))  # outside the window
    last_email = record("email", sender=EMAIL, ago=dt.timedelta(days=3))
    html = client_admin.get(URL, **EN).content.decode()
    table = html[html.index('id="channel-health"') : html.index("</table>")]
    rows = {
        row.split("</th>")[0].split(">")[-1]: row for row in table.split('<th scope="row">')[1:]
    }
    sms = rows["SMS 1708"]
    cells = [c.split("</td>")[0] for c in sms.split("<td>")[1:]]
    # last stored, total, received, processed, ignored, rejected, failed
    assert cells[1:6] == ["3", "0", "2", "0", "0"]
    assert "<strong>1</strong>" in cells[6] and "channel=sms&amp;status=failed" in cells[6]
    email = [c.split("</td>")[0] for c in rows["Email"].split("<td>")[1:]]
    local = timezone.localtime(last_email.stored_at)
    assert email[0] == local.strftime("%-d %b %Y %H:%M") and email[1] == "0"
    assert "never" in rows["WhatsApp"] and "never" in rows["Telegram"]


# --- retry ---------------------------------------------------------------------------------------


def test_a_failed_message_is_processed_again(client_admin: Any, admin: Any) -> None:
    """A FAILED record goes back through the one inbound path: processed, its complaint made
    and linked; the retry is audited (by whom, which record, no address)."""
    failed = record(
        "email",
        sender=EMAIL,
        subject="Jembatan retak",
        text="Jembatan di Wabula retak di tengah, berbahaya untuk motor.",
        status=Status.FAILED,
        attempts=5,
        error="OperationalError: database was down",
    )
    response = client_admin.post(
        reverse("backoffice:inbound_retry", args=[failed.pk]), {"status": "failed"}, **EN
    )
    assert response.status_code == 303
    assert response["Location"] == f"{URL}?status=failed"
    failed.refresh_from_db()
    assert failed.status == Status.PROCESSED and failed.error == ""
    assert failed.attempts == 6 and failed.complaint_id is not None
    assert Complaint.objects.get(pk=failed.complaint_id).channel == "email"
    entry = AuditEntry.objects.get(action="inbound.retry")
    assert entry.actor == admin and entry.object_id == str(failed.pk)
    assert EMAIL not in str(entry.data)
    page = client_admin.get(response["Location"], **EN).content.decode()
    assert "The message was processed." in page


@pytest.mark.parametrize("status", [Status.PROCESSED, Status.RECEIVED, Status.REJECTED])
def test_only_a_failed_message_is_retried(client_admin: Any, status: str) -> None:
    done = record(status=status)
    response = client_admin.post(
        reverse("backoffice:inbound_retry", args=[done.pk]), follow=True, **EN
    )
    assert "Only a message that failed can be processed again." in response.content.decode()
    done.refresh_from_db()
    assert done.status == status and done.attempts == 0
    assert not AuditEntry.objects.filter(action="inbound.retry").exists()


def test_the_actions_need_a_post_with_a_csrf_token(admin: Any) -> None:
    failed = record(status=Status.FAILED, attempts=5)
    browser = signed_in(Client(enforce_csrf_checks=True), admin)
    retry = reverse("backoffice:inbound_retry", args=[failed.pk])
    assert browser.get(retry).status_code == 405
    assert browser.post(retry).status_code == 403
    assert browser.post(reverse("backoffice:inbound_block", args=[failed.pk])).status_code == 403
    failed.refresh_from_db()
    assert failed.status == Status.FAILED and not SenderBlock.objects.exists()


# --- block ---------------------------------------------------------------------------------------


def test_blocking_a_sender_from_the_list(client_admin: Any, admin: Any) -> None:
    """The admin blocks the sender of a message (the intake core's blocklist, audited there
    without the address); the list then marks every message of that sender as blocked and
    offers no second block."""
    spam = record(text="PROMO PULSA MURAH!!!", status=Status.REJECTED)
    other = record(sender="+6285211112222", text="Air PDAM mati.")
    response = client_admin.post(
        reverse("backoffice:inbound_block", args=[spam.pk]), {"channel": "sms"}, **EN
    )
    assert response.status_code == 303 and response["Location"] == f"{URL}?channel=sms"
    block = SenderBlock.objects.get()
    assert block.address_hash == address_hash("sms", PHONE) and block.channel == "sms"
    assert block.created_by == admin and "+6281234567890" not in block.masked_address
    entry = AuditEntry.objects.get(action="intake.sender_block")
    assert entry.actor == admin and PHONE not in str(entry.data)
    html = client_admin.get(URL, **EN).content.decode()
    assert "is blocked on SMS 1708" in html
    assert html.count(">blocked</span>") == 1
    assert reverse("backoffice:inbound_block", args=[spam.pk]) not in html
    assert reverse("backoffice:inbound_block", args=[other.pk]) in html
    # Twice: the blocklist says so, nothing is added.
    again = client_admin.post(
        reverse("backoffice:inbound_block", args=[spam.pk]), follow=True, **EN
    )
    assert "already blocked" in again.content.decode()
    assert SenderBlock.objects.count() == 1


def test_a_missing_record_is_404(client_admin: Any) -> None:
    assert client_admin.post(reverse("backoffice:inbound_block", args=[999999])).status_code == 404
    response = client_admin.post(
        reverse("backoffice:inbound_retry", args=[999999]), follow=True, **EN
    )
    assert "Only a message that failed" in response.content.decode()


# --- in a browser --------------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_monitor_and_the_social_post_fields_in_a_browser(admin_page: Any) -> None:  # noqa: F811
    """WCAG 2.1 AA (axe-core) on the monitor with every status shown and on the intake form
    with the social-media fields opened; the script shows those fields only for that channel."""
    page = admin_page
    record(text="Lampu mati.", complaint=f.received(), action="created")
    record("email", sender=EMAIL, subject="Jalan", text="Rusak.", status=Status.IGNORED)
    record(status=Status.FAILED, attempts=5, error="TimeoutError: gammu")
    record("telegram", sender="987654321", status=Status.REJECTED)
    page.goto(URL)
    assert page.locator("#inbound-messages tbody tr").count() == 4
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.locator("form[action$='/ulang/'] button").click()
    page.wait_for_selector(".flash")
    assert_accessible(page)

    # The intake form: the post's fields open for social media; the same post again shows the
    # duplicate warning with its confirmation checkbox.
    first = f.received()
    SocialPost.objects.create(
        complaint=first,
        platform="x",
        url="https://x.com/warga/status/1",
        url_hash=post_url_hash("https://x.com/warga/status/1"),
    )
    page.goto("/kantor/aduan/baru/")
    assert not page.locator("#social-post").is_visible()
    page.select_option("#id_channel", "social_media")
    assert page.locator("#id_post_url").is_visible()
    page.select_option("#id_platform", "x")
    page.fill("#id_post_url", "https://twitter.com/warga/status/1?s=20")
    page.fill("#id_author_handle", "@warga")
    page.fill("#id_body", "Jalan di Lasalimu rusak parah.")
    page.check("#id_consent")
    page.locator("#intake-submit").click()
    page.wait_for_selector("#duplicate-post")
    assert page.locator("#social-post").is_visible()  # shown again with the warning
    assert first.tracking_code in page.locator("#duplicate-post").inner_text()
    assert_accessible(page)
