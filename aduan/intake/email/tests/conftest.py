"""Real peers for the email channel: Debian's dovecot (IMAP) and aiosmtpd (SMTP).

dovecot (tests/dovecot.py) runs from a throwaway config on a free loopback port, one per test
worker (session scope); each test logs in as a fresh user and gets an empty mailbox. If dovecot
cannot start, the test FAILS with dovecot's log (never a skip): `make test` installs it
(scripts/ensure_test_tools.sh).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from imap_tools import MailBoxUnencrypted

from .dovecot import PASSWORD, Dovecot, DovecotFailed, dovecot_server, free_port

__all__ = ["PASSWORD", "free_port"]

FIXTURES = Path(__file__).parent / "fixtures"
MAILBOX_ADDRESS = "aduan@buton.example"


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """One dovecot per test worker. If it cannot start, the test FAILS with dovecot's log."""
    try:
        with dovecot_server() as server:
            yield server
    except DovecotFailed as exc:
        pytest.fail(str(exc))


@dataclass
class Mailbox:
    """One test's own IMAP user on the session's dovecot, and the settings pointing at it."""

    server: Dovecot
    user: str

    def connect(self) -> MailBoxUnencrypted:
        return MailBoxUnencrypted(self.server.host, self.server.port, timeout=30).login(
            self.user, PASSWORD
        )

    def append(self, *mails: bytes, folder: str = "INBOX") -> None:
        with self.connect() as box:
            for mail in mails:
                box.append(mail, folder)

    def status(self, folder: str = "INBOX") -> dict[str, int]:
        with self.connect() as box:
            return dict(box.folder.status(folder, ["MESSAGES", "UNSEEN", "UIDNEXT"]))


@pytest.fixture
def mailbox(dovecot: Dovecot, settings: Any) -> Mailbox:
    user = f"aduan-{uuid.uuid4().hex[:12]}"
    settings.ADUAN_IMAP_HOST = dovecot.host
    settings.ADUAN_IMAP_PORT = dovecot.port
    settings.ADUAN_IMAP_SECURITY = "none"
    settings.ADUAN_IMAP_USER = user
    settings.ADUAN_IMAP_PASSWORD = PASSWORD
    settings.ADUAN_IMAP_FOLDER = "INBOX"
    settings.ADUAN_IMAP_PROCESSED_FOLDER = ""
    settings.ADUAN_EMAIL_REPLY_TO = MAILBOX_ADDRESS
    settings.DEFAULT_FROM_EMAIL = f"Aduan Kabupaten Buton <{MAILBOX_ADDRESS}>"
    return Mailbox(dovecot, user)


@dataclass
class SmtpHandler:
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        self.messages.append(parsed)  # type: ignore[arg-type]
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Controller, SmtpHandler]]:
    handler = SmtpHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture
def smtp(smtp_server: tuple[Controller, SmtpHandler], settings: Any) -> SmtpHandler:
    """aiosmtpd on loopback; Django's SMTP backend pointed at it; the messages it received."""
    controller, handler = smtp_server
    handler.messages.clear()
    handler.envelopes.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return handler


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()
