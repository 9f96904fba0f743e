"""S19: one command lists the complainants affected by a user, a time window or an export (for
the 3x24-hour notification of UU 27/2022 Art. 46): `manage.py breach_report`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry
from aduan.backoffice import breach
from aduan.backoffice.services import identity_for_staff, identity_reveal
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref

__all__ = ["ref"]

pytestmark = pytest.mark.django_db

WITA = timezone.get_fixed_timezone(8 * 60)


def wita(year: int, month: int, day: int, hour: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=WITA)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("breach_report", *args, stdout=out)
    return out.getvalue()


def run_json(*args: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(run(*args, "--format", "json"))
    return payload


def by_code(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["tracking_code"]: row for row in payload["complaints"]}


def test_s19_user_who_viewed_two_identities_and_could_see_five(ref, time_machine):
    """S19: a liaison of DPUPR could see 5 complaints (3 named, 2 anonymous) and viewed the
    identity of 2: all 5 are listed — 2 "viewed", the third named one "accessible" (the account
    could open it), the anonymous ones "no" — and none of another agency's complaints."""
    time_machine.move_to(wita(2026, 11, 2, 9), tick=False)
    named = [f.dispatched("dpupr", phone=f"08129000000{i}") for i in range(3)]
    anonymous = [f.dispatched("dpupr", anonymous=True) for _ in range(2)]
    other = f.dispatched("disperkim")
    officer = f.staff(Role.LIAISON, f.agency("dpupr"), username="budi")
    time_machine.move_to(wita(2026, 11, 3, 10), tick=False)
    for complaint in named[:2]:
        assert identity_for_staff(user=officer, complaint=complaint) is not None

    rows = by_code(run_json("--user", "budi"))

    assert set(rows) == {c.tracking_code for c in named + anonymous}
    assert other.tracking_code not in rows
    assert [rows[c.tracking_code]["identity_exposed"] for c in named] == [
        "viewed",
        "viewed",
        "accessible",
    ]
    assert {rows[c.tracking_code]["identity_exposed"] for c in anonymous} == {"no"}
    assert any(e.startswith("view audit #") for e in rows[named[0].tracking_code]["exposures"])
    assert "visible by budi" in rows[named[2].tracking_code]["exposures"]
    assert all(
        row["anonymous"]
        for code, row in rows.items()
        if code in {a.tracking_code for a in anonymous}
    )


def test_s19_an_admin_reveal_is_listed_as_revealed(ref):
    """S19/S2: an anonymous identity revealed by an admin is reported as "revealed"."""
    complaint = f.received(anonymous=True)
    admin = f.staff(Role.ADMIN, username="ani")
    identity_reveal(user=admin, complaint=complaint, reason="Laporan ancaman, perlu dihubungi.")
    rows = by_code(run_json("--user", "ani"))
    assert rows[complaint.tracking_code]["identity_exposed"] == "revealed"


def test_s19_a_deactivated_account_still_shows_what_it_could_see(ref):
    """S19: the account is usually switched off first; the report still lists what it saw."""
    complaint = f.dispatched("dpupr")
    officer = f.staff(Role.LIAISON, f.agency("dpupr"), username="nonaktif")
    officer.is_active = False
    officer.save()
    assert complaint.tracking_code in by_code(run_json("--user", "nonaktif"))


def test_s19_an_export_lists_its_complaints(client, ref, time_machine):
    """S19: `--export AUDIT_ID` re-runs the export's stored filter as its user, on complaints
    received before the export: the 2 SMS complaints of the export, not the web one, not the
    SMS complaint that came later; the stored and re-run row counts agree."""
    time_machine.move_to(wita(2026, 11, 2, 9), tick=False)
    sms = [f.received(channel="sms"), f.received(channel="sms")]
    web = f.received(channel="web")
    admin = f.staff(Role.ADMIN, username="pengekspor")
    time_machine.move_to(wita(2026, 11, 2, 11), tick=False)
    response = signed_in(client, admin).get("/kantor/aduan/ekspor.csv?channel=sms")
    assert response.status_code == 200
    b"".join(response.streaming_content)  # type: ignore[attr-defined]
    entry = AuditEntry.objects.get(action="complaint.export")
    time_machine.move_to(wita(2026, 11, 2, 12), tick=False)
    later = f.received(channel="sms")

    payload = run_json("--export", str(entry.pk))

    rows = by_code(payload)
    assert set(rows) == {c.tracking_code for c in sms}
    assert web.tracking_code not in rows and later.tracking_code not in rows
    assert {row["identity_exposed"] for row in rows.values()} == {"no"}  # no identity columns
    assert rows[sms[0].tracking_code]["exposures"] == [f"export audit #{entry.pk} by pengekspor"]
    assert payload["exports"] == [
        {
            "audit_id": entry.pk,
            "by": "pengekspor",
            "at": timezone.localtime(entry.created_at).isoformat(),
            "filter": "channel=sms",
            "stored_rows": 2,
            "found_rows": 2,
        }
    ]
    # The user's report for a window holding the export includes it too.
    windowed = by_code(run_json("--since", "2026-11-02T10:00", "--until", "2026-11-02T11:30"))
    assert set(windowed) == {c.tracking_code for c in sms}


