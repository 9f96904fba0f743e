"""The installable app's server side (Pasal 6(2)c): manifest, service worker, the app's texts,
the offline page and "my reports on this device"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from aduan.portal.views import pwa


@pytest.fixture(autouse=True)
def _fresh_version():  # type: ignore[no-untyped-def]
    pwa.app_version.cache_clear()
    yield
    pwa.app_version.cache_clear()


def test_manifest_names_colours_and_start_url(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    data = json.loads(response.content)
    assert data["name"] == "Aduan Kabupaten Buton"
    assert data["short_name"] == "Aduan"
    assert data["lang"] == "id"  # Bahasa Indonesia by default
    assert data["start_url"] == "/?source=pwa"
    assert data["scope"] == "/"
    assert data["display"] == "standalone"
    assert data["theme_color"] == "#0b5394"  # --brand in aduan.css
    assert data["background_color"] == "#ffffff"


def test_manifest_icons_exist_with_their_declared_sizes(client) -> None:  # type: ignore[no-untyped-def]
    icons = json.loads(client.get("/manifest.webmanifest").content)["icons"]
    purposes = {(icon["sizes"], icon["purpose"]) for icon in icons}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes
    assert any(icon["type"] == "image/svg+xml" for icon in icons)
    for icon in icons:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, f"{icon['src']} is not a static file"
        if icon["type"] == "image/png":
            with Image.open(Path(str(path))) as image:
                assert f"{image.width}x{image.height}" == icon["sizes"]


def test_manifest_follows_the_language(client) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="en").content)
    assert data["lang"] == "en"
    assert data["shortcuts"][0]["name"] == "Write a report"


@pytest.mark.django_db
def test_every_page_links_the_manifest_and_the_app_script(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/laporan-saya/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'src="/static/js/app.js" defer' in html


def test_service_worker_is_served_from_the_root_with_a_short_cache(client) -> None:  # type: ignore[no-untyped-def]
    """S9: the worker carries the security headers like every response."""
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def _worker_config(client) -> dict:  # type: ignore[no-untyped-def]
    body = client.get("/sw.js").content.decode()
    start = body.index("const CONFIG = ") + len("const CONFIG = ")
    end = body.index("};", start) + 1
    return json.loads(body[start:end])


def test_service_worker_caches_the_shell_and_never_private_pages(client) -> None:  # type: ignore[no-untyped-def]
    """S5/S9: private pages (tracking with the private link), receipts and attachments are
    never stored by the worker; the shell holds the offline page, the form and the assets."""
    config = _worker_config(client)
    assert {"/luring/", "/lapor/", "/static/js/app.js", "/static/css/aduan.css"} <= set(
        config["shell"]
    )
    assert config["offline"] == "/luring/"
    assert config["form"] == "/lapor/"
    assert {"/lacak/", "/lapor/tanda-terima/", "/berkas/"} <= set(config["never"])
    for page in config["pages"]:
        assert not any(page.startswith(prefix) for prefix in config["never"]), page


def test_worker_version_changes_with_a_deploy(client, settings) -> None:  # type: ignore[no-untyped-def]
    """A new version (here through ADUAN_PWA_VERSION; a changed static file does the same)
    makes browsers install the new worker, which drops the old cache."""
    first = _worker_config(client)["version"]
    assert first == _worker_config(client)["version"]
    settings.ADUAN_PWA_VERSION = "next-deploy"
    pwa.app_version.cache_clear()
    assert _worker_config(client)["version"] != first


def test_app_texts_in_the_asked_language(client) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(client.get("/teks-aplikasi.json?lang=en").content)
    assert data["lang"] == "en"
    assert data["strings"]["queued"].startswith("Your report is saved on this phone")
    assert set(data["strings"]) == set(pwa.APP_STRINGS)
    assert "%(count)s" in data["strings"]["waiting"]


def test_app_texts_ignore_an_unknown_language(client) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(client.get("/teks-aplikasi.json?lang=xx").content)
    assert data["lang"] == "id"


@pytest.mark.django_db
def test_offline_page(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/luring/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>No internet connection</h1>" in html
    assert 'href="/lapor/"' in html and 'href="/laporan-saya/"' in html


@pytest.mark.django_db
def test_my_reports_page_works_without_javascript(client) -> None:  # type: ignore[no-untyped-def]
    """Without JavaScript the page explains where the list is kept and offers a look-up."""
    response = client.get("/laporan-saya/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "kept on this phone only" in html
    assert "needs JavaScript" in html
    assert 'data-track-url="/lacak/CODE/"' in html
    assert '<form method="get" action="/lacak/"' in html
    assert 'name="code"' in html and 'for="lookup-code"' in html
