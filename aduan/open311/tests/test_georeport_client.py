"""A real Open311 client from PyPI, `georeport` 0.3.1, reads our server over HTTP (a live
server): the service list, a service definition, the request list and one request, with its
JSON and its XML parser (xmltodict)."""

from __future__ import annotations

import pytest
from georeport import GeoReport

from aduan.complaints.tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_georeport_reads_services_and_requests(live_server, open311_ref, settings, output_format):
    settings.ADUAN_OPEN311_JURISDICTION = "buton.example"
    complaint = f.dispatched(category=open311_ref["pothole"], region=open311_ref["desa"])
    other = f.received(category=open311_ref["roads"])
    client = GeoReport(
        f"{live_server.url}/open311/v2", jurisdiction="buton.example", output_format=output_format
    )

    services = client.get_service_list()
    assert {s["service_code"] for s in services} == {"K01", "K01.01"}

    definition = client.get_service_definition("K01.01")
    assert definition["service_code"] == "K01.01"
    attributes = definition["attributes"]
    if output_format == "xml":
        attributes = attributes["attribute"]
    assert {a["code"] for a in attributes} >= {"kecamatan", "desa", "anonymous", "private"}

    listed = client.get_service_requests()
    if isinstance(listed, dict):  # xmltodict: one <request> is a dict, several a list
        listed = [listed]
    assert {r["service_request_id"] for r in listed} == {
        complaint.tracking_code,
        other.tracking_code,
    }
    only = client.get_service_requests(service_code="K01.01", status="open")
    only = [only] if isinstance(only, dict) else only
    assert [r["service_request_id"] for r in only] == [complaint.tracking_code]

    one = client.get_service_request(complaint.tracking_code)
    assert one["service_request_id"] == complaint.tracking_code
    assert one["status"] == "open"
    assert one["agency_responsible"] == complaint.lead_agency.name
