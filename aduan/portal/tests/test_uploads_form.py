"""Attachments on portal forms (aduan/portal/uploads.py) and the 413 guard (S10)."""

from __future__ import annotations

import socket
from urllib.parse import urlparse

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from aduan.complaints.models import Upload
from aduan.complaints.tests.uploads_corpus import (
    exe,
    jpeg,
    media_fixture,  # noqa: F401  (the `media` fixture)
    pdf,
    stored_files,
    upload,
)
from aduan.portal.access import owner_key
from aduan.portal.uploads import MultipleFileField, StagedUploads

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


class Browser:
    """Posts forms through StagedUploads as one browser session would (same session key)."""

    def __init__(self) -> None:
        self.factory = RequestFactory()
        self.session_key: str | None = None

    def post(self, data: dict) -> StagedUploads:
        request = self.factory.post("/lapor/", data=data)
        request.session = SessionStore(session_key=self.session_key)
        staged = StagedUploads.from_request(request)
        self.session_key = request.session.session_key
        self.owner = owner_key(request)
        return staged


@pytest.mark.django_db
def test_files_are_kept_across_a_form_error_and_can_be_removed(media):
    """Issue 3: a form with an error keeps the files; the citizen can remove one; only this
    session's uploads are listed (S4)."""
    browser = Browser()
    first = browser.post({"attachments": [upload(jpeg(), "a.jpg"), upload(pdf(), "b.pdf")]})
    assert first.errors == []
    assert [u.original_name for u in first.uploads] == ["a.jpg", "b.pdf"]

    # The form came back with an error; the re-post carries the kept ids and removes one.
    a, b = first.uploads
    second = browser.post({"attachments_kept": [a.pk, b.pk], "remove_upload": [a.pk]})
    assert second.uploads == [b]
    assert list(Upload.objects.all()) == [b]

    # Another browser cannot claim or remove these uploads by guessing ids.
    other = Browser().post({"attachments_kept": [b.pk], "remove_upload": [b.pk]})
    assert other.uploads == []
    assert Upload.objects.filter(pk=b.pk).exists()


