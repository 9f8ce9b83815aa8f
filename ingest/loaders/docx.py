"""DOCX: Word heading styles give the sections; tables become lines of cells."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError

from ingest.loaders.headings import SectionBuilder
from ingest.models import Section
from knowledge.errors import DocumentError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_HEADING_STYLE = re.compile(r"^(heading|overskrift)\s*(\d)$", re.IGNORECASE)


def load_docx(path: Path) -> tuple[str | None, list[Section]]:
    """Return the document's title property and its sections by heading."""
    document = _open(path)
    builder = SectionBuilder()
    for level, text in _blocks(document):
        if level is None:
            builder.line(text)
        else:
            builder.heading(level, text)
    sections = builder.finish()
    title = (document.core_properties.title or "").strip() or builder.first_heading
    return title, sections


def _open(path: Path) -> docx.document.Document:
    with path.open("rb") as handle:
        if handle.read(4) == _OLE_MAGIC:
            raise DocumentError(
                "dokumentet er beskyttet med adgangskode eller i det gamle .doc-format "
                "(password-protected or legacy .doc)"
            )
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise DocumentError(f"DOCX-filen er beskadiget (corrupt DOCX): {error}") from error


def _blocks(document: docx.document.Document) -> list[tuple[int | None, str]]:
    """Return paragraphs and table rows in order; headings carry their level."""
    blocks: list[tuple[int | None, str]] = []
    for item in document.iter_inner_content():
        if isinstance(item, docx.table.Table):
            for row in item.rows:
                cells = [cell.text.strip() for cell in row.cells if cell.text.strip()]
                if cells:
                    blocks.append((None, " | ".join(dict.fromkeys(cells))))
            continue
        text = item.text.strip()
        if not text:
            continue
        style = item.style.name if item.style is not None else ""
        match = _HEADING_STYLE.match(style)
        level = int(match.group(2)) if match else (1 if style == "Title" else None)
        if level is None and style.lower().startswith("list"):
            text = f"- {text}"
        blocks.append((level, text))
    return blocks
