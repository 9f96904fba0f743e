"""R4 / R21: the procedure and progress are shown in plain Bahasa Indonesia.

Pasal 3(2)b and 5(2) ask for the procedure in plain language on every channel (R4); Pasal 9(1)d
asks for progress to be explained transparently to the complainant (R21). The interface is
Indonesian first (LANGUAGE_CODE = "id") with English msgids, so an untranslated, fuzzy or broken
entry in locale/id shows English — or crashes a %-format — on a citizen's screen or phone.

These tests read the catalog itself (no database): a small .po parser, then checks that every
entry is translated, none is fuzzy, placeholders and line breaks survive, the compiled .mo says
exactly what the .po says, and the regulation's state labels come out as the glossary wants
(docs/glossary.md).
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from aduan.complaints.models.complaint import Channel
from aduan.complaints.workflow.states import Status
from aduan.notifications.messages import MESSAGES

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
ID_PO = LOCALE_DIR / "id" / "LC_MESSAGES" / "django.po"
ID_MO = LOCALE_DIR / "id" / "LC_MESSAGES" / "django.mo"
EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"

NAMED_PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
POSITIONAL_PLACEHOLDER = re.compile(r"%(?!\()[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


# --- a small .po parser -----------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # msgstr is index 0
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def sources(self) -> list[str]:
        """The English source strings: msgid, and msgid_plural when present."""
        return [self.msgid] + ([self.msgid_plural] if self.msgid_plural is not None else [])

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid[:60]!r}"


def _unquote(text: str, line_no: int) -> str:
    text = text.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"line {line_no}: expected a quoted string, got {text!r}")
    out, body, i = [], text[1:-1], 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            out.append(ESCAPES[body[i + 1]])
            i += 2
        elif char == '"':
            raise ValueError(f"line {line_no}: unescaped quote in {text!r}")
        else:
            out.append(char)
            i += 1
    return "".join(out)


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr / msgstr[n], flags, continuation
    lines. Obsolete entries (#~) are left out: they are not compiled."""
    entries: list[Entry] = []
    entry: Entry | None = None
    # The field a continuation line ("...") appends to: ("msgid"|"msgctxt"|"msgid_plural"|n).
    target: str | int | None = None
    keyword = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")

    def start_if_needed(line_no: int, kw: str) -> Entry:
        nonlocal entry
        # A new entry starts at msgctxt, or at msgid unless msgctxt has just opened one.
        if entry is None or (kw == "msgctxt") or (kw == "msgid" and entry.msgstr):
            entry = Entry(line=line_no)
            entries.append(entry)
        return entry

    pending_flags: set[str] = set()
    pending_refs: list[str] = []
    for line_no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            target = None
            continue
        if line.startswith("#~"):
            target = None
            continue
        if line.startswith("#,"):
            pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#:"):
            pending_refs += line[2:].split()
            continue
        if line.startswith("#"):
            continue
        match = keyword.match(line)
        if match:
            kw, index, quoted = match.groups()
            value = _unquote(quoted, line_no)
            if kw in ("msgctxt", "msgid"):
                current = start_if_needed(line_no, kw)
                if pending_flags or pending_refs:
                    current.flags |= pending_flags
                    current.references += pending_refs
                    pending_flags, pending_refs = set(), []
                setattr(current, kw, value)
                target = kw
            else:
                assert entry is not None, f"line {line_no}: {kw} before msgid"
                if kw == "msgid_plural":
                    entry.msgid_plural = value
                    target = kw
                else:
                    target = int(index) if index is not None else 0
                    entry.msgstr[target] = value
            continue
        if line.startswith('"'):
            assert entry is not None and target is not None, f"line {line_no}: stray string"
            value = _unquote(line, line_no)
            if isinstance(target, int):
                entry.msgstr[target] += value
            else:
                setattr(entry, target, (getattr(entry, target) or "") + value)
            continue
        raise ValueError(f"{path}:{line_no}: cannot parse {raw!r}")
    return entries


