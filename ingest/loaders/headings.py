"""Headings: the heading path of marked-up formats, and guessed headings in plain lines."""

from __future__ import annotations

import re

from ingest.models import Section
from knowledge.text.answer_types import holds_contact_details
from knowledge.text.normalization import visible_line
from knowledge.text.units import is_label, is_list_item, is_numbered, wraps_into

# A numbered heading ("2. Formål", "16.3.1 Om kommuners adgang"); a list's own numbers
# ("1.", "2)") are units.is_numbered.
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
    numbered = bool(_NUMBERED.match(stripped))
    # "§ 18-midler 2026" starts with the section sign where a heading starts with a capital.
    starts = stripped[0].isupper() or stripped[0] == "§" or numbered
    if not starts or (is_list_item(stripped) and not numbered):
        return False
    if holds_contact_details(stripped):
        return False  # "Telefon: 33260376", "Ansøgningen sendes til fritid@horsens.dk": data
    # A heading introduces a paragraph: longer than itself, and prose, not another label
    # (a menu line after "Skip til hoved indholdet" does not make that a heading).
    following = next_line.strip()
    if stripped.endswith(":") and is_list_item(following):
        return False  # it introduces the list under it ("Der kan bl.a. søges til:")
    if numbered and is_numbered(following):
        return False  # "3. have en bestyrelse" above "4. være demokratisk opbygget": an item
    return len(following) > len(stripped) and (is_list_item(following) or not is_label(following))


def sections_from_lines(
    lines: list[str], page: int | None = None, parents: tuple[str, ...] = ()
) -> list[Section]:
    """Split lines into sections at guessed headings (one level below parents)."""
    sections: list[Section] = []
    heading: tuple[str, ...] = parents
    body: list[str] = []
    for line, following in zip(lines, _next_paragraphs(lines), strict=True):
        if looks_like_heading(line, following):
            _flush(sections, body, heading, page)
            heading = (*parents, line.strip().rstrip(":"))
            body = []
        else:
            body.append(line)
    _flush(sections, body, heading, page)
    return sections


# How much of a hard-wrapped paragraph the heading check reads.
_PARAGRAPH_SEEN_CHARS = 1000


def _next_paragraphs(lines: list[str]) -> list[str | None]:
    """Return, for each line, what follows it as a heading sees it: one pass from the end.

    That is the next non-blank line with the lines that wrap into it: a hard-wrapped
    paragraph ("Puljen skal være medvirkende til at give godkendte folkeoplysende" /
    "foreninger og ...") is prose, though its first line alone reads like a heading. A
    line the next one wraps into is that paragraph's first line, so "" follows it: no
    heading.
    """
    following: list[str | None] = [None] * len(lines)
    nearest: str | None = None
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i].strip()
        below = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if line and below and nearest and wraps_into(line, below):
            # Its start and some length tell prose from a heading; copying the whole of a
            # long paragraph for each of its lines took time growing with its square.
            following[i], nearest = "", f"{line} {nearest}"[:_PARAGRAPH_SEEN_CHARS]
            continue
        following[i] = nearest
        if line:
            nearest = line
    return following


def _flush(sections: list[Section], body: list[str], heading: tuple[str, ...], page: int | None) -> None:
    text = "\n".join(body).strip()
    if text:
        sections.append(Section(text=text, headings=heading, page=page))


class SectionBuilder:
    """Collect lines under the current heading path; a heading closes the section before it.

    Markdown, DOCX and HTML mark their headings with a level; this keeps the path of
    enclosing headings ("§ 18-puljen > Frister") that every chunk of a section carries.
    """

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.first_heading: str | None = None
        self._path: list[tuple[int, str]] = []
        self._lines: list[str] = []

    def heading(self, level: int, title: str) -> None:
        """Start a section under a heading of the given level (1 is the top).

        A heading a reader cannot see (only soft hyphens or zero-width spaces) is none.
        """
        title = visible_line(title)
        if not title:
            return
        self._flush()
        self.first_heading = self.first_heading or title
        self._path = [(lvl, t) for lvl, t in self._path if lvl < level] + [(level, title)]

    def line(self, text: str) -> None:
        """Add a line of body text to the current section."""
        self._lines.append(text)

    def finish(self) -> list[Section]:
        """Close the last section and return them all."""
        self._flush()
        return self.sections

    def _flush(self) -> None:
        text = "\n".join(self._lines).strip()
        if text:
            self.sections.append(Section(text=text, headings=tuple(t for _, t in self._path)))
        self._lines.clear()

