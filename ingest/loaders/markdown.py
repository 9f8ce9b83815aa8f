"""Markdown: YAML front matter for metadata, CommonMark headings for sections."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ingest.loaders.headings import SectionBuilder
from ingest.loaders.text import read_text_file
from ingest.metadata import parse_metadata
from ingest.models import Section
from knowledge.errors import DocumentError

# Closed by "---" or by YAML's end of document "..." (as Pandoc reads it). Blank lines
# before it do not hide it: its "audience: internal" must be read (lines end in "\n" here).
# "[^\S\n]" is any space but a new line.
_FRONT_MATTER = re.compile(
    r"\A\s*---[^\S\n]*\n(?:(.*?)\n)?(?:---|\.\.\.)[^\S\n]*(?:\n|\Z)", re.DOTALL)
_OPENING = re.compile(r"\A\s*---[^\S\n]*\n")
_COMMONMARK = MarkdownIt("commonmark")
_NEWLINE = re.compile(r"\r\n?|\n")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return the front matter's metadata (or {} when there is none) and the body.

    Raises:
        DocumentError: there is front matter, but it is not closed, not YAML or not a
            mapping. Its "audience: internal" may be in there, so the file is not read
            as public text without it.
    """
    text = _NEWLINE.sub("\n", text)  # Windows' "\r\n" and old Macs' "\r" alike
    match = _FRONT_MATTER.match(text)
    if match:
        return parse_metadata(match.group(1) or "", "front matter"), text[match.end() :]
    if _OPENING.match(text):
        raise DocumentError("front matter er ikke afsluttet med en linje med --- "
                            "(front matter not closed)")
    return {}, text


def load_markdown(path: Path) -> tuple[dict[str, Any], str | None, list[Section]]:
    """Return the front matter's metadata, the first # heading and the sections."""
    front, body = split_front_matter(read_text_file(path))
    sections, first_heading = markdown_sections(body)
    return front, first_heading, sections


def markdown_sections(body: str) -> tuple[list[Section], str | None]:
    """Split Markdown at its headings, keeping each section's heading path.

    Headings are what CommonMark reads as headings (markdown-it-py): "# Frister" and a
    line underlined with "===" or "---", never a "#" line inside a code block. Other lines
    are kept as written.
    """
    tokens = _COMMONMARK.parse(body)
    headings: dict[int, tuple[int, int, str]] = {}  # first line: level, line after, text
    for token, inline in zip(tokens, tokens[1:], strict=False):
        # A heading in a quote or a list item is part of it ("> # Bemærk"), and "#" alone
        # names nothing: both stay lines of the section they are in.
        if token.type == "heading_open" and token.level == 0 and token.map and _plain(inline):
            start, end = token.map
            headings[start] = (int(token.tag[1:]), end, _plain(inline))
    builder = SectionBuilder()
    lines = _NEWLINE.split(body)  # as markdown-it numbers them
    number = 0
    while number < len(lines):
        if number in headings:
            level, number, text = headings[number]
            builder.heading(level, text)
        else:
            builder.line(lines[number])
            number += 1
    return builder.finish(), builder.first_heading


def _plain(inline: Token) -> str:
    """Return a heading's text without its markup ("Frister for **2026**")."""
    words = [child.content for child in inline.children or []
             if child.type in ("text", "code_inline", "image")]
    return " ".join(" ".join(words).split())
