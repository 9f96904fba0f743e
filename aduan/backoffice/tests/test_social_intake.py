"""Complaints from social-media posts (issue 5): the platforms' APIs are gated, so the Dinas
admin enters a post in the operator intake (`/kantor/aduan/baru/`, channel social_media) with
its platform, address, author and screenshot. The address and the author identify a person:
kept encrypted with the identity, shown to the staff who may see it, never published (S1, S22).
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aduan.accounts.roles import Role
from aduan.agencies.models import Cause
from aduan.audit.models import AuditEntry
from aduan.backoffice.models import SocialPost
from aduan.backoffice.operator_intake import (
    post_url_hash,
    post_url_normalize,
    social_handle,
    social_post_erase,
)
from aduan.complaints.models import Attachment, Channel, Complaint, Event, Resolution
from aduan.complaints.publication import complaint_publish
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref  # noqa: F401  (fixture)
from aduan.complaints.tests.uploads_corpus import (
    exe,
    jpeg,
    media_fixture,  # noqa: F401  (the `media` fixture)
    upload,
)
from aduan.complaints.workflow import transitions as t
from aduan.core import clock, crypto

from .support import signed_in
from .test_intake import form_data

pytestmark = pytest.mark.django_db
URL = "/kantor/aduan/baru/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
POST_URL = "https://www.instagram.com/p/DbUtonJalan77/?igsh=abc123&utm_source=ig_web"
HANDLE = "wa_ode_pasarwajo"


@pytest.fixture
def admin(ref: Any) -> Any:  # noqa: F811
    return f.staff(Role.ADMIN, first_name="Ani", last_name="Operator")


@pytest.fixture
def client_admin(client: Any, admin: Any) -> Any:
    return signed_in(client, admin)


def social_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channel": Channel.SOCIAL_MEDIA,
        "platform": "instagram",
        "post_url": POST_URL,
        "author_handle": HANDLE,
        "name": "",
        "phone": None,
        "title": "Jalan berlubang di Holimombo",
        "body": "Jalan di Holimombo berlubang besar, sudah tiga motor jatuh minggu ini.",
    }
    data.update(overrides)
    return form_data(**data)


# --- the form -----------------------------------------------------------------------------------


def test_the_form_asks_for_the_post_and_works_without_javascript(client_admin: Any) -> None:
    """The post's fields are in the page as served (not added by a script), in a group that
    says they are for social media only; the script that hides them for other channels is a
    separate file (CSP: no inline script)."""
    html = client_admin.get(URL, **EN).content.decode()
    assert 'value="social_media"' in html
    for value in ("facebook", "instagram", "x", "tiktok", "youtube", "other"):
        assert f'<option value="{value}"' in html
    for name in ("platform", "post_url", "author_handle"):
        assert f'name="{name}"' in html
    assert 'id="social-post"' in html and 'id="social-post" hidden' not in html
    assert "Only when the channel is Social media" in html
    assert 'name="duplicate_confirmed"' not in html  # only with a duplicate warning
    script = Path(settings.BASE_DIR, "static/js/backoffice-intake.js").read_text()
    assert '"social_media"' in script and "js/backoffice-intake.js" in html


def test_a_post_becomes_a_social_media_complaint(client_admin: Any, admin: Any, media: Any) -> None:
    """R23, S1: channel social_media; the post's text is the body, the time it was posted the
    receipt time; the author's handle is the complainant's messenger id (encrypted, hashed);
    the URL is stored encrypted apart from the complaint; the screenshot is an attachment;
    the audit row names the platform but neither the address nor the author."""
    posted = timezone.localtime(clock.now() - dt.timedelta(hours=5)).replace(
        second=0, microsecond=0
    )
    data = social_data(
        received_at=posted.strftime("%Y-%m-%dT%H:%M"),
        attachments=upload(jpeg(), "tangkapan-layar.jpg"),
    )
    response = client_admin.post(URL, data)
    assert response.status_code == 303
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.SOCIAL_MEDIA
    assert complaint.submitted_by == admin
    assert complaint.received_at == posted
    assert complaint.body.startswith("Jalan di Holimombo berlubang")
    complainant = complaint.complainant
    assert complainant.messenger_id == f"instagram:@{HANDLE}"
    assert complainant.messenger_hash == crypto.keyed_hash(
        f"instagram:@{HANDLE}", purpose="messenger"
    )
    post = SocialPost.objects.get(complaint=complaint)
    assert (post.platform, post.url) == ("instagram", POST_URL)
    assert post.url_hash == post_url_hash(POST_URL)
    with connection.cursor() as cursor:
        cursor.execute("SELECT url FROM backoffice_socialpost WHERE id = %s", [post.pk])
        stored = cursor.fetchone()[0]
    assert "instagram.com" not in stored and "DbUtonJalan77" not in stored  # encrypted at rest
    assert [a.original_name for a in Attachment.objects.filter(complaint=complaint)] == [
        "tangkapan-layar.jpg"
    ]
    assert Event.objects.get(complaint=complaint, verb="submit").data["channel"] == "social_media"
    entry = AuditEntry.objects.get(action="complaint.operator_entry")
    assert entry.data["channel"] == "social_media" and entry.data["platform"] == "instagram"
    assert entry.data["duplicate_confirmed"] is False
    assert "DbUtonJalan77" not in str(entry.data) and HANDLE not in str(entry.data)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"platform": ""}, "platform", "Choose the platform of the post."),
        ({"platform": "myspace"}, "platform", "Choose the platform of the post."),
        ({"post_url": ""}, "post_url", "Enter the address of the post."),
        ({"post_url": "http://facebook.com/x/1"}, "post_url", "starting with https://"),
        ({"post_url": "javascript:alert(1)"}, "post_url", "starting with https://"),
        ({"post_url": "bukan alamat"}, "post_url", "starting with https://"),
        ({"author_handle": "  "}, "author_handle", "Enter the author"),
    ],
)
def test_a_post_without_its_platform_address_or_author_is_refused(
    client_admin: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    """Bad input: 400, the error next to its field and in the summary, nothing stored."""
    response = client_admin.post(URL, social_data(**overrides), **EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html and f'href="#id_{field}"' in html
    assert message in html
    assert Complaint.objects.count() == 0 and SocialPost.objects.count() == 0


def test_the_post_fields_are_ignored_for_other_channels(client_admin: Any) -> None:
    """Typed in, then another channel chosen (or shown without JavaScript): a walk-in stays a
    walk-in, and nothing of the post is kept."""
    response = client_admin.post(
        URL, form_data(platform="x", post_url="https://x.com/a/status/1", author_handle="@a")
    )
    assert response.status_code == 303
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.WALK_IN
    assert complaint.complainant.messenger_id == ""
    assert not SocialPost.objects.exists()


def test_a_bad_screenshot_is_refused(client_admin: Any, media: Any) -> None:
    """S10: the screenshot goes through the upload checks: an executable named .png is refused
    next to the file input, and no complaint is made."""
    response = client_admin.post(
        URL, social_data(attachments=upload(exe(), "screenshot.png")), **EN
    )
    assert response.status_code == 400
    assert 'id="id_attachments-errors"' in response.content.decode()
    assert Complaint.objects.count() == 0 and SocialPost.objects.count() == 0


# --- the same post twice ------------------------------------------------------------------------


def test_the_same_submission_twice_creates_one_complaint(client_admin: Any) -> None:
    """S16: a resent form (same submission_id) is no "same post" warning: the first receipt."""
    data = social_data()
    first = client_admin.post(URL, data)
    second = client_admin.post(URL, data)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Complaint.objects.count() == 1 and SocialPost.objects.count() == 1


def test_the_same_post_entered_again_warns_and_links_the_first_complaint(
    client_admin: Any,
) -> None:
    """Duplicate detection by post address: the same post, spelt another way (mobile host,
    other share parameters, a trailing slash, a fragment), is refused with a warning linking
    the complaint already made; the admin may still enter it on purpose (audited)."""
    client_admin.post(URL, social_data())
    first = Complaint.objects.get()
    again = social_data(
        post_url="https://m.instagram.com/p/DbUtonJalan77/?utm_medium=copy_link#comments",
        body="Ada yang melapor lagi jalan Holimombo berlubang.",
    )
    response = client_admin.post(URL, again, **EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="duplicate-post"' in html
    assert f'href="{reverse("backoffice:complaint", args=[first.pk])}"' in html
    assert first.tracking_code in html
    assert 'name="duplicate_confirmed"' in html
    assert Complaint.objects.count() == 1

    again["duplicate_confirmed"] = "on"
    response = client_admin.post(URL, again)
    assert response.status_code == 303
    assert Complaint.objects.count() == 2 and SocialPost.objects.count() == 2
    entries = AuditEntry.objects.filter(action="complaint.operator_entry").order_by("id")
    assert [e.data["duplicate_confirmed"] for e in entries] == [False, True]


def test_post_addresses_are_compared_in_one_spelling() -> None:
    same = [
        "https://www.facebook.com/dinas.buton/posts/123?fbclid=IwAR0",
        "https://m.facebook.com/dinas.buton/posts/123/",
        "https://facebook.com/dinas.buton/posts/123#comment",
        "HTTPS://WEB.FACEBOOK.COM/dinas.buton/posts/123?utm_source=wa",
    ]
    assert {post_url_normalize(u) for u in same} == {"https://facebook.com/dinas.buton/posts/123"}
    assert post_url_normalize("https://twitter.com/a/status/9?s=20") == "https://x.com/a/status/9"
    # What tells one post from another stays: the path and the meaningful parameters.
    assert post_url_normalize("https://facebook.com/permalink.php?story_fbid=1&id=2") != (
        post_url_normalize("https://facebook.com/permalink.php?story_fbid=3&id=2")
    )
    assert (
        post_url_hash(same[0])
        == post_url_hash(same[1])
        != post_url_hash("https://facebook.com/dinas.buton/posts/124")
    )
    assert social_handle("x", "@ budi ") == "x:@budi"
    assert social_handle("facebook", "  Budi   Santoso ") == "facebook:Budi Santoso"


# --- who sees the post ---------------------------------------------------------------------------


def _entered(client_admin: Any, **overrides: Any) -> Complaint:
    assert client_admin.post(URL, social_data(**overrides)).status_code == 303
    return Complaint.objects.get()


def test_the_post_is_shown_with_the_identity_and_only_there(client_admin: Any) -> None:
    """S1: the admin sees the platform and the link (without a referrer) in the complainant
    panel; a coordination-team member, who may not see the identity, sees neither the link
    nor the author; on an anonymous complaint the admin sees neither until a reveal."""
    complaint = _entered(client_admin)
    page_url = reverse("backoffice:complaint", args=[complaint.pk])
    html = client_admin.get(page_url, **EN).content.decode()
    assert "Social-media post" in html and "Instagram" in html
    assert f'href="{POST_URL.replace("&", "&amp;")}" rel="noopener noreferrer nofollow"' in html
    assert f"instagram:@{HANDLE}" in html

    member = signed_in(Client(), f.staff(Role.MEMBER))
    member_page = member.get(page_url, **EN)
    assert member_page.status_code == 200
    text = member_page.content.decode()
    assert complaint.tracking_code in text  # control: the page itself is shown
    assert "DbUtonJalan77" not in text and HANDLE not in text


def test_an_anonymous_posts_address_is_hidden_with_the_identity(client_admin: Any) -> None:
    """S1, S2: anonymous — the post's address and author are hidden from the admin too."""
    complaint = _entered(client_admin, anonymous="on")
    html = client_admin.get(reverse("backoffice:complaint", args=[complaint.pk])).content.decode()
    assert complaint.anonymous
    assert "DbUtonJalan77" not in html and HANDLE not in html


