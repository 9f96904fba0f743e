"""The private link and the complainant's actions from the private page (Pasal 12; S5, S7)."""

from __future__ import annotations

import datetime as dt

import pytest

from aduan.audit.models import AuditEntry
from aduan.complaints.models import Complaint, Message
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.uploads_corpus import media_fixture  # noqa: F401 - `media`
from aduan.core import clock
from aduan.core.ratelimit import Limit
from aduan.notifications.models import OutboxMessage
from aduan.portal import access
from aduan.portal.views import track

pytestmark = pytest.mark.django_db
ref = f.ref  # the cheap reference-data fixture

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def token_of(complaint: Complaint) -> str:
    return Complaint.objects.get(pk=complaint.pk).access_token


def open_private(client, complaint: Complaint):
    response = client.get(f"/lacak/{complaint.tracking_code}/", {"t": token_of(complaint)})
    assert response.status_code == 303
    return response


def granted(client, complaint: Complaint) -> bool:
    return complaint.pk in client.session.get(access.SESSION_GRANTS, [])


def snapshot(complaint: Complaint) -> tuple:
    c = Complaint.objects.get(pk=complaint.pk)
    return (
        c.status,
        c.satisfaction,
        c.satisfaction_comment,
        c.rated_at,
        c.messages.count(),
        c.events.count(),
        c.autoclose_at,
    )


# --- the link ----------------------------------------------------------------------------------


