"""Reads for moderation of the public portal (Pasal 4(3), R8): which reports wait for approval,
which are published, and what the automatic masking changed. Writes are
`aduan.complaints.publication.complaint_publish` / `complaint_unpublish`."""

from __future__ import annotations

from dataclasses import dataclass

from aduan.complaints.models import Complaint
from aduan.complaints.models.complaint import ComplaintQuerySet
from aduan.complaints.workflow.states import Status
from aduan.core.pii import EMAIL_RE, NIK_RE, PHONE_RE

MASK = "[…]"
# Not yet verified by the Dinas: not shown for moderation (the Dinas reads them first).
UNVERIFIED = (Status.RECEIVED, Status.PENDING, Status.RETURNED)


def complaint_list_moderation(*, published: bool) -> ComplaintQuerySet:
    """Public (not confidential, not archived) verified reports, waiting for approval
    (`published=False`, oldest first) or on the portal (`published=True`, newest first)."""
    queryset = (
        Complaint.objects.public()
        .exclude(status__in=UNVERIFIED)
        .filter(published=published)
        .select_related("category", "lead_agency", "region")
    )
    if published:
        return queryset.order_by("-published_at", "-pk")
    return queryset.order_by("received_at", "pk")


def complaint_get_for_moderation(pk: int) -> Complaint | None:
    """A report that may be moderated (public, not archived, verified), else None."""
    return (
        Complaint.objects.public()
        .exclude(status__in=UNVERIFIED)
        .select_related("category", "lead_agency", "region")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class Masked:
    """What the automatic masking removed from a text."""

    emails: int
    niks: int
    phones: int

    @property
    def total(self) -> int:
        return self.emails + self.niks + self.phones


def masked_counts(text: str) -> Masked:
    """How many emails, NIKs and phone numbers `mask_pii` replaces in `text` (same order)."""
    emails = len(EMAIL_RE.findall(text))
    text = EMAIL_RE.sub(MASK, text)
    niks = len(NIK_RE.findall(text))
    text = NIK_RE.sub(MASK, text)
    return Masked(emails=emails, niks=niks, phones=len(PHONE_RE.findall(text)))


def masked_segments(text: str) -> list[tuple[str, bool]]:
    """`text` (already masked) cut into (piece, is_mask) to highlight every `[…]`."""
    pieces: list[tuple[str, bool]] = []
    for index, part in enumerate(text.split(MASK)):
        if index:
            pieces.append((MASK, True))
        if part:
            pieces.append((part, False))
    return pieces
