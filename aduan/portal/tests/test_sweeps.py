"""Portal-wide sweeps (issue 3, "What must be shown"): the security headers of every portal URL
(S9, S5) and an anonymous complainant's identity on every public page and JSON endpoint (S1)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone

from aduan.accounts.roles import Role
from aduan.agencies.models import Cause
from aduan.complaints.models import Complaint, Resolution
from aduan.complaints.publication import complaint_publish, suggested_public_text
from aduan.complaints.services import ComplaintSubmission, IdentityInput, complaint_submit
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.uploads_corpus import jpeg, upload
from aduan.complaints.tests.uploads_corpus import media_fixture as media_fixture  # `media`
from aduan.complaints.uploads import attachments_from_uploads, upload_accept
from aduan.complaints.workflow import transitions as t
from aduan.portal import access
from aduan.portal import urls as portal_urls
from aduan.portal.views.files import attachment_token
from aduan.portal.views.report import SESSION_RECEIPTS

pytestmark = pytest.mark.django_db
ref = f.ref  # the cheap reference-data fixture

# --- S9: the headers of every portal URL -------------------------------------------------------

PUBLIC, PRIVATE = "public", "private"
# Every portal URL name and whether its answers may hold private data (then: no-store). A URL
# added to aduan/portal/urls.py must be added here, or test_every_portal_url_is_swept fails.
ROUTES: dict[str, str] = {
    "home": PUBLIC,
    "report": PRIVATE,  # the form shown again holds what the citizen typed
    "report_suggest": PUBLIC,
    "receipt": PRIVATE,
    "track": PRIVATE,
    "resend_link": PRIVATE,
    "complaint": PRIVATE,
    "track_supplement": PRIVATE,
    "track_follow_up": PRIVATE,
    "track_confirm": PRIVATE,
    "track_rate": PRIVATE,
    "track_message": PRIVATE,
    "track_export": PRIVATE,
    "track_identity": PRIVATE,
    "track_withdraw_consent": PRIVATE,
    "track_erasure": PRIVATE,
    "file": PRIVATE,
    "reports": PUBLIC,
    "statistics": PUBLIC,
    "directory": PUBLIC,
    "privacy": PUBLIC,
    "manifest": PUBLIC,
    "service_worker": PUBLIC,
    "app_strings": PUBLIC,
    "offline": PUBLIC,
    "my_reports": PUBLIC,
}
# Answers that carry nothing at all (no such object, wrong method): no-store not needed.
EMPTY_STATUSES = {404, 405}


def portal_patterns() -> list[URLPattern]:
    return [p for p in portal_urls.urlpatterns if isinstance(p, URLPattern)]


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_security_headers(response: Any, what: str, *, private: bool) -> None:
    """S9: CSP with no inline script and no framing, nosniff, a Referrer-Policy; no-store on
    answers that may hold private data."""
    csp = response.get("Content-Security-Policy", "")
    assert csp, f"{what}: no Content-Security-Policy"
    directives = csp_directives(csp)
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts is not None, f"{what}: the CSP does not restrict scripts: {csp}"
    assert "'unsafe-inline'" not in scripts, f"{what}: inline scripts allowed: {csp}"
    assert directives.get("frame-ancestors") == ["'none'"], f"{what}: may be framed: {csp}"
    assert response.get("X-Content-Type-Options") == "nosniff", what
    assert response.get("Referrer-Policy"), f"{what}: no Referrer-Policy"
    if private and response.status_code not in EMPTY_STATUSES:
        cache = response.get("Cache-Control", "")
        assert "no-store" in cache, f"{what} ({response.status_code}): Cache-Control {cache!r}"


@pytest.fixture
def swept(ref: Any, media: Any) -> dict[str, Any]:
    """A received complaint with a photo, its private link's token and the photo's URL token."""
    complaint = f.received(name="Warga Uji")
    staged = upload_accept(upload(jpeg(), "foto.jpg"), owner="sweep")
    (attachment,) = attachments_from_uploads(complaint=complaint, uploads=[staged])
    token = Complaint.objects.get(pk=complaint.pk).access_token
    return {
        "complaint": complaint,
        "access_token": token,
        "kwargs": {"code": complaint.tracking_code, "token": attachment_token(attachment)},
    }


def granted_client(complaint: Complaint, token: str) -> Client:
    """A browser session that holds the private link's grant and the receipt of `complaint`."""
    client = Client()
    session = client.session
    session[access.SESSION_GRANTS] = [complaint.pk]
    session[SESSION_RECEIPTS] = {complaint.tracking_code: token}
    session.save()
    return client


