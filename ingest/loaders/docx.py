"""DOCX: Word heading styles give the sections; tables become lines of cells."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import Table
from docx.text.paragraph import Paragraph

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
    for item in _body(document.element.body, document):
        if isinstance(item, Table):
            blocks += [(None, row) for row in _rows(item)]
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


def _body(element: BaseOxmlElement, parent: Any) -> Iterator[Paragraph | Table]:
    """Yield the paragraphs and tables of a body in order, also inside content controls.

    python-docx's iter_inner_content passes over content controls (w:sdt), which Word
    templates put around whole paragraphs ("Tekst i indholdskontrol: fristen er 1. marts").
    """
    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent)
        elif child.tag == qn("w:tbl"):
            yield Table(child, parent)
        elif child.tag == qn("w:sdt") and (content := child.find(qn("w:sdtContent"))) is not None:
            yield from _body(content, parent)


def _rows(table: Table) -> list[str]:
    """Return a table's rows as lines of cells, with the text of tables nested in a cell."""
    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell comes once for each column it spans
                continue
            seen.add(id(cell._tc))
            text = " ".join([cell.text.strip(), *(" / ".join(_rows(inner))
                                                  for inner in cell.tables)]).strip()
            if text:
                cells.append(text)
        if cells:
            lines.append(" | ".join(cells))
    return lines
