"""Guess headings in formats that do not mark them (plain text, PDF lines)."""

from __future__ import annotations

import re

from knowledge.models import Section

_NUMBERED = re.compile(r"^\d{1,2}(\.\d{1,2})*\.?\s+\S")
_END_PUNCTUATION = (".", ",", ";", "!")


def looks_like_heading(line: str, next_line: str | None) -> bool:
    """Return whether a line reads as a heading: short, unpunctuated, text follows."""
    stripped = line.strip()
    if not stripped or next_line is None or not next_line.strip():
        return False
    words = stripped.split()
    if len(words) > 12 or len(stripped) > 90 or stripped.endswith(_END_PUNCTUATION):
        return False
    if not (stripped[0].isupper() or _NUMBERED.match(stripped)):
        return False
    # A heading introduces a paragraph that is longer than itself.
    return len(next_line.strip()) > len(stripped)


def sections_from_lines(
    lines: list[str], page: int | None = None, parents: tuple[str, ...] = ()
) -> list[Section]:
    """Split lines into sections at guessed headings (one level below parents)."""
    sections: list[Section] = []
    heading: tuple[str, ...] = parents
    body: list[str] = []
    for i, line in enumerate(lines):
        following = _next_nonblank(lines, i)
        if looks_like_heading(line, following):
            _flush(sections, body, heading, page)
            heading = (*parents, line.strip().rstrip(":"))
            body = []
        else:
            body.append(line)
    _flush(sections, body, heading, page)
    return sections


def _next_nonblank(lines: list[str], i: int) -> str | None:
    for line in lines[i + 1 :]:
        if line.strip():
            return line
    return None


def _flush(sections: list[Section], body: list[str], heading: tuple[str, ...], page: int | None) -> None:
    text = "\n".join(body).strip()
    if text:
        sections.append(Section(text=text, headings=heading, page=page))
