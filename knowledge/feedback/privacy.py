"""Remove obvious personal identifiers from text before it is stored or logged.

Partners sometimes paste a CPR number, an e-mail address, a phone number or a bank
account into a question. None of it is needed to count or improve answers, so it is
replaced by a placeholder. The patterns are deliberately narrow: amounts ("75.000 kr"),
dates ("2026-01-20"), years, paragraph numbers and percentages pass untouched. Where
a figure is ambiguous it is removed: any lone 8-digit number counts as a phone number
(a CVR number too, which for a one-person business points at a person).
"""

from __future__ import annotations

import re

# A digit run must stand alone: not glued to letters, other digits or a decimal part,
# so that "1.250.000" or "12345678901" are never read as an identifier.
_START = r"(?<![\w.,+-])"
_END = r"(?!\w|[.,-]\d)"
# An 8- or 10-digit figure followed by a currency or percent sign is an amount.
_NOT_AN_AMOUNT = r"(?!\s*(?:kr\b|kr\.|dkk\b|,-|%))"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# Reg. no. (4 digits) and account (6-10 digits), joined by a dash, a space or "konto".
BANK_ACCOUNT = re.compile(
    rf"""
    (?:\breg(?:\.|istrerings)?\s*(?:nr|nummer)?[.:]?\s*  # "reg.nr." ...
    |{_START}(?!0045[ ]))                                # ... or none; bare 0045 is +45
    \d{{4}}
    (?:\s*-\s*|[\s,]*\bkonto(?:nr|nummer)?[.:]?\s*|\s+)
    \d{{6,10}}{_END}{_NOT_AN_AMOUNT}
    """,
    re.IGNORECASE | re.VERBOSE,
)

# DDMMYY-XXXX with a plausible day and month; the dash may be a space or absent.
CPR = re.compile(
    rf"{_START}(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{{2}}[- ]?\d{{4}}{_END}"
)

# 8 digits, bare, in pairs or as 4+4, with an optional +45 or 0045 in front. Two
# years side by side ("2025 2026") are not a phone number.
PHONE = re.compile(
    rf"""
    {_START}(?:(?:\+|00)45[ ]?)?
    (?!(?:19|20)\d\d[ ](?:19|20)\d\d\b)
    (?:\d{{8}}|\d{{2}}(?:[ ]\d{{2}}){{3}}|\d{{4}}[ ]\d{{4}})
    {_END}{_NOT_AN_AMOUNT}
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Order matters: an e-mail may hold digits, and an account number may hold a
# CPR- or phone-shaped run, so the wider patterns go first.
_REPLACEMENTS = (
    (EMAIL, "[e-mail]"),
    (BANK_ACCOUNT, "[konto]"),
    (CPR, "[CPR]"),
    (PHONE, "[telefon]"),
)


def scrub(text: str) -> str:
    """Return the text with CPR numbers, e-mails, phone and account numbers replaced."""
    for pattern, placeholder in _REPLACEMENTS:
        text = pattern.sub(placeholder, text)
    return text