def test_every_portal_url_is_swept():
    """S9: the sweep below covers exactly the URL patterns of aduan/portal/urls.py — a new URL
    must be classified (public or private) here before the suite passes."""
    names = [p.name for p in portal_patterns()]
    assert len(names) == len(set(names)), "a portal URL pattern without a unique name"
    assert set(ROUTES) == set(names)


def test_security_headers_on_every_portal_url(swept):
    """S9 (sweep over all portal URL patterns), anonymously and with the private grant: CSP
    without 'unsafe-inline' scripts and with frame-ancestors 'none', nosniff, Referrer-Policy;
    no-store on the private pages, the receipt and the files. POST-only URLs are also POSTed
    (empty, so the page comes back with its errors). S5: the private link's answer and the
    receipt send no Referer at all."""
    complaint, kwargs = swept["complaint"], swept["kwargs"]
    clients = {
        "anonymous": Client(),
        "granted": granted_client(complaint, swept["access_token"]),
    }
    seen: dict[str, set[int]] = {}
    for who, client in clients.items():
        for pattern in portal_patterns():
            name = str(pattern.name)
            params = {key: kwargs[key] for key in pattern.pattern.converters}
            url = reverse(f"portal:{name}", kwargs=params)
            private = ROUTES[name] == PRIVATE
            response = client.get(url)
            assert_security_headers(response, f"{who} GET {url}", private=private)
            seen.setdefault(name, set()).add(response.status_code)
            if response.status_code == 405:
                response = client.post(url)
                assert_security_headers(response, f"{who} POST {url}", private=private)
                seen[name].add(response.status_code)

    # The sweep reached the real pages, not only 404s: with the grant, every private page
    # and the file answer; anonymously the receipt and the file do not exist.
    assert 200 in seen["complaint"] and 200 in seen["receipt"] and 200 in seen["file"]
    assert 404 in seen["receipt"] and 404 in seen["file"]
    for name in ("track_supplement", "track_rate", "track_message", "track_erasure"):
        assert seen[name] & {303, 400}, (name, seen[name])
    assert 200 in seen["track_export"]

    # S5: the private link is exchanged with a redirect that sends no Referer, and not stored.
    code, token = complaint.tracking_code, swept["access_token"]
    for client in (Client(), clients["granted"]):
        response = client.get(f"/lacak/{code}/", {"t": token})
        assert response.status_code == 303
        assert_security_headers(response, "private link", private=True)
        assert response["Referrer-Policy"] == "no-referrer"
    receipt = clients["granted"].get(reverse("portal:receipt", args=[code]))
    assert receipt["Referrer-Policy"] == "no-referrer"

    # Query-string variants of the same views answer with the same headers.
    anonymous = clients["anonymous"]
    for url in (f"/lacak/?kode={code}", "/laporan/?q=jalan&page=2", "/teks-aplikasi.json?lang=en"):
        assert_security_headers(anonymous.get(url), url, private=url.startswith("/lacak/"))


# --- S1: an anonymous complainant's identity on public pages -----------------------------------

NAME = "Zulkarnaen Wibisono Tamalate"
PHONE = "+6281299887766"
EMAIL = "rahasia.sekali@example.org"
NIK = "7404019988776655"
ADDRESS = "Jalan Rahasia Nomor Sembilan"
IP = "203.0.113.77"
# Every form of the identity that must not appear: the name and each of its parts, the phone
# however written (the bare national digits match +62..., 62..., 0... and 0812-... forms once
# separators are removed, see `leaks`), the email, the NIK, the address and a word of it, the IP.
SECRETS = [
    NAME,
    *NAME.split(),
    PHONE,
    "081299887766",
    "0812-9988-7766",
    EMAIL,
    "rahasia.sekali",
    NIK,
    ADDRESS,
    IP,
]
PHONE_DIGITS = "81299887766"


def leaks(text: str) -> list[str]:
    """Which identity values `text` holds (case-insensitive; phone digits with any separator)."""
    lowered = text.lower()
    found = [secret for secret in SECRETS if secret.lower() in lowered]
    if PHONE_DIGITS in re.sub(r"(?<=\d)[\s.()-]+(?=\d)", "", text):
        found.append(PHONE_DIGITS)
    return found


