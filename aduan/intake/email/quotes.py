"""What the citizen wrote, without the mail they quoted or their signature.

Cut at the first reply header (Gmail's "On ... wrote:" / "Pada ... menulis:", Outlook's
"-----Original Message-----" / "-----Pesan Asli-----" or a "From:/Dari:" block followed by
"Sent:/Dikirim:/Date:/Tanggal:"), at the "-- " signature separator or a phone's
"Sent from my ..." / "Dikirim dari ..." line; lines quoted with ">" are dropped. When
stripping would leave nothing, the text is kept as it was (nothing the citizen sent is lost).
"""

from __future__ import annotations

import re

_WROTE = re.compile(
    r"^\s*(on\b.{0,300}\bwrote|pada\b.{0,300}\bmenulis|le\b.{0,300}\ba écrit|am\b.{0,300}\bschrieb)"
    r"\s*:\s*$",
    re.IGNORECASE,
)
_ORIGINAL = re.compile(
    r"^\s*-{2,}\s*(original message|pesan asli|pesan awal|pesan yang diteruskan|forwarded message)"
    r"\s*-{2,}\s*$",
    re.IGNORECASE,
)
_FROM = re.compile(r"^\s*\*?(from|dari)\s*:\*?\s+\S", re.IGNORECASE)
_SENT = re.compile(r"^\s*\*?(sent|dikirim|date|tanggal|to|kepada)\s*:\*?\s", re.IGNORECASE)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_SIGNATURE = re.compile(r"^-- ?$")
_MOBILE = re.compile(
    r"^\s*(sent from my\b|sent from (yahoo|outlook|mail) |get outlook for\b|dikirim dari\b"
    r"|dapatkan outlook untuk\b)",
    re.IGNORECASE,
)


def _reply_header_at(lines: list[str], index: int) -> bool:
    line = lines[index]
    if _ORIGINAL.match(line) or _WROTE.match(line):
        return True
    # Gmail wraps a long attribution line: "On Mon, 1 Jan 2024 at 10:00, Name <a@b.c>\nwrote:"
    if index + 1 < len(lines) and _WROTE.match(f"{line} {lines[index + 1]}"):
        return True
    if index + 2 < len(lines) and _WROTE.match(f"{line} {lines[index + 1]} {lines[index + 2]}"):
        return line.strip().lower().startswith(("on ", "pada "))
    if _FROM.match(line):
        following = [candidate for candidate in lines[index + 1 : index + 4] if candidate.strip()]
        return any(_SENT.match(candidate) for candidate in following)
    if _UNDERSCORES.match(line):
        following = [candidate for candidate in lines[index + 1 : index + 3] if candidate.strip()]
        return bool(following) and bool(_FROM.match(following[0]))
    return False


def strip_quotes(text: str) -> str:
    """The new part of a reply: quoted mail, reply headers and signatures removed."""
    original = text.strip()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if _reply_header_at(lines, index) or _SIGNATURE.match(line):
            break
        # "Dikirim dari iPhone saya": a short line of its own, not a sentence that starts so.
        if _MOBILE.match(line) and len(line.strip()) <= 60:
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    result = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return result or original
