"""S19: list the complainants affected by a user, a time window or an export, for the 3x24-hour
breach notification of UU 27/2022 Art. 46. See aduan/backoffice/breach.py for what counts.

    manage.py breach_report --user budi --since 2026-11-20 --until 2026-11-22
    manage.py breach_report --export 4711 --format csv
    manage.py breach_report --since 2026-11-20T08:00 --until 2026-11-20T17:00 --format json

Times are ISO dates or date-times in Asia/Makassar (WITA) unless they carry an offset; a date
alone in --until means the end of that day. Contacts are masked unless --reveal-contacts. Every
run writes a `breach.report` audit row.
"""

from __future__ import annotations

import csv
import getpass
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from aduan.backoffice.breach import BreachQueryError, BreachReport, breach_report, parse_moment

COLUMNS = (
    "tracking_code",
    "received_at",
    "anonymous",
    "identity_exposed",
    "exposures",
    "phone",
    "email",
    "messenger",
)


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return ""


class Command(BaseCommand):
    help = (
        "S19: list the complaints (tracking code, how exposed, contact channels) affected by a "
        "user, a time window and/or an export, for the breach notification of UU 27/2022 "
        "Art. 46. Audited (breach.report)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", default="", help="username of the account concerned")
        parser.add_argument("--since", default="", help="window start (ISO date/time, WITA)")
        parser.add_argument("--until", default="", help="window end (ISO date/time, WITA)")
        parser.add_argument(
            "--export", type=int, default=None, help="audit id of a complaint.export row"
        )
        parser.add_argument(
            "--format", choices=("table", "csv", "json"), default="table", dest="output_format"
        )
        parser.add_argument(
            "--reveal-contacts",
            action="store_true",
            help="print phone/email/messenger in full (audited) instead of masked",
        )
        parser.add_argument(
            "--operator", default="", help="who runs this (for the audit row; default: OS user)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            since = parse_moment(options["since"]) if options["since"] else None
            until = parse_moment(options["until"], end=True) if options["until"] else None
            report = breach_report(
                username=options["user"],
                since=since,
                until=until,
                export_id=options["export"],
                reveal_contacts=options["reveal_contacts"],
                operator=options["operator"] or _operator(),
                output_format=options["output_format"],
            )
        except BreachQueryError as error:
            raise CommandError(error.message) from None
        {"table": self._table, "csv": self._csv, "json": self._json}[options["output_format"]](
            report
        )

    def _rows(self, report: BreachReport) -> list[dict[str, Any]]:
        return [row.as_row(reveal=report.reveal_contacts) for row in report.affected]

    def _csv(self, report: BreachReport) -> None:
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in self._rows(report):
            row["exposures"] = "; ".join(row["exposures"])
            row["anonymous"] = "yes" if row["anonymous"] else "no"
            writer.writerow([_cell(row[c]) for c in COLUMNS])

    def _json(self, report: BreachReport) -> None:
        payload = {
            "audit_id": report.audit.pk,
            "contacts_revealed": report.reveal_contacts,
            "complaints": self._rows(report),
            "exports": [
                {
                    "audit_id": e.audit_id,
                    "by": e.by,
                    "at": timezone.localtime(e.at).isoformat(),
                    "filter": e.filter,
                    "stored_rows": e.stored_rows,
                    "found_rows": e.found_rows,
                }
                for e in report.exports
            ],
        }
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))

    def _table(self, report: BreachReport) -> None:
        rows = self._rows(report)
        lines = [list(COLUMNS)]
        for row in rows:
            row["exposures"] = ", ".join(row["exposures"])
            row["anonymous"] = "yes" if row["anonymous"] else "no"
            row["received_at"] = row["received_at"][:16].replace("T", " ")
            lines.append([str(row[c]) or "-" for c in COLUMNS])
        widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
        for number, line in enumerate(lines):
            self.stdout.write("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)))
            if number == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        self.stdout.write("")
        self.stdout.write(f"{len(rows)} complaint(s) affected; audit #{report.audit.pk}.")
        for e in report.exports:
            stored = "?" if e.stored_rows is None else str(e.stored_rows)
            note = "" if e.stored_rows == e.found_rows else "  (differs: see the approximation)"
            self.stdout.write(
                f"Export audit #{e.audit_id} by {e.by} at "
                f"{timezone.localtime(e.at):%Y-%m-%d %H:%M %Z} filter {e.filter or '(none)'!r}: "
                f"{stored} rows exported, {e.found_rows} found now.{note}"
            )
        if not report.reveal_contacts:
            self.stdout.write("Contacts masked; --reveal-contacts prints them in full (audited).")


def _cell(value: Any) -> str:
    """No spreadsheet formulas (CSV injection)."""
    from aduan.backoffice.views.queues import spreadsheet_safe

    return spreadsheet_safe(value)
