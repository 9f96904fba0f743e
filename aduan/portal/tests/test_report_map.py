"""The optional map pin on the report form (issue 3): the map, Leaflet and the area
coordinates are on the page only when a tile server is configured (ADUAN_MAP_TILE_URL)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from aduan.agencies.models import Region

pytestmark = pytest.mark.django_db

TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
MAP_ASSETS = (
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "js/report-map.js",
    "css/report-map.css",
    'id="report-map"',
    'id="report-map-block"',
)


@pytest.fixture
def areas(settings: Any) -> dict[str, Region]:
    kabupaten = Region.objects.create(
        code=settings.ADUAN_PEMDA_CODE,
        name="Kabupaten Uji",
        level=Region.Level.REGENCY,
        latitude=Decimal("-5.408876"),
        longitude=Decimal("123.020037"),
    )
    district = Region.objects.create(
        code="74.04.11",
        name="Pasarwajo",
        level=Region.Level.DISTRICT,
        parent=kabupaten,
        latitude=Decimal("-5.440908"),
        longitude=Decimal("122.831022"),
    )
    village = Region.objects.create(
        code="74.04.11.1005",
        name="Wakoko",
        level=Region.Level.URBAN_VILLAGE,
        parent=district,
        latitude=Decimal("-5.410724"),
        longitude=Decimal("122.829505"),
    )
    unplaced = Region.objects.create(
        code="74.04.11.2001", name="Tanpa Titik", level=Region.Level.VILLAGE, parent=district
    )
    return {"kabupaten": kabupaten, "district": district, "village": village, "unplaced": unplaced}


def page(client: Client) -> str:
    response = client.get("/lapor/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_without_a_tile_server_there_is_no_map_and_no_leaflet(
    client: Client, areas: dict[str, Region], settings: Any
) -> None:
    """No setting: the page is unchanged (no map, no Leaflet, no coordinates on options)."""
    settings.ADUAN_MAP_TILE_URL = ""
    html = page(client)
    for asset in (*MAP_ASSETS, "leaflet", "data-lat", "data-lon"):
        assert asset not in html
    assert 'id="locate-button"' in html  # the geolocation button stays


def test_with_a_tile_server_the_map_and_its_assets_are_on_the_form(
    client: Client, areas: dict[str, Region], settings: Any
) -> None:
    settings.ADUAN_MAP_TILE_URL = TILES
    settings.ADUAN_MAP_ATTRIBUTION = "© OpenStreetMap contributors"
    html = page(client)
    for asset in MAP_ASSETS:
        assert asset in html, asset
    block = re.search(r'<div class="report-map-block"[^>]*>', html, re.S)
    assert block is not None
    tag = block.group(0)
    assert " hidden" in tag  # shown by report-map.js only: without JavaScript nothing is there
    assert 'data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in tag
    assert 'data-attribution="© OpenStreetMap contributors"' in tag
    assert 'data-lat="-5.408876" data-lon="123.020037"' in tag  # the kabupaten's centre
    assert "vendor/leaflet/images/marker-icon.png" in tag
    # The map is labelled and described; the note for missing tiles is in the page.
    assert re.search(r'id="report-map" role="region" aria-labelledby="report-map-title"', html)
    assert 'id="report-map-note" hidden' in html
    assert 'id="report-map-clear" hidden' in html
    # Leaflet is loaded before the map script, both deferred (no inline script).
    assert html.index("vendor/leaflet/leaflet.js") < html.index("js/report-map.js")
    assert "<script>" not in html and "style=" not in html


def test_area_options_carry_their_coordinates_for_the_pin(
    client: Client, areas: dict[str, Region], settings: Any
) -> None:
    settings.ADUAN_MAP_TILE_URL = TILES
    html = page(client)
    district, village, unplaced = areas["district"], areas["village"], areas["unplaced"]
    assert re.search(
        rf'<option value="{district.pk}" data-lat="-5.440908" data-lon="122.831022"', html
    )
    assert re.search(
        rf'<option value="{village.pk}" data-lat="-5.410724" data-lon="122.829505"', html
    )
    option = re.search(rf'<option value="{unplaced.pk}"[^>]*>', html)
    assert option is not None and "data-lat" not in option.group(0)


def test_a_form_shown_again_keeps_the_pin_position(
    client: Client, areas: dict[str, Region], settings: Any
) -> None:
    """The hidden latitude/longitude come back with the form (errors elsewhere)."""
    settings.ADUAN_MAP_TILE_URL = TILES
    settings.ADUAN_REPORT_MIN_FILL_SECONDS = 0
    response = client.post(
        "/lapor/",
        {"kind": "complaint", "body": "", "latitude": "-5.41", "longitude": "122.83"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'name="latitude" value="-5.41"' in html
    assert 'name="longitude" value="122.83"' in html
    assert 'id="report-map"' in html
