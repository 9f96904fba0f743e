"""The CSP with and without the optional map tile server (issue 3, S9): the tile server's origin
is added to img-src and nothing else changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory

from aduan.core.middleware import (
    SecurityHeadersMiddleware,
    content_security_policy,
    map_tile_source,
)

OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def directives(policy: str) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2] for part in policy.split(";")
    }


def csp_of(path: str = "/") -> str:
    middleware = SecurityHeadersMiddleware(lambda request: HttpResponse("ok"))
    return str(middleware(RequestFactory().get(path))["Content-Security-Policy"])


def test_s9_without_a_tile_server_the_policy_is_the_strict_one(settings: Any) -> None:
    """S9: no map configured → images only from the site itself (and data: URLs)."""
    settings.ADUAN_MAP_TILE_URL = ""
    policy = csp_of()
    assert policy == SecurityHeadersMiddleware.CSP
    assert directives(policy)["img-src"] == "'self' data:"


def test_s9_with_a_tile_server_only_its_origin_is_added_to_img_src(settings: Any) -> None:
    """S9: the tile server's origin (not its path) joins img-src; every other directive is
    exactly the strict policy's (scripts, styles, connections are not loosened)."""
    settings.ADUAN_MAP_TILE_URL = OSM
    policy = csp_of()
    strict = directives(SecurityHeadersMiddleware.CSP)
    got = directives(policy)
    assert got["img-src"] == "'self' data: https://tile.openstreetmap.org"
    assert {k: v for k, v in got.items() if k != "img-src"} == {
        k: v for k, v in strict.items() if k != "img-src"
    }
    # The admin's relaxed policy carries the same img-src, not more.
    assert directives(csp_of("/admin/"))["img-src"] == got["img-src"]


def test_s9_the_full_page_response_carries_the_tile_origin(settings: Any, client: Any) -> None:
    settings.ADUAN_MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    response = client.get("/static-does-not-exist/")
    assert "img-src 'self' data: http://127.0.0.1:9;" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("url", "source"),
    [
        (OSM, "https://tile.openstreetmap.org"),
        ("http://127.0.0.1:9/{z}/{x}/{y}.png", "http://127.0.0.1:9"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        (
            "https://tiles.example.org:8443/osm/{z}/{x}/{y}.png?key=abc",
            "https://tiles.example.org:8443",
        ),
        ("", ""),
    ],
)
def test_the_origin_is_taken_from_the_tile_url(url: str, source: str) -> None:
    assert map_tile_source(url) == source


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:image/png;base64,AAAA",
        "//tile.example.org/{z}/{x}/{y}.png",
        "https://tile.example.org; script-src *",
        "https://user@tile.example.org/{z}/{x}/{y}.png",
        "https://*/{z}/{x}/{y}.png",
        "https://a.{s}.example.org/{z}/{x}/{y}.png",
        "ftp://tile.example.org/{z}/{x}/{y}.png",
    ],
)
def test_s9_a_tile_url_that_is_not_a_plain_origin_is_refused(url: str) -> None:
    """S9: the setting can never inject another directive or a wildcard source."""
    with pytest.raises(ImproperlyConfigured):
        map_tile_source(url)


def test_a_bad_tile_url_stops_the_middleware_at_start(settings: Any) -> None:
    settings.ADUAN_MAP_TILE_URL = "https://tile.example.org; script-src *"
    with pytest.raises(ImproperlyConfigured):
        SecurityHeadersMiddleware(lambda request: HttpResponse("ok"))


def test_the_policy_is_computed_once_per_setting_value() -> None:
    content_security_policy.cache_clear()
    content_security_policy(OSM)
    content_security_policy(OSM)
    assert content_security_policy.cache_info().hits == 1