@pytest.fixture
def anonymous_complaint(buton: Any) -> Complaint:
    """An anonymous (not confidential) complaint with a distinctive identity, whose own text
    names the complainant; published with the suggested public wording, dispatched, taken up
    and responded to by an agency whose answer addresses the complainant by name."""
    submission = ComplaintSubmission(
        channel="web",
        title="Jembatan gantung putus di Wakoko",
        body=(
            f"Saya {NAME} melaporkan jembatan gantung yang putus di Wakoko. Kabari saya di "
            f"{PHONE} atau {EMAIL}."
        ),
        anonymous=True,
        private=False,
        identity=IdentityInput(
            name=NAME, phone=PHONE, email=EMAIL, nik=NIK, address=ADDRESS, ip_address=IP
        ),
    )
    complaint = complaint_submit(submission=submission).complaint
    title, body = suggested_public_text(complaint)
    complaint_publish(complaint=complaint, by=f.actor(Role.ADMIN), title=title, body=body)
    t.complaint_dispatch(complaint=complaint, by=f.actor(Role.ADMIN), agency=f.agency("dpupr"))
    liaison = f.actor(Role.LIAISON, f.agency("dpupr"))
    t.complaint_acknowledge(complaint=complaint, by=liaison)
    t.complaint_respond(
        complaint=complaint,
        by=liaison,
        text=(
            f"Bapak {NAME}, jembatan gantung sudah kami perbaiki. Kami menelepon Bapak di "
            "0812-9988-7766 namun tidak tersambung."
        ),
        cause=Cause.objects.get(code="sarana_rusak"),
        resolution=Resolution.RESOLVED,
    )
    complaint.refresh_from_db()
    assert complaint.published and complaint.anonymous and complaint.published_at <= timezone.now()
    return complaint


def public_urls(complaint: Complaint) -> list[str]:
    code = complaint.tracking_code
    return [
        "/",
        "/laporan/",
        "/laporan/?q=jembatan",
        "/laporan/?q=jembatan+gantung+wakoko",
        f"/laporan/?state={complaint.status}",
        f"/laporan/?agency={complaint.lead_agency_id}",
        "/statistik/",
        "/direktori/",
        "/direktori/?q=pekerjaan",
        "/privasi/",
        "/lapor/",
        "/lapor/saran-kategori/?q=jembatan+gantung+putus",
        f"/lacak/{code}/",
        f"/lacak/?kode={code}",
        "/manifest.webmanifest",
        "/teks-aplikasi.json",
        "/teks-aplikasi.json?lang=en",
        "/teks-aplikasi.json?lang=id",
        "/sw.js",
        "/luring/",
        "/laporan-saya/",
    ]


def test_anonymous_identity_appears_on_no_public_page(client, anonymous_complaint):
    """S1: the anonymous complainant's name (and each part of it), phone in every form, email,
    NIK, address and IP appear on no portal page or JSON endpoint fetched without a grant, in
    either language — though the complainant's own text and the agency's response name them.
    Control: with the private link's grant, the complainant's own page shows the name."""
    complaint = anonymous_complaint
    code = complaint.tracking_code
    fetched = 0
    for language in ("id", "en"):
        for url in public_urls(complaint):
            response = client.get(url, follow=True, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, (url, response.status_code)
            text = b"".join(response).decode() if response.streaming else response.content.decode()
            assert not leaks(text), f"{url} [{language}] shows {leaks(text)}"
            fetched += 1
    assert fetched == 2 * len(public_urls(complaint))

    # The pages did show the report (so the search above looked at the right text).
    listing = client.get("/laporan/?q=jembatan", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert code in listing and "jembatan gantung sudah kami perbaiki" in listing
    public_page = client.get(f"/lacak/{code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "jembatan gantung sudah kami perbaiki" in public_page

    # Control: the grant shows the complainant's own identity.
    token = Complaint.objects.get(pk=complaint.pk).access_token
    owner = Client()
    assert owner.get(f"/lacak/{code}/", {"t": token}).status_code == 303
    private_page = owner.get(f"/lacak/{code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert NAME in private_page and EMAIL in private_page and ADDRESS in private_page
    assert leaks(private_page)
