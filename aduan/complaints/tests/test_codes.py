"""Tracking codes (BTN-XXXX-XXX): readable, checked, found in free text, not guessable (R21,
S3); and the complainant's secret access token."""

from __future__ import annotations

import re
import secrets

import pytest

from aduan.complaints import codes, services
from aduan.complaints.codes import (
    ALPHABET,
    _check_character,
    access_token_hash,
    find_tracking_code,
    new_access_token,
    new_tracking_code,
    normalize_tracking_code,
)
from aduan.complaints.tests import factories as f

CODE_RE = re.compile(rf"^BTN-[{ALPHABET}]{{4}}-[{ALPHABET}]{{3}}$")


def _code(payload: str) -> str:
    body = payload + _check_character(payload)
    return f"BTN-{body[:4]}-{body[4:]}"


def test_alphabet_leaves_out_confusable_characters():
    """R21: no 0/O/Q, 1/I/L, S, Z, B, G, U/V — characters read or typed wrongly on a phone."""
    assert len(ALPHABET) == len(set(ALPHABET)) == 24
    assert not set("0OQ1ILSZBGUV") & set(ALPHABET)


def test_generated_codes_have_the_format_and_a_valid_check_character():
    """R21: every code is BTN-XXXX-XXX over the alphabet and passes its own check."""
    for _ in range(500):
        code = new_tracking_code()
        assert CODE_RE.match(code), code
        assert normalize_tracking_code(code) == code


@pytest.mark.parametrize("seed", range(8))
def test_check_character_detects_every_single_substitution(seed):
    """R21: changing any one character of a code into any other symbol is always detected."""
    code = new_tracking_code()
    body = code[4:].replace("-", "")
    for position in range(len(body)):
        for symbol in ALPHABET:
            if symbol == body[position]:
                continue
            typo = body[:position] + symbol + body[position + 1 :]
            assert normalize_tracking_code(typo) is None, (code, typo)


def test_check_character_detects_almost_every_swap_of_neighbours():
    """R21: swapping two different neighbouring characters is caught at least 99% of the time."""
    caught = total = 0
    for _ in range(300):
        body = new_tracking_code()[4:].replace("-", "")
        for i in range(len(body) - 1):
            if body[i] != body[i + 1]:
                total += 1
                swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
                caught += normalize_tracking_code(swapped) is None
    assert caught / total >= 0.99


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("btn-7k3r-9f{c}", "BTN-7K3R-9F{c}"),
        ("BTN 7K3R 9F{c}", "BTN-7K3R-9F{c}"),
        ("  btn7k3r9f{c} ", "BTN-7K3R-9F{c}"),
        ("7K3R-9F{c}", "BTN-7K3R-9F{c}"),
        ("7k3r9f{c}", "BTN-7K3R-9F{c}"),
        ("BTN.7K3R_9F{c}", "BTN-7K3R-9F{c}"),
    ],
)
def test_normalisation_of_what_people_type(typed, expected):
    """R21: lowercase, spaces, dots, a missing prefix or hyphen still find the code."""
    check = _code("7K3R9F")[-1]
    assert normalize_tracking_code(typed.format(c=check)) == expected.format(c=check)


def test_confusable_letters_are_read_as_the_digits_they_look_like():
    """R21: S, Z, B, G typed for 5, 2, 8, 6 are corrected."""
    code = _code("5286AC")
    assert code.startswith("BTN-5286-AC")
    assert normalize_tracking_code(code.replace("5", "S").replace("2", "Z")) == code
    assert normalize_tracking_code(code.replace("8", "b").replace("6", "g").lower()) == code


@pytest.mark.parametrize(
    "typed",
    ["", "BTN", "BTN-7K3R-9F", "BTN-7K3R-9FAA", "BTN-0K3Q-9FA", "BTN-IK3Q-9FA", "XYZ-7K3R-9FA"],
)
def test_invalid_codes_are_rejected(typed):
    """R21: wrong length, characters outside the alphabet or another prefix give None."""
    assert normalize_tracking_code(typed) is None