def _placeholders(text: str) -> set[str]:
    return set(NAMED_PLACEHOLDER.findall(text.replace("%%", "")))


def _positional(text: str) -> list[str]:
    return POSITIONAL_PLACEHOLDER.findall(text.replace("%%", ""))


@pytest.fixture(scope="module")
def catalog() -> list[Entry]:
    return parse_po(ID_PO)


@pytest.fixture(scope="module")
def messages(catalog: list[Entry]) -> list[Entry]:
    return [entry for entry in catalog if not entry.is_header]


# --- the parser itself ------------------------------------------------------------------------


def test_parser_reads_continuations_context_and_plurals(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: id\\n"\n\n'
        "#: a.py:1\n#, python-format\n"
        'msgid ""\n"Hello %(name)s,\\n"\n"welcome \\"home\\"."\n'
        'msgstr ""\n"Halo %(name)s,\\n"\n"selamat datang."\n\n'
        'msgctxt "month"\nmsgid "May"\nmsgstr "Mei"\n\n'
        'msgid "%(n)s day"\nmsgid_plural "%(n)s days"\nmsgstr[0] "%(n)s hari"\n\n'
        '#~ msgid "old"\n#~ msgstr "lama"\n',
        encoding="utf-8",
    )
    header, hello, may, days = parse_po(po)
    assert header.is_header and header.msgstr[0] == "Language: id\n"
    assert hello.msgid == 'Hello %(name)s,\nwelcome "home".'
    assert hello.msgstr == {0: "Halo %(name)s,\nselamat datang."}
    assert hello.flags == {"python-format"} and hello.references == ["a.py:1"]
    assert (may.msgctxt, may.msgid, may.msgstr[0]) == ("month", "May", "Mei")
    assert days.msgid_plural == "%(n)s days" and days.msgstr == {0: "%(n)s hari"}


# --- the Indonesian catalog -------------------------------------------------------------------


def test_catalog_has_the_strings_of_the_code(messages):
    """R4: the catalog is not empty and holds the state labels the public tracking page shows."""
    msgids = {entry.msgid for entry in messages}
    assert len(messages) > 100
    with translation.override(None):  # no catalog: the lazy labels give their msgids
        assert {str(label) for label in Status.labels} <= msgids


def test_every_entry_is_translated(messages):
    """R4 / R21: no English leaks onto an Indonesian screen."""
    untranslated = [
        str(entry) for entry in messages if not entry.msgstr or not all(entry.msgstr.values())
    ]
    assert untranslated == []


def test_no_entry_is_fuzzy(catalog):
    """Fuzzy entries are skipped by msgfmt, so they would show English."""
    assert [str(entry) for entry in catalog if "fuzzy" in entry.flags] == []


def test_header_declares_indonesian_utf8(catalog):
    header = next(entry for entry in catalog if entry.is_header)
    assert "Language: id\n" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]


def test_placeholders_are_kept(messages):
    """Every %(name)s of the English is in the translation and no other: a missing or misspelt
    one would raise KeyError when a notification is formatted."""
    broken = []
    for entry in messages:
        expected = _placeholders(entry.msgid)
        for source in entry.sources[1:]:
            expected |= _placeholders(source)
        for index, text in entry.msgstr.items():
            if _placeholders(text) != expected:
                broken.append(f"{entry} [{index}]: {_placeholders(text)} != {expected}")
            if "python-format" in entry.flags and sorted(_positional(text)) != sorted(
                _positional(entry.msgid)
            ):
                broken.append(f"{entry} [{index}]: positional placeholders differ")
    assert broken == []


def test_line_breaks_are_kept(messages):
    """Notification bodies put the private link on its own line; the translation keeps the
    line breaks of the English."""
    broken = [
        str(entry)
        for entry in messages
        for text in entry.msgstr.values()
        if text.count("\n") != entry.msgid.count("\n")
        or text.endswith("\n") != entry.msgid.endswith("\n")
    ]
    assert broken == []


