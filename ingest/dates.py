"""Dates as pages write them: ISO in markup, Danish in the text ("Sidst opdateret 10/12 2014")."""

from __future__ import annotations

import re
from datetime import date

from ingest.models import Section

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
_TIME_OF_DAY = r"(?:,?\s*(?:kl\.?\s*)?\d{1,2}[.:]\d{2})?"
_DATE_LINES = tuple(re.compile(rf"\s*(?:{pattern.pattern}){_TIME_OF_DAY}\s*\.?\s*", re.IGNORECASE)
                    for pattern in (_NUMERIC, _WORDS, _LABELLED_ISO))


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


def is_date_line(line: str) -> bool:
    """Return whether a line says only when the page was updated ("Opdateret 19.04.2022").

    It starts with a capital letter: a wrapped line of a sentence ("... er blevet" above
    "ændret den 1. juli 2024.") is none.
    """
    line = line.strip()
    return (line[:1].isupper() and any(pattern.fullmatch(line) for pattern in _DATE_LINES)
            and date_in_text(line) is not None)


def without_date_lines(sections: list[Section]) -> tuple[list[Section], date | None]:
    """Return the sections without their "Sidst opdateret ..." lines, and the latest such date.

    Such a line is the document's metadata, not its content: it is no answer to "hvornår
    ...?", and the date it gives is shown with the source. One a loader took for a heading
    (a short line above a paragraph) gives its date too, but stays where it is: it heads
    the page's content on some pages (Sønderborg's) and its footer on others.
    """
    kept: list[Section] = []
    dates: list[date] = []
    for section in sections:
        lines = section.text.split("\n")
        dated = [line for line in (*section.headings, *lines) if is_date_line(line)]
        dates += [found for line in dated if (found := date_in_text(line))]
        if not any(is_date_line(line) for line in lines):
            kept.append(section)
            continue
        text = "\n".join(line for line in lines if not is_date_line(line))
        if text.strip():
            kept.append(Section(text, section.headings, section.page))
    return kept, max(dates, default=None)
