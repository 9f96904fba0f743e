"""Suggest a category from what the citizen wrote: keyword overlap, no external service.

A pure function over plain data (`CategoryText`), so it is tested without a database. Words are
lower-cased, split on anything that is not a letter or digit, Indonesian (and a few English)
stop words are dropped, and two words match when they are equal or one is a prefix of the other
of at least five letters ("jalan"/"jalanan", "sampah"/"persampahan" do not; "rusak"/"rusaknya" do).
A category's name weighs most, then its topic, then its parent's name, then its routing notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Indonesian function words, pronouns, common verbs of reporting, and the routing notes' jargon.
STOP_WORDS = frozenset(
    str.split(
        """
    ada adalah agar akan aku anda apa apakah atas atau bagaimana bagi bahwa banyak baru belum
    beberapa begitu bila bisa boleh buat bukan cukup dalam dan dapat dari daripada demi dengan
    di dia ini itu ia ialah jadi jika juga kami kamu kalau kapan karena ke kecuali kemudian
    kenapa kepada ketika kita lagi lain lalu maka mana masih mau melalui mereka meski mohon
    namun nya oleh pada para pak bu ibu bapak per pula saat saja saya se sebagai sebelum
    sedang sejak sekali sekitar selalu semua sendiri seperti serta setelah sini situ sudah
    supaya tanpa tapi telah tentang tersebut tidak untuk walau yaitu yakni yang sangat sering
    tolong segera mohon terima kasih hari tahun bulan minggu kali sampai hingga pun
    lapor laporan melapor aduan mengadu pengaduan keluhan warga masyarakat kami mohon
    teruskan kewenangan lihat catatan transkripsi mis umumnya termasuk cek ada
    the a an and or of to in on at for is are was were be this that with my our
    """
    )
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MIN_PREFIX = 5

WEIGHT_NAME = 3.0
WEIGHT_TOPIC = 2.0
WEIGHT_PARENT = 1.0
WEIGHT_NOTES = 0.5


@dataclass(frozen=True)
class CategoryText:
    """What the suggestion reads of one category."""

    pk: int
    name: str
    topic: str = ""
    parent_name: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Suggestion:
    pk: int
    name: str
    parent_name: str
    score: float


def keywords(text: str) -> set[str]:
    """The meaningful words of `text`: lower-case, no stop words, no one- or two-letter words,
    no numbers."""
    return {
        word
        for word in _WORD.findall((text or "").lower())
        if len(word) > 2 and not word.isdigit() and word not in STOP_WORDS
    }


def _matches(word: str, vocabulary: set[str]) -> bool:
    if word in vocabulary:
        return True
    if len(word) < MIN_PREFIX:
        return False
    return any(
        len(other) >= MIN_PREFIX and (other.startswith(word) or word.startswith(other))
        for other in vocabulary
    )


def score(words: set[str], category: CategoryText) -> float:
    """How well `words` (already `keywords()`) fit `category`; 0 when nothing overlaps."""
    total = 0.0
    for part, weight in (
        (category.name, WEIGHT_NAME),
        (category.topic, WEIGHT_TOPIC),
        (category.parent_name, WEIGHT_PARENT),
        (category.notes, WEIGHT_NOTES),
    ):
        vocabulary = keywords(part)
        if vocabulary:
            total += weight * sum(1 for word in words if _matches(word, vocabulary))
    return total


def suggest_categories(
    text: str, categories: Iterable[CategoryText], *, limit: int = 3
) -> list[Suggestion]:
    """The best-fitting categories for `text`, best first (ties: the more specific, i.e. the
    one with a parent, then the lower pk). Empty when no keyword overlaps."""
    words = keywords(text[:20_000])
    if not words:
        return []
    scored = [
        Suggestion(c.pk, c.name, c.parent_name, s) for c in categories if (s := score(words, c)) > 0
    ]
    scored.sort(key=lambda s: (-s.score, not s.parent_name, s.pk))
    return scored[:limit]
