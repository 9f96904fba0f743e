"""GeoReport v2 reads in both formats: discovery, services, service definitions, requests,
one request, tokens and FixMyStreet's servicerequestupdates — elements, types, filters, limits
and errors as the spec gives them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils.dateparse import parse_datetime

from aduan.accounts.roles import Role
from aduan.complaints.models import Complaint
from aduan.complaints.publication import complaint_publish
from aduan.complaints.tests import factories as f
from aduan.open311 import selectors

from .conftest import BASE, FORMATS, errors, get, rows

pytestmark = pytest.mark.django_db

REQUEST_ELEMENTS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def _aware(text: str) -> dt.datetime:
    moment = parse_datetime(text)
    assert moment is not None and moment.utcoffset() is not None, text
    return moment


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_names_the_v2_endpoint_and_both_formats(client, fmt):
    status, body = get(client, "discovery", fmt)
    assert status == 200
    if fmt == "json":
        endpoint = body["endpoints"][0]
        formats = endpoint["formats"]
        assert {"changeset", "contact", "key_service", "endpoints"} <= set(body)
    else:
        assert body.tag == "discovery"
        element = body.find("endpoints/endpoint")
        endpoint = {child.tag: child.text for child in element}
        formats = [e.text for e in element.findall("formats/format")]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["type"] == "production"
    assert formats == ["text/xml", "application/json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_lists_one_service_per_active_category(client, open311_ref, fmt):
    status, body = get(client, "services", fmt)
    assert status == 200
    if fmt == "xml":
        assert body.tag == "services"
    services = rows(body, fmt, "service")
    by_code = {s["service_code"]: s for s in services}
    assert set(by_code) == {"K01", "K01.01"}  # the inactive K99 is not offered
    child = by_code["K01.01"]
    assert set(child) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert child["service_name"] == "Jalan Rusak"
    assert child["group"] == "Pekerjaan Umum"
    assert child["type"] == "realtime"
    assert child["metadata"] is True if fmt == "json" else child["metadata"] == "true"
    assert by_code["K01"]["group"] == "Infrastruktur"  # a top category: its topic


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_service_definition_offers_region_kind_and_privacy_lists(client, open311_ref, fmt):
    status, body = get(client, "services/K01.01", fmt)
    assert status == 200
    if fmt == "json":
        assert body["service_code"] == "K01.01"
        attributes = {a["code"]: a for a in body["attributes"]}
        values = {code: [v["key"] for v in a["values"]] for code, a in attributes.items()}
        assert attributes["desa"]["variable"] is True
        assert attributes["desa"]["required"] is False
        assert isinstance(attributes["desa"]["order"], int)
    else:
        assert body.tag == "service_definition"
        assert body.findtext("service_code") == "K01.01"
        elements = body.findall("attributes/attribute")
        attributes = {e.findtext("code"): {c.tag: c.text for c in e} for e in elements}
        values = {
            e.findtext("code"): [v.findtext("key") for v in e.findall("values/value")]
            for e in elements
        }
        assert attributes["desa"]["variable"] == "true"
        assert attributes["desa"]["order"] == "2"
    assert set(attributes) == {"kecamatan", "desa", "kind", "ground", "anonymous", "private"}
    for attribute in attributes.values():
        assert attribute["datatype"] == "singlevaluelist"
        assert attribute["description"]
        assert {"variable", "code", "datatype", "required", "order", "description"} <= set(
            attribute
        )
    assert values["kecamatan"] == ["74.04.01", "74.04.02"]
    assert values["desa"] == ["74.04.01.2001"]
    assert values["anonymous"] == values["private"] == ["false", "true"]
    assert "complaint" in values["kind"] and "aspiration" in values["kind"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_service_is_a_404_error_document(client, open311_ref, fmt):
    for code in ("K99", "NOPE"):  # inactive, unknown
        status, body = get(client, f"services/{code}", fmt)
        assert status == 404
        assert errors(body, fmt)[0]["code"] == 404
        assert errors(body, fmt)[0]["description"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_lists_public_requests_with_every_element(client, open311_ref, fmt):
    shown = f.dispatched(category=open311_ref["pothole"], region=open311_ref["desa"])
    f.received(private=True, category=open311_ref["pothole"])  # rahasia: never listed
    f.archived()  # archived: not listed, as on the portal
    status, body = get(client, "requests", fmt)
    assert status == 200
    if fmt == "xml":
        assert body.tag == "service_requests"
    listed = rows(body, fmt, "request")
    assert [r["service_request_id"] for r in listed] == [shown.tracking_code]
    row = listed[0]
    assert set(row) == REQUEST_ELEMENTS
    assert row["status"] == "open"
    assert row["status_notes"] == "Dispatched"
    assert row["service_code"] == "K01.01"
    assert row["service_name"] == "Jalan Rusak"
    assert row["agency_responsible"] == shown.lead_agency.name
    assert row["address"] == "Pasarwajo"  # not published: the kecamatan only
    assert row["description"] == ""  # not published: no text at all
    assert _aware(row["requested_datetime"]) == shown.received_at.replace(microsecond=0)
    assert _aware(row["expected_datetime"]) == shown.response_due_at.replace(microsecond=0)
    _aware(row["updated_datetime"])
    assert row["lat"] in (None, "")


def test_expected_datetime_is_the_deadline_of_the_current_stage(open311_ref):
    received = f.received()
    assert selectors.request_row(received)["expected_datetime"] == received.dispatch_due_at
    dispatched = f.dispatched()
    assert selectors.request_row(dispatched)["expected_datetime"] == dispatched.response_due_at
    assert selectors.request_row(f.pending())["expected_datetime"] is None  # clock paused
    closed = f.closed()
    row = selectors.request_row(closed)
    assert row["expected_datetime"] is None and row["status"] == "closed"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_published_request_shows_its_public_text_village_and_rounded_position(
    client, open311_ref, fmt
):
    complaint = f.dispatched(
        category=open311_ref["pothole"],
        region=open311_ref["desa"],
        latitude=Decimal("-5.453149"),
        longitude=Decimal("122.612251"),
    )
    complaint_publish(
        complaint=complaint, by=f.actor(Role.ADMIN), title="Jalan berlubang", body="Lubang besar."
    )
    status, body = get(client, f"requests/{complaint.tracking_code}", fmt)
    assert status == 200
    (row,) = rows(body, fmt, "request")
    assert row["description"] == "Lubang besar."
    assert row["address"] == "Holimombo, Pasarwajo"
    assert float(row["lat"]) == -5.453 and float(row["long"]) == 122.612  # about 110 m
    if fmt == "json":
        assert isinstance(row["lat"], float)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_filters_of_the_spec(client, open311_ref, fmt):
    pothole = f.dispatched(category=open311_ref["pothole"])
    road = f.received(category=open311_ref["roads"])
    done = f.closed(category=open311_ref["pothole"])
    old = f.received(category=open311_ref["pothole"])
    Complaint.objects.filter(pk=old.pk).update(received_at=old.received_at - dt.timedelta(days=120))
    old.refresh_from_db()

    def ids(**params):
        status, body = get(client, "requests", fmt, **params)
        assert status == 200, body
        return {r["service_request_id"] for r in rows(body, fmt, "request")}

    assert ids() == {pothole.tracking_code, road.tracking_code, done.tracking_code}
    assert ids(service_code="K01") == {road.tracking_code}
    assert ids(service_code="K01,K01.01") == ids()
    assert ids(status="open") == {pothole.tracking_code, road.tracking_code}
    assert ids(status="closed") == {done.tracking_code}
    assert ids(status="open,closed") == ids()
    # service_request_id (comma list, forgiving about case and dashes) overrides the others
    code = old.tracking_code.lower().replace("-", "")
    assert ids(service_request_id=f"{code},{road.tracking_code}", status="closed") == {
        old.tracking_code,
        road.tracking_code,
    }
    assert ids(service_request_id="BTN-XXXX-XXX") == set()
    start = (old.received_at - dt.timedelta(days=1)).isoformat()
    end = (old.received_at + dt.timedelta(days=1)).isoformat()
    assert ids(start_date=start, end_date=end) == {old.tracking_code}
    assert ids(start_date=start) == {old.tracking_code}  # start + 90 days
    assert ids(end_date=end) == {old.tracking_code}  # 90 days before end


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "yesterday"},
        {"end_date": "2026-13-45T00:00:00Z"},
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},  # > 90 days
        {"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"},
        {"status": "pending"},
        {"page": "0"},
        {"page": "two"},
        {"jurisdiction_id": "elsewhere.example"},
    ],
)
def test_bad_filters_are_400_error_documents(client, open311_ref, fmt, params):
    status, body = get(client, "requests", fmt, **params)
    assert status == 400
    (error,) = errors(body, fmt)
    assert error["code"] == 400 and error["description"]


def test_at_most_a_page_of_requests_newest_first_and_page_reads_further(
    client, open311_ref, monkeypatch
):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    made = [f.received() for _ in range(3)]
    newest_first = [c.tracking_code for c in reversed(made)]
    _status, first = get(client, "requests", "json")
    _status, second = get(client, "requests", "json", page=2)
    assert [r["service_request_id"] for r in first] == newest_first[:2]
    assert [r["service_request_id"] for r in second] == newest_first[2:]


def test_the_default_limit_is_the_specs_1000():
    assert selectors.PAGE_SIZE == 1000


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_request_tokens_and_unknown_ids(client, open311_ref, fmt):
    complaint = f.received(category=open311_ref["pothole"])
    status, body = get(client, f"requests/{complaint.tracking_code}", fmt)
    assert status == 200
    assert [r["service_request_id"] for r in rows(body, fmt, "request")] == [
        complaint.tracking_code
    ]
    status, body = get(client, f"tokens/{complaint.tracking_code}", fmt)
    assert status == 200
    assert rows(body, fmt, "request") == [
        {"service_request_id": complaint.tracking_code, "token": complaint.tracking_code}
    ]
    for path in ("requests/BTN-XXXX-XXX", "requests/nonsense", "tokens/nonsense"):
        status, body = get(client, path, fmt)
        assert status == 404
        assert errors(body, fmt)[0]["code"] == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_private_request_looked_up_by_id_shows_its_state_only(client, open311_ref, fmt):
    complaint = f.dispatched(
        private=True, category=open311_ref["pothole"], region=open311_ref["desa"]
    )
    status, body = get(client, f"requests/{complaint.tracking_code}", fmt)
    assert status == 200
    (row,) = rows(body, fmt, "request")
    assert row["status"] == "open" and row["status_notes"] == "Dispatched"
    for name in ("service_code", "service_name", "agency_responsible", "address", "description"):
        assert row[name] == "", name


@pytest.mark.parametrize("fmt", FORMATS)
def test_servicerequestupdates_lists_public_state_changes(client, open311_ref, fmt):
    public = f.closed()
    f.dispatched(private=True)
    status, body = get(client, "servicerequestupdates", fmt)
    assert status == 200
    if fmt == "xml":
        assert body.tag == "service_requests_updates"
    updates = rows(body, fmt, "request_update")
    assert {u["service_request_id"] for u in updates} == {public.tracking_code}
    assert [u["status"] for u in updates][-1] == "closed"
    assert updates[0]["status"] == "open"
    for update in updates:
        assert set(update) == {
            "update_id",
            "service_request_id",
            "status",
            "updated_datetime",
            "description",
            "media_url",
        }
        assert update["update_id"] and update["description"] and update["media_url"] == ""
        _aware(update["updated_datetime"])
    assert len({u["update_id"] for u in updates}) == len(updates)
    status, body = get(client, "servicerequestupdates", fmt, start_date="x")
    assert status == 400


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_wrong_method_is_a_405_error_document(client, fmt):
    response = client.put(f"{BASE}/services.{fmt}")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    response = client.delete(f"{BASE}/requests.{fmt}")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"


def test_texts_follow_accept_language_indonesian_by_default(client, open311_ref):
    f.received()
    english = client.get(f"{BASE}/requests.json", HTTP_ACCEPT_LANGUAGE="en").json()
    indonesian = client.get(f"{BASE}/requests.json").json()
    assert english[0]["status_notes"] == "Received"
    assert indonesian[0]["status_notes"] == "Diterima"


def test_the_right_jurisdiction_id_is_accepted(client, open311_ref, settings):
    settings.ADUAN_OPEN311_JURISDICTION = "aduan.butonkab.go.id"
    status, _body = get(client, "services", "json", jurisdiction_id="aduan.butonkab.go.id")
    assert status == 200
    status, _body = get(client, "services", "json", jurisdiction_id="other.go.id")
    assert status == 400


def test_xml_escapes_markup_and_drops_characters_xml_cannot_carry(client, open311_ref):
    complaint = f.dispatched(category=open311_ref["pothole"])
    complaint_publish(
        complaint=complaint,
        by=f.actor(Role.ADMIN),
        title="Jalan <rusak>",
        body="Lubang & genangan <b>besar</b>\x07.",
    )
    status, body = get(client, f"requests/{complaint.tracking_code}", "xml")
    assert status == 200
    assert body.find("request").findtext("description") == "Lubang & genangan <b>besar</b>."