def test_s13_the_author_handle_is_escaped(client_admin: Any) -> None:
    """S13: text from social media is untrusted: a handle with markup is shown as text."""
    complaint = _entered(
        client_admin, platform="facebook", author_handle="<script>alert(1)</script>"
    )
    html = client_admin.get(reverse("backoffice:complaint", args=[complaint.pk])).content.decode()
    assert "facebook:&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_s1_s22_the_post_is_never_published(client_admin: Any, ref: Any) -> None:  # noqa: F811
    """S1, S22: a post entered, handled, and published on the portal: its address and its
    author appear on no public page, in no public API answer, no Open311 document and no
    open-data file (control: the published report itself is there)."""
    complaint = _entered(client_admin, category=None)
    dpupr = f.agency("dpupr")
    t.complaint_dispatch(complaint=complaint, by=f.actor(Role.ADMIN), agency=dpupr)
    t.complaint_acknowledge(complaint=complaint, by=f.actor(Role.LIAISON, dpupr))
    t.complaint_respond(
        complaint=complaint,
        by=f.actor(Role.LIAISON, dpupr),
        text="Lubang sudah ditambal.",
        cause=Cause.objects.get(code="sarana_rusak"),
        resolution=Resolution.RESOLVED,
    )
    complaint_publish(
        complaint=complaint,
        by=f.actor(Role.ADMIN),
        title="Jalan berlubang di Holimombo",
        body="Jalan berlubang besar di Holimombo.",
    )
    code = complaint.tracking_code
    public = Client()
    urls = [
        "/",
        "/laporan/",
        f"/lacak/{code}/",
        "/statistik/",
        "/api/v1/complaints",
        f"/api/v1/complaints/{code}",
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{code}.json",
        "/data/statistik.json",
        "/data/statistik.csv",
    ]
    seen = ""
    for url in urls:
        response = public.get(url, **EN)
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content  # type: ignore[attr-defined]
        text = body.decode()
        seen += text
        for needle in ("DbUtonJalan77", "instagram.com/p", HANDLE, "instagram:@"):
            assert needle not in text, (needle, url)
    assert code in seen and "Jalan berlubang di Holimombo" in seen  # control


def test_social_post_erase_blanks_the_address(client_admin: Any) -> None:
    """S18: with the complainant's identity, the post's address and its hash can be erased."""
    complaint = _entered(client_admin)
    assert social_post_erase(complaint) is True
    post = SocialPost.objects.get(complaint=complaint)
    assert (post.url, post.url_hash) == ("", "")
    assert social_post_erase(complaint) is False
    # Once erased, the same post is not recognised any more (nothing left to compare with).
    again = social_data(submission_id=str(uuid.uuid4()), body="Laporan kedua dari kiriman sama.")
    assert client_admin.post(URL, again).status_code == 303


def test_s18_erasing_the_identity_erases_the_posts_address(client_admin: Any) -> None:
    """S18: the complainant's erasure (data_rights.complainant_erase) reaches the post's URL too,
    through settings.ADUAN_IDENTITY_ERASERS, and the erasure event names it."""
    from aduan.complaints.data_rights import complainant_erase

    complaint = _entered(client_admin)
    complainant_erase(complaint.complainant)
    post = SocialPost.objects.get(complaint=complaint)
    assert (post.url, post.url_hash) == ("", "")
    event = Event.objects.filter(complaint=complaint, verb="identity_erased").get()
    assert "social_post_erase" in event.data["fields"]
