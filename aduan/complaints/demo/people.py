"""Fake complainants for the demo and the benchmarks: Indonesian names as they are common in
Buton (La Ode / Wa Ode for the nobility, Javanese names in the transmigration villages),
mobile numbers in the 0812/0813/0852/0853 ranges, email addresses at contoh.id.

Everything comes from the `random.Random` passed in, so a seed gives the same people again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

MALE = (
    "Muhammad",
    "Ahmad",
    "Hasan",
    "Asrul",
    "Sukardin",
    "Hasmin",
    "Jufri",
    "Ridwan",
    "Syamsul",
    "Irwan",
    "Darwis",
    "Amiruddin",
    "Basri",
    "Hamzah",
    "Rusli",
    "Safaruddin",
    "Arman",
    "Fadli",
    "Yusran",
    "Rahmat",
    "Zainal",
    "Nasrun",
    "Alimuddin",
    "Hasanuddin",
    "Sahrul",
    "Ikhsan",
)
FEMALE = (
    "Nurhayati",
    "Sitti Rahma",
    "Rahmawati",
    "Hasnah",
    "Jumriati",
    "Asmawati",
    "Fitriani",
    "Sumarni",
    "Hadija",
    "Suriani",
    "Rosmiati",
    "Nurmala",
    "Darmawati",
    "Yuliana",
    "Ratna",
    "Wahyuni",
    "Fatimah",
    "Halima",
    "Marlina",
    "Nur Aisyah",
)
FAMILY = (
    "Saputra",
    "Hidayat",
    "Rahman",
    "Kurniawan",
    "Hamid",
    "Amir",
    "Baharuddin",
    "Mukmin",
    "Sidik",
    "Syahrir",
    "Ramli",
    "Djafar",
    "Tamrin",
    "Ismail",
    "Sabaruddin",
)
JAVANESE_MALE = ("Sutrisno", "Wagiman", "Slamet", "Suparno", "Sugeng", "Joko Susilo")
JAVANESE_FEMALE = ("Suparmi", "Sri Lestari", "Tukiyem", "Sumiati", "Endang Wahyuni")
# Transmigration villages of Lasalimu Selatan and Siotapina.
TRANSMIGRATION_VILLAGES = frozenset(
    {"Rejo Sari", "Sumber Agung", "Mulya Jaya", "Harapan Jaya", "Karya Jaya", "Sumber Sari"}
)
MOBILE_PREFIXES = ("0812", "0813", "0852", "0853")


@dataclass(frozen=True)
class Person:
    name: str
    phone: str  # as the person would type it (0812-…); the intake normalises it to +62…
    email: str
    nik: str
    female: bool


def _ascii_slug(name: str) -> str:
    return "".join(ch for ch in name.lower().replace(" ", ".") if ch.isalnum() or ch == ".")


def person_name(rng: random.Random, *, village: str = "") -> tuple[str, bool]:
    female = rng.random() < 0.45
    if village in TRANSMIGRATION_VILLAGES and rng.random() < 0.7:
        return rng.choice(JAVANESE_FEMALE if female else JAVANESE_MALE), female
    given = rng.choice(FEMALE if female else MALE)
    roll = rng.random()
    if roll < 0.18:
        return ("Wa Ode " if female else "La Ode ") + given, female
    if roll < 0.55:
        return given, female  # one name only, as many people in Sulawesi
    return f"{given} {rng.choice(FAMILY)}", female


def mobile_number(rng: random.Random) -> str:
    digits = f"{rng.randrange(10**8):08d}"
    return f"{rng.choice(MOBILE_PREFIXES)}{digits}"


def nik(rng: random.Random, *, district_digits: str = "11", female: bool = False) -> str:
    """A 16-digit NIK shaped like Buton's: 74 04 <kecamatan> <DDMMYY, +40 for women> <serial>."""
    day = rng.randint(1, 28) + (40 if female else 0)
    month = rng.randint(1, 12)
    year = rng.randint(50, 99) if rng.random() < 0.6 else rng.randint(0, 6)
    return f"7404{district_digits[-2:]:0>2}{day:02d}{month:02d}{year:02d}{rng.randint(1, 9999):04d}"


def person(rng: random.Random, *, village: str = "", district_digits: str = "11") -> Person:
    name, female = person_name(rng, village=village)
    email = f"{_ascii_slug(name)}{rng.randint(1, 99)}@contoh.id"
    return Person(
        name=name,
        phone=mobile_number(rng),
        email=email,
        nik=nik(rng, district_digits=district_digits, female=female),
        female=female,
    )
