"""`manage.py load_demo`: the Buton demo accounts and complaints (demo mode only)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aduan.accounts.roles import Role
from aduan.agencies.models import Agency

from ...demo import (
    DEFAULT_COMPLAINTS,
    DEFAULT_SEED,
    DEMO_PASSWORD,
    DemoModeRequired,
    DemoReport,
    ReferenceDataMissing,
    load_demo,
)


class Command(BaseCommand):
    help = (
        "Create the demo accounts (password 'demo') and three months of Buton complaints "
        "replayed through the workflow. Refused unless ADUAN_DEMO is set."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--complaints",
            type=int,
            default=DEFAULT_COMPLAINTS,
            help=f"How many complaints to generate in an empty database (default {DEFAULT_COMPLAINTS}).",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed (same seed, same data)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["complaints"] < 0:
            raise CommandError("--complaints must be 0 or more.")
        try:
            report = load_demo(complaints=options["complaints"], seed=options["seed"])
        except (DemoModeRequired, ReferenceDataMissing) as exc:
            raise CommandError(str(exc)) from exc
        self._summary(report)
        self._logins()

    def _summary(self, report: DemoReport) -> None:
        out = self.stdout
        out.write(
            f"Demo accounts: {report.accounts_created} created, {report.accounts_kept} already there."
        )
        if report.replay is None:
            if report.complaints_before:
                out.write(
                    f"Demo complaints not generated: the database already has "
                    f"{report.complaints_before} complaints."
                )
        else:
            replay = report.replay
            states = ", ".join(f"{state} {n}" for state, n in report.by_state.items())
            out.write(
                self.style.SUCCESS(
                    f"Demo complaints: {replay.complaints} replayed through the workflow "
                    f"({replay.steps} steps, {replay.sweep_runs} sweep runs) in "
                    f"{report.seconds:.1f} s — {states}."
                )
            )
            out.write(
                f"Outbox: {report.outbox_cancelled} historical messages cancelled "
                f"('demo history'), {report.outbox_kept} from the last hour left to send."
            )
            out.write(f"Public portal: {report.published} reports approved for publication.")

    def _logins(self) -> None:
        agencies = Agency.objects.count()
        rows = [
            ("admin", f"{Role.ADMIN.label} — Diskominfo; also Django admin (/admin/)"),
            ("ketua", str(Role.CHAIR.label)),
            ("anggota", str(Role.MEMBER.label)),
            ("bupati", str(Role.REGENT.label)),
            ("pembina", str(Role.PATRON.label)),
            (
                "penghubung.<kode>",
                f"{Role.LIAISON.label} — {agencies} agencies, e.g. penghubung.dpupr",
            ),
            ("pimpinan.<kode>", f"{Role.AGENCY_HEAD.label} — e.g. pimpinan.dinkes"),
        ]
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}; demo mode only):")
        for username, role in rows:
            self.stdout.write(f"  {username:<20} {role}")
        self.stdout.write("  Agency codes: data/buton/opd_buton.csv")