@pytest.mark.django_db
def test_a_bad_file_is_refused_next_to_the_good_ones(media):
    """S10: a renamed .exe among photos is refused with a message naming it; the good files
    are kept; nothing of the bad one is stored."""
    staged = Browser().post(
        {"attachments": [upload(jpeg(), "foto.jpg"), upload(exe(), "setup.jpg")]}
    )
    assert [u.original_name for u in staged.uploads] == ["foto.jpg"]
    assert staged.codes == ["file_type"]
    assert "setup.jpg" in staged.errors[0]
    assert len(stored_files(media)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("count", [6, 50])
def test_too_many_files_are_refused_as_a_batch(media, count):
    """S10: 6 files when 5 are allowed, or 50 files: one clear message, nothing stored."""
    files = [upload(pdf(), f"{i}.pdf") for i in range(count)]
    staged = Browser().post({"attachments": files})
    assert staged.codes == ["too_many_files"]
    assert "at most 5 files" in staged.errors[0]
    assert staged.uploads == []
    assert Upload.objects.count() == 0 and stored_files(media) == []


@pytest.mark.django_db
def test_the_count_limit_includes_the_files_already_kept(media):
    browser = Browser()
    kept = browser.post({"attachments": [upload(pdf(), f"{i}.pdf") for i in range(4)]}).uploads
    staged = browser.post(
        {
            "attachments_kept": [u.pk for u in kept],
            "attachments": [upload(pdf(), "5.pdf"), upload(pdf(), "6.pdf")],
        }
    )
    assert staged.codes == ["too_many_files"]
    assert staged.uploads == kept and Upload.objects.count() == 4


@pytest.mark.django_db
def test_the_total_size_limit_holds_across_files(media, settings):
    """S10: files that are each allowed but together exceed the total are refused."""
    settings.ADUAN_UPLOAD_MAX_TOTAL_BYTES = len(pdf()) * 2
    staged = Browser().post({"attachments": [upload(pdf(), f"{i}.pdf") for i in range(3)]})
    assert staged.codes == ["files_too_big"]
    assert Upload.objects.count() == 0 and stored_files(media) == []


@pytest.mark.django_db
def test_a_get_or_a_post_without_files_stages_nothing(media):
    request = RequestFactory().get("/lapor/")
    request.session = SessionStore()
    staged = StagedUploads.from_request(request)
    assert staged.uploads == [] and staged.errors == [] and not staged
    assert Browser().post({"title": "x"}).uploads == []


@pytest.mark.django_db
def test_the_include_renders_an_accessible_file_input(media):
    """WCAG: the input has a label, the limits sentence and the errors are tied to it with
    aria-describedby, aria-invalid on error; kept files are listed with a labelled remove box."""
    staged = Browser().post({"attachments": [upload(jpeg(), "foto.jpg"), upload(exe(), "x.jpg")]})
    html = render_to_string("portal/_uploads.html", {"staged": staged})
    assert '<label for="id_attachments">' in html
    assert 'type="file" name="attachments" id="id_attachments" multiple' in html
    assert 'accept="image/*,application/pdf"' in html
    assert (
        'aria-describedby="id_attachments-hint id_attachments-errors id_attachments-kept-title"'
        in html
    )
    assert 'aria-invalid="true"' in html
    assert "Up to 5 photos (JPEG, PNG, WebP, GIF) or PDF documents, at most 10 MB each" in html
    assert "“x.jpg” cannot be accepted" in html
    upload_id = staged.uploads[0].pk
    assert f'<input type="hidden" name="attachments_kept" value="{upload_id}">' in html
    assert f'id="id_attachments-remove-{upload_id}"' in html
    assert f'<label for="id_attachments-remove-{upload_id}">Remove “foto.jpg”</label>' in html


@pytest.mark.parametrize("context", [{"staged": StagedUploads()}, {"staged": None}, {}])
def test_the_include_without_errors_or_without_staged_uploads(context):
    """A first GET (no StagedUploads yet) renders a working, empty input."""
    html = render_to_string("portal/_uploads.html", context)
    assert 'type="file" name="attachments" id="id_attachments" multiple' in html
    assert "aria-invalid" not in html and 'aria-describedby="id_attachments-hint"' in html


def test_multiple_file_field():
    """The form field renders `multiple` with the accept hint and cleans to a list."""
    field = MultipleFileField()
    html = field.widget.render("attachments", None)
    assert "multiple" in html and 'accept="image/*,application/pdf"' in html
    files = [upload(pdf(), "a.pdf"), upload(pdf(), "b.pdf")]
    assert field.clean(files) == files
    assert field.clean(None) == []
    assert field.clean(files[0]) == [files[0]]


# --- the 413 guard -------------------------------------------------------------------------


class ExplodingInput:
    """A request body that must never be read."""

    def read(self, *args: object) -> bytes:
        raise AssertionError("the request body was read")

    readline = read


@pytest.mark.django_db
def test_a_100_mb_request_is_refused_with_413_before_its_body_is_read(client):
    """S10: a Content-Length over the limit gets a translated 413 page and `Connection: close`
    without a byte of the body being read (the input stream raises if it is touched)."""
    response = client.generic(
        "POST",
        "/lapor/",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(100 * MB),
        HTTP_ACCEPT_LANGUAGE="en",
        **{"wsgi.input": ExplodingInput()},
    )
    assert response.status_code == 413
    assert response["Connection"] == "close"
    assert response["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]  # S9 still holds
    assert response["X-Content-Type-Options"] == "nosniff"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "The files are too large" in html and "25 MB" in html


@pytest.mark.django_db
def test_the_413_page_is_in_indonesian_by_default(client):
    response = client.generic(
        "POST", "/lapor/", CONTENT_LENGTH=str(100 * MB), **{"wsgi.input": ExplodingInput()}
    )
    assert response.status_code == 413
    assert '<html lang="id">' in response.content.decode()


@pytest.mark.django_db
def test_a_request_within_the_limit_passes_the_guard(client, settings):
    response = client.generic(
        "POST", "/lapor/", data=b"x" * 10, content_type="application/octet-stream"
    )
    assert response.status_code != 413
    assert settings.ADUAN_REQUEST_MAX_BYTES > settings.ADUAN_UPLOAD_MAX_TOTAL_BYTES


@pytest.mark.django_db(transaction=True)
def test_a_100_mb_upload_to_the_live_server_is_refused_without_sending_the_body(live_server):
    """S10: over a real socket, a client that declares 100 MB and sends a few bytes gets the
    413 at once (the server does not wait for the body)."""
    url = urlparse(live_server.url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as conn:
        conn.sendall(
            b"POST /lapor/ HTTP/1.1\r\n"
            + f"Host: {url.netloc}\r\n".encode()
            + b"Content-Type: multipart/form-data; boundary=xyz\r\n"
            + f"Content-Length: {100 * MB}\r\n".encode()
            + b"Accept-Language: en\r\n\r\n--xyz\r\n"
        )
        reply = b""
        while b"</html>" not in reply:
            part = conn.recv(65536)
            if not part:
                break
            reply += part
    status_line = reply.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 413")
    assert b"The files are too large" in reply


# --- in a real browser ---------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_upload_block_is_accessible_with_errors_and_kept_files(phone, buton, media, tmp_path):
    """WCAG 2.1 AA (axe-core) at 360x640 with no sideways scroll, on the report form shown
    again after a file was refused: the error, the kept file and its remove box (S10)."""
    from aduan.portal.tests.browser import assert_accessible, assert_no_horizontal_scroll

    photo, bad = tmp_path / "foto jalan.jpg", tmp_path / ("x" * 80 + ".jpg")
    photo.write_bytes(jpeg())
    bad.write_bytes(exe())
    phone.goto("/lapor/")
    phone.set_input_files("#id_attachments", [str(photo), str(bad)])
    phone.locator("form[enctype='multipart/form-data'] [type=submit]").last.click()
    phone.wait_for_selector("#id_attachments-errors")
    assert phone.get_attribute("#id_attachments", "aria-invalid") == "true"
    assert phone.locator(".uploads-kept li").count() == 1
    assert "foto jalan.jpg" in phone.inner_text(".uploads-kept")
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)
