"""Plain text: headings guessed from short lines, the title from the first real line."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ingest.loaders.headings import sections_from_lines
from ingest.models import Section
from knowledge.errors import DocumentError

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
    raw = path.read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(raw, "utf-16")
    elif b"\x00" in raw:
        raise DocumentError(_BINARY)
    else:
        text = _decode(raw, "utf-8-sig")
    sample = text[:_SAMPLE_CHARS]
    if len(_CONTROL.findall(sample)) > _MAX_CONTROL_SHARE * len(sample):
        raise DocumentError(_BINARY)
    return text


def _decode(raw: bytes, encoding: str) -> str:
    for candidate in (encoding, "cp1252"):  # cp1252: older Danish files from Windows
        try:
            return raw.decode(candidate)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def load_text(path: Path) -> tuple[str | None, list[Section]]:
    """Return a guessed title and the sections of a plain-text file."""
    text = read_text_file(path)
    lines = text.splitlines()
    return guess_title(lines), sections_from_lines(lines)


def guess_title(lines: list[str]) -> str | None:
    """Return the first line that reads like a title rather than page chrome."""
    for line in lines[:40]:
        words = line.split()
        if 4 <= len(words) <= 20 and not line.rstrip().endswith((".", "?", ":")):
            return line.strip()
    return None
