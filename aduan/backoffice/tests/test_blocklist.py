"""The blocklist page (issue 5), `/kantor/kelola/blokir/`: admins only; addresses shown masked,
never in clear (S1); block by typing an address and a channel, unblock; both audited (S14)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry
from aduan.complaints.tests import factories as f
from aduan.intake.abuse import sender_block, sender_is_blocked
from aduan.intake.models import SenderBlock
from aduan.portal.tests.browser import assert_accessible, assert_no_horizontal_scroll

from .support import signed_in
from .test_browser_manage import admin_page  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
URL = "/kantor/kelola/blokir/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def sender_block_row() -> SenderBlock:
    """A blocked sender, as an admin leaves it (for the sweeps)."""
    return sender_block(by=f.staff(Role.ADMIN), channel="sms", sender="+6281299998888", note="uji")


def test_the_admin_blocks_and_unblocks_an_address(client: Client, ref: Any) -> None:
    """S1, S14: the typed number is blocked (on every channel here) and shown only masked;
    the audit log has the action without the number; unblocking removes it."""
    admin = signed_in(client, f.staff(Role.ADMIN))
    response = admin.post(
        URL, {"sender": "0812-3456-7890", "channel": "*", "note": "spam", "days": ""}, **EN
    )
    assert response.status_code == 303
    assert sender_is_blocked("sms", "+6281234567890")
    assert sender_is_blocked("whatsapp", "6281234567890")
    page = admin.get(URL, **EN).content.decode()
    assert "+62812****890" in page and "Every channel" in page
    for clear in ("81234567890", "3456-7890", "0812-3456"):
        assert clear not in page
    entry = AuditEntry.objects.get(action="intake.sender_block")
    assert "81234567890" not in str(entry.data)
    block = SenderBlock.objects.get()
    assert admin.post(reverse("backoffice:blocklist_remove", args=[block.pk])).status_code == 303
    assert not SenderBlock.objects.exists()
    assert AuditEntry.objects.filter(action="intake.sender_unblock").count() == 1


def test_a_bad_or_repeated_block_is_refused_with_the_form(client: Client, ref: Any) -> None:
    signed_in(client, f.staff(Role.ADMIN))
    missing = client.post(URL, {"sender": "", "channel": "sms"}, **EN)
    assert missing.status_code == 400
    client.post(URL, {"sender": "081234567890", "channel": "sms"}, **EN)
    again = client.post(URL, {"sender": "+62 812 3456 7890", "channel": "sms"}, **EN)
    assert again.status_code == 400
    assert "already blocked" in again.content.decode()
    assert SenderBlock.objects.count() == 1


@pytest.mark.parametrize("role", [Role.LIAISON, Role.CHAIR, Role.REGENT])
def test_other_roles_cannot_see_or_change_the_blocklist(client: Client, ref: Any, role) -> None:  # type: ignore[no-untyped-def]
    block = sender_block_row()
    user = f.staff(role, f.agency() if role == Role.LIAISON else None)
    signed_in(client, user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"sender": "081234567890", "channel": "sms"}).status_code == 403
    assert client.post(reverse("backoffice:blocklist_remove", args=[block.pk])).status_code == 403
    assert SenderBlock.objects.count() == 1


@pytest.mark.e2e
def test_the_blocklist_page_is_accessible(admin_page: Any) -> None:  # noqa: F811
    sender_block_row()
    admin_page.goto(URL)
    assert admin_page.locator("#blocked-senders code").first.inner_text() == "+62812****888"
    assert_accessible(admin_page)
    admin_page.set_viewport_size({"width": 360, "height": 640})
    assert_no_horizontal_scroll(admin_page)


def test_s13_the_note_is_shown_as_text(client: Client, ref: Any) -> None:
    """S13: what is typed into the blocklist (or copied from an untrusted message) is escaped."""
    admin = signed_in(client, f.staff(Role.ADMIN))
    admin.post(URL, {"sender": "081234567890", "channel": "sms", "note": "<script>x()</script>"})
    page = admin.get(URL, **EN).content.decode()
    assert "<script>x()</script>" not in page and "&lt;script&gt;x()&lt;/script&gt;" in page
