"""The category suggestion: a pure keyword-overlap function (no database, no service)."""

from __future__ import annotations

from aduan.portal.suggest import CategoryText, keywords, score, suggest_categories

CATEGORIES = [
    CategoryText(1, "Pekerjaan Umum dan Penataan Ruang", "Infrastruktur"),
    CategoryText(
        2,
        "Infrastruktur Jalan",
        "Infrastruktur",
        "Pekerjaan Umum dan Penataan Ruang",
        "Cek status jalan (kabupaten/provinsi/nasional) sebelum disposisi",
    ),
    CategoryText(
        3,
        "Lampu Penerangan Jalan",
        "Infrastruktur",
        "Perhubungan",
        "Gangguan jaringan listrik PLN: teruskan ke PLN",
    ),
    CategoryText(
        4,
        "Pencemaran Lingkungan",
        "Lingkungan Hidup",
        "Lingkungan Hidup dan Kehutanan",
        "Termasuk sampah",
    ),
    CategoryText(
        5,
        "Administrasi Kependudukan dan Pencatatan Sipil",
        "Kependudukan",
        "Kependudukan",
        "KTP-el, KK, akta",
    ),
]


def test_keywords_drop_stop_words_short_words_and_numbers():
    assert keywords("Saya mau lapor: jalan di desa kami rusak sejak 2024!") == {
        "jalan",
        "desa",
        "rusak",
    }
    assert keywords("") == set()
    assert keywords("<script>alert(1)</script>") == {"script", "alert"}


def test_the_most_specific_category_wins():
    """Street lights: 'lampu' and 'jalan' both match Lampu Penerangan Jalan."""
    best = suggest_categories("Lampu jalan di depan masjid mati sudah seminggu", CATEGORIES)
    assert best[0].pk == 3
    assert {s.pk for s in best} >= {2, 3}


def test_routing_notes_count_a_little():
    """'sampah' appears only in the notes of Pencemaran Lingkungan."""
    best = suggest_categories("Tumpukan sampah di pinggir pantai", CATEGORIES)
    assert [s.pk for s in best] == [4]
    assert best[0].score == 0.5


def test_prefix_matching_of_longer_words():
    """Words match when equal or when one is a prefix (5+ letters) of the other."""
    assert score({"pencatatan"}, CATEGORIES[4]) > 0
    assert score({"pencatatannya"}, CATEGORIES[4]) > 0
    assert score({"catat"}, CATEGORIES[4]) == 0  # not a prefix of 'pencatatan'
    assert score({"akta"}, CATEGORIES[4]) > 0  # short words only by equality
    assert score({"akt"}, CATEGORIES[4]) == 0


def test_no_overlap_no_suggestion_and_a_limit():
    assert suggest_categories("dan yang di ke", CATEGORIES) == []
    assert suggest_categories("zzzz qqqq", CATEGORIES) == []
    assert len(suggest_categories("jalan infrastruktur lampu", CATEGORIES, limit=2)) == 2


def test_ties_prefer_the_more_specific_then_the_lower_id():
    cats = [CategoryText(9, "Jalan"), CategoryText(8, "Jalan", parent_name="Umum")]
    assert [s.pk for s in suggest_categories("jalan", cats)] == [8, 9]
