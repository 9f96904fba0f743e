"""The SMS/WhatsApp/Telegram commands, read forgivingly (issue 5): any case, spacing,
punctuation, one typo in the longer keywords; a report that merely starts like a command is
not taken for one."""

from __future__ import annotations

import pytest

from aduan.complaints.codes import new_tracking_code
from aduan.intake.commands import osa_distance, parse_command


@pytest.fixture(scope="module")
def code() -> str:
    return new_tracking_code("BTN")


@pytest.mark.parametrize(
    ("text", "name", "rest"),
    [
        ("LAPOR Jalan rusak di Pasarwajo", "lapor", "Jalan rusak di Pasarwajo"),
        ("lapor jalan rusak", "lapor", "jalan rusak"),
        ("  Lapor,   jalan rusak", "lapor", "jalan rusak"),
        ("LAPOT jalan rusak", "lapor", "jalan rusak"),
        ("LAPRO: jalan rusak", "lapor", "jalan rusak"),
        ("lpr jalan rusak", "lapor", "jalan rusak"),
        ("/lapor jalan rusak", "lapor", "jalan rusak"),
        ("BANTUAN", "bantuan", ""),
        ("bantuan!!", "bantuan", ""),
        ("BANTUN", "bantuan", ""),
        ("?", "bantuan", ""),
        ("info", "bantuan", ""),
        ("/start", "bantuan", ""),
        ("/help@AduanButonBot", "bantuan", ""),
        ("YA", "ya", ""),
        ("ya.", "ya", ""),
        (" Iya ", "ya", ""),
        ("BATAL", "batal", ""),
    ],
)
def test_keywords_are_read_forgivingly(text, name, rest):
    command = parse_command(text)
    assert (command.name, command.text) == (name, rest)


@pytest.mark.parametrize(
    "text",
    [
        "CEK {code}",
        "cek {lower}",
        "CEk kode {spaced}",
        "Cek: {compact}",
        "cek status {code}",
        "CHECK {code}",
        "/cek@AduanButonBot {code}",
        "cek {short}",
    ],
)
def test_cek_finds_the_code_however_it_is_typed(text, code):
    typed = text.format(
        code=code,
        lower=code.lower(),
        spaced=code.replace("-", " "),
        compact=code.replace("-", "").lower(),
        short=code[4:],
    )
    command = parse_command(typed)
    assert (command.name, command.code) == ("cek", code)


def test_balas_puas_belum_take_code_text_and_rating(code):
    balas = parse_command(f"balas {code.lower()} Di depan SD Negeri 1 Wabula")
    assert (balas.name, balas.code, balas.text) == ("balas", code, "Di depan SD Negeri 1 Wabula")
    assert parse_command(f"BALS {code} di sana").name == "balas"
    puas = parse_command(f"PUAS {code} 5")
    assert (puas.name, puas.code, puas.rating, puas.text) == ("puas", code, 5, "")
    rated = parse_command(f"puas {code} nilai 4 terima kasih")
    assert (rated.rating, rated.text) == (4, "terima kasih")
    assert parse_command(f"PUAS {code} 7").rating is None
    belum = parse_command(f"Belom {code} lampu masih mati")
    assert (belum.name, belum.code, belum.text) == ("belum", code, "lampu masih mati")
    assert parse_command("BELUM").code is None


@pytest.mark.parametrize(
    "text",
    [
        "Jalan di Pasarwajo rusak parah",
        "Ya, jalan itu rusak sejak bulan lalu",
        "Info jalan rusak di desa Wabula sejak lama",
        "Tidak ada air bersih di Lasalimu",
        "",
        "   ",
    ],
)
def test_a_report_is_not_taken_for_a_command(text):
    assert parse_command(text).name == ""


def test_a_typo_that_is_also_a_word_is_flagged_as_inexact():
    """ "Batas desa..." reads like BALAS with one typo; the conversation treats an inexact
    keyword without a code as a plain report."""
    command = parse_command("Batas desa Wabula tidak jelas")
    assert (command.name, command.exact, command.code) == ("balas", False, None)
    assert parse_command("BALAS x").exact is True


def test_edit_distance_counts_a_swap_as_one():
    assert osa_distance("LAPRO", "LAPOR") == 1
    assert osa_distance("LAPOT", "LAPOR") == 1
    assert osa_distance("BATAL", "BALAS") == 2
    assert osa_distance("CEK", "BANTUAN") == 2