def test_private_link_grants_and_redirects_without_the_token(client, ref):
    """S5: the token is exchanged for a session grant and the browser is sent to a URL without
    it; that response carries no-referrer, and it and the private page no-store."""
    complaint = f.dispatched()
    response = open_private(client, complaint)
    assert response["Location"] == f"/lacak/{complaint.tracking_code}/"
    assert "t=" not in response["Location"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert granted(client, complaint)
    page = client.get(response["Location"], **EN)
    assert page.status_code == 200
    # The page's own URL holds no secret; it never sends a Referer to another site. (Not
    # no-referrer: browsers then send "Origin: null" with the page's POST forms, which CSRF
    # protection refuses.)
    assert page["Referrer-Policy"] == "same-origin" and "no-store" in page["Cache-Control"]
    assert "Your personal data" in page.content.decode()
    assert token_of(complaint) not in page.content.decode()


def test_grant_rotates_the_session_key(client, ref):
    """S8: a session that gains a grant gets a new id (no session fixation)."""
    complaint = f.received()
    client.get("/lacak/")
    client.session.save()
    before = client.session.session_key
    open_private(client, complaint)
    assert client.session.session_key != before


def test_invalid_token_gives_the_public_view_and_no_grant(client, ref):
    complaint = f.dispatched()
    response = client.get(f"/lacak/{complaint.tracking_code}/", {"t": "x" * 32}, **EN)
    assert response.status_code == 303  # the token leaves the address bar in any case
    assert response["Location"] == f"/lacak/{complaint.tracking_code}/"
    assert response["Referrer-Policy"] == "no-referrer"
    text = client.get(response["Location"], **EN).content.decode()
    assert "This private link is not valid" in text
    assert "Your personal data" not in text
    assert not granted(client, complaint)


def test_a_token_of_another_complaint_does_not_open_this_one(client, ref):
    """The code in the URL must match the token's complaint."""
    mine, other = f.received(), f.received()
    response = client.get(f"/lacak/{other.tracking_code}/", {"t": token_of(mine)}, **EN)
    assert response.status_code == 303
    page = client.get(response["Location"], **EN).content.decode()
    assert "This private link is not valid" in page and "Your personal data" not in page
    assert not granted(client, mine) and not granted(client, other)


def test_wrong_tokens_are_rate_limited_per_ip(client, ref, monkeypatch):
    """S7: wrong private-link tokens count against the address; past the limit 429 with
    Retry-After, even for a valid token."""
    monkeypatch.setattr(track, "TOKEN_LIMIT", Limit("track_token_test", 3, 3600))
    complaint = f.received()
    for _ in range(3):
        client.get(f"/lacak/{complaint.tracking_code}/", {"t": "wrong-token"})
    response = client.get(f"/lacak/{complaint.tracking_code}/", {"t": token_of(complaint)})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert not granted(client, complaint)


def test_actions_need_the_grant(client, ref):
    """Without the private link, posting an action finds nothing and changes nothing."""
    complaint = f.pending()
    before = snapshot(complaint)
    response = client.post(
        f"/lacak/{complaint.tracking_code}/jawab/", {"supplement-text": "Di depan SD 1."}
    )
    assert response.status_code == 404
    assert snapshot(complaint) == before


# --- actions per state ------------------------------------------------------------------------

ACTIONS = {
    # action: (url part, form data, states where it is allowed)
    "supplement": ("jawab", {"supplement-text": "Di depan SD 1."}, {"pending"}),
    "follow_up": ("balas", {"follow_up-text": "Masih berlubang."}, {"responded"}),
    "confirm": ("selesai", {"confirm-satisfaction": "4"}, {"responded"}),
    "rate": ("nilai", {"rate-satisfaction": "5", "rate-comment": "Cepat."}, {"closed"}),
    "message": (
        "pesan",
        {"message-text": "Tambahan foto menyusul."},
        {"received", "pending", "dispatched", "in_progress", "returned", "responded"},
    ),
}
STATES = [
    "received",
    "pending",
    "dispatched",
    "in_progress",
    "returned",
    "responded",
    "closed",
    "archived",
]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_only_in_its_states(client, ref, action, state):
    """R26, R31, R32: answer only while pending, reply and confirm only while responded, rate
    only a closed unrated report, message in any open state. A refused action shows a clear
    message and changes nothing."""
    url_part, data, allowed = ACTIONS[action]
    complaint = f.WITH_LEAD_AGENCY[state]()
    open_private(client, complaint)
    page = client.get(f"/lacak/{complaint.tracking_code}/", **EN).content.decode()
    shown = f'action="/lacak/{complaint.tracking_code}/{url_part}/"' in page
    before = snapshot(complaint)
    response = client.post(f"/lacak/{complaint.tracking_code}/{url_part}/", data, **EN)
    assert response.status_code == 303
    assert response["Location"].startswith(f"/lacak/{complaint.tracking_code}/")
    after = snapshot(complaint)
    flashed = [str(m) for m in response.wsgi_request._messages]
    if state in allowed:
        assert shown, "the form is offered"
        assert after != before
    else:
        assert not shown, "no form for an impossible action"
        assert after == before
        assert flashed and all(("not possible" in m or "closed" in m) for m in flashed), flashed


def test_supplement_moves_the_report_back_to_verification(client, ref):
    complaint = f.pending()
    open_private(client, complaint)
    page = client.get(f"/lacak/{complaint.tracking_code}/", **EN).content.decode()
    assert "Di mana tepatnya?" in page  # the admin's question, shown to the complainant
    client.post(f"/lacak/{complaint.tracking_code}/jawab/", {"supplement-text": "Di depan SD 1."})
    complaint.refresh_from_db()
    assert complaint.status == "received"
    assert complaint.messages.filter(kind=Message.Kind.SUPPLEMENT, body="Di depan SD 1.").exists()


def test_follow_up_sends_it_back_to_the_agency(client, ref):
    complaint = f.responded()
    open_private(client, complaint)
    response = client.post(
        f"/lacak/{complaint.tracking_code}/balas/", {"follow_up-text": "Masih berlubang."}, **EN
    )
    complaint.refresh_from_db()
    assert complaint.status == "in_progress" and complaint.follow_up_count == 1
    page = client.get(response["Location"], **EN).content.decode()
    assert "Your reply was sent back to the agency" in page


def test_follow_up_after_the_window_is_refused(client, ref, time_machine):
    """R31: the reply window is 10 days; after it the reply is refused and nothing changes."""
    complaint = f.responded()
    open_private(client, complaint)
    time_machine.move_to(complaint.autoclose_at + dt.timedelta(minutes=1), tick=False)
    page = client.get(f"/lacak/{complaint.tracking_code}/", **EN).content.decode()
    assert "/balas/" not in page
    before = snapshot(complaint)
    response = client.post(
        f"/lacak/{complaint.tracking_code}/balas/", {"follow_up-text": "Masih."}, **EN
    )
    assert response.status_code == 303
    assert snapshot(complaint) == before
    assert any("have passed" in str(m) for m in response.wsgi_request._messages)


def test_empty_text_gets_an_error_next_to_the_field(client, ref):
    complaint = f.pending()
    open_private(client, complaint)
    before = snapshot(complaint)
    response = client.post(
        f"/lacak/{complaint.tracking_code}/jawab/", {"supplement-text": " "}, **EN
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert 'id="id_supplement-text_error"' in text and "Write your answer." in text
    assert 'aria-invalid="true"' in text
    assert snapshot(complaint) == before


def test_confirm_with_a_rating_closes_and_rates(client, ref):
    complaint = f.responded()
    open_private(client, complaint)
    client.post(
        f"/lacak/{complaint.tracking_code}/selesai/",
        {"confirm-satisfaction": "5", "confirm-comment": "Terima kasih."},
    )
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.satisfaction == 5
    assert complaint.satisfaction_comment == "Terima kasih."
    page = client.get(f"/lacak/{complaint.tracking_code}/", **EN).content.decode()
    assert "You rated the handling: 5 - Very satisfied." in page


def test_confirm_without_a_rating_leaves_rating_for_later(client, ref):
    complaint = f.responded()
    open_private(client, complaint)
    client.post(f"/lacak/{complaint.tracking_code}/selesai/", {})
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.rated_at is None
    page = client.get(f"/lacak/{complaint.tracking_code}/", **EN).content.decode()
    assert f'action="/lacak/{complaint.tracking_code}/nilai/"' in page
    assert page.count('type="radio" name="rate-satisfaction"') == 5


@pytest.mark.parametrize("value", ["0", "6", "-1", "abc", "4.5", ""])
def test_rating_outside_1_to_5_is_refused_and_nothing_changes(client, ref, value):
    """R32: a rating is 1 to 5; anything else is refused next to the field."""
    complaint = f.unrated_closed()
    open_private(client, complaint)
    before = snapshot(complaint)
    response = client.post(
        f"/lacak/{complaint.tracking_code}/nilai/",
        {"rate-satisfaction": value, "rate-comment": "x"},
        **EN,
    )
    assert response.status_code == 400
    assert "Give a rating from 1 to 5." in response.content.decode()
    assert snapshot(complaint) == before


def test_a_report_is_rated_once(client, ref):
    complaint = f.unrated_closed()
    open_private(client, complaint)
    client.post(f"/lacak/{complaint.tracking_code}/nilai/", {"rate-satisfaction": "2"})
    before = snapshot(complaint)
    response = client.post(f"/lacak/{complaint.tracking_code}/nilai/", {"rate-satisfaction": "5"})
    assert response.status_code == 303
    assert snapshot(complaint) == before
    assert Complaint.objects.get(pk=complaint.pk).satisfaction == 2


def test_message_in_an_open_state(client, ref):
    complaint = f.dispatched()
    open_private(client, complaint)
    client.post(f"/lacak/{complaint.tracking_code}/pesan/", {"message-text": "Foto menyusul."})
    assert complaint.messages.filter(
        kind=Message.Kind.FROM_COMPLAINANT, body="Foto menyusul."
    ).exists()
    page = client.get(f"/lacak/{complaint.tracking_code}/", **EN).content.decode()
    assert "Foto menyusul." in page


def test_actions_need_csrf(ref):
    """Every action form is CSRF-protected."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    complaint = f.dispatched()
    open_private(client, complaint)
    response = client.post(f"/lacak/{complaint.tracking_code}/pesan/", {"message-text": "x"})
    assert response.status_code == 403
    assert not complaint.messages.filter(kind=Message.Kind.FROM_COMPLAINANT).exists()


# --- the lost link -----------------------------------------------------------------------------

NEUTRAL = "If a report was made with this phone number or email address"


def resend(client, contact: str):
    response = client.post("/lacak/kirim-ulang/", {"contact": contact}, **EN)
    assert response.status_code == 303, response.status_code
    return client.get(response["Location"], **EN).content.decode()


def test_lost_link_same_answer_outbox_only_for_the_known_contact(client, ref):
    """No enumeration: a known and an unknown contact get the same page; only the known one
    gets an outbox row, to that contact, and the link is never shown."""
    mine = f.dispatched(phone="081299887766", email="rahasia.sekali@example.org")
    f.dispatched(phone="081311112222", email="orang.lain@example.org")  # someone else
    OutboxMessage.objects.all().delete()

    known = resend(client, "0812 9988 7766")
    unknown = resend(client, "0812 5555 0000")
    assert NEUTRAL in known and NEUTRAL in unknown
    strip = lambda html: html.split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert strip(known) == strip(unknown)
    assert token_of(mine) not in known

    rows = list(OutboxMessage.objects.filter(template="private_link_resent"))
    assert [(r.complaint_id, r.channel, r.to_complainant) for r in rows] == [(mine.pk, "sms", True)]
    from aduan.notifications.services import render

    rendered = render(rows[0])
    assert rendered.to_address == "+6281299887766"
    assert f"/lacak/{mine.tracking_code}/?t={token_of(mine)}" in rendered.body
    assert AuditEntry.objects.filter(action="complaint.private_link_resent").count() == 1


def test_lost_link_by_email_goes_by_email(client, ref):
    mine = f.dispatched(email="rahasia.sekali@example.org")
    OutboxMessage.objects.all().delete()
    resend(client, "Rahasia.Sekali@Example.org ")
    row = OutboxMessage.objects.get(template="private_link_resent")
    assert (row.complaint_id, row.channel) == (mine.pk, "email")
    from aduan.notifications.services import render

    assert render(row).to_address == "rahasia.sekali@example.org"


def test_lost_link_bad_contact_gets_an_error_next_to_the_field(client, ref):
    response = client.post("/lacak/kirim-ulang/", {"contact": "bukan nomor"}, **EN)
    assert response.status_code == 400
    assert 'id="id_contact_error"' in response.content.decode()
    assert not OutboxMessage.objects.filter(template="private_link_resent").exists()


def test_lost_link_is_rate_limited_per_contact_and_per_ip(client, ref, monkeypatch):
    """S7: token requests are limited per contact and per address (429 + Retry-After)."""
    monkeypatch.setattr(track, "RESEND_CONTACT_LIMIT", Limit("resend_contact_test", 2, 3600))
    monkeypatch.setattr(track, "RESEND_IP_LIMIT", Limit("resend_ip_test", 4, 3600))
    f.dispatched(phone="081299887766")
    resend(client, "081299887766")
    resend(client, "+62 812 9988 7766")  # the same contact, written differently
    response = client.post("/lacak/kirim-ulang/", {"contact": "6281299887766"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    resend(client, "081311112222")  # another contact still works from this address...
    response = client.post("/lacak/kirim-ulang/", {"contact": "081322223333"})
    assert response.status_code == 429  # ...until the address's limit


def test_lost_link_skips_old_closed_reports(client, ref, time_machine):
    old = f.closed(phone="081299887766")
    time_machine.move_to(clock.now() + dt.timedelta(days=200), tick=False)
    recent = f.dispatched(phone="081299887766")
    OutboxMessage.objects.all().delete()
    resend(client, "081299887766")
    assert list(
        OutboxMessage.objects.filter(template="private_link_resent").values_list(
            "complaint_id", flat=True
        )
    ) == [recent.pk]
    assert old.pk != recent.pk


def test_answer_with_a_photo_attaches_it_to_the_answer(client, ref, media):
    """The answer to a pending question may carry photos (checked and re-encoded by the upload
    pipeline, S10); they become attachments of the answer, linked only through the authorising
    view (S4); a bad file is refused next to the field and nothing is sent."""
    from aduan.complaints.tests.uploads_corpus import jpeg, upload

    complaint = f.pending()
    open_private(client, complaint)
    before = snapshot(complaint)
    response = client.post(
        f"/lacak/{complaint.tracking_code}/jawab/",
        {"supplement-text": "Foto terlampir.", "attachments": upload(b"MZ\x90\x00", "a.jpg")},
        **EN,
    )
    assert response.status_code == 400 and snapshot(complaint) == before
    response = client.post(
        f"/lacak/{complaint.tracking_code}/jawab/",
        {"supplement-text": "Foto terlampir.", "attachments": upload(jpeg(), "lubang.jpg")},
        **EN,
    )
    assert response.status_code == 303
    message = complaint.messages.get(kind=Message.Kind.SUPPLEMENT)
    attachment = message.attachments.get()
    assert attachment.original_name == "lubang.jpg"
    page = client.get(f"/lacak/{complaint.tracking_code}/", **EN).content.decode()
    from aduan.portal.views.files import attachment_url

    assert attachment_url(attachment) in page and "/media/" not in page
