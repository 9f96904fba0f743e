"""CSV export of the filtered list: streamed, no identity (S1), audited (S14), only what the
user may see (S3), safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import StreamingHttpResponse

from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry
from aduan.backoffice.tests.support import signed_in
from aduan.backoffice.views.queues import spreadsheet_safe
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref

__all__ = ["ref"]

pytestmark = pytest.mark.django_db

EXPORT = "/kantor/aduan/ekspor.csv"
# Distinctive identities that must never reach an export.
PLANTED = [
    {"name": "Zulkarnain Quetzal", "phone": "081299887766", "email": "quetzal.rahasia@contoh.id"},
    {"name": "Wiratmaja Xylofon", "phone": "081355443322", "email": "xylofon.pribadi@contoh.id"},
]


def export(client, user, query: str = ""):  # type: ignore[no-untyped-def]
    response = signed_in(client, user).get(f"{EXPORT}?{query}")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    return response, list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def identity_values() -> list[str]:
    values = []
    for person in PLANTED:
        values += [person["name"], person["phone"], person["phone"][1:], person["email"]]
        values += person["name"].split()
    values.append("+62" + PLANTED[0]["phone"][1:])
    return values


@pytest.mark.parametrize(
    "role", [Role.ADMIN, Role.LIAISON, Role.AGENCY_HEAD, Role.MEMBER, Role.REGENT]
)
def test_export_has_no_identity(client, ref, role):
    """S1: a distinctive name, phone and email on an anonymous AND a non-anonymous complaint:
    none appears in the export, for any role (the rows are there: the control)."""
    anonymous = f.dispatched("dpupr", anonymous=True, **PLANTED[0])
    named = f.dispatched("dpupr", anonymous=False, **PLANTED[1])
    agency = f.agency("dpupr") if role in (Role.LIAISON, Role.AGENCY_HEAD) else None
    response, rows = export(client, f.staff(role, agency))
    codes = {row[0] for row in rows[1:]}
    assert {anonymous.tracking_code, named.tracking_code} <= codes
    flat = "\n".join(",".join(row) for row in rows).lower()
    for value in identity_values():
        assert value.lower() not in flat, value
    assert rows[0][:3] == ["tracking_code", "received_at", "kind"]
    assert "name" not in rows[0] and "phone" not in rows[0] and "email" not in rows[0]
    assert response["Content-Disposition"].startswith("attachment;")


def test_export_is_audited_with_the_filter_and_row_count(client, ref):
    """S14: one audit row per export, with the filter and the number of rows."""
    f.received(channel="sms")
    f.received(channel="sms")
    f.received(channel="web")
    admin = f.staff(Role.ADMIN)
    _response, rows = export(client, admin, "channel=sms&page=2")
    assert len(rows) == 3  # header + 2
    entry = AuditEntry.objects.get(action="complaint.export")
    assert entry.actor == admin
    assert entry.data["filter"] == "channel=sms"
    assert entry.data["rows"] == 2


def test_export_respects_access(client, ref):
    """S3: a liaison's export holds only their agency's complaints."""
    mine = f.dispatched("dpupr")
    theirs = f.dispatched("dinkes")
    f.received()
    liaison = f.staff(Role.LIAISON, f.agency("dpupr"))
    _response, rows = export(client, liaison)
    assert [row[0] for row in rows[1:]] == [mine.tracking_code]
    assert theirs.tracking_code not in str(rows)
    assert AuditEntry.objects.get(action="complaint.export").data["rows"] == 1


def test_export_guards_against_formulas(client, ref):
    """A title starting with = + - @ is written with a leading apostrophe."""
    f.received(title='=HYPERLINK("http://jahat.example","klik")')
    f.received(title="+62 jalan rusak")
    f.received(title="@warga tolong")
    f.received(title="-1 jembatan")
    _response, rows = export(client, f.staff(Role.ADMIN))
    titles = sorted(row[5] for row in rows[1:])
    assert all(title.startswith("'") for title in titles), titles
    assert '\'=HYPERLINK("http://jahat.example","klik")' in titles


def test_spreadsheet_safe_cells():
    assert spreadsheet_safe("=1+1") == "'=1+1"
    assert spreadsheet_safe("\t=cmd") == "'\t=cmd"
    assert spreadsheet_safe("Jalan") == "Jalan"
    assert spreadsheet_safe(None) == ""
    assert spreadsheet_safe(4) == "4"
    assert spreadsheet_safe(-3) == "'-3"


def test_export_needs_staff(client, ref):
    assert client.get(EXPORT).status_code == 302
    assert not AuditEntry.objects.filter(action="complaint.export").exists()
