"""Import of the reports the national LAPOR!-SP4N forwards to the regency (issue 6): one
complaint per tracking id however often the sync runs (S16), the anonim/rahasia flags mapped
to the privacy model, the identity encrypted at rest, and a malformed or failing reply that
stores nothing."""

from __future__ import annotations

import logging
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from aduan.complaints.models import Channel, Complaint, InboundKey
from aduan.integrations.lapor.models import Link, SyncState
from aduan.integrations.lapor.protocol import InboundReport
from aduan.integrations.lapor.services import lapor_import

pytestmark = pytest.mark.django_db

ANON = InboundReport(
    tracking_id="5550001",
    title="Pungutan liar KTP",
    body="Petugas kecamatan meminta uang untuk KTP elektronik.",
    anonymous=True,
    private=True,
    location="Pasarwajo",
    name="Wa Ode Tersembunyi",
    phone="081377700011",
    email="tersembunyi@contoh.id",
)
NAMED = InboundReport(
    tracking_id="5550002",
    title="Lampu jalan mati",
    body="Lampu jalan di depan pasar mati sejak seminggu.",
    kind="aspiration",
    name="La Ode Terbuka",
    phone="0813 7770 0022",
    email="terbuka@contoh.id",
)


def test_import_creates_each_report_once(ref, fake_lapor):
    """Issue 6, S16: the sync run twice creates one complaint per LAPOR! tracking id."""
    fake_lapor.forwarded = [ANON, NAMED]
    first = lapor_import()
    second = lapor_import()
    assert (first.fetched, first.created, first.existing, first.failed) == (2, 2, 0, 0)
    assert (second.created, second.existing) == (0, 2)
    complaints = Complaint.objects.filter(channel=Channel.NATIONAL_LAPOR)
    assert sorted(complaints.values_list("national_reference", flat=True)) == [
        "5550001",
        "5550002",
    ]
    assert InboundKey.objects.filter(source="lapor").count() == 2
    assert Link.objects.filter(direction=Link.Direction.INBOUND).count() == 2
    state = SyncState.objects.get()
    assert state.imported_total == 2 and state.cursor is not None and state.last_error == ""
    # The second run asked only for what came after the first one.
    assert b"<sejak>" in fake_lapor.requests[-1][1]


def test_flags_and_kind_are_mapped(ref, fake_lapor):
    """Issue 6, S1/S22: anonim → anonymous, rahasia → private (never listed publicly)."""
    fake_lapor.forwarded = [ANON, NAMED]
    lapor_import()
    anon = Complaint.objects.get(national_reference="5550001")
    named = Complaint.objects.get(national_reference="5550002")
    assert anon.anonymous and anon.private
    assert not named.anonymous and not named.private
    assert named.kind == "aspiration" and anon.kind == "complaint"
    assert anon.location_text == "Pasarwajo"
    assert not Complaint.objects.public().filter(pk=anon.pk).exists()
    assert Complaint.objects.public().filter(pk=named.pk).exists()
    assert anon.events.get().verb == "submit"


def test_identity_is_kept_encrypted(ref, fake_lapor):
    """S1: the complainant LAPOR! sends is stored like any other: encrypted, phone in E.164."""
    fake_lapor.forwarded = [NAMED]
    lapor_import()
    complainant = Complaint.objects.get(national_reference="5550002").complainant
    assert complainant.name == "La Ode Terbuka"
    assert complainant.phone == "+6281377700022"
    assert complainant.email == "terbuka@contoh.id"
    with connection.cursor() as cursor:
        table = complainant._meta.db_table
        cursor.execute(f"SELECT name, phone, email FROM {table} WHERE id = %s", [complainant.pk])  # noqa: S608
        raw = " ".join(str(v) for v in cursor.fetchone())
    for secret in ("La Ode Terbuka", "81377700022", "terbuka@contoh.id"):
        assert secret not in raw


def test_unusable_contact_is_dropped_not_the_report(ref, fake_lapor):
    fake_lapor.forwarded = [
        InboundReport(tracking_id="5550003", body="Air PDAM keruh.", phone="12", email="x@")
    ]
    assert lapor_import().created == 1
    complainant = Complaint.objects.get(national_reference="5550003").complainant
    assert complainant.phone == "" and complainant.email == ""


