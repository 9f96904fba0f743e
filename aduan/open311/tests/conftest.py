"""Open311 test data: two services (a parent category and its child), a kecamatan with a desa,
and helpers that fetch a document in either format and parse it (xml.etree, through
defusedxml, for XML)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from defusedxml import ElementTree as SafeET
from django.test import Client

from aduan.agencies.models import Agency, Category, Region

BASE = "/open311/v2"
FORMATS = ("json", "xml")


@pytest.fixture
def open311_ref(ref: Agency) -> dict[str, Any]:
    dpupr = Agency.objects.get(code="dpupr")
    roads = Category.objects.create(code="K01", name="Pekerjaan Umum", topic="Infrastruktur")
    pothole = Category.objects.create(
        code="K01.01", name="Jalan Rusak", parent=roads, default_agency=dpupr
    )
    Category.objects.create(code="K99", name="Lama", is_active=False)
    regency = Region.objects.create(code="74.04", name="Buton", level=Region.Level.REGENCY)
    kecamatan = Region.objects.create(
        code="74.04.01", name="Pasarwajo", level=Region.Level.DISTRICT, parent=regency
    )
    other = Region.objects.create(
        code="74.04.02", name="Wabula", level=Region.Level.DISTRICT, parent=regency
    )
    desa = Region.objects.create(
        code="74.04.01.2001", name="Holimombo", level=Region.Level.VILLAGE, parent=kecamatan
    )
    return {
        "roads": roads,
        "pothole": pothole,
        "kecamatan": kecamatan,
        "other_kecamatan": other,
        "desa": desa,
    }


def get(client: Client, path: str, fmt: str, **params: Any) -> tuple[int, Any]:
    """GET `path.fmt`; (status, parsed body): a list/dict for JSON, the root Element for XML."""
    response = client.get(f"{BASE}/{path}.{fmt}", params, HTTP_ACCEPT_LANGUAGE="en")
    return response.status_code, parse(response, fmt)


def parse(response: Any, fmt: str) -> Any:
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        return json.loads(response.content)
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = SafeET.fromstring(response.content)
    assert "{" not in root.tag  # namespace-free, as the spec shows
    return root


def rows(body: Any, fmt: str, item: str) -> list[dict[str, Any]]:
    """The items of a list document as dicts of text (XML) or values (JSON)."""
    if fmt == "json":
        return list(body)
    return [{child.tag: (child.text or "") for child in element} for element in body.findall(item)]


def errors(body: Any, fmt: str) -> list[dict[str, Any]]:
    if fmt == "json":
        return list(body)
    assert body.tag == "errors"
    return [
        {"code": int(e.findtext("code") or 0), "description": e.findtext("description")}
        for e in body.findall("error")
    ]
