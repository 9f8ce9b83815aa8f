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
    ("Reg. nr.: 1234 Konto nr.: 1234567890", "[konto]"),
    ("reg.nr 1234 konto-nr. 1234567890", "[konto]"),
    ("reg. nr. 1234 / konto 1234567890", "[konto]"),
    ("reg. 1234 og konto 0012345678", "[konto]"),
    ("IBAN DK5000400440116243", "IBAN [konto]"),
    ("IBAN: DK50 0040 0440 1162 43.", "IBAN: [konto]."),
    ("ring på tlf.nr.12345678", "ring på tlf.nr.[telefon]"),
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
    "Puljen er på 25 000 000 kroner, og 15 500 000 går til foreninger.",
    "En dato som 320101-1234 er ikke et gyldigt CPR-nummer.",
])
def test_ordinary_figures_are_kept(text: str) -> None:
    assert scrub(text) == text


# The forms Danes write, as found in real questions and e-mails.
@pytest.mark.parametrize("text, expected", [
    ("CPR-nr.0102031234", "CPR-nr.[CPR]"),
    ("CPR: 010203-1234", "CPR: [CPR]"),
    ("cpr.nr.: 010203 - 1234", "cpr.nr.: [CPR]"),
    ("CPR nr. 320101-1234 (forkert dato, men det står efter CPR)", "CPR nr. [CPR] (forkert dato, men det står efter CPR)"),
    ("min søns er 020304–5678", "min søns er [CPR]"),             # en dash
    ("født 020304‑5678", "født [CPR]"),                          # non-breaking hyphen
    ("01.02.03-1234", "[CPR]"),
    ("nummeret er 010203 1234.", "nummeret er [CPR]."),
    ("tlf 98-76-54-32", "tlf [telefon]"),
    ("tlf. 98 76 54 32", "tlf. [telefon]"),
    ("tlf.98765432", "tlf.[telefon]"),
    ("ring på +45 98 76 54 32 efter kl. 16", "ring på [telefon] efter kl. 16"),
    ("+4598765432", "[telefon]"),
    ("0045 98765432", "[telefon]"),
    ("mobil: 98.76.54.32", "mobil: [telefon]"),
    ("tlf.: +45 9876 5432", "tlf.: [telefon]"),
    ("ring på telefon 70 220 230", "ring på telefon [telefon]"),
    # A date-shaped 10-digit number goes even after "faktura": when in doubt, remove.
    ("faktura 150323-4411", "faktura [CPR]"),
])
def test_danish_forms_of_cpr_and_phone_numbers_are_replaced(text: str, expected: str) -> None:
    assert scrub(text) == expected


@pytest.mark.parametrize("text", [
    "Vi har fået svar i sag 2024-123456 om tilskuddet.",
    "Se j.nr. 2025-004711 og sagsnr. 1234-567890.",
    "Faktura 991234-5678 er betalt.",            # day 99: not a CPR number
    "Ordrenummer 451399-1234 fra kommunen.",     # day 45
    "Bilag 2024-0001234 vedlagt.",
    "Kan vi søge 75.000 kr eller 1.250.000 kr?",
    "Fristen var 2026-01-20, nu 1. marts 2026, og § 18 stk. 3 gælder fra 2027.",
    "kl. 10.15-20.30 den 29.02.2024",
    "Vi er 12 - 14 personer i 2025 2026.",
])
def test_case_numbers_amounts_and_dates_are_kept(text: str) -> None:
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