def test_compiled_catalog_matches_the_po(messages):
    """The .mo that Django loads says exactly what the .po says (run compilemessages after
    editing the .po)."""
    assert ID_MO.exists(), "run: manage.py compilemessages"
    with ID_MO.open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    stale = []
    for entry in messages:
        if entry.msgid_plural is not None:
            # Indonesian has one plural form (nplurals=1): every n gives msgstr[0].
            got = (
                mo.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
                if entry.msgctxt is not None
                else mo.ngettext(entry.msgid, entry.msgid_plural, 1)
            )
        elif entry.msgctxt is not None:
            got = mo.pgettext(entry.msgctxt, entry.msgid)
        else:
            got = mo.gettext(entry.msgid)
        if got != entry.msgstr[0]:
            stale.append(str(entry))
    assert stale == []


# --- what the citizen sees --------------------------------------------------------------------

STATE_LABELS = {
    Status.RECEIVED: "Diterima",
    Status.PENDING: "Menunggu konfirmasi",
    Status.DISPATCHED: "Terdisposisi",
    Status.IN_PROGRESS: "Ditindaklanjuti",
    Status.RETURNED: "Dikembalikan",
    Status.RESPONDED: "Ditanggapi",
    Status.CLOSED: "Selesai",
    Status.ARCHIVED: "Diarsipkan",
}

CHANNEL_LABELS = {
    Channel.WEB: "Situs web",
    Channel.APP: "Aplikasi Android/iOS",
    Channel.SMS: "SMS 1708",
    Channel.EMAIL: "Surel (email)",
    Channel.WHATSAPP: "WhatsApp",
    Channel.TELEGRAM: "Telegram",
    Channel.SOCIAL_MEDIA: "Media sosial",
    Channel.CALL_CENTER: "Call center",
    Channel.COMPLAINT_BOX: "Kotak pengaduan",
    Channel.WALK_IN: "Datang langsung",
    Channel.NATIONAL_LAPOR: "LAPOR!-SP4N nasional",
}


def test_state_labels_in_indonesian():
    """R21: progress is shown with the glossary's words (docs/glossary.md)."""
    with translation.override("id"):
        assert str(Status.RECEIVED.label) == "Diterima"
        assert str(Status.IN_PROGRESS.label) == "Ditindaklanjuti"
        assert {state: str(state.label) for state in Status} == STATE_LABELS


def test_state_labels_in_english():
    with translation.override("en"):
        assert str(Status.RECEIVED.label) == "Received"
        assert str(Status.IN_PROGRESS.label) == "Being followed up"


def test_channel_labels_in_indonesian():
    """R9 / R10: every channel is named in Indonesian."""
    with translation.override("id"):
        assert {channel: str(channel.label) for channel in Channel} == CHANNEL_LABELS


GSM7_SAFE = re.compile(r"^[A-Za-z0-9 \n\r@$_!\"#%&'()*+,\-./:;<=>?]*$")


@pytest.mark.parametrize("language", ["id", "en"])
def test_sms_texts_are_plain_gsm7(language):
    """R9 / R10: SMS 1708 texts stay plain GSM-7 (no curly quotes, dashes or accents) so one
    message is one 160-character segment."""
    with translation.override(language):
        texts = {name: str(text.sms) for name, text in MESSAGES.items()}
    assert {name: sms for name, sms in texts.items() if not GSM7_SAFE.match(sms)} == {}


def test_indonesian_sms_msgids_have_an_english_translation():
    """The SMS msgids are written in Indonesian; the English catalog translates them."""
    with translation.override(None):
        sms_msgids = {str(text.sms) for text in MESSAGES.values()}
    english = {entry.msgid: entry.msgstr.get(0, "") for entry in parse_po(EN_PO)}
    missing = sorted(msgid for msgid in sms_msgids if not english.get(msgid))
    assert missing == []
