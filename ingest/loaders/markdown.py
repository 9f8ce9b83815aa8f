"""Markdown: YAML front matter for metadata, # headings for sections."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ingest.loaders.headings import SectionBuilder
from ingest.loaders.text import read_text_file
from ingest.metadata import parse_metadata
from ingest.models import Section
from knowledge.errors import DocumentError

# Closed by "---" or by YAML's end of document "..." (as Pandoc reads it).
# "[^\S\n]" is any space but a new line: files written on Windows end lines in "\r\n".
_FRONT_MATTER = re.compile(r"\A---[^\S\n]*\n(?:(.*?)\n)?(?:---|\.\.\.)[^\S\n]*(?:\n|\Z)", re.DOTALL)
_OPENING = re.compile(r"\A---[^\S\n]*\n")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return the front matter's metadata (or {} when there is none) and the body.

    Raises:
        DocumentError: there is front matter, but it is not closed, not YAML or not a
            mapping. Its "audience: internal" may be in there, so the file is not read
            as public text without it.
    """
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
    """Split Markdown at headings, keeping each section's heading path."""
    builder = SectionBuilder()
    in_fence = False
    for line in body.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match is None:
            builder.line(line)
        else:
            builder.heading(len(match.group(1)), match.group(2).strip())
    return builder.finish(), builder.first_heading
