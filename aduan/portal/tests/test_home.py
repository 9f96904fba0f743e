import pytest
from django.core.cache import cache
from django.utils import timezone

from aduan.agencies.models import Agency
from aduan.complaints.models import Complaint, DeadlinePolicy
from aduan.complaints.tests import factories as f

pytestmark = pytest.mark.django_db


def test_home_explains_the_procedure_in_indonesian_by_default(client, buton):
    """R4, R1: the home page says, in Bahasa Indonesia, what can be reported and the deadlines."""
    f.closed()
    f.dispatched()
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert '<html lang="id">' in text
    assert "Pengaduan" in text and "Aspirasi" in text and "Permintaan informasi" in text
    assert "2 hari kerja" in text and "7 hari kerja" in text
    assert "Dinas Komunikasi, Informatika dan Persandian" in text  # the complaint handler (R3)
    numbers = response.context
    assert (numbers["total"], numbers["closed"], numbers["in_handling"]) == (2, 1, 1)


def test_home_in_english_on_request(client, buton):
    """The interface's second language is English (Accept-Language)."""
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in response.content.decode()
    assert "What you can report" in response.content.decode()


def test_home_sends_the_security_headers(client, buton):
    """S9: CSP without inline scripts, framing refused, no MIME sniffing."""
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Request-ID"]


# --- the rewritten home page (area D) --------------------------------------------------------

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
CHANNELS = {
    "ADUAN_SMS_NUMBER": "1708",
    "ADUAN_CONTACT_EMAIL": "aduan@butonkab.go.id",
    "ADUAN_WHATSAPP_NUMBER": "+62 811-4000-1708",
    "ADUAN_TELEGRAM_BOT": "@AduanButonBot",
    "ADUAN_CALL_CENTER": "(0402) 281 112",
    "ADUAN_COMPLAINT_BOX_TEXT": "In the lobby of every kecamatan office",
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_home_lists_every_channel_with_its_address(client, buton, settings):
    """R9, R10, R4, Pasal 5(2): every channel with its address and, for SMS, the format."""
    for name, value in CHANNELS.items():
        setattr(settings, name, value)
    settings.ADUAN_SITE_URL = "https://aduan.butonkab.go.id"
    Agency.objects.filter(code="diskominfo").update(office_address="Jl. Protokol No. 1, Pasarwajo")
    html = client.get("/", **EN).content.decode()
    for text in (
        "https://aduan.butonkab.go.id/lapor/",  # web
        "Add to Home screen",  # the app (PWA)
        "LAPOR &lt;your report&gt; to 1708",
        "CEK &lt;tracking code&gt; to 1708",
        'href="mailto:aduan@butonkab.go.id"',
        'href="https://wa.me/6281140001708"',
        'href="https://t.me/AduanButonBot"',
        'href="tel:0402281112"',
        "In the lobby of every kecamatan office",
        "Jl. Protokol No. 1, Pasarwajo",  # walk-in: the coordinator's office
    ):
        assert text in html, text


def test_a_channel_without_a_setting_is_not_shown(client, buton, settings):
    settings.ADUAN_WHATSAPP_NUMBER = ""
    settings.ADUAN_TELEGRAM_BOT = ""
    settings.ADUAN_CONTACT_EMAIL = ""
    settings.ADUAN_CALL_CENTER = ""
    settings.ADUAN_COMPLAINT_BOX_TEXT = ""
    response = client.get("/", **EN)
    keys = [channel.key for channel in response.context["channels"]]
    assert keys == ["web", "app", "sms", "walk_in"]
    html = response.content.decode()
    assert "wa.me" not in html and "t.me/" not in html and "mailto:" not in html


def test_flowchart_is_real_text_with_the_policy_deadlines_and_branches(client, buton):
    """R4, R25, R26, R27, R28, R29, R31: the procedure drawn in HTML with its deadlines from the
    deadline policy (an admin's change shows at once) and the branches."""
    policy = DeadlinePolicy.current()
    policy.dispatch_working_days, policy.response_deadline_working_days = 3, 9
    policy.save()
    html = client.get("/", **EN).content.decode()
    flow = html[html.index('<ol class="flow">') : html.index("</ol>", html.index('class="flow"'))]
    assert "<img" not in flow
    assert "within 3 working days" in flow and "at the latest within 9 working days" in flow
    assert "Reply within 10 days" in flow
    for branch in ("A question for you.", "Archived.", "Forwarded."):
        assert branch in flow


def test_home_has_report_link_track_box_and_privacy_choices(client, buton):
    """R7, R21: a prominent report link, a tracking box (GET to the tracking page, field `code`),
    and what anonymous, confidential and protection mean."""
    html = client.get("/", **EN).content.decode()
    assert 'class="cta" href="/lapor/"' in html
    assert '<form method="get" action="/lacak/">' in html
    assert '<label for="track-code">' in html and 'name="code"' in html
    for text in ("Anonymous", "Confidential", "Request protection", 'href="/privasi/"'):
        assert text in html


def test_recent_reports_are_published_ones_only(client, buton):
    """R8, S1: the home page shows up to 5 published reports; an unpublished or confidential
    report's text never appears."""
    for i in range(6):
        c = f.received()
        Complaint.objects.filter(pk=c.pk).update(
            published=True, published_at=timezone.now(), public_title=f"Publik-{i}"
        )
    f.received(title="Zebrakuda belum dimoderasi")
    secret = f.received(title="Rahasia", private=True)
    Complaint.objects.filter(pk=secret.pk).update(published=True, public_title="Kirinlaut")
    html = client.get("/", **EN).content.decode()
    assert html.count('class="report-item"') == 5
    assert "Zebrakuda" not in html and "Kirinlaut" not in html


def test_home_page_is_light(client, buton):
    """Issue 3: light pages; the home page's HTML stays under 40 KB."""
    response = client.get("/")
    assert len(response.content) < 40_000
