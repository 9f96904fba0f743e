"""The optional map pin on the report form in a real browser (issue 3), with the tile server
configured but down: the page says the map is not available, the pin still works (Leaflet
handles clicks without tiles), the form is sent, there are no CSP violations and axe finds no
WCAG 2.1 AA violation."""

from __future__ import annotations

from typing import Any

import pytest

from aduan.agencies.models import Region
from aduan.complaints.models import Complaint

from .browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TILES_DOWN = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # nothing listens on the discard port


@pytest.fixture
def map_on(settings: Any) -> None:
    settings.ADUAN_MAP_TILE_URL = TILES_DOWN
    settings.ADUAN_MAP_ATTRIBUTION = "© OpenStreetMap contributors"
    settings.ADUAN_REPORT_MIN_FILL_SECONDS = 0


def watch_csp(page: Any) -> list[str]:
    """Console messages about the Content Security Policy, and uncaught script errors."""
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if "Content Security Policy" in m.text or "Refused to" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    return problems


def value(page: Any, element_id: str) -> str:
    return str(page.locator(f"#{element_id}").input_value())


def test_map_pin_without_tiles_sets_the_position_and_the_form_is_sent(
    phone: Any, buton: Any, map_on: None
) -> None:
    """Tiles cannot load: a note says so; choosing a desa centres the map there; a click on the
    map sets the hidden latitude/longitude; "Remove the pin" clears them; Enter on the focused
    map puts the pin in the middle; the report is sent with the pin's position. No CSP
    violation in the console (S9), axe clean, no sideways scroll at 360px."""
    problems = watch_csp(phone)
    phone.goto("/lapor/")
    phone.wait_for_selector("#report-map.leaflet-container")
    assert phone.locator("#report-map-block").is_visible()
    phone.locator("#report-map-note").wait_for(state="visible")  # the tiles failed
    assert value(phone, "id_latitude") == "" and value(phone, "id_longitude") == ""

    village = Region.objects.filter(level=Region.Level.VILLAGE, latitude__isnull=False).first()
    assert village is not None
    phone.locator("#id_region").select_option(str(village.pk))

    phone.locator("#report-map").scroll_into_view_if_needed()
    phone.locator("#report-map").click()  # the middle of the map: the chosen desa
    lat, lon = float(value(phone, "id_latitude")), float(value(phone, "id_longitude"))
    assert abs(lat - float(village.latitude)) < 0.01
    assert abs(lon - float(village.longitude)) < 0.01
    assert phone.locator(".leaflet-marker-icon").count() == 1
    assert phone.locator("#report-map-clear").is_visible()
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)

    phone.locator("#report-map-clear").click()
    assert value(phone, "id_latitude") == "" and value(phone, "id_longitude") == ""
    assert phone.locator(".leaflet-marker-icon").count() == 0
    assert phone.evaluate("() => document.activeElement.id") == "report-map"

    phone.keyboard.press("Enter")  # keyboard: the pin goes to the middle of the map
    lat, lon = float(value(phone, "id_latitude")), float(value(phone, "id_longitude"))
    assert abs(lat - float(village.latitude)) < 0.01
    assert phone.locator(".leaflet-marker-icon").count() == 1

    phone.locator("#id_body").fill("Lampu jalan di depan masjid mati sejak seminggu.")
    phone.locator("#id_phone").fill("081234567890")
    phone.locator("#id_consent").check()
    phone.locator("#report-submit").click()
    phone.wait_for_url("**/lapor/tanda-terima/**")
    complaint = Complaint.objects.get()
    assert complaint.latitude is not None and complaint.longitude is not None
    assert abs(float(complaint.latitude) - lat) < 1e-5
    assert abs(float(complaint.longitude) - lon) < 1e-5
    assert complaint.region_id == village.pk
    assert problems == []


def test_my_location_moves_the_pin(
    chromium: Any, live_server: Any, buton: Any, map_on: None
) -> None:
    """The "use my current location" result puts the pin there; removing the position removes
    the pin; the page has one remove button at a time."""
    context = chromium.new_context(
        viewport={"width": 360, "height": 640},
        locale="id-ID",
        base_url=live_server.url,
        service_workers="block",
        geolocation={"latitude": -5.45, "longitude": 122.9},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = watch_csp(page)
    try:
        page.goto("/lapor/")
        page.wait_for_selector("#report-map.leaflet-container")
        page.locator("#locate-button").click()
        page.wait_for_function("() => document.getElementById('id_latitude').value !== ''")
        assert value(page, "id_latitude") == "-5.450000"
        assert value(page, "id_longitude") == "122.900000"
        assert page.locator(".leaflet-marker-icon").count() == 1
        assert page.locator("#locate-clear").is_visible()
        assert not page.locator("#report-map-clear").is_visible()

        page.locator("#locate-clear").click()
        assert value(page, "id_latitude") == ""
        assert page.locator(".leaflet-marker-icon").count() == 0
        assert problems == []
    finally:
        context.close()
