"""The report form /lapor/ and its receipt (issue 3; Pasal 5(2), 6(2), 9(1)f; S1, S7, S16)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from aduan.agencies.models import Category, Region
from aduan.complaints.models import Channel, Complainant, Complaint, Kind
from aduan.complaints.tests.uploads_corpus import media_fixture  # noqa: F401  (the `media` fixture)
from aduan.core import clock
from aduan.notifications.models import OutboxMessage
from aduan.portal import antispam
from aduan.portal.forms import ReportForm
from aduan.portal.privacy import PRIVACY_NOTICE_VERSION

pytestmark = pytest.mark.django_db

URL = "/lapor/"


@pytest.fixture(autouse=True)
def _no_fill_time(settings: Any) -> None:
    """Test clients post at once; the minimum fill time has its own tests."""
    settings.ADUAN_REPORT_MIN_FILL_SECONDS = 0


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        **{k: str(v) for k, v in ReportForm.fresh_initial().items()},
        "kind": Kind.COMPLAINT,
        "ground": "",
        "title": "Jalan berlubang di depan SD",
        "body": "Jalan di depan SD Negeri 1 berlubang besar sejak dua minggu.",
        "event_date": "",
        "region": "",
        "location_text": "Depan SD Negeri 1",
        "category": "",
        "name": "Wa Ode Uji",
        "phone": "0812 3456 7890",
        "email": "",
        "nik": "",
        "address": "",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client: Client, data: dict[str, Any], **extra: Any) -> Any:
    return client.post(URL, data, HTTP_ACCEPT_LANGUAGE="en", **extra)


def text(response: Any) -> str:
    return response.content.decode()


def first_village() -> Region:
    return Region.objects.filter(level=Region.Level.VILLAGE).order_by("code").first()


# --- the form -------------------------------------------------------------------------------


def test_form_groups_villages_by_kecamatan_and_works_without_javascript(client, buton):
    """Pasal 5(2): one <select> of desa/kelurahan grouped by kecamatan, a whole kecamatan can
    be chosen; categories grouped by parent; no inline script or style (CSP)."""
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = text(response)
    district = Region.objects.filter(level=Region.Level.DISTRICT).order_by("name").first()
    village = first_village()
    assert f'<optgroup label="Kecamatan {district.name}">' in page
    assert f">Whole Kecamatan {district.name}</option>" in page
    assert f">Desa {village.name}</option>" in page
    assert '<optgroup label="Pekerjaan Umum dan Penataan Ruang">' in page
    assert 'name="submission_id"' in page and 'name="started"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "<script>" not in page and "style=" not in page and "onclick" not in page
    assert response["Cache-Control"] == "no-store"
    # The privacy notice is linked; identity fields help autofill; the phone keyboard is numeric.
    assert 'href="/privasi/"' in page
    assert 'autocomplete="tel"' in page and 'inputmode="tel"' in page
    assert 'autocomplete="email"' in page and 'autocomplete="name"' in page


def test_each_form_shows_a_fresh_submission_id(client, buton):
    """S16: every rendered form carries its own idempotency key (UUID4)."""
    ids = {
        re.search(r'name="submission_id" value="([^"]+)"', text(client.get(URL))).group(1)
        for _ in range(2)
    }
    assert len(ids) == 2
    assert all(uuid.UUID(i).version == 4 for i in ids)


# --- a valid report -------------------------------------------------------------------------


def test_valid_report_creates_one_complaint_and_shows_the_receipt(client, buton):
    """Pasal 6(2): a web report is stored with its identity encrypted, the consent version, an
    outbox receipt, and the receipt page shows the code and the private link."""
    village = first_village()
    category = Category.objects.get(code="K01.01")
    response = post(
        client,
        form_data(
            region=village.pk,
            category=category.pk,
            event_date=(clock.local_date() - dt.timedelta(days=3)).isoformat(),
            email="Wa.Ode@Contoh.ID",
            nik="7404 0101 0101 0001",
        ),
    )
    assert response.status_code == 303, text(response)[:2000]
    complaint = Complaint.objects.get()
    assert response["Location"] == f"/lapor/tanda-terima/{complaint.tracking_code}/"
    assert complaint.channel == Channel.WEB
    assert complaint.region == village and complaint.category == category
    assert complaint.title == "Jalan berlubang di depan SD"
    complainant = complaint.complainant
    assert complainant.name == "Wa Ode Uji"
    assert complainant.phone == "+6281234567890"
    assert complainant.email == "wa.ode@contoh.id"
    assert complainant.nik == "7404010101010001"
    assert complainant.consent_version == PRIVACY_NOTICE_VERSION and complainant.consented_at
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, phone FROM complaints_complainant WHERE id = %s",
            [complainant.pk],
        )
        raw_name, raw_phone = cursor.fetchone()
    assert "Wa Ode" not in raw_name and "6281234567890" not in raw_phone  # encrypted at rest
    assert OutboxMessage.objects.filter(
        complaint=complaint, template="complaint_received", to_complainant=True
    ).exists()

    receipt = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert receipt.status_code == 200
    page = text(receipt)
    assert complaint.tracking_code in page
    assert f"/lacak/{complaint.tracking_code}/?t={complaint.access_token}" in page
    assert "Keep this link to yourself" in page
    assert "by SMS and to your email address" in page
    assert receipt["Cache-Control"] == "no-store"
    assert receipt["Referrer-Policy"] == "no-referrer"


def test_anonymous_report_needs_no_contact(client, buton):
    """An anonymous report may come without phone or email; the receipt says the link is
    shown only here."""
    response = post(client, form_data(anonymous="on", name="", phone=""))
    assert response.status_code == 303
    complaint = Complaint.objects.get()
    assert complaint.anonymous
    page = text(client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en"))
    assert "this page is the only place" in page


def test_app_channel_when_the_pwa_sends_via_app(client, buton):
    """Pasal 6(2)c: reports from the installed app are counted as the app channel."""
    response = post(client, form_data(via="app"))
    assert response.status_code == 303
    assert Complaint.objects.get().channel == Channel.APP


def test_ground_is_dropped_for_an_aspiration(client, buton):
    """A ground (Pasal 3(1)) applies only to complaints; chosen before switching kind, it is
    ignored rather than refused."""
    response = post(client, form_data(kind=Kind.ASPIRATION, ground="neglect"))
    assert response.status_code == 303
    complaint = Complaint.objects.get()
    assert (complaint.kind, complaint.ground) == (Kind.ASPIRATION, "")


# --- bad input: error next to the field, values kept, nothing stored --------------------------

FUTURE = (dt.datetime.now(tz=dt.UTC).date() + dt.timedelta(days=30)).isoformat()

BAD_INPUT = {
    "empty body": ({"body": "   "}, "body", "Describe what happened."),
    "1 MB body": ({"body": "x" * 1_000_000}, "body", "The description is too long"),
    "future date": ({"event_date": FUTURE}, "event_date", "cannot be in the future"),
    "invalid date": ({"event_date": "31-31-2026"}, "event_date", "Enter a date like"),
    "no contact": ({"phone": "", "email": ""}, "phone", "Give a phone number or an email"),
    "invalid phone": ({"phone": "12"}, "phone", "not a valid phone number"),
    "invalid email": ({"email": "warga@"}, "email", "not a valid email address"),
    "invalid NIK": ({"nik": "12345"}, "nik", "A NIK has 16 digits."),
    "no consent": ({"consent": None}, "consent", "Agree to the privacy notice"),
    "tampered region": ({"region": "999999"}, "region", "Choose an area from the list."),
    "tampered category": ({"category": "999999"}, "category", "Choose a category from the list."),
    "tampered kind": ({"kind": "bribe"}, "kind", "Select a valid choice"),
    "control characters only": ({"body": "\x00\x01\x02"}, "body", "Describe what happened."),
}


@pytest.mark.parametrize("overrides,field,message", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_stored(
    client, buton, overrides, field, message
):
    """Bad input gets a clear message next to its field (aria-invalid, aria-describedby), the
    error summary links to it, what was typed stays, and nothing is stored."""
    data = form_data(title="Judul yang saya ketik", **overrides)
    response = post(client, data)
    assert response.status_code == 400
    page = text(response)
    assert f'id="id_{field}_error"' in page
    error = re.search(rf'<p class="error" id="id_{field}_error">(.*?)</p>', page, re.S).group(1)
    assert message in error
    assert 'class="error-summary"' in page
    target = "id_kind_0" if field == "kind" else f"id_{field}"
    assert f'href="#{target}"' in page
    if field not in ("kind", "consent"):
        widget = re.search(rf'<(input|select|textarea)[^>]*id="{target}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in widget and f"id_{field}_error" in widget
    assert 'value="Judul yang saya ketik"' in page  # what was typed stays
    assert Complaint.objects.count() == 0
    assert Complainant.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_broken_utf8_in_multipart_is_refused_clearly(client, buton):
    """Bytes that are not UTF-8 are refused with a message, not stored as mojibake."""
    data = form_data()
    boundary = "BoUnDaRy"
    parts = []
    for key, value in data.items():
        raw = value.encode() if key != "body" else b"Jalan rusak \xff\xfe\xc3 parah"
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode()
            + raw
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    response = client.generic(
        "POST",
        URL,
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "could not be read" in text(response)
    assert Complaint.objects.count() == 0


def test_control_characters_are_removed(client, buton):
    """NUL and other control characters never reach the database (PostgreSQL refuses NUL)."""
    response = post(client, form_data(body="Jalan\x00 rusak\x07 parah\r\nsekali", title="A\x00B"))
    assert response.status_code == 303
    complaint = Complaint.objects.get()
    assert complaint.body == "Jalan rusak parah\r\nsekali"
    assert complaint.title == "AB"


SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_html_in_every_field_is_kept_as_text_and_escaped(client, buton):
    """S13-style: HTML and script typed in any field are stored as plain text and escaped on
    the receipt and on the form shown again, never rendered."""
    fields = ("title", "body", "location_text", "name", "address")
    response = post(client, form_data(**{f: f"{f} {SCRIPT}" for f in fields}))
    assert response.status_code == 303
    complaint = Complaint.objects.get()
    assert complaint.body == f"body {SCRIPT}"
    page = text(client.get(response["Location"]))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    # The form shown again with an error escapes what was typed, too.
    again = post(client, form_data(consent=None, **{f: f"{f} {SCRIPT}" for f in fields}))
    assert again.status_code == 400
    assert "<script>alert" not in text(again) and "<img src=x" not in text(again)


def test_service_errors_are_mapped_to_their_field(client, buton, monkeypatch):
    """An ApplicationError from complaint_submit (extra["field"]) appears next to that field."""
    from aduan.core.exceptions import ApplicationError
    from aduan.portal.views import report

    def refuse(**kwargs: Any) -> None:
        raise ApplicationError("The map position is not valid.", extra={"field": "latitude"})

    monkeypatch.setattr(report, "complaint_submit", refuse)
    response = post(client, form_data())
    assert response.status_code == 400
    assert re.search(
        r'id="id_location_text_error">[^<]*<span[^>]*>[^<]*</span>The map position', text(response)
    )


# --- idempotency (S16) --------------------------------------------------------------------


def test_double_submit_creates_one_complaint_and_the_same_receipt(client, buton):
    """S16: the same form sent twice (double click, resent POST) creates one complaint and
    both answers lead to the same receipt."""
    data = form_data()
    first = post(client, data)
    second = post(client, data)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Complaint.objects.count() == 1
    assert OutboxMessage.objects.filter(template="complaint_received").count() == 1
    assert client.get(second["Location"]).status_code == 200


def test_retry_from_a_fresh_session_still_gets_the_receipt(buton):
    """S16: an app that lost its cookie and resends the same submission (same secret id, same
    content) gets the receipt of the complaint already stored, not a second complaint."""
    data = form_data()
    first = post(Client(), data)
    retry_client = Client()
    retry = post(retry_client, data)
    assert first["Location"] == retry["Location"]
    assert Complaint.objects.count() == 1
    assert retry_client.get(retry["Location"]).status_code == 200


def test_reused_submission_id_with_other_content_is_refused(client, buton):
    """An idempotency key reused for different content creates nothing; the form comes back
    with a new submission id to send it as a new report."""
    data = form_data()
    assert post(client, data).status_code == 303
    changed = post(client, {**data, "body": "Laporan lain sama sekali."})
    assert changed.status_code == 400
    assert "already sent with other content" in text(changed)
    assert data["submission_id"] not in text(changed)
    assert Complaint.objects.count() == 1


def test_missing_or_malformed_submission_id_is_no_error_for_the_citizen(client, buton):
    """A hidden field the citizen cannot fix never blocks the report: without a usable
    submission id the report is still accepted (once per POST)."""
    assert post(client, form_data(submission_id=None)).status_code == 303
    assert post(client, form_data(submission_id="not-a-uuid")).status_code == 303
    assert Complaint.objects.count() == 2


def test_idempotency_key_header_stands_in_for_the_field(client, buton):
    """S16: an app that sends only the Idempotency-Key header gets one complaint for two
    deliveries."""
    key = str(uuid.uuid4())
    data = form_data(submission_id=None)
    for _ in range(2):
        response = post(client, data, HTTP_ACCEPT="application/json", HTTP_IDEMPOTENCY_KEY=key)
        assert response.status_code == 201
    assert Complaint.objects.count() == 1


# --- the receipt ----------------------------------------------------------------------------


def test_receipt_is_404_for_another_session(client, buton):
    """The private link is shown only to the browser that sent the report."""
    response = post(client, form_data())
    assert client.get(response["Location"]).status_code == 200
    assert Client().get(response["Location"]).status_code == 404
    assert client.get("/lapor/tanda-terima/BTN-NOPE/").status_code == 404


def test_receipt_of_anonymous_report_shows_no_identity(client, buton):
    """S1: an anonymous complainant's name, phone, email, NIK and address never appear on the
    receipt page (and, as a control, the tracking code does)."""
    response = post(
        client,
        form_data(
            anonymous="on",
            name="Zulkarnain Pelapor Rahasia",
            phone="081299887766",
            email="zulkarnain.rahasia@contoh.id",
            nik="7404999988887777",
            address="Jalan Rahasia Nomor 99",
        ),
    )
    assert response.status_code == 303
    page = text(client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en"))
    assert Complaint.objects.get().tracking_code in page
    for secret in (
        "Zulkarnain",
        "081299887766",
        "6281299887766",
        "99887766",
        "zulkarnain.rahasia",
        "7404999988887777",
        "Jalan Rahasia",
    ):
        assert secret not in page


# --- anti-spam ------------------------------------------------------------------------------


def test_honeypot_shows_success_and_stores_nothing(client, buton):
    """A bot that fills the hidden field sees a success page; nothing is stored."""
    response = post(client, form_data(website="http://spam.example"))
    assert response.status_code == 200
    assert "your report was sent" in text(response)
    assert Complaint.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_honeypot_is_hidden_from_people_and_assistive_technology(client, buton):
    page = text(client.get(URL))
    hp = re.search(r'<div class="hp" aria-hidden="true">.*?</div>', page, re.S).group(0)
    assert 'tabindex="-1"' in hp and 'autocomplete="off"' in hp


def _answer(page: str) -> tuple[str, str]:
    token = re.search(r'name="challenge_token" value="([^"]+)"', page).group(1)
    question = re.search(r"What is (\w+) plus (\w+)\?", page)
    words = antispam._ANSWER_WORDS
    return token, str(words[question.group(1)] + words[question.group(2)])


def test_soft_ip_limit_asks_a_question_wrong_refused_right_accepted(client, buton, settings):
    """S7: past the soft limit per IP address the form asks a question; a wrong answer is
    refused (nothing stored, a new question), the right answer sends the report."""
    settings.ADUAN_REPORT_IP_SOFT_LIMIT = 1
    assert post(client, form_data(phone="081211110001")).status_code == 303
    data = form_data(phone="081211110002")
    asked = post(client, data)
    assert asked.status_code == 400
    assert 'id="id_challenge_answer_error"' in text(asked)
    token, right = _answer(text(asked))
    wrong = post(client, {**data, "challenge_token": token, "challenge_answer": "99"})
    assert wrong.status_code == 400 and "That answer is not right" in text(wrong)
    assert Complaint.objects.count() == 1
    token, right = _answer(text(wrong))
    accepted = post(client, {**data, "challenge_token": token, "challenge_answer": right})
    assert accepted.status_code == 303
    assert Complaint.objects.count() == 2


def test_a_right_answer_with_other_errors_asks_again_without_blame(client, buton, settings):
    """S7: a right answer on a form with another error is not lost as an error: the form comes
    back with a new question (no error on it) and the correction is accepted with it."""
    settings.ADUAN_REPORT_IP_SOFT_LIMIT = 0
    token, right = _answer(text(post(client, form_data())))
    again = post(client, form_data(consent=None, challenge_token=token, challenge_answer=right))
    assert again.status_code == 400
    assert 'id="id_challenge_answer_error"' not in text(again)
    assert 'id="id_consent_error"' in text(again)
    token, right = _answer(text(again))
    assert post(client, form_data(challenge_token=token, challenge_answer=right)).status_code == 303


def test_a_question_answers_once(client, buton, settings):
    """S7: a solved question cannot be replayed for the next report."""
    settings.ADUAN_REPORT_IP_SOFT_LIMIT = 1
    post(client, form_data())
    token, right = _answer(text(post(client, form_data())))
    assert post(client, form_data(challenge_token=token, challenge_answer=right)).status_code == 303
    replay = post(client, form_data(challenge_token=token, challenge_answer=right))
    assert replay.status_code == 400 and "expired" in text(replay)
    assert Complaint.objects.count() == 2


def test_soft_contact_limit_asks_a_question(buton, settings):
    """S7: the same phone number, written differently and from different addresses, is
    limited per contact."""
    settings.ADUAN_REPORT_CONTACT_SOFT_LIMIT = 2
    for n, phone in enumerate(("081234567890", "+62 812-3456-7890")):
        assert post(Client(REMOTE_ADDR=f"10.0.0.{n}"), form_data(phone=phone)).status_code == 303
    asked = post(Client(REMOTE_ADDR="10.0.0.9"), form_data(phone="6281234567890"))
    assert asked.status_code == 400 and 'name="challenge_token"' in text(asked)
    assert Complaint.objects.count() == 2


def test_too_fast_a_form_asks_a_question(client, buton, settings):
    """A form sent back sooner than a person can fill it, or without its signed start time,
    is treated like a soft limit."""
    settings.ADUAN_REPORT_MIN_FILL_SECONDS = 60
    assert post(client, form_data()).status_code == 400
    assert post(client, form_data(started="forged")).status_code == 400
    assert Complaint.objects.count() == 0
    settings.ADUAN_REPORT_MIN_FILL_SECONDS = 0
    assert post(client, form_data(started="forged")).status_code == 400  # still unsigned
    assert post(client, form_data()).status_code == 303


def test_hard_limit_answers_429_with_retry_after(client, buton, settings):
    """S7: past the hard limit per IP address the answer is 429 with Retry-After, before any
    validation, and nothing is stored."""
    settings.ADUAN_REPORT_IP_HARD_LIMIT = 2
    assert post(client, form_data(consent=None)).status_code == 400
    assert post(client, form_data()).status_code == 303
    blocked = post(client, form_data())
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert Complaint.objects.count() == 1
    assert Client(REMOTE_ADDR="10.9.9.9").post(URL, form_data()).status_code == 303


# --- JSON mode for the app (area E's contract) ------------------------------------------------


def test_json_mode_201(client, buton):
    response = post(client, form_data(via="app"), HTTP_ACCEPT="application/json")
    assert response.status_code == 201
    body = response.json()
    complaint = Complaint.objects.get()
    assert body["tracking_code"] == complaint.tracking_code
    assert body["receipt_url"] == f"/lapor/tanda-terima/{complaint.tracking_code}/"
    assert body["private_url"].endswith(
        f"/lacak/{complaint.tracking_code}/?t={complaint.access_token}"
    )
    assert client.get(body["receipt_url"]).status_code == 200
    # The same submission again: the same answer, one complaint (S16).
    again = post(client, form_data(via="app"), HTTP_ACCEPT="application/json")
    assert again.status_code == 201


def test_json_mode_201_retry_is_idempotent(client, buton):
    """S16: the app resends after a lost answer: one complaint, the same tracking code."""
    data = form_data(via="app")
    first = post(client, data, HTTP_ACCEPT="application/json").json()
    second = post(client, data, HTTP_ACCEPT="application/json").json()
    assert first == second
    assert Complaint.objects.count() == 1


def test_json_mode_400(client, buton):
    response = post(client, form_data(body="", email="x@"), HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["body"] == ["Describe what happened."]
    assert "email" in errors
    assert Complaint.objects.count() == 0


def test_json_mode_400_with_a_question(client, buton, settings):
    settings.ADUAN_REPORT_IP_SOFT_LIMIT = 0
    response = post(client, form_data(), HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    body = response.json()
    assert "challenge_answer" in body["errors"]
    assert body["challenge"]["question"].startswith("What is")
    assert body["challenge"]["token"]


def test_json_mode_429(client, buton, settings):
    """S7: the app gets a JSON 429 with Retry-After."""
    settings.ADUAN_REPORT_IP_HARD_LIMIT = 0
    response = post(client, form_data(), HTTP_ACCEPT="application/json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "errors" in response.json()


# --- CSRF -----------------------------------------------------------------------------------


def test_csrf_is_enforced(buton):
    """CSRF on every form: a POST without the token is refused; with it, accepted."""
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(URL, form_data()).status_code == 403
    page = text(browser.get(URL))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = browser.post(URL, {**form_data(), "csrfmiddlewaretoken": token})
    assert response.status_code == 303
    json_client = Client(enforce_csrf_checks=True)
    assert json_client.post(URL, form_data(), HTTP_ACCEPT="application/json").status_code == 403
    assert Complaint.objects.count() == 1


# --- the category suggestion ------------------------------------------------------------------


def test_suggestion_endpoint(client, buton):
    """The form suggests a category from the text (JSON)."""
    response = client.get(
        "/lapor/saran-kategori/", {"q": "Lampu penerangan jalan di kampung kami mati"}
    )
    assert response.status_code == 200
    suggestions = response.json()["suggestions"]
    assert suggestions[0]["name"] == "Lampu Penerangan Jalan"
    assert client.get("/lapor/saran-kategori/", {"q": "dan yang di"}).json() == {"suggestions": []}


# --- attachments (area A's StagedUploads on this form) ------------------------------------------


def test_photo_is_attached_and_kept_across_a_form_error(client, buton, media):
    """Issue 3: a photo chosen on a form that comes back with an error stays attached (the
    citizen does not choose it again) and becomes the complaint's attachment on the next try."""
    from aduan.complaints.models import Attachment
    from aduan.complaints.tests.uploads_corpus import jpeg, upload

    data = form_data(consent=None)
    first = post(client, {**data, "attachments": upload(jpeg(), "jalan.jpg")})
    assert first.status_code == 400
    page = text(first)
    kept = re.search(r'name="attachments_kept" value="(\d+)"', page).group(1)
    assert "jalan.jpg" in page
    assert Complaint.objects.count() == 0
    second = post(client, {**data, "consent": "on", "attachments_kept": kept})
    assert second.status_code == 303
    attachment = Attachment.objects.get()
    assert attachment.complaint == Complaint.objects.get()
    assert attachment.original_name == "jalan.jpg"


def test_a_renamed_executable_is_refused_next_to_the_attachments(client, buton, media):
    """S10: a .exe renamed .jpg gets a message at the attachments (linked from the summary)
    and nothing is stored."""
    from aduan.complaints.tests.uploads_corpus import exe, upload

    response = post(client, {**form_data(), "attachments": upload(exe(), "foto.jpg")})
    assert response.status_code == 400
    page = text(response)
    assert 'href="#id_attachments"' in page
    assert 'id="id_attachments-errors"' in page
    assert Complaint.objects.count() == 0
    json_response = post(
        client,
        {**form_data(), "attachments": upload(exe(), "foto.jpg")},
        HTTP_ACCEPT="application/json",
    )
    assert json_response.status_code == 400
    assert json_response.json()["errors"]["attachments"]