def test_find_tracking_code_in_free_text():
    """R10, R21: the code is found in an SMS or an email subject, with or without hyphens, in
    any case; an invalid look-alike is skipped for the valid code after it."""
    code = new_tracking_code()
    compact = code.replace("-", " ").lower()
    bad = code[:-1] + next(ch for ch in ALPHABET if ch != code[-1])
    assert find_tracking_code(f"BALAS {code} jalan masih rusak") == code
    assert find_tracking_code(f"balas {compact} masih rusak") == code
    assert find_tracking_code(f"Re: Your report {code} has been received") == code
    assert find_tracking_code(f"kode {bad} atau {code}?") == code
    assert find_tracking_code(f"kode {bad} saja") is None
    assert find_tracking_code("Jalan di desa Wabula rusak parah sejak 2025") is None


def test_codes_are_random_not_sequential():
    """S3: codes are not sequential: thousands are all different, not in order, and spread
    over the whole alphabet in every position."""
    generated = [new_tracking_code() for _ in range(3000)]
    assert len(set(generated)) == len(generated)
    assert generated != sorted(generated)
    bodies = [code[4:].replace("-", "") for code in generated]
    for position in range(6):
        assert len({body[position] for body in bodies}) == len(ALPHABET)


def test_access_token_is_long_random_and_stored_as_a_keyed_hash(ref):
    """S5: the private link's token has 192 random bits; the complaint stores its keyed hash
    (and the token only encrypted)."""
    tokens = {new_access_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(len(token) == 32 for token in tokens)
    token = next(iter(tokens))
    assert access_token_hash(token) == access_token_hash(token) != token
    result = services.complaint_submit(
        submission=services.ComplaintSubmission(channel="web", body="Lampu jalan mati.")
    )
    assert result.complaint.access_token_hash == access_token_hash(result.access_token)
    assert services.complaint_by_access_token(result.access_token) == result.complaint
    assert services.complaint_by_access_token(new_access_token()) is None
    assert services.complaint_by_access_token("") is None


def test_a_code_already_taken_is_drawn_again(ref, monkeypatch):
    """S16: when a drawn code is already used, submission draws another one instead of failing."""
    taken = f.received().tracking_code
    fresh = new_tracking_code()
    draws = iter([taken, taken, fresh])
    monkeypatch.setattr(services, "new_tracking_code", lambda: next(draws))
    complaint = f.received()
    assert complaint.tracking_code == fresh


def test_random_source_is_the_secrets_module(monkeypatch):
    """S3: codes come from the `secrets` CSPRNG (so they cannot be predicted from earlier ones)."""
    calls = []
    real = secrets.choice

    def counting(seq):  # type: ignore[no-untyped-def]
        calls.append(seq)
        return real(seq)

    monkeypatch.setattr(codes.secrets, "choice", counting)
    new_tracking_code()
    assert len(calls) == 6 and all(seq == ALPHABET for seq in calls)


class _Blank(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "Dinas PUPR"


CODELESS_MESSAGES = {
    "report_issued",
    "inbound_help",
    "inbound_unknown_code",
    "inbound_confirm_new",
    "inbound_which_complaint",
    "inbound_need_code",
    "inbound_rate_limited",
    "inbound_unsupported",
    "inbound_nothing_to_confirm",
    "inbound_draft_cancelled",
}


@pytest.mark.parametrize("language", ["id", "en"])
def test_code_is_found_in_a_reply_to_every_subject_we_send(language):
    """R10, R21: a reply ("Re: <our subject>") to any notification carries a code that
    find_tracking_code recovers, in Indonesian and English, whatever words precede it."""
    from django.utils import translation

    from aduan.notifications.messages import MESSAGES

    code = new_tracking_code()
    # Messages about no complaint in particular (answers to an SMS command from someone who is
    # not a complainant yet, the written report) have no code to carry; every other one does.
    about_a_complaint = {
        name: text for name, text in MESSAGES.items() if "%(code)s" in str(text.subject)
    }
    assert set(MESSAGES) - set(about_a_complaint) <= CODELESS_MESSAGES
    with translation.override(language):
        for name, text in about_a_complaint.items():
            subject = str(text.subject) % _Blank(code=code)
            assert find_tracking_code(f"Re: {subject}") == code, (name, subject)
            assert find_tracking_code(f"Balasan laporan {code}") == code
