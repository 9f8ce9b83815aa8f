"""Plain text: headings guessed from short lines, the title from the first real line."""

from __future__ import annotations

from pathlib import Path

from ingest.loaders.headings import sections_from_lines
from ingest.models import Section
from knowledge.errors import DocumentError


def read_text_file(path: Path) -> str:
    """Return a file's text as UTF-8 (or Latin-1 for older Danish files)."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def load_text(path: Path) -> tuple[str | None, list[Section]]:
    """Return a guessed title and the sections of a plain-text file."""
    text = read_text_file(path)
    if "\x00" in text:
        raise DocumentError("filen er binær, ikke tekst (binary file, not text)")
    lines = text.splitlines()
    return guess_title(lines), sections_from_lines(lines)


def guess_title(lines: list[str]) -> str | None:
    """Return the first line that reads like a title rather than page chrome."""
    for line in lines[:40]:
        words = line.split()
        if 4 <= len(words) <= 20 and not line.rstrip().endswith((".", "?", ":")):
            return line.strip()
    return None