def test_malformed_xml_is_logged_and_nothing_is_stored(ref, fake_lapor, caplog):
    """Issue 6: a malformed reply → a logged error, no complaint, the cursor unchanged."""
    fake_lapor.forwarded_raw = (
        b'<lapor><laporan trackingid="5550009"><isi>Jalan rusak</isi></laporan>'
        b'<laporan trackingid="5550010"><isi>terpotong'
    )
    with caplog.at_level(logging.ERROR, logger="aduan.integrations.lapor.services"):
        report = lapor_import()
    assert report.error and "malformed XML" in report.error
    assert Complaint.objects.count() == 0 and InboundKey.objects.count() == 0
    state = SyncState.objects.get()
    assert state.cursor is None and state.last_error
    assert any("LAPOR! import failed" in r.getMessage() for r in caplog.records)


def test_one_invalid_entry_refuses_the_whole_reply(ref, fake_lapor):
    """Issue 6: an entry without a tracking id makes the reply malformed: nothing half-stored."""
    fake_lapor.forwarded_raw = (
        b'<lapor><laporan trackingid="5550011"><isi>Jalan rusak</isi></laporan>'
        b"<laporan><isi>tanpa id</isi></laporan></lapor>"
    )
    assert lapor_import().error
    assert Complaint.objects.count() == 0


def test_a_dtd_is_refused(ref, fake_lapor):
    """No entity expansion or external entities from the other side (XXE, billion laughs)."""
    fake_lapor.forwarded_raw = (
        b'<?xml version="1.0"?><!DOCTYPE lapor [<!ENTITY a "aaaa">]>'
        b'<lapor><laporan trackingid="1"><isi>&a;</isi></laporan></lapor>'
    )
    assert "DTD" in lapor_import().error
    assert Complaint.objects.count() == 0


def test_a_report_we_refuse_is_counted_and_the_rest_imported(ref, fake_lapor):
    fake_lapor.forwarded = [InboundReport(tracking_id="5550012", body="   "), NAMED]
    report = lapor_import()
    assert (report.created, report.failed) == (1, 1)
    assert list(Complaint.objects.values_list("national_reference", flat=True)) == ["5550002"]


def test_server_errors_and_timeouts_store_nothing(ref, fake_lapor):
    fake_lapor.forwarded = [NAMED]
    fake_lapor.fail_next(1, status=503)
    assert "503" in lapor_import().error
    fake_lapor.fail_next(1, mode="timeout")
    assert "in time" in lapor_import().error
    assert Complaint.objects.count() == 0
    assert lapor_import().created == 1


def test_wrong_token_is_an_error(ref, fake_lapor, settings):
    settings.ADUAN_LAPOR_TOKEN = "{WRONG}"
    fake_lapor.forwarded = [NAMED]
    assert "401" in lapor_import().error
    assert Complaint.objects.count() == 0


def test_disabled_connector_does_nothing(ref, fake_lapor, settings):
    """Issue 6: ADUAN_LAPOR_ENABLED off (the default): no request, nothing stored."""
    settings.ADUAN_LAPOR_ENABLED = False
    fake_lapor.forwarded = [NAMED]
    assert lapor_import().skipped
    out = StringIO()
    call_command("lapor_sync", stdout=out)
    assert "disabled" in out.getvalue()
    assert fake_lapor.requests == [] and Complaint.objects.count() == 0


def test_management_command_imports(ref, fake_lapor):
    fake_lapor.forwarded = [ANON]
    out = StringIO()
    call_command("lapor_sync", stdout=out)
    call_command("lapor_sync", "--since", "2026-01-01T00:00:00+08:00", stdout=out)
    assert "created 1" in out.getvalue() and "already there 1" in out.getvalue()
    assert b"<sejak>2026-01-01T00:00:00+08:00</sejak>" in fake_lapor.requests[-1][1]
    assert Complaint.objects.count() == 1


def test_management_command_fails_loudly(ref, fake_lapor):
    from django.core.management.base import CommandError

    fake_lapor.fail_next(1, status=500)
    with pytest.raises(CommandError):
        call_command("lapor_sync", stdout=StringIO())


def test_periodic_task_runs_every_five_minutes_and_imports(ref, fake_lapor):
    import datetime as dt

    from aduan.integrations.lapor import tasks

    schedule = tasks.lapor_sync_periodic.task_class()
    assert schedule.validate_datetime(dt.datetime(2026, 6, 8, 9, 5))
    assert not schedule.validate_datetime(dt.datetime(2026, 6, 8, 9, 7))
    fake_lapor.forwarded = [NAMED]
    assert tasks.lapor_sync_periodic.call_local()["created"] == 1
    assert Complaint.objects.count() == 1
