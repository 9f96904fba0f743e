"""Tracking by code: the forgiving look-up, its rate limit, and the public timeline (Pasal
5(2)a, 9(1)d; S1, S7)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aduan.accounts.roles import Role
from aduan.complaints.codes import ALPHABET
from aduan.complaints.publication import complaint_publish
from aduan.complaints.services import complaint_add_note
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import transitions as t
from aduan.complaints.workflow.actors import Actor
from aduan.core.ratelimit import Limit
from aduan.portal import wording
from aduan.portal.views import track

pytestmark = pytest.mark.django_db
ref = f.ref  # the cheap reference-data fixture

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NAME = "Zulkarnaen Wibisono Tamalate"
PHONE = "+6281299887766"
EMAIL = "rahasia.sekali@example.org"


def page(client, complaint, **extra) -> str:
    response = client.get(f"/lacak/{complaint.tracking_code}/", **EN, **extra)
    assert response.status_code == 200
    return response.content.decode()


def _mistyped(code: str) -> str:
    """The same code with its check character changed (always invalid)."""
    last = code[-1]
    return code[:-1] + next(ch for ch in ALPHABET if ch != last)


# --- look-up ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        lambda c: c.lower(),
        lambda c: c.replace("-", " "),
        lambda c: c.replace("-", ""),
        lambda c: c.split("-", 1)[1],  # without the prefix
        lambda c: "  " + c.lower().replace("-", " - ") + " ",
    ],
)
def test_lookup_is_forgiving(client, ref, typed):
    """R21: a code typed in small letters, with spaces or without dashes finds the report."""
    complaint = f.received()
    response = client.get("/lacak/", {"kode": typed(complaint.tracking_code)}, **EN)
    assert response.status_code == 302
    assert response["Location"] == f"/lacak/{complaint.tracking_code}/"


def test_lookup_reads_confusable_letters(client, ref, monkeypatch):
    """S, Z, B, G typed for 5, 2, 8, 6 are read as the digits."""
    complaint = f.received()
    code = complaint.tracking_code
    swapped = code.split("-", 1)[1].translate(
        str.maketrans({"5": "S", "2": "Z", "8": "B", "6": "G"})
    )
    response = client.post("/lacak/", {"code": swapped}, **EN)
    assert response.status_code == 302 and response["Location"] == f"/lacak/{code}/"


def test_mistyped_check_character_is_refused_without_a_lookup(client, ref):
    """A wrong check character is caught by the form: 'not valid, check it', no complaint
    query at all."""
    complaint = f.received()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/lacak/", {"kode": _mistyped(complaint.tracking_code)}, **EN)
    assert response.status_code == 400
    text = response.content.decode()
    assert "This code is not valid" in text
    assert 'aria-invalid="true"' in text and 'aria-describedby="id_code_help id_code_error"' in text
    assert not [q for q in queries.captured_queries if "complaints_complaint" in q["sql"]]


def test_unknown_code_gets_a_clear_message_on_the_same_page(client, ref):
    from aduan.complaints.codes import new_tracking_code

    code = new_tracking_code()
    response = client.get("/lacak/", {"kode": code}, **EN)
    assert response.status_code == 404
    assert f"No report has the code {code}" in response.content.decode()
    assert 'name="code"' in response.content.decode()  # the form is still there


def test_lookup_is_rate_limited_per_ip(client, ref, monkeypatch):
    """S7: tracking look-ups are limited per address: 429 with Retry-After."""
    monkeypatch.setattr(track, "LOOKUP_LIMIT", Limit("track_lookup_test", 3, 600))
    complaint = f.received()
    codes = [complaint.tracking_code] * 3
    for code in codes:
        assert client.get("/lacak/", {"kode": code}).status_code == 302
    response = client.get("/lacak/", {"kode": complaint.tracking_code})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    # the public page counts too (typing codes into the URL is a look-up)
    assert client.get(f"/lacak/{complaint.tracking_code}/").status_code == 429


def test_lower_case_url_redirects_to_the_canonical_code(client, ref):
    complaint = f.received()
    response = client.get(f"/lacak/{complaint.tracking_code.lower()}/")
    assert response.status_code == 302
    assert response["Location"] == f"/lacak/{complaint.tracking_code}/"


# --- the public page -------------------------------------------------------------------------


def test_public_page_shows_the_timeline_agency_and_deadline_in_words(client, ref):
    """R21 (Pasal 9(1)d): states with dates, the lead agency, and the current stage's deadline
    explained in words."""
    complaint = f.dispatched()
    text = page(client, complaint)
    timeline = text[text.index('<ol class="timeline">') :]
    assert timeline.index("Received") < timeline.index("Dispatched") < timeline.index("</ol>")
    assert str(complaint.lead_agency) in text
    words = wording.when_words(complaint.response_due_at)
    assert f"{complaint.lead_agency} answers by {words} at the latest." in text
    weekday = complaint.response_due_at.astimezone(
        __import__("zoneinfo").ZoneInfo("Asia/Makassar")
    ).strftime("%A")
    assert words.startswith(weekday)
    assert "WITA" in words


def test_public_page_is_in_indonesian_by_default(client, ref):
    complaint = f.dispatched()
    text = client.get(f"/lacak/{complaint.tracking_code}/").content.decode()
    assert '<html lang="id">' in text
    assert "Terdisposisi" in text and "Diterima" in text  # the citizen's state labels


def test_public_page_shows_the_response_masked(client, ref):
    complaint = f.responded()
    text = page(client, complaint)
    assert "Sudah diperbaiki." in text
    assert "Not solved? The complainant can reply until" in text


def test_public_page_never_shows_the_identity_even_inside_the_response(client, ref):
    """S1: a complainant with a distinctive name, phone and email: the public page (no grant)
    shows none of them, even where the agency's response names them; the private page shows
    them in the identity section (the control)."""
    complaint = f.in_progress(name=NAME, phone="0812-9988-7766", email=EMAIL)
    t.complaint_respond(
        complaint=complaint,
        by=f.actor(Role.LIAISON, f.agency("dpupr")),
        text=(
            f"Terima kasih Bapak {NAME}. Pak Zulkarnaen dapat menghubungi kami; kami sudah "
            f"menelepon 0812 9988 7766 dan +62 812-9988-7766 serta mengirim email ke {EMAIL}."
        ),
        cause=__import__("aduan.agencies.models", fromlist=["Cause"]).Cause.objects.get(
            code="sarana_rusak"
        ),
        resolution="resolved",
    )
    complaint_publish(
        complaint=complaint,
        by=Actor.system(),
        title=f"Jalan rusak dilaporkan {NAME}",
        body="Hubungi Zulkarnaen di 081299887766",
    )
    text = page(client, complaint)
    assert "Terima kasih Bapak" in text  # the response is there...
    for secret in ("Zulkarnaen", "Wibisono", "Tamalate", "9988", "rahasia.sekali", "81299887766"):
        assert secret not in text, secret  # ...without the identity
    # control: with the private link the identity section shows them
    client.get(f"/lacak/{complaint.tracking_code}/", {"t": _token(complaint)})
    private = page(client, complaint)
    assert NAME in private and PHONE in private and EMAIL in private


def _token(complaint) -> str:
    from aduan.complaints.models import Complaint

    return Complaint.objects.get(pk=complaint.pk).access_token


def test_internal_notes_and_staff_names_never_shown(client, ref):
    """Internal notes and the names of staff members appear on neither the public nor the
    private page; the agency is named instead."""
    liaison = f.staff(
        Role.LIAISON,
        f.agency("dpupr"),
        username="penghubung.rahasia",
        first_name="Hasanuddin",
        last_name="Lamaindo",
    )
    complaint = f.in_progress()
    complaint_add_note(complaint=complaint, by=Actor.of(liaison), text="CATATAN-INTERNAL-XYZ")
    t.complaint_respond(
        complaint=complaint,
        by=Actor.of(liaison),
        text="Sudah ditambal.",
        cause=__import__("aduan.agencies.models", fromlist=["Cause"]).Cause.objects.get(
            code="sarana_rusak"
        ),
        resolution="resolved",
    )
    public = page(client, complaint)
    client.get(f"/lacak/{complaint.tracking_code}/", {"t": _token(complaint)})
    private = page(client, complaint)
    assert "Sudah ditambal." in public and "Sudah ditambal." in private
    assert str(f.agency("dpupr")) in private
    for text in (public, private):
        for secret in ("CATATAN-INTERNAL-XYZ", "penghubung.rahasia", "Hasanuddin", "Lamaindo"):
            assert secret not in text


def test_confidential_report_shows_states_and_dates_only(client, ref):
    """A confidential (rahasia) report: without the grant, no title, text, agency or response;
    with the grant, everything."""
    complaint = f.responded(private=True, title="Judul-Rahasia-Q", body="Isi-Rahasia-Q")
    text = page(client, complaint)
    assert "Responded" in text and '<ol class="timeline">' in text
    for secret in ("Judul-Rahasia-Q", "Isi-Rahasia-Q", "Sudah diperbaiki.", str(f.agency("dpupr"))):
        assert secret not in text
    client.get(f"/lacak/{complaint.tracking_code}/", {"t": _token(complaint)})
    private = page(client, complaint)
    assert "Judul-Rahasia-Q" in private and "Sudah diperbaiki." in private


def test_unpublished_report_shows_no_title_until_published(client, ref):
    """Pasal 4(3): until the Dinas approves publication, the public sees category, area and
    state, not the complainant's words; then the moderated public wording."""
    complaint = f.dispatched(title="Judul-Asli-W", body="Isi-Asli-W")
    text = page(client, complaint)
    assert "Judul-Asli-W" not in text and "Isi-Asli-W" not in text
    complaint_publish(
        complaint=complaint, by=Actor.system(), title="Jalan berlubang", body="Teks publik."
    )
    text = page(client, complaint)
    assert "Jalan berlubang" in text and "Teks publik." in text
    assert "Judul-Asli-W" not in text


def test_public_page_shows_category_and_area(client, buton):
    from aduan.agencies.models import Category, Region

    region = Region.objects.filter(level="village").select_related("parent").first()
    category = Category.objects.first()
    complaint = f.received(region=region, category=category)
    text = page(client, complaint)
    assert region.name in text and region.parent.name in text
    assert category.name in text
