"""Anti-spam without third parties: fill time, soft/hard limits, the self-hosted question (S7)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from aduan.portal import antispam
from aduan.portal.antispam import Answer

pytestmark = pytest.mark.django_db


def _solve(question: str) -> int:
    a, b = re.search(r"What is (\w+) plus (\w+)\?", question).groups()
    return antispam._ANSWER_WORDS[a] + antispam._ANSWER_WORDS[b]


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_the_right_answer_in_digits_or_words_is_accepted(english):
    challenge = antispam.new_challenge()
    assert challenge.question.startswith("What is ")
    assert antispam.check_answer(challenge.token, str(_solve(challenge.question))) is Answer.RIGHT


def test_answers_in_indonesian_words_are_understood():
    assert antispam.parse_answer("  Tujuh ") == 7
    assert antispam.parse_answer("dua  belas") == 12
    assert antispam.parse_answer("eleven") == 11
    assert antispam.parse_answer("17") == 17
    assert antispam.parse_answer("seventy") is None
    assert antispam.parse_answer("1" * 50) is None


def test_a_wrong_answer_is_refused_and_the_token_is_used_up(english):
    challenge = antispam.new_challenge()
    right = str(_solve(challenge.question))
    assert antispam.check_answer(challenge.token, "99") is Answer.WRONG
    assert antispam.check_answer(challenge.token, right) is Answer.EXPIRED


def test_a_forged_or_expired_token_is_refused(english):
    assert antispam.check_answer("forged", "7") is Answer.EXPIRED
    challenge = antispam.new_challenge()
    right = str(_solve(challenge.question))
    later = dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=antispam.challenge_max_age() + 5)
    with time_machine.travel(later):
        assert antispam.check_answer(challenge.token, right) is Answer.EXPIRED


def test_the_answer_is_not_in_the_token(english):
    """The token holds a keyed hash, not the sum."""
    for _ in range(5):
        challenge = antispam.new_challenge()
        payload = challenge.token.split(":")[0]
        assert f'"{_solve(challenge.question)}"' not in payload


def test_fill_time(settings):
    settings.ADUAN_REPORT_MIN_FILL_SECONDS = 5
    token = antispam.started_token()
    assert antispam.filled_too_fast(token)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=6)):
        assert not antispam.filled_too_fast(token)
    assert antispam.filled_too_fast("")
    assert antispam.filled_too_fast(token + "x")


def test_honeypot():
    assert antispam.honeypot_filled({"website": "http://x"})
    assert not antispam.honeypot_filled({"website": "  "})
    assert not antispam.honeypot_filled({})


def test_contact_keys_normalise_phone_and_email():
    assert antispam.contact_keys("0812-3456-7890", " Warga@Contoh.ID ") == [
        "phone:+6281234567890",
        "email:warga@contoh.id",
    ]
    assert antispam.contact_keys("+62 812 3456 7890", "") == ["phone:+6281234567890"]
    assert antispam.contact_keys("", "") == []


def test_soft_limits_count_accepted_reports(settings):
    """S7: the soft limits trip after the configured number of accepted reports."""
    settings.ADUAN_REPORT_IP_SOFT_LIMIT = 2
    settings.ADUAN_REPORT_CONTACT_SOFT_LIMIT = 1
    assert not antispam.soft_limited("10.1.1.1", [])
    antispam.count_submission("10.1.1.1", ["phone:+6281"])
    assert antispam.soft_limited("10.1.1.2", ["phone:+6281"])  # the contact
    assert not antispam.soft_limited("10.1.1.1", ["phone:+6282"])
    antispam.count_submission("10.1.1.1", [])
    assert antispam.soft_limited("10.1.1.1", [])  # the address


def test_hard_limit(settings):
    """S7: the hard limit counts every POST per address."""
    settings.ADUAN_REPORT_IP_HARD_LIMIT = 2
    verdicts = [antispam.check_hard_limit("10.2.2.2") for _ in range(3)]
    assert [v.allowed for v in verdicts] == [True, True, False]
    assert verdicts[-1].retry_after > 0
