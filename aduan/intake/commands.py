"""The commands of the short-text channels (SMS 1708, WhatsApp, Telegram), in Bahasa Indonesia.

    LAPOR <isi>              a new report
    CEK <kode>               the public status of a report
    BALAS <kode> <isi>       answer a question / reply to a response (the code may be left out
                             when the sender has one conversation waiting for them)
    PUAS <kode> [1-5]        solved (confirm), with an optional rating
    BELUM <kode> [isi]       not solved yet (follow-up)
    BANTUAN                  help (also INFO, MENU, ?, HELP, /start, /help)
    YA / BATAL               send / drop the message waiting for confirmation

Forgiving: any letter case, spaces or punctuation around the keyword ("cek: btn 7k3r 9ff",
"Lapor, ..."), a Telegram "/cek@bot", and one typo in keywords of four or more letters
("LAPOT", "BALS", "BELOM"). YA and BATAL count only as the whole message, so a report that
happens to start with "Ya, ..." or "Batas desa ..." is not taken for a command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aduan.complaints.codes import find_tracking_code, normalize_tracking_code

LAPOR, CEK, BALAS, PUAS, BELUM, BANTUAN, YA, BATAL = (
    "lapor",
    "cek",
    "balas",
    "puas",
    "belum",
    "bantuan",
    "ya",
    "batal",
)

# Keyword → command; exact spellings and common short forms.
ALIASES: dict[str, str] = {
    "LAPOR": LAPOR,
    "LPR": LAPOR,
    "LAPORAN": LAPOR,
    "ADUAN": LAPOR,
    "ADU": LAPOR,
    "CEK": CEK,
    "CK": CEK,
    "CECK": CEK,
    "CHEK": CEK,
    "CHECK": CEK,
    "STATUS": CEK,
    "BALAS": BALAS,
    "BLS": BALAS,
    "JAWAB": BALAS,
    "PUAS": PUAS,
    "SELESAI": PUAS,
    "BELUM": BELUM,
    "BLM": BELUM,
    "BANTUAN": BANTUAN,
    "BANTU": BANTUAN,
    "HELP": BANTUAN,
    "INFO": BANTUAN,
    "MENU": BANTUAN,
    "START": BANTUAN,
    "?": BANTUAN,
}
# Only the whole message (after trimming punctuation) counts for these.
WHOLE_MESSAGE: dict[str, str] = {
    "YA": YA,
    "IYA": YA,
    "Y": YA,
    "YAA": YA,
    "YES": YA,
    "KIRIM": YA,
    "BATAL": BATAL,
    "TIDAK": BATAL,
    "JANGAN": BATAL,
}
# Keywords matched with one typo (insert, delete, replace or swap of two letters).
FUZZY = ("LAPOR", "BALAS", "PUAS", "BELUM", "BANTUAN")

_KEYWORD_RE = re.compile(r"^\s*[/!#.]?\s*([A-Za-z]+|\?)(?:@\w+)?[\s.,:;!?\-]*", re.UNICODE)
_RATING_RE = re.compile(r"^\s*(?:nilai\s*[:=]?\s*)?([1-5])(?:\s*/\s*5)?(?!\d)\s*[.,;:!]?\s*", re.I)


@dataclass(frozen=True)
class Command:
    name: str  # one of the constants above, or "" for a plain message
    code: str | None = None  # the normalised tracking code found after the keyword
    text: str = ""  # what follows the keyword (and the code)
    rating: int | None = None  # PUAS <kode> 5
    exact: bool = True  # False when the keyword was read through a typo ("BALS", "BATAS")


def osa_distance(a: str, b: str, cap: int = 2) -> int:
    """Edit distance with swaps of neighbours (optimal string alignment), cut off at `cap`."""
    if abs(len(a) - len(b)) >= cap:
        return cap
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return min(previous[-1], cap)


def keyword_command(word: str) -> str:
    """The command a first word means, or ""."""
    word = word.upper()
    if word in ALIASES:
        return ALIASES[word]
    if len(word) >= 4:
        for keyword in FUZZY:
            if osa_distance(word, keyword) <= 1:
                return ALIASES[keyword]
    return ""


_FILLER_RE = re.compile(r"^\s*(?:(?:kode|no|nomor|nomer|aduan|status)\b[\s.:,#]*)*", re.I)
_CODE_AT_START_RE = re.compile(
    r"^((?:[A-Za-z]{2,5}[\s-]?)?[0-9A-Za-z]{4}[\s-]?[0-9A-Za-z]{3})(?![0-9A-Za-z])"
)


def _strip_code(rest: str) -> tuple[str | None, str]:
    """The tracking code at the start of `rest` (after filler words like "kode") and the text
    after it. A code further inside the text is found too; the text is then kept whole."""
    head = rest[_FILLER_RE.match(rest).end() :]  # type: ignore[union-attr]
    at_start = _CODE_AT_START_RE.match(head)
    if at_start:
        code = normalize_tracking_code(at_start.group(1))
        if code is not None:
            return code, head[at_start.end() :].lstrip(" .,:;-\n")
    return find_tracking_code(rest), rest.strip()


def parse_command(text: str) -> Command:
    """What a short-text message asks for. A message that is not a command is Command("")."""
    stripped = (text or "").strip()
    whole = re.sub(r"[\s.,!?:;/\-]+", "", stripped).upper()
    if whole in WHOLE_MESSAGE:
        return Command(WHOLE_MESSAGE[whole])
    if whole in ("?", "") and stripped.startswith("?"):
        return Command(BANTUAN)
    match = _KEYWORD_RE.match(stripped)
    if match is None:
        return Command("")
    word = match.group(1).upper()
    name = keyword_command(word)
    if not name:
        return Command("")
    exact = word in ALIASES
    rest = stripped[match.end() :]
    if name == LAPOR:
        return Command(LAPOR, text=rest.strip(), exact=exact)
    if name == BANTUAN:
        # "info jalan rusak di ..." is a report, not a request for help.
        return Command(BANTUAN) if len(rest.split()) <= 2 else Command("")
    code, tail = _strip_code(rest)
    rating = None
    if name == PUAS:
        rated = _RATING_RE.match(tail)
        if rated:
            rating = int(rated.group(1))
            tail = tail[rated.end() :]
    return Command(name, code=code, text=tail.strip(), rating=rating, exact=exact)
