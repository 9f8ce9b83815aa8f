"""Dates as pages write them: ISO in markup, Danish in the text ("Sidst opdateret 10/12 2014")."""

from __future__ import annotations

import re
from datetime import date

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_MONTHS = {name: number for number, names in enumerate(
    [("januar", "jan"), ("februar", "feb"), ("marts", "mar"), ("april", "apr"), ("maj",),
     ("juni", "jun"), ("juli", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("oktober", "okt"), ("november", "nov"), ("december", "dec")], start=1) for name in names}
_LABEL = r"(?:sidst|senest)?\s*(?:opdateret|ændret|revideret|redigeret)\s*(?:den|d\.)?\s*:?\s*"
_NUMERIC = re.compile(_LABEL + r"(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./\s-]\s*(\d{4})\b",
                      re.IGNORECASE)
_WORDS = re.compile(_LABEL + r"(\d{1,2})\.?\s+([a-zæøå]+)\.?\s+(\d{4})\b", re.IGNORECASE)
_LABELLED_ISO = re.compile(_LABEL + r"(\d{4})-(\d{2})-(\d{2})\b", re.IGNORECASE)


def parse_date(value: str) -> date | None:
    """Return the date at the start of an ISO date or timestamp ("2025-03-14T10:00+01:00")."""
    match = _ISO.match(value)
    return _date(int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None


def date_in_text(text: str) -> date | None:
    """Return the date after "Sidst opdateret", "Senest ændret" and the like, day first."""
    if match := _NUMERIC.search(text):
        return _date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    if (match := _WORDS.search(text)) and match.group(2).lower() in _MONTHS:
        return _date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))
    if match := _LABELLED_ISO.search(text):
        return _date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    return None


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
