"""Possible duplicates of a complaint, for the complaint page (read only).

Candidates are complaints the user may see (S3), received within 90 days of this one, that
share its category or area (desa), or — for admins only — the complainant's contact (keyed
phone/email hash; agency staff never learn that two anonymous reports come from one person,
S1). Each is scored on text similarity: PostgreSQL's trigram `similarity()` when the pg_trgm
extension is installed, else a token-overlap (Jaccard) score computed here over at most
`CANDIDATE_LIMIT` recent candidates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from aduan.accounts.access import complaints_visible_to
from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.complaints.models import Complaint

WINDOW = dt.timedelta(days=90)
CANDIDATE_LIMIT = 200
TEXT_THRESHOLD = 0.3
AREA_TEXT_THRESHOLD = 0.15
SHOWN = 5
_WORD = re.compile(r"\w+", re.UNICODE)
# Frequent Indonesian and English words that say nothing about the matter.
STOPWORDS = frozenset(
    [
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "ini",
        "itu",
        "dengan",
        "untuk",
        "pada",
        "tidak",
        "ada",
        "sudah",
        "belum",
        "akan",
        "juga",
        "karena",
        "saya",
        "kami",
        "kita",
        "mereka",
        "sangat",
        "mohon",
        "tolong",
        "agar",
        "bisa",
        "dalam",
        "atas",
        "oleh",
        "sebagai",
        "para",
        "the",
        "and",
        "for",
        "with",
        "this",
        "that",
        "are",
        "was",
        "not",
        "have",
        "has",
        "from",
    ]
)


@dataclass(frozen=True)
class DuplicateCandidate:
    complaint: Complaint
    score: float
    same_contact: bool
    same_area: bool
    same_category: bool

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def tokens(text: str) -> set[str]:
    return {
        word
        for word in (w.lower() for w in _WORD.findall(text or ""))
        if len(word) >= 3 and word not in STOPWORDS and not word.isdigit()
    }


def token_similarity(a: str, b: str) -> float:
    """Jaccard overlap of the meaningful words of two texts (0..1)."""
    left, right = tokens(a), tokens(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def has_trigram() -> bool:
    """Whether PostgreSQL's pg_trgm extension is installed in this database."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = %s", ["pg_trgm"])
        return cursor.fetchone() is not None


def _text(complaint: Complaint) -> str:
    return f"{complaint.title} {complaint.body}"


def duplicate_candidates(
    *, complaint: Complaint, user: User, limit: int = SHOWN
) -> list[DuplicateCandidate]:
    """Up to `limit` complaints that may repeat `complaint`, best first."""
    start, end = complaint.received_at - WINDOW, complaint.received_at + WINDOW
    match = Q()
    if complaint.category_id:
        match |= Q(category_id=complaint.category_id)
    if complaint.region_id:
        match |= Q(region_id=complaint.region_id)
    contact: dict[str, str] = {}
    complainant = getattr(complaint, "complainant", None)
    if user.role == Role.ADMIN and complainant is not None:
        for column in ("phone_hash", "email_hash"):
            value = getattr(complainant, column)
            if value:
                contact[column] = value
                match |= Q(**{f"complainant__{column}": value})
    if not match:
        return []
    queryset = (
        complaints_visible_to(user)
        .filter(match, received_at__gte=start, received_at__lte=end)
        .exclude(pk=complaint.pk)
        .select_related("complainant", "category", "region", "lead_agency")
        .order_by("-received_at")
    )
    use_trigram = has_trigram()
    if use_trigram:
        from django.contrib.postgres.search import TrigramSimilarity

        queryset = queryset.annotate(text_score=TrigramSimilarity("body", complaint.body)).order_by(
            "-text_score", "-received_at"
        )
    found = []
    for other in queryset[:CANDIDATE_LIMIT]:
        score = (
            float(other.text_score)  # type: ignore[attr-defined]
            if use_trigram
            else token_similarity(_text(complaint), _text(other))
        )
        other_person = getattr(other, "complainant", None)
        same_contact = bool(
            contact
            and other_person is not None
            and any(getattr(other_person, col) == value for col, value in contact.items())
        )
        same_area = bool(complaint.region_id and other.region_id == complaint.region_id)
        same_category = bool(complaint.category_id and other.category_id == complaint.category_id)
        if same_contact or score >= TEXT_THRESHOLD or (same_area and score >= AREA_TEXT_THRESHOLD):
            found.append(DuplicateCandidate(other, score, same_contact, same_area, same_category))
    found.sort(key=lambda c: (c.same_contact, c.score), reverse=True)
    return found[:limit]