def test_s19_window_filters_identity_views(ref, time_machine):
    """S19: with a window alone, the identities viewed by anyone inside it; views before or
    after it are left out. With a user, complaints received after the window are left out."""
    time_machine.move_to(wita(2026, 10, 30, 10), tick=False)
    complaints = [f.dispatched("dpupr") for _ in range(3)]
    officer = f.staff(Role.LIAISON, f.agency("dpupr"), username="sari")
    admin = f.staff(Role.ADMIN, username="dinas1")
    for day, (user, complaint) in zip(
        (1, 5, 9),
        ((officer, complaints[0]), (admin, complaints[1]), (officer, complaints[2])),
        strict=True,
    ):
        time_machine.move_to(wita(2026, 11, day, 10), tick=False)
        identity_for_staff(user=user, complaint=complaint)
    time_machine.move_to(wita(2026, 11, 20, 10), tick=False)
    newer = f.dispatched("dpupr")

    window = by_code(run_json("--since", "2026-11-04", "--until", "2026-11-09"))
    assert set(window) == {complaints[1].tracking_code, complaints[2].tracking_code}
    assert window[complaints[1].tracking_code]["exposures"][0].endswith("by dinas1")

    # A date alone in --until is the whole day (WITA); 08:00 WITA the same day is before it.
    early = by_code(run_json("--since", "2026-11-09T00:00", "--until", "2026-11-09T09:59"))
    assert early == {}

    for_sari = by_code(run_json("--user", "sari", "--until", "2026-11-10"))
    assert newer.tracking_code not in for_sari
    assert {c.tracking_code for c in complaints} <= set(for_sari)
    assert for_sari[complaints[1].tracking_code]["identity_exposed"] == "accessible"
    assert for_sari[complaints[2].tracking_code]["identity_exposed"] == "viewed"
    late_window = by_code(run_json("--user", "sari", "--since", "2026-11-08"))
    assert late_window[complaints[0].tracking_code]["identity_exposed"] == "accessible"


def test_s19_contacts_are_masked_unless_revealed_and_every_run_is_audited(ref):
    """S19: the text table masks phone and email; --reveal-contacts prints them in full; each
    run writes a `breach.report` audit row (codes, count, whether contacts were shown), which
    never holds the contacts themselves."""
    complaint = f.dispatched("dpupr", phone="081277665544", email="rahmat.warga@contoh.id")
    f.staff(Role.LIAISON, f.agency("dpupr"), username="yusuf")

    table = run("--user", "yusuf", "--operator", "dpo")
    assert complaint.tracking_code in table
    assert "+628*******544" in table and "r***@c***.id" in table
    for secret in ("7766", "rahmat", "contoh.id", "81277665544"):
        assert secret not in table
    assert "1 complaint(s) affected" in table

    entry = AuditEntry.objects.get(action="breach.report")
    assert entry.actor is None and entry.actor_label == "cli:dpo"
    assert entry.data["user"] == "yusuf"
    assert entry.data["reveal_contacts"] is False
    assert entry.data["complaints"] == 1 and entry.data["codes"] == [complaint.tracking_code]
    assert "7766" not in json.dumps(entry.data) and "rahmat" not in json.dumps(entry.data)

    full = list(
        csv.reader(io.StringIO(run("--user", "yusuf", "--format", "csv", "--reveal-contacts")))
    )
    assert full[0][:2] == ["tracking_code", "received_at"]
    assert full[1][0] == complaint.tracking_code
    # Spreadsheet-safe: a leading "+" gets an apostrophe (a spreadsheet shows it as text).
    assert "'+6281277665544" in full[1] and "rahmat.warga@contoh.id" in full[1]
    reveal = AuditEntry.objects.filter(action="breach.report").order_by("-id").first()
    assert reveal is not None and reveal.data["reveal_contacts"] is True
    assert AuditEntry.objects.filter(action="breach.report").count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "--user, --since/--until or --export"),
        (("--user", "siapa"), "No user 'siapa'"),
        (("--export", "999999"), "No export with audit id 999999"),
        (("--since", "kemarin"), "Not an ISO date"),
        (("--since", "2026-11-05", "--until", "2026-11-01"), "--since is after --until"),
    ],
)
def test_s19_a_wrong_question_is_a_clear_error_and_lists_nothing(ref, args, message):
    """S19: a mistyped user, export id or date is an error, never an empty "nobody affected"
    (and no audit row claims a report was produced)."""
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not AuditEntry.objects.filter(action="breach.report").exists()


def test_masks():
    assert breach.mask_phone("+6281234567890") == "+628*******890"
    assert breach.mask_phone("12345") == "*****"
    assert breach.mask_email("a@b") == "a***@b***"
    assert breach.mask_email("") == "" and breach.mask_text("12345678") == "1***"
