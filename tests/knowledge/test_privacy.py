"""Personal identifiers are removed; amounts, dates and paragraph numbers are not."""

from __future__ import annotations

import pytest

from knowledge.feedback.privacy import scrub


@pytest.mark.parametrize("text, expected", [
    ("Mit CPR-nr. er 010190-1234.", "Mit CPR-nr. er [CPR]."),
    ("cpr 0101901234 tak", "cpr [CPR] tak"),
    ("Formandens cpr: 311299 4321", "Formandens cpr: [CPR]"),
    ("skriv til kasserer.jensen+pulje@forening-abc.dk i dag",
     "skriv til [e-mail] i dag"),
    ("ring på 12345678", "ring på [telefon]"),
    ("ring på 12 34 56 78.", "ring på [telefon]."),
    ("tlf. 2345 6789, tak", "tlf. [telefon], tak"),
    ("mobil +45 23 45 67 89", "mobil [telefon]"),
    ("mobil +4523456789", "mobil [telefon]"),
    ("mobil 0045 23456789", "mobil [telefon]"),
    ("udbetal til 1234-1234567890", "udbetal til [konto]"),
    ("reg 1234 konto 12345678", "[konto]"),
    ("Reg.nr. 1234, kontonr. 0012345678 hos Sparekassen", "[konto] hos Sparekassen"),
])
def test_identifiers_are_replaced(text: str, expected: str) -> None:
    assert scrub(text) == expected


@pytest.mark.parametrize("text", [
    "Kan vi søge 75.000 kr fra paragraf 18-puljen?",
    "Kilometerpenge er 91,20 kr pr. tur, og vi fik 1.250.000 kr i 2025.",
    "Vi har brugt 12345678 kr - skal regnskabet revideres?",
    "Hvornår er fristen, er det 1. april 2026 eller 2026-01-20?",
    "Gælder § 18, stk. 2 også for §§ 79-80 i serviceloven?",
    "Tilskuddet er 12,5 % i 2025 2026 og 2025-2026, og 40 % fra 01.01.2027.",
    "Hallen er booket kl. 10.15-20.30 den 29.02.2024 for 24 børn.",
    "Vi er 3 trænere og 120 medlemmer, hvad koster 2 500 000 kr i moms?",
    "En dato som 320101-1234 er ikke et gyldigt CPR-nummer.",
])
def test_ordinary_figures_are_kept(text: str) -> None:
    assert scrub(text) == text


def test_a_realistic_question_keeps_its_meaning() -> None:
    question = (
        "Hej, jeg er kasserer (cpr 120385-1122, tlf 22 33 44 55, anne@example.dk). "
        "Vi fik 75.000 kr efter § 18 den 1. april 2026 - skal pengene til reg 9876 "
        "konto 1234567890 tilbagebetales, hvis vi kun brugte 60 %?"
    )
    assert scrub(question) == (
        "Hej, jeg er kasserer (cpr [CPR], tlf [telefon], [e-mail]). "
        "Vi fik 75.000 kr efter § 18 den 1. april 2026 - skal pengene til [konto] "
        "tilbagebetales, hvis vi kun brugte 60 %?"
    )
