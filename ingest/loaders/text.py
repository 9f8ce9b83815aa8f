"""Plain text: headings guessed from short lines, the title from the first real line."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import Path

from ingest.loaders.headings import looks_like_heading, sections_from_lines
from ingest.models import Section
from knowledge.errors import DocumentError
from knowledge.text.answer_types import holds_contact_details
from knowledge.text.normalization import terms, visible_text
from knowledge.text.units import is_label, is_list_item, split_sentences

TITLE_SEARCH_LINES = 40
TITLE_PARAGRAPH_CHARS = 100
TITLE_MAX_WORDS = 20
MAX_CHROME_PROSE = 1
TITLE_TEXT_LINES = 200  # the text below a title that should use its words
MIN_NAMING_STEM = 4  # shorter stems ("læs", "få") are everyday verbs that name nothing

# Control characters other than tabs, line and page breaks: text has next to none of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_SAMPLE_CHARS = 1_000_000
_MAX_CONTROL_SHARE = 0.01
_BINARY = "filen er binær eller ikke tekst (binary file, not text)"


def read_text_file(path: Path) -> str:
    """Return a file's text: UTF-8 (or UTF-16 with a BOM), else Windows-1252/Latin-1.

    Raises:
        DocumentError: the file is binary (NUL bytes, or mostly control characters).
    """
    return decode_text(path.read_bytes())


def decode_text(raw: bytes, decode: Callable[[bytes], str] | None = None) -> str:
    """Return a file's bytes decoded by decode (default: as read_text_file), unless binary.

    Raises:
        DocumentError: the file is binary (NUL bytes, or mostly control characters).
    """
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in raw and not utf16:
        raise DocumentError(_BINARY)
    if decode is not None:
        text = decode(raw)
    else:
        text = _decode(raw, "utf-16" if utf16 else "utf-8-sig")
    sample = text[:_SAMPLE_CHARS]
    if len(_CONTROL.findall(sample)) > _MAX_CONTROL_SHARE * len(sample):
        raise DocumentError(_BINARY)
    # Before any structure is read: a line of a zero-width space is a blank line, and
    # "\u200bFrister" a heading like "Frister".
    return visible_text(text)


def _decode(raw: bytes, encoding: str) -> str:
    """Return the text in its encoding; a UTF-8 file with a stray byte stays UTF-8.

    A byte pasted from an old file must not turn a UTF-8 file into Windows-1252, which
    would garble every æ, ø and å and leave its BOM in front of the front matter (whose
    "audience: internal" would then not be read). A file is UTF-8 when it says so with a
    BOM, or when more of its letters beyond ASCII are valid UTF-8 than not: a
    Windows-1252 file has next to none.
    """
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        pass
    if encoding == "utf-8-sig":
        text = raw.decode(encoding, errors="replace")
        broken = text.count("\ufffd")
        if raw.startswith(codecs.BOM_UTF8) or sum(ord(c) > 127 for c in text) > 2 * broken:
            return text
    try:
        return raw.decode("cp1252")  # older Danish files from Windows
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def load_text(path: Path) -> tuple[str | None, list[Section]]:
    """Return a guessed title and the sections of a plain-text file."""
    text = read_text_file(path)
    lines = text.splitlines()
    start = title_line(lines)
    if start is None:
        # No title: the content starts at its first paragraph, and what is above it is
        # chrome all the same when the text uses none of its words (a cookie notice over
        # a page saved without its heading).
        first = _first_paragraph(lines)
        chrome = first is not None and not _content_above(lines, first) and not any(
            _named_below(line, lines[first : first + TITLE_TEXT_LINES]) for line in lines[:first])
        body = lines[first:] if chrome else lines
        return guess_title(body), sections_from_lines(body)
    # Above the title is page chrome: skip links, breadcrumbs, menus and at most one line
    # of prose or one bullet (a cookie notice, "• Få siden oplæst"). More prose, or a
    # list, is content after all: the guess passed over the real title, and the text stays.
    above = _content_above(lines, start)
    return lines[start].strip(), sections_from_lines([*above, "", *lines[start:]] if above
                                                     else lines[start:])


def _content_above(lines: list[str], start: int) -> list[str]:
    """Return the lines above start that are content: none if they are only chrome.

    Chrome is skip links, breadcrumbs, menus and at most one line of prose or one bullet
    (a cookie notice, "• Få siden oplæst"). A line with a phone number or an e-mail
    address is the page's contact box ("Kontoret: 20 80 14 50 Mandag, torsdag og fredag
    ... info@frivilligcenterlemvig.dk"), which no other line of the page may repeat.
    """
    content = {i for i, line in enumerate(lines[:start]) if line.strip() and not is_chrome(line)}
    if len(content) <= MAX_CHROME_PROSE:
        content = set()
    content |= {i for i, line in enumerate(lines[:start]) if holds_contact_details(line)}
    return [lines[i] for i in sorted(content)]


def _first_paragraph(lines: list[str]) -> int | None:
    """Return the index of the first paragraph of prose near the top, if there is one."""
    return next((i for i, line in enumerate(lines[:TITLE_SEARCH_LINES])
                 if len(line.strip()) >= TITLE_PARAGRAPH_CHARS
                 and line.strip().endswith((".", "!", "?", ":"))), None)


def title_line(lines: list[str]) -> int | None:
    """Return the index of the title: the first heading with a paragraph of prose under it.

    A long paragraph is preferred (a cookie line under "Spring til indhold" is prose too);
    a title-like line right above that heading is the title of the whole ("Sådan søger I
    om tilskud" above "Frister"), a menu line is not. A title may be longer than a
    heading ("Afrapportering for tilskud på over 100.000 kr. for pulje til ..."). A title
    with nothing but chrome above it is preferred, when the text below uses its words:
    text above a heading suggests the heading is a section's.
    """
    nonblank = [i for i, line in enumerate(lines[:TITLE_SEARCH_LINES]) if line.strip()]
    # Where content starts: after the chrome and one line of prose (a cookie notice).
    prose = [i for i in nonblank if not is_chrome(lines[i])]
    content_from = prose[MAX_CHROME_PROSE] if len(prose) > MAX_CHROME_PROSE else len(lines)
    for min_chars, before in ((TITLE_PARAGRAPH_CHARS, content_from), (1, content_from),
                              (TITLE_PARAGRAPH_CHARS, len(lines)), (1, len(lines))):
        for position, i in enumerate(nonblank):
            if i > before:
                break
            following = lines[nonblank[position + 1]].strip() if position + 1 < len(nonblank) else ""
            line = lines[i].strip()
            if line.endswith(":") or not (looks_like_heading(line, following)
                                          or _reads_like_title(line)):
                continue
            below = lines[i + 1 : i + 1 + TITLE_TEXT_LINES]
            if not _named_below(line, below):
                continue
            if following.endswith((".", "!", "?", ":")) and len(following) >= min_chars:
                previous = lines[nonblank[position - 1]].strip() if position else ""
                above_is_title = _reads_like_title(previous) and _named_below(previous, below)
                return nonblank[position - 1] if above_is_title else i
    return None


def _named_below(line: str, below: list[str]) -> bool:
    """Return whether the text below a line uses one of its words, as under a title.

    "Spring til indhold" or "Skip to main content" above a cookie notice names nothing
    the page is about.
    """
    words = {word for word in terms(line) if len(word) >= MIN_NAMING_STEM}
    return any(words & set(terms(text)) for text in below)


def is_chrome(line: str) -> bool:
    """Return whether a line above the title is page chrome: a menu, link or breadcrumb.

    Prose and list items above the title are content the guess put below it, and stay.
    """
    return not is_list_item(line) and is_label(" ".join(line.split()))


def _reads_like_title(line: str) -> bool:
    """Return whether a line could be a document's title: a few words, no menu, no bullet."""
    words = line.split()
    capitals = sum(1 for word in words[1:] if word[:1].isupper())
    return (4 <= len(words) <= TITLE_MAX_WORDS and not line.endswith((".", "?", ":", "!"))
            and capitals < len(words) / 4 and not is_list_item(line)
            and len(split_sentences(line)) == 1)


def guess_title(lines: list[str]) -> str | None:
    """Return the first line that reads like a title rather than page chrome."""
    return next((line.strip() for line in lines[:TITLE_SEARCH_LINES]
                 if _reads_like_title(line.strip())), None)
