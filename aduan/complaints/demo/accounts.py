"""The demo accounts of DESIGN.md (password `demo`), for demo mode only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.agencies.models import Agency

# The documented demo password; load_demo refuses to run outside demo mode.
DEMO_PASSWORD = "demo"  # noqa: S105  # nosec B105
EMAIL_DOMAIN = "demo.aduan.local"


@dataclass(frozen=True)
class AccountSpec:
    username: str
    role: Role
    agency_code: str | None
    first_name: str
    last_name: str
    superuser: bool = False

    @property
    def email(self) -> str:
        return f"{self.username}@{EMAIL_DOMAIN}"


def demo_account_specs(agencies: list[Agency], coordinator: Agency) -> list[AccountSpec]:
    """admin, ketua, anggota, bupati, pembina, and per agency penghubung.<code> and
    pimpinan.<code> (R11: the roles of Pasal 7)."""
    specs = [
        AccountSpec("admin", Role.ADMIN, coordinator.code, "Admin", "Diskominfo", superuser=True),
        AccountSpec("ketua", Role.CHAIR, None, "Ketua", "Tim Koordinasi LAPOR!"),
        AccountSpec("anggota", Role.MEMBER, None, "Anggota", "Tim Koordinasi LAPOR!"),
        AccountSpec("bupati", Role.REGENT, None, "Bupati", "Buton"),
        AccountSpec("pembina", Role.PATRON, None, "Pembina", "Tim Koordinasi LAPOR!"),
    ]
    for agency in agencies:
        label = (agency.short_name or agency.name)[:120]
        specs.append(
            AccountSpec(f"penghubung.{agency.code}", Role.LIAISON, agency.code, "Penghubung", label)
        )
        specs.append(
            AccountSpec(f"pimpinan.{agency.code}", Role.AGENCY_HEAD, agency.code, "Pimpinan", label)
        )
    return specs


@transaction.atomic
def ensure_demo_accounts() -> tuple[int, int]:
    """Create the demo accounts that are missing; returns (created, already there).

    Existing accounts are left alone when they already match (so a second run changes
    nothing, not even the password hash) and corrected when their role or agency drifted.
    All new accounts share one password hash: hashing `demo` a hundred times with the
    production hasher would take half a minute for nothing.
    """
    agencies = list(Agency.objects.order_by("code"))
    coordinator = Agency.coordinator()
    if coordinator is None:
        raise LookupError("no coordinating agency: load the reference data first")
    by_code = {agency.code: agency for agency in agencies}
    existing = {user.username: user for user in User.objects.filter(username__in=_names(agencies))}
    password_hash = ""  # nosec B105
    created = kept = 0
    for spec in demo_account_specs(agencies, coordinator):
        agency = by_code[spec.agency_code] if spec.agency_code else None
        wanted = {
            "role": spec.role.value,
            "agency_id": agency.pk if agency else None,
            "email": spec.email,
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "is_active": True,
            "is_staff": spec.superuser,
            "is_superuser": spec.superuser,
        }
        user = existing.get(spec.username)
        if user is None:
            user = User(username=spec.username, **wanted)
            if not password_hash:
                user.set_password(DEMO_PASSWORD)
                password_hash = user.password
            else:
                user.password = password_hash
            user.save()
            created += 1
            continue
        changed = [name for name, value in wanted.items() if getattr(user, name) != value]
        if changed:
            for name in changed:
                setattr(user, name, wanted[name])
            user.save(update_fields=changed)
        kept += 1
    return created, kept


def _names(agencies: list[Agency]) -> list[str]:
    names = ["admin", "ketua", "anggota", "bupati", "pembina"]
    for agency in agencies:
        names += [f"penghubung.{agency.code}", f"pimpinan.{agency.code}"]
    return names
