"""GeoReport v2 documents as XML (required by the spec) and JSON.

The spec's XML has no namespaces: a root element, one child element per item, one element per
field; a list inside an item (a service definition's attributes and their values, discovery's
endpoints and formats) is an element holding one child per entry (LIST_ITEMS). JSON is the same
data: a top-level list of objects (or one object for discovery and a service definition).
Booleans are `true`/`false` in both; a missing value is an empty element / an empty string.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape  # nosec B406 - escaping our own output, no XML is parsed

from django.http import HttpResponse
from django.utils import timezone

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"

# The element that holds each entry of a list-valued field.
LIST_ITEMS = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}

# Characters XML 1.0 cannot carry (a control character pasted into a report would make the
# whole document unreadable).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Document = Mapping[str, Any] | Sequence[Mapping[str, Any]]


def w3c_datetime(moment: dt.datetime | None) -> str:
    """ISO 8601 with the deployment's UTC offset (`2026-11-27T09:15:00+08:00`), or ""."""
    if moment is None:
        return ""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return w3c_datetime(value)
    return str(value)


def _append(out: list[str], name: str, value: Any) -> None:
    """Serialise one element into `out` (string parts; faster than building an ElementTree
    for the 1000-row lists, and the same text)."""
    if isinstance(value, Mapping):
        out.append(f"<{name}>")
        for key, child in value.items():
            _append(out, key, child)
        out.append(f"</{name}>")
    elif isinstance(value, list | tuple):
        item_name = LIST_ITEMS.get(name, "item")
        out.append(f"<{name}>")
        for child in value:
            _append(out, item_name, child)
        out.append(f"</{name}>")
    else:
        text = _NOT_XML.sub("", _text(value))
        out.append(f"<{name}>{escape(text)}</{name}>" if text else f"<{name} />")


def to_xml(root: str, item: str | None, data: Document) -> bytes:
    """`<root><item>…</item>…</root>` for a list, `<root>…</root>` for one mapping."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    if isinstance(data, Mapping):
        _append(out, root, data)
    else:
        out.append(f"<{root}>")
        for row in data:
            _append(out, item or "item", row)
        out.append(f"</{root}>")
    return "".join(out).encode()


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return w3c_datetime(value)
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value).__name__)


def render(
    fmt: str, root: str, item: str | None, data: Document, *, status: int = 200
) -> HttpResponse:
    """The document in the format the URL asked for (`xml` or `json`)."""
    if fmt == "xml":
        return HttpResponse(to_xml(root, item, data), content_type=XML_TYPE, status=status)
    body = json.dumps(data, default=_json_default, ensure_ascii=False)
    return HttpResponse(body.encode(), content_type=JSON_TYPE, status=status)


def render_errors(fmt: str, status: int, descriptions: Sequence[str]) -> HttpResponse:
    """The spec's error document: `<errors><error><code/><description/></error></errors>`,
    in JSON `[{"code": 400, "description": "…"}]`."""
    rows = [{"code": status, "description": str(d)} for d in descriptions]
    return render(fmt, "errors", "error", rows, status=status)
