"""A citizen's whole journey in a real browser at phone size (issue 3): report → receipt →
tracking → question and answer → response → follow-up → second response → solved and rated;
once with JavaScript (the app's enhanced form) and once without (plain HTML forms).

Staff steps call the workflow functions directly (the back-office is issue 4)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import translation
from PIL import ExifTags, Image

from aduan.accounts.roles import Role
from aduan.agencies.models import Cause
from aduan.complaints.models import Attachment, Complaint, Resolution
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.uploads_corpus import jpeg
from aduan.complaints.tests.uploads_corpus import media_fixture as media_fixture  # `media`
from aduan.complaints.workflow import transitions as t
from aduan.complaints.workflow.states import Status

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BODY = "Jembatan kayu di Dusun Lakapera patah sejak minggu lalu, anak sekolah tidak bisa lewat."
PHONE = "081234567890"
QUESTION = "Di desa mana tepatnya jembatan itu?"
ANSWER = "Di Desa Wakoko, dekat SD Negeri 2."
FIRST_RESPONSE = "Tim kami sudah memasang papan sementara."
FOLLOW_UP = "Papannya sudah lepas lagi, belum aman untuk anak-anak."
SECOND_RESPONSE = "Jembatan sudah diganti dengan rangka besi yang baru."
COMMENT = "Terima kasih, sekarang aman dilewati."


def label(status: Status) -> str:
    """A state's name as the Indonesian page shows it."""
    with translation.override("id"):
        return str(status.label)


