"""PDF: text per page (page numbers kept), headings found by font size."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError, PdfStreamError

from ingest.loaders.headings import sections_from_lines
from ingest.models import Section
from knowledge.errors import DocumentError

_HEADING_SCALE = 1.15


def load_pdf(path: Path) -> tuple[str | None, list[Section]]:
    """Return the PDF's own title (if set) and its sections, page by page."""
    reader = _open(path)
    pages = [_page_lines(page) for page in reader.pages]
    if not any(text.strip() for lines in pages for text, _ in lines):
        raise DocumentError(
            "PDF'en har ingen tekst - måske er den skannet (no extractable text; scanned?)"
        )
    body_size = _body_font_size(pages)
    sections: list[Section] = []
    parents: tuple[str, ...] = ()
    for number, lines in enumerate(pages, start=1):
        page_sections, parents = _page_sections(lines, body_size, parents, number)
        sections.extend(page_sections)
    return _metadata_title(reader), sections


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError("PDF'en er beskyttet med adgangskode (password-protected)")
        _ = len(reader.pages)
        return reader
    except FileNotDecryptedError as error:
        raise DocumentError("PDF'en er beskyttet med adgangskode (password-protected)") from error
    except (PdfReadError, PdfStreamError, ValueError, KeyError, OSError) as error:
        raise DocumentError(f"PDF'en er beskadiget (corrupt PDF): {error}") from error


def _page_lines(page: Any) -> list[tuple[str, float]]:
    """Return the page's lines, each with the largest font size used on it."""
    sizes: dict[int, float] = {}
    runs: list[tuple[str, float]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        scale = abs(tm[0] * cm[0]) if tm and cm else 1.0
        runs.append((text, size * (scale or 1.0)))

    try:
        text = page.extract_text(visitor_text=visit) or ""
    except Exception as error:  # pypdf raises many types on broken content streams
        raise DocumentError(f"PDF'en er beskadiget (corrupt PDF): {error}") from error
    for run_text, size in runs:
        for line in run_text.splitlines():
            if line.strip():
                key = hash(line.strip())
                sizes[key] = max(size, sizes.get(key, 0.0))
    return [(line, sizes.get(hash(line.strip()), 0.0)) for line in text.splitlines()]


def _body_font_size(pages: list[list[tuple[str, float]]]) -> float:
    weights: Counter[float] = Counter()
    for lines in pages:
        for text, size in lines:
            weights[round(size, 1)] += len(text)
    return weights.most_common(1)[0][0] if weights else 0.0


def _page_sections(
    lines: list[tuple[str, float]], body_size: float, parents: tuple[str, ...], page: int
) -> tuple[list[Section], tuple[str, ...]]:
    """Split one page at larger-font lines; a section may continue from the last page."""
    if body_size <= 0 or not any(size > body_size * _HEADING_SCALE for _, size in lines):
        return sections_from_lines([t for t, _ in lines], page, parents), parents
    sections: list[Section] = []
    body: list[str] = []
    in_heading = False  # the lines since the last heading line are blank
    for text, size in lines:
        if size > body_size * _HEADING_SCALE and len(text.strip()) <= 120:
            if in_heading:  # a heading wrapped onto the next line
                parents = (f"{parents[0]} {text.strip()}",)
                continue
            if body and "\n".join(body).strip():
                sections.append(Section("\n".join(body).strip(), parents, page))
            body = []
            parents = (text.strip(),)
            in_heading = True
        else:
            body.append(text)
            in_heading = in_heading and not text.strip()
    if "\n".join(body).strip():
        sections.append(Section("\n".join(body).strip(), parents, page))
    return sections, parents


def _metadata_title(reader: PdfReader) -> str | None:
    try:
        title = reader.metadata.title if reader.metadata else None
    except Exception:  # a broken info dictionary must not fail the whole document
        return None
    return title.strip() if isinstance(title, str) and title.strip() else None
