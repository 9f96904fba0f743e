"""GSM-7: the SMS alphabet that keeps a message at 160 characters per segment.

One character outside GSM 03.38 (a curly quote, an em dash, an emoji) makes the whole SMS
UCS-2, with 70 characters per segment. `gsm7_fit` replaces such characters by their plain
equivalents (or drops them); `gsm7_length` counts septets, the extension characters
(^ { } \\ [ ] ~ | and the euro sign) counting two.
"""

from __future__ import annotations

import unicodedata

SEGMENT = 160
# GSM 03.38 basic character set (the ESC position excluded).
BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = frozenset("^{}\\[]~|€\f")
_REPLACEMENTS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\t": " ",
    "\u2022": "-",
    "\u00b7": ".",
    "\u2192": "->",
    "\u00d7": "x",
}


def is_gsm7(text: str) -> bool:
    return all(ch in BASIC or ch in EXTENSION for ch in text)


def gsm7_length(text: str) -> int | None:
    """Septets `text` takes in GSM-7, or None when it cannot be sent in GSM-7 at all."""
    total = 0
    for ch in text:
        if ch in BASIC:
            total += 1
        elif ch in EXTENSION:
            total += 2
        else:
            return None
    return total


def _plain(ch: str) -> str:
    if ch in BASIC or ch in EXTENSION:
        return ch
    if ch in _REPLACEMENTS:
        return _REPLACEMENTS[ch]
    decomposed = unicodedata.normalize("NFKD", ch)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    if stripped and all(c in BASIC or c in EXTENSION for c in stripped):
        return stripped
    if unicodedata.category(ch).startswith("Z"):
        return " "
    return ""  # emoji, symbols, other scripts: nothing GSM-7 can say


def gsm7_fit(text: str, limit: int | None = None) -> str:
    """`text` in plain GSM-7: typographic characters replaced, the rest dropped, runs of spaces
    collapsed. With `limit`, cut to at most that many septets (ending in "...")."""
    plain = "".join(_plain(ch) for ch in text)
    plain = "\n".join(" ".join(line.split()) for line in plain.split("\n")).strip()
    if limit is not None and (gsm7_length(plain) or 0) > limit:
        cut = plain[:limit]
        while cut and (gsm7_length(cut) or 0) > limit - 3:
            cut = cut[:-1]
        plain = cut.rstrip() + "..."
    return plain


def gsm7_prefer(text: str) -> str:
    """`text` made GSM-7 when that loses no letter (curly quotes, dashes, emoji go); kept as
    it is when it has letters GSM-7 cannot write (Arabic, Chinese...): UCS-2 only if needed."""
    if is_gsm7(text):
        return text
    for ch in text:
        if ch in BASIC or ch in EXTENSION or ch in _REPLACEMENTS:
            continue
        if unicodedata.category(ch).startswith("L") and not _plain(ch):
            return text
    return gsm7_fit(text)