@pytest.fixture
def new_page(chromium: Any, live_server: Any, settings: Any) -> Iterator[Callable[..., Any]]:
    """Phone-sized (360x640) Indonesian pages in fresh contexts against the live server; the
    form's minimum fill time is off (antispam.min_fill_seconds) and the private link points
    at the live server."""
    settings.ADUAN_REPORT_MIN_FILL_SECONDS = 0
    settings.ADUAN_SITE_URL = live_server.url
    contexts = []

    def make(*, javascript: bool = True) -> Any:
        context = chromium.new_context(
            viewport={"width": 360, "height": 640},
            locale="id-ID",
            base_url=live_server.url,
            service_workers="block",
            java_script_enabled=javascript,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


def send_report(page: Any, *, photo: bytes | None = None) -> tuple[Complaint, str]:
    """Fill the form as a citizen and reach the receipt; the receipt's code and private link."""
    page.goto("/lapor/")
    page.fill("#id_body", BODY)
    page.fill("#id_phone", PHONE)
    if photo is not None:
        page.set_input_files(
            "#id_attachments", {"name": "jembatan.jpg", "mimeType": "image/jpeg", "buffer": photo}
        )
    page.check("#id_consent")
    page.click("#report-submit")
    page.wait_for_url("**/lapor/tanda-terima/**")
    complaint = Complaint.objects.get()
    assert page.locator("h1").inner_text() == "Laporan Anda sudah diterima"
    assert page.locator(".tracking-code").inner_text() == complaint.tracking_code
    private_url = page.input_value("#private-url")
    assert private_url.startswith(f"{page.url.split('/lapor/')[0]}/lacak/")
    assert f"/lacak/{complaint.tracking_code}/?t=" in private_url
    return complaint, private_url


def open_private_link(page: Any, complaint: Complaint, private_url: str) -> None:
    """S5: the link is exchanged for a grant and the token leaves the address bar."""
    page.goto(private_url)
    page.wait_for_url(f"**/lacak/{complaint.tracking_code}/")
    assert "t=" not in urlsplit(page.url).query
    assert page.locator("#my-data").is_visible()
    assert BODY in page.locator(".report-body").inner_text()


def state_shown(page: Any) -> str:
    return page.locator(".status-card .state").inner_text()


def flash(page: Any) -> str:
    return page.locator(".flash").inner_text()


def dispatch_and_respond(complaint: Complaint, text: str) -> None:
    t.complaint_dispatch(complaint=complaint, by=f.actor(Role.ADMIN), agency=f.agency("dpupr"))
    liaison = f.actor(Role.LIAISON, f.agency("dpupr"))
    t.complaint_acknowledge(complaint=complaint, by=liaison)
    respond(complaint, text, liaison)


def respond(complaint: Complaint, text: str, liaison: Any = None) -> None:
    t.complaint_respond(
        complaint=complaint,
        by=liaison or f.actor(Role.LIAISON, f.agency("dpupr")),
        text=text,
        cause=Cause.objects.get(code="sarana_rusak"),
        resolution=Resolution.RESOLVED,
    )


def fresh(complaint: Complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)


def test_citizen_journey_with_javascript(new_page, buton, media):
    """Issue 3, the whole journey with JavaScript at 360x640: a photo with EXIF GPS is stored
    without it (S4: metadata stripped), the code works in the look-up box, the private link
    becomes a grant (S5), the citizen answers the Dinas's question (R26), sees the response
    (R29), replies that it is not solved (R31), and closes it with a rating of 4 (R32)."""
    page = new_page()
    photo = jpeg((320, 240), gps=True)
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the control
    complaint, private_url = send_report(page, photo=photo)
    assert page.locator("#copy-link").is_visible()  # report.js ran on the receipt

    # S4: the stored photo has no EXIF at all (no GPS, no camera serial).
    attachment = Attachment.objects.get(complaint=complaint)
    with attachment.file.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        assert stored.format == "JPEG" and stored.size == (320, 240)
        assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert not dict(stored.getexif())
        assert "exif" not in stored.info

    # The public page, reached by typing the code (forgivingly) in the look-up box.
    page.goto("/lacak/")
    page.fill("input[name=code]", complaint.tracking_code.lower().replace("-", " "))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/lacak/{complaint.tracking_code}/")
    assert state_shown(page) == label(Status.RECEIVED)
    assert page.locator("#yours").is_visible()  # "Is this your report?": no grant yet
    assert page.locator("#my-data").count() == 0 and BODY not in page.content()

    open_private_link(page, complaint, private_url)
    assert page.locator(".files a").inner_text() == "jembatan.jpg"

    # The Dinas asks a question; the citizen answers on the private page.
    t.complaint_request_info(complaint=complaint, by=f.actor(Role.ADMIN), question=QUESTION)
    page.reload()
    assert state_shown(page) == label(Status.PENDING)
    assert page.locator("blockquote.question").inner_text() == QUESTION
    page.fill("#id_supplement-text", ANSWER)
    page.click("form[action$='/jawab/'] button[type=submit]")
    page.wait_for_selector(".flash")
    assert "Jawaban Anda terkirim" in flash(page)
    assert state_shown(page) == label(Status.RECEIVED)
    assert fresh(complaint).status == Status.RECEIVED

    # Dispatched, taken up, answered: the citizen sees the response.
    dispatch_and_respond(complaint, FIRST_RESPONSE)
    page.reload()
    assert state_shown(page) == label(Status.RESPONDED)
    assert FIRST_RESPONSE in page.locator("#conversation ~ .conversation").inner_text()
    assert page.locator("#solved").is_visible()

    # Not solved: the reply goes back to the agency.
    page.fill("#id_follow_up-text", FOLLOW_UP)
    page.click("form[action$='/balas/'] button[type=submit]")
    page.wait_for_selector(".flash")
    assert "Balasan Anda diteruskan kembali" in flash(page)
    assert state_shown(page) == label(Status.IN_PROGRESS)
    assert fresh(complaint).status == Status.IN_PROGRESS
    assert page.locator("#solved").count() == 0

    # Answered again; solved, rated 4 with a comment.
    respond(complaint, SECOND_RESPONSE)
    page.reload()
    conversation = page.locator("#conversation ~ .conversation").inner_text()
    assert FOLLOW_UP in conversation and SECOND_RESPONSE in conversation
    page.check("input[name=confirm-satisfaction][value='4']")
    page.fill("#id_confirm-comment", COMMENT)
    page.click("form[action$='/selesai/'] button[type=submit]")
    page.wait_for_selector(".flash")
    assert flash(page) == "Terima kasih. Laporan sudah ditutup."
    assert state_shown(page) == label(Status.CLOSED)
    assert page.locator(".rated").inner_text() == "Penilaian Anda atas penanganan: 4 - Puas."
    assert COMMENT in page.locator("#rating ~ blockquote").inner_text()

    closed = fresh(complaint)
    assert closed.status == Status.CLOSED
    assert (closed.satisfaction, closed.satisfaction_comment) == (4, COMMENT)
    assert closed.follow_up_count == 1


def test_citizen_journey_without_javascript(new_page, buton):
    """Issue 3: everything works without JavaScript — the form posts and redirects (303) to the
    receipt, the private link gives a grant (S5), and after the report is closed without a
    rating the citizen rates it with the plain rating form (R32)."""
    page = new_page(javascript=False)
    complaint, private_url = send_report(page)
    assert page.locator("#copy-link").is_hidden()  # the JS-only buttons stay hidden

    open_private_link(page, complaint, private_url)
    assert state_shown(page) == label(Status.RECEIVED)

    dispatch_and_respond(complaint, FIRST_RESPONSE)
    page.reload()
    assert FIRST_RESPONSE in page.locator("#conversation ~ .conversation").inner_text()

    # Solved, without a rating: the rating form then stands on its own.
    page.click("form[action$='/selesai/'] button[type=submit]")
    page.wait_for_selector(".flash")
    assert state_shown(page) == label(Status.CLOSED)
    assert fresh(complaint).satisfaction is None
    page.check("input[name=rate-satisfaction][value='5']")
    page.fill("#id_rate-comment", COMMENT)
    page.click("form[action$='/nilai/'] button[type=submit]")
    page.wait_for_selector(".flash")
    assert flash(page) == "Terima kasih atas penilaian Anda."
    assert page.locator(".rated").inner_text() == "Penilaian Anda atas penanganan: 5 - Sangat puas."

    rated = fresh(complaint)
    assert (rated.status, rated.satisfaction, rated.satisfaction_comment) == (
        Status.CLOSED,
        5,
        COMMENT,
    )
