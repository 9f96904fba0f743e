"""S22 and S1 over Open311: no complainant field in any response, anonymous or not, even when
a moderator left the identity in the public copy; confidential reports never listed."""

from __future__ import annotations

import pytest
from django.test import override_settings

from aduan.accounts.roles import Role
from aduan.api import keys
from aduan.complaints.models import Complaint
from aduan.complaints.publication import complaint_publish
from aduan.complaints.tests import factories as f

from .conftest import BASE, FORMATS

pytestmark = pytest.mark.django_db

PLANTED = {
    "anonymous": {
        "name": "Zulkarnain Waturempe",
        "phone": "081399887766",
        "email": "zulkarnain.rahasia@contoh.id",
    },
    "named": {
        "name": "Fransiska Labalawa",
        "phone": "085211223344",
        "email": "fransiska.terang@contoh.id",
    },
}
NEEDLES = [
    "Zulkarnain",
    "Waturempe",
    "zulkarnain.rahasia",
    "99887766",
    "Fransiska",
    "Labalawa",
    "fransiska.terang",
    "11223344",
    "Alamat Rumah Rahasia",
]


def _complaint(open311_ref, anonymous: bool, identity: dict[str, str]) -> Complaint:
    complaint = f.responded(
        anonymous=anonymous,
        category=open311_ref["pothole"],
        region=open311_ref["desa"],
        title=f"Laporan {identity['name']}",
        body=f"Saya {identity['name']} ({identity['phone']}, {identity['email']}) melapor.",
        location_text="Alamat Rumah Rahasia",
        **identity,
    )
    complaint_publish(
        complaint=complaint, by=f.actor(Role.ADMIN), title="Jalan rusak", body="Jalan rusak."
    )
    # a careless copy with the identity in it, written behind the service's back
    Complaint.objects.filter(pk=complaint.pk).update(
        public_body=f"Pelapor {identity['name']}, {identity['phone']}, {identity['email']}."
    )
    return complaint


def _urls(codes: list[str], fmt: str) -> list[str]:
    urls = [
        f"{BASE}/discovery.{fmt}",
        f"{BASE}/services.{fmt}",
        f"{BASE}/services/K01.01.{fmt}",
        f"{BASE}/requests.{fmt}",
        f"{BASE}/requests.{fmt}?service_request_id={','.join(codes)}",
        f"{BASE}/servicerequestupdates.{fmt}",
    ]
    for code in codes:
        urls += [f"{BASE}/requests/{code}.{fmt}", f"{BASE}/tokens/{code}.{fmt}"]
    return urls


@pytest.mark.parametrize("fmt", FORMATS)
def test_s22_no_complainant_field_in_any_open311_response(client, open311_ref, fmt):
    """S22/S1: a distinctive identity planted on an anonymous and on a named complaint (and in
    their text and public copy) is absent from every Open311 response, in both formats; the
    control shows the complaints themselves are there."""
    anonymous = _complaint(open311_ref, True, PLANTED["anonymous"])
    named = _complaint(open311_ref, False, PLANTED["named"])
    secret = f.received(private=True, category=open311_ref["pothole"])
    codes = [anonymous.tracking_code, named.tracking_code, secret.tracking_code]
    seen = ""
    for url in _urls(codes, fmt):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        seen += text
        for needle in NEEDLES:
            assert needle.lower() not in text.lower(), (needle, url)
    assert anonymous.tracking_code in seen and named.tracking_code in seen  # control
    assert "Pelapor" in seen  # the public copy is shown, with the identity taken out


@pytest.mark.parametrize("fmt", FORMATS)
def test_s22_the_post_answer_carries_no_identity(client, open311_ref, fmt):
    with override_settings(ADUAN_DEMO=True):
        keys.ensure_demo_api_key()
        response = client.post(
            f"{BASE}/requests.{fmt}",
            {
                "api_key": keys.DEMO_API_KEY,
                "service_code": "K01.01",
                "description": "Lampu mati.",
                "attribute[kecamatan]": open311_ref["kecamatan"].code,
                "first_name": "Zulkarnain",
                "last_name": "Waturempe",
                "email": "zulkarnain.rahasia@contoh.id",
                "phone": "081399887766",
            },
        )
    assert response.status_code == 200
    for needle in NEEDLES:
        assert needle.lower() not in response.content.decode().lower()


@pytest.mark.parametrize("fmt", FORMATS)
def test_private_requests_are_never_listed(client, open311_ref, fmt):
    secret = f.closed(private=True, category=open311_ref["pothole"])
    for url in (
        f"{BASE}/requests.{fmt}",
        f"{BASE}/requests.{fmt}?service_request_id={secret.tracking_code}",
        f"{BASE}/requests.{fmt}?status=closed",
        f"{BASE}/servicerequestupdates.{fmt}",
    ):
        assert secret.tracking_code not in client.get(url).content.decode(), url


def test_s22_no_media_url_is_ever_filled(client, open311_ref):
    """S22: attachments are never exposed, so media_url never points at a private file."""
    f.dispatched(category=open311_ref["pothole"])
    for row in client.get(f"{BASE}/requests.json").json():
        assert row["media_url"] == ""
    for row in client.get(f"{BASE}/servicerequestupdates.json").json():
        assert row["media_url"] == ""
