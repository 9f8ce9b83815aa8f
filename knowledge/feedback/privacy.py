"""Remove obvious personal identifiers from text before it is stored or logged.

Partners sometimes paste a CPR number, an e-mail address, a phone number or a bank
account into a question. None of it is needed to count or improve answers, so it is
replaced by a placeholder. The patterns cover the forms Danes write (CPR with or without
a dash, en dash, space or dots, after a "CPR-nr." label with no space; phone numbers
bare, in pairs joined by spaces, dashes or dots, as 4+4, as 2+3+3 after a phone label,
with +45 or 0045; accounts as reg. no. and account number with or without their labels,
and IBANs), and they are deliberately narrow elsewhere: amounts ("75.000 kr"), dates
("2026-01-20"), years, paragraph numbers and percentages pass untouched.

- A 10-digit figure is a CPR number only if it starts with a real day and month
  (01-31, 01-12), so invoice and case numbers such as "991234-5678" stay; after a "CPR"
  label any 10 digits go.
- "sag 2024-123456" has the shape of a bank account (reg. no. and account); after a
  case, journal, invoice or order label it is kept.
- Where a figure is ambiguous it is removed: any lone 8-digit number counts as a phone
  number (a CVR number too, which for a one-person business points at a person), and a
  date-shaped 10-digit number is removed even after "faktura".
"""

from __future__ import annotations

import re

# A digit run must stand alone: not glued to letters, other digits or a decimal part,
# so that "1.250.000" or "12345678901" are never read as an identifier.
_START = r"(?<![\w.,+\-–])"
_END = r"(?!\w|[.,\-–]\d)"
# An 8- or 10-digit figure followed by a currency or percent sign is an amount.
_NOT_AN_AMOUNT = r"(?!\s*(?:kr\b|kr\.|kroner\b|dkk\b|,-|%))"
# Hyphen, en dash, em dash, non-breaking hyphen, minus: all are typed between digits.
_DASH = r"[-–—‑−]"

# Starts only where a run of address characters starts: tried at every letter of a long
# word, the search would take time that grows with the square of its length.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# "nr", "nr.", "-nr.", " nummer:" after a label ("reg. nr.:", "konto-nr.", "kontonummer").
_NUMBER_LABEL = r"(?:[-\s]?(?:nr|nummer)\.?)?:?"
# Reg. no. (4 digits) and account (6-10 digits), joined by a dash, a space or "konto".
BANK_ACCOUNT = re.compile(
    rf"""
    (?:\breg(?:\.|istrerings)?\s?{_NUMBER_LABEL}\s*      # "reg.nr.", "Reg. nr.:" ...
    |{_START}(?!0045[ ]))                                # ... or none; bare 0045 is +45
    \d{{4}}
    (?:\s*{_DASH}\s*|[\s,/]*(?:og\s+)?\bkonto{_NUMBER_LABEL}\s*|\s+)
    \d{{6,10}}{_END}{_NOT_AN_AMOUNT}
    """,
    re.IGNORECASE | re.VERBOSE,
)
# An IBAN: a country code, two check digits, then up to 30 letters and digits, written
# whole or in groups of four ("DK50 0040 0440 1162 43").
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[0-9A-Z]{4}){2,7}(?:[ ]?[0-9A-Z]{1,3})?\b")
# Labels after which a number is a reference, not an account.
_REFERENCE_LABEL = re.compile(
    r"\b(?:sag|sags(?:nr|nummer)|j\.?\s?nr|journal(?:nr|nummer)?|faktura(?:nr|nummer)?"
    r"|ordre(?:nr|nummer)?|ref(?:erence|nr)?|kunde(?:nr|nummer)|bilag(?:snr)?)\.?[:\s]*$",
    re.IGNORECASE,
)

_DAY = r"(?:0[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0[1-9]|1[0-2])"
# The serial part after the date: dash (any), space, or nothing.
_SERIAL = rf"(?:[ ]?{_DASH}[ ]?|[ ])?\d{{4}}"
# DDMMYY-XXXX (or DD.MM.YY-XXXX) with a real day and month.
CPR = re.compile(
    rf"{_START}(?:{_DAY}{_MONTH}\d{{2}}|{_DAY}\.{_MONTH}\.\d{{2}}){_SERIAL}{_END}"
)
# After a CPR label: any 10 digits, glued to the label or not ("CPR-nr.0102031234").
LABELLED_CPR = re.compile(
    rf"(\bcpr(?:[-.\s]*(?:nr|nummer))?\.?[:\s]*)(?:\d{{6}}|\d\d\.\d\d\.\d\d){_SERIAL}{_END}",
    re.IGNORECASE,
)

# 8 digits: bare, in pairs joined by one kind of space, dash or dot, or as 4+4.
_PHONE_DIGITS = r"(?:\d{8}|\d{2}(?P<sep>[ .\-–])\d{2}(?P=sep)\d{2}(?P=sep)\d{2}|\d{4}[ ]\d{4})"
# As 2+3+3 ("70 220 230") only after a phone label: "15 500 000" is an amount as often.
_LABELLED_PHONE_DIGITS = rf"(?:{_PHONE_DIGITS}|\d{{2}}[ ]\d{{3}}[ ]\d{{3}})"
_COUNTRY = r"(?:(?:\+|00)45[ ]?)?"
# Two years side by side ("2025 2026") are not a phone number.
PHONE = re.compile(
    rf"{_START}{_COUNTRY}(?!(?:19|20)\d\d[ ](?:19|20)\d\d\b){_PHONE_DIGITS}{_END}{_NOT_AN_AMOUNT}",
    re.IGNORECASE,
)
# After a phone label the number may be glued to it ("tlf.98765432").
LABELLED_PHONE = re.compile(
    rf"(\b(?:tlf|telefon|tel|mobil|mob)\.?{_NUMBER_LABEL}[:\s]*)"
    rf"{_COUNTRY}{_LABELLED_PHONE_DIGITS}{_END}",
    re.IGNORECASE,
)


def _account(match: re.Match[str]) -> str:
    """Replace an account number, unless a reference label says it is a case number."""
    before = match.string[max(0, match.start() - 30) : match.start()]
    return match[0] if _REFERENCE_LABEL.search(before) else "[konto]"


# Order matters: an e-mail may hold digits, and an account number may hold a
# CPR- or phone-shaped run, so the wider patterns go first; labelled forms go before
# bare ones so the label is kept.
_REPLACEMENTS = (
    (EMAIL, "[e-mail]"),
    (IBAN, "[konto]"),
    (LABELLED_CPR, r"\1[CPR]"),
    (BANK_ACCOUNT, _account),
    (CPR, "[CPR]"),
    (LABELLED_PHONE, r"\1[telefon]"),
    (PHONE, "[telefon]"),
)


def scrub(text: str) -> str:
    """Return the text with CPR numbers, e-mails, phone and account numbers replaced."""
    for pattern, replacement in _REPLACEMENTS:
        text = pattern.sub(replacement, text)  # type: ignore[arg-type]
    return text
