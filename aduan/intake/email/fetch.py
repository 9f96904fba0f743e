"""Reading the complaint mailbox by IMAP (imap-tools over imaplib).

One run (`email_fetch`):

1. Select the folder; if its UIDVALIDITY changed, start again from UID 1 (the unique
   Message-ID of each stored mail stops duplicates, S16).
2. List the UIDs after the last one stored, at most `ADUAN_IMAP_BATCH`, and their sizes.
3. For each mail: download it (`BODY.PEEK[]`, which does not mark it read; a mail larger than
   `ADUAN_EMAIL_MAX_MESSAGE_BYTES` only its header and the first `ADUAN_EMAIL_PARTIAL_BYTES`
   of its body), parse it, and in ONE transaction store the `InboundRecord` (IGNORED for
   auto-replies, bounces and list mail: never answered, S17) and advance the remembered UID.
4. Only after those transactions commit are the mails flagged \\Seen (or moved to
   `ADUAN_IMAP_PROCESSED_FOLDER`), in one command per run. A crash before a commit leaves the
   UID where it was: the mail is fetched again next run and stored once (the unique id);
   nothing is lost and nothing is stored twice. A mail that cannot be parsed at all is kept
   FAILED, with its raw text, for an admin to look at; it never blocks the mails after it.
5. The stored records are processed (a complaint created or a reply threaded) after the mailbox
   is closed; a crash there leaves RECEIVED records for the periodic sweep.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessageFlags
from imap_tools.mailbox import BaseMailBox

from aduan.core import clock

from ..inbound import inbound_ignore, inbound_process, inbound_store
from ..models import InboundRecord
from ..types import InboundMessage
from .models import MailboxState
from .parse import CHANNEL, TEXT_MAX, parse_mail

logger = logging.getLogger(__name__)

_SIZE = re.compile(rb"UID (\d+) RFC822\.SIZE (\d+)|RFC822\.SIZE (\d+) UID (\d+)")


class ImapNotConfigured(Exception):
    pass


@dataclass
class FetchReport:
    fetched: int = 0  # mails downloaded
    stored: int = 0  # new records
    duplicates: int = 0  # already stored (a refetch after a crash, or a resent Message-ID)
    ignored: int = 0  # auto-replies, bounces, lists, our own mail
    processed: int = 0
    truncated: int = 0  # oversized mails read partially
    uidvalidity_reset: bool = False
    record_ids: list[int] = field(default_factory=list)


def mailbox_key() -> str:
    return (
        f"{settings.ADUAN_IMAP_USER}@{settings.ADUAN_IMAP_HOST}:{settings.ADUAN_IMAP_PORT}"
        f"/{settings.ADUAN_IMAP_FOLDER}"
    )[:255]


@contextmanager
def imap_connect() -> Iterator[BaseMailBox]:
    """A logged-in connection to the complaint mailbox (closed on exit)."""
    if not settings.ADUAN_IMAP_HOST:
        raise ImapNotConfigured("ADUAN_IMAP_HOST is not set")
    host, port = settings.ADUAN_IMAP_HOST, settings.ADUAN_IMAP_PORT
    timeout = settings.ADUAN_IMAP_TIMEOUT
    security = settings.ADUAN_IMAP_SECURITY.strip().lower()
    mailbox: BaseMailBox
    if security == "ssl":
        mailbox = MailBox(host, port, timeout=timeout)
    elif security == "starttls":
        mailbox = MailBoxStartTls(host, port, timeout=timeout)
    elif security == "none":
        mailbox = MailBoxUnencrypted(host, port, timeout=timeout)
    else:
        raise ImapNotConfigured(f"ADUAN_IMAP_SECURITY={security!r}: use ssl, starttls or none")
    mailbox.login(settings.ADUAN_IMAP_USER, settings.ADUAN_IMAP_PASSWORD, initial_folder=None)
    try:
        yield mailbox
    finally:
        try:
            mailbox.logout()
        except Exception:  # the connection may already be gone; nothing to do
            logger.debug("IMAP logout failed", exc_info=True)


def _check(response: tuple[str, list]) -> list:
    typ, data = response
    if typ != "OK":
        raise RuntimeError(f"IMAP command failed: {typ} {data!r}"[:300])
    return data


def _sizes(mailbox: BaseMailBox, uids: list[int]) -> dict[int, int]:
    if not uids:
        return {}
    data = _check(mailbox.client.uid("FETCH", ",".join(map(str, uids)), "(UID RFC822.SIZE)"))
    sizes: dict[int, int] = {}
    for item in data:
        line = item[0] if isinstance(item, tuple) else item
        if isinstance(line, bytes):
            match = _SIZE.search(line)
            if match:
                uid, size = (
                    (match.group(1), match.group(2))
                    if match.group(1)
                    else (
                        match.group(4),
                        match.group(3),
                    )
                )
                sizes[int(uid)] = int(size)
    return sizes


def _literal(data: list) -> bytes | None:
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def _download(mailbox: BaseMailBox, uid: int, size: int) -> tuple[bytes | None, bool]:
    """The mail's bytes, and whether only its start was read. None: the UID is gone (expunged
    by someone else meanwhile)."""
    if size <= settings.ADUAN_EMAIL_MAX_MESSAGE_BYTES:
        return _literal(_check(mailbox.client.uid("FETCH", str(uid), "(BODY.PEEK[])"))), False
    header = _literal(_check(mailbox.client.uid("FETCH", str(uid), "(BODY.PEEK[HEADER])")))
    if header is None:
        return None, True
    partial = settings.ADUAN_EMAIL_PARTIAL_BYTES
    body = _literal(
        _check(mailbox.client.uid("FETCH", str(uid), f"(BODY.PEEK[TEXT]<0.{partial}>)"))
    )
    return header + (body or b""), True


def mail_store(
    raw: bytes, *, truncated: bool = False, size: int | None = None
) -> tuple[InboundRecord, bool]:
    """Parse a raw mail and keep it as an InboundRecord (call inside the transaction that
    remembers its UID). Mail that must not be answered is kept IGNORED (S17). Returns
    (record, created); the same Message-ID again returns the first record (S16)."""
    try:
        parsed = parse_mail(raw, truncated=truncated, size=size)
    except Exception as exc:  # a mail nobody can read must not block the mailbox
        # The exception's text may quote the mail (an address): only its type is logged (S1).
        logger.error("email: a mail could not be parsed (%s); kept as FAILED", type(exc).__name__)
        return _store_unparseable(raw, exc)
    with transaction.atomic():
        record, created = inbound_store(parsed.message)
        if created and parsed.ignore_reason:
            record = inbound_ignore(record, parsed.ignore_reason)
    return record, created


def _store_unparseable(raw: bytes, exc: Exception) -> tuple[InboundRecord, bool]:
    message = InboundMessage(
        channel=CHANNEL,
        provider_message_id="sha256:" + hashlib.sha256(raw).hexdigest(),
        sender="",
        text=raw[:TEXT_MAX].decode("utf-8", errors="replace"),
        received_at=clock.now(),
        raw={"size": len(raw), "unparseable": True},
    )
    with transaction.atomic():
        record, created = inbound_store(message)
        if created:
            InboundRecord.objects.filter(pk=record.pk).update(
                status=InboundRecord.Status.FAILED, error=f"unparseable: {type(exc).__name__}"
            )
            record.refresh_from_db()
    return record, created


def _done_with(mailbox: BaseMailBox, uids: list[int]) -> None:
    """After the commit: the mails leave the queue for people reading the mailbox too (one
    command for the whole run)."""
    if not uids:
        return
    target = settings.ADUAN_IMAP_PROCESSED_FOLDER
    uid_set = ",".join(map(str, uids))
    try:
        mailbox.flag(uid_set, MailMessageFlags.SEEN, True)
        if target:
            if not mailbox.folder.exists(target):
                mailbox.folder.create(target)
            mailbox.move(uid_set, target)
    except Exception:
        # Stored already; the remembered UID means they are not read again. Only the flag is
        # late (it is not what decides what is read).
        logger.warning("IMAP: could not flag/move %d mails", len(uids), exc_info=True)  # no PII


def _new_uids(mailbox: BaseMailBox, after: int, limit: int) -> list[int]:
    # "N:*" always includes the highest UID even when it is below N (RFC 3501), hence the filter.
    found = mailbox.uids(f"UID {after + 1}:*")
    return sorted(uid for uid in map(int, found) if uid > after)[:limit]


def email_fetch(*, limit: int | None = None, process: bool = True) -> FetchReport:
    """One run over the complaint mailbox; see the module docstring."""
    report = FetchReport()
    limit = limit or settings.ADUAN_IMAP_BATCH
    folder = settings.ADUAN_IMAP_FOLDER
    to_process: list[InboundRecord] = []
    with imap_connect() as mailbox:
        mailbox.folder.set(folder)
        uidvalidity = int(mailbox.folder.status(folder, ["UIDVALIDITY"])["UIDVALIDITY"])
        state, _created = MailboxState.objects.get_or_create(mailbox=mailbox_key())
        if state.uidvalidity != uidvalidity:
            report.uidvalidity_reset = state.uidvalidity != 0
            MailboxState.objects.filter(pk=state.pk).update(uidvalidity=uidvalidity, last_uid=0)
            state.last_uid = 0
        uids = _new_uids(mailbox, state.last_uid, limit)
        sizes = _sizes(mailbox, uids)
        done: list[int] = []
        for uid in uids:
            raw, truncated = _download(mailbox, uid, sizes.get(uid, 0))
            if raw is None:
                continue
            report.fetched += 1
            report.truncated += truncated
            with transaction.atomic():
                record, created = mail_store(raw, truncated=truncated, size=sizes.get(uid))
                MailboxState.objects.filter(pk=state.pk, last_uid__lt=uid).update(last_uid=uid)
            done.append(uid)
            report.record_ids.append(record.pk)
            if created:
                report.stored += 1
            else:
                report.duplicates += 1
            if record.status == InboundRecord.Status.IGNORED:
                report.ignored += created
            elif record.status == InboundRecord.Status.RECEIVED:
                to_process.append(record)
        _done_with(mailbox, done)
    if process:
        for record in to_process:
            inbound_process(record)
            report.processed += 1
    return report
