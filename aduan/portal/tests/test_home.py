import pytest

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
