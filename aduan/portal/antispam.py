"""Spam protection for the report form without any third-party service.

- A honeypot field (`website`): people never see it; a bot that fills it gets a page that looks
  like success, and nothing is stored.
- A minimum fill time: the form carries a signed timestamp of when it was shown; a form sent
  back faster than a person can type is treated like a soft limit.
- Rate limits (aduan.core.ratelimit, counted in the database): SOFT limits per IP address and
  per contact (phone/email) ask a self-hosted question before the report is accepted; a HARD
  limit per IP address answers 429 with Retry-After (S7).
- The question: a small sum in words ("What is three plus four?"), its answer kept only as a
  keyed hash inside a signed, expiring token; each token is good for one answer.

Numbers come from settings (with defaults): ADUAN_REPORT_MIN_FILL_SECONDS,
ADUAN_REPORT_IP_SOFT_LIMIT, ADUAN_REPORT_CONTACT_SOFT_LIMIT, ADUAN_REPORT_IP_HARD_LIMIT (each a
count per ADUAN_REPORT_LIMIT_WINDOW seconds), ADUAN_REPORT_CHALLENGE_MAX_AGE.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aduan.core import clock, ratelimit
from aduan.core.exceptions import ApplicationError
from aduan.core.phones import normalize_phone
from aduan.core.ratelimit import Limit, Verdict

HONEYPOT_FIELD = "website"
_STARTED_SALT = "aduan.portal.report.started"
_CHALLENGE_SALT = "aduan.portal.report.challenge"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def min_fill_seconds() -> int:
    return _setting("ADUAN_REPORT_MIN_FILL_SECONDS", 3)


def window() -> int:
    return _setting("ADUAN_REPORT_LIMIT_WINDOW", 3600)


def ip_soft_limit() -> Limit:
    return Limit("report-ip-soft", _setting("ADUAN_REPORT_IP_SOFT_LIMIT", 5), window())


def contact_soft_limit() -> Limit:
    return Limit("report-contact-soft", _setting("ADUAN_REPORT_CONTACT_SOFT_LIMIT", 3), window())


def ip_hard_limit() -> Limit:
    return Limit("report-ip-hard", _setting("ADUAN_REPORT_IP_HARD_LIMIT", 20), window())


def challenge_max_age() -> int:
    return _setting("ADUAN_REPORT_CHALLENGE_MAX_AGE", 1800)


# --- honeypot and fill time ----------------------------------------------------------------


def honeypot_filled(data: Mapping[str, str]) -> bool:
    return bool((data.get(HONEYPOT_FIELD) or "").strip())


def started_token() -> str:
    """The signed moment the form was shown (a hidden field)."""
    return signing.dumps(int(clock.now().timestamp()), salt=_STARTED_SALT)


def filled_too_fast(token: str) -> bool:
    """True when the form came back sooner than a person could fill it, or without a valid
    timestamp (a bot posting directly)."""
    try:
        started = int(signing.loads(token or "", salt=_STARTED_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return True
    elapsed = clock.now().timestamp() - started
    return elapsed < min_fill_seconds()


# --- rate limits ---------------------------------------------------------------------------


def contact_keys(phone: str, email: str) -> list[str]:
    """The normalised contacts a report gives (a phone number however it is written counts
    once)."""
    keys = []
    if phone and phone.strip():
        try:
            keys.append("phone:" + normalize_phone(phone))
        except ApplicationError:
            keys.append("phone:" + "".join(ch for ch in phone if ch.isdigit()))
    if email and email.strip():
        keys.append("email:" + email.strip().lower())
    return keys


def check_hard_limit(ip: str) -> Verdict:
    """Count one POST of the form from `ip` against the hard limit."""
    return ratelimit.hit(ip_hard_limit(), ip)


def soft_limited(ip: str, contacts: Iterable[str]) -> bool:
    """Whether this IP address or one of these contacts already sent as many reports as the
    soft limits allow in this window (a question is asked before the next one)."""
    if ratelimit.peek(ip_soft_limit(), ip) >= ip_soft_limit().count:
        return True
    limit = contact_soft_limit()
    return any(ratelimit.peek(limit, key) >= limit.count for key in contacts)


def count_submission(ip: str, contacts: Iterable[str]) -> None:
    """Count an accepted report against the soft limits."""
    ratelimit.hit(ip_soft_limit(), ip)
    for key in contacts:
        ratelimit.hit(contact_soft_limit(), key)


# --- the question ----------------------------------------------------------------------------

NUMBER_WORDS = [
    gettext_lazy("zero"),
    gettext_lazy("one"),
    gettext_lazy("two"),
    gettext_lazy("three"),
    gettext_lazy("four"),
    gettext_lazy("five"),
    gettext_lazy("six"),
    gettext_lazy("seven"),
    gettext_lazy("eight"),
    gettext_lazy("nine"),
]


def _words(text: str) -> list[str]:
    return text.split()


# Answers may be typed in digits or in words, in either language (parsing tables, not UI text).
_ANSWER_WORDS = {
    **{
        word: n
        for n, word in enumerate(
            _words(
                "zero one two three four five six seven eight nine ten eleven twelve thirteen "
                "fourteen fifteen sixteen seventeen eighteen nineteen"
            )
        )
    },
    **{
        word: n
        for n, word in enumerate(
            _words("nol satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas")
        )
    },
    **{
        f"{word} belas": n + 10
        for n, word in enumerate(_words("x x dua tiga empat lima enam tujuh delapan sembilan"))
        if n >= 2
    },
}


class Answer(enum.Enum):
    RIGHT = "right"
    WRONG = "wrong"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def _answer_hash(nonce: str, answer: int) -> str:
    key = hashlib.sha256(f"challenge:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{nonce}:{answer}".encode(), hashlib.sha256).hexdigest()


def new_challenge() -> Challenge:
    """A sum of two numbers from 2..9 and 1..9, asked in words of the current language."""
    a = 2 + secrets.randbelow(8)
    b = 1 + secrets.randbelow(9)
    nonce = secrets.token_urlsafe(12)
    token = signing.dumps({"n": nonce, "h": _answer_hash(nonce, a + b)}, salt=_CHALLENGE_SALT)
    question = _("What is %(a)s plus %(b)s?") % {"a": NUMBER_WORDS[a], "b": NUMBER_WORDS[b]}
    return Challenge(question=question, token=token)


def parse_answer(text: str) -> int | None:
    cleaned = " ".join((text or "").strip().lower().split())
    if cleaned.isdigit() and len(cleaned) <= 3:
        return int(cleaned)
    return _ANSWER_WORDS.get(cleaned)


def check_answer(token: str, answer: str) -> Answer:
    """Check one answer. A token answers once (right or wrong) and expires."""
    try:
        data = signing.loads(token or "", salt=_CHALLENGE_SALT, max_age=challenge_max_age())
        nonce, expected = str(data["n"]), str(data["h"])
    except (signing.BadSignature, KeyError, TypeError):
        return Answer.EXPIRED
    # One answer per token: the nonce is counted like a rate limit of one.
    if not ratelimit.hit(Limit("report-challenge", 1, challenge_max_age()), nonce).allowed:
        return Answer.EXPIRED
    value = parse_answer(answer)
    if value is None or not hmac.compare_digest(_answer_hash(nonce, value), expected):
        return Answer.WRONG
    return Answer.RIGHT
