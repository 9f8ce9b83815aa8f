"""Read any supported file into a LoadedDocument with metadata and sections."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from ingest.dates import without_date_lines
from ingest.loaders.docx import load_docx
from ingest.loaders.html import load_html
from ingest.loaders.markdown import load_markdown
from ingest.loaders.pdf import load_pdf
from ingest.loaders.text import load_text
from ingest.metadata import build_meta, clean_metadata, read_sidecars, sidecar_paths
from ingest.models import DocumentMeta, LoadedDocument, Section
from knowledge.errors import DocumentError

__all__ = ["SUPPORTED_SUFFIXES", "build_meta", "load_document", "sidecar_paths"]

SUPPORTED_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt")

# A loader returns the metadata a file states, lowest priority first, and its sections.
Loader = Callable[[Path], tuple[list[Mapping[str, Any]], list[Section]]]


def load_document(path: Path, known: DocumentMeta | None = None) -> LoadedDocument:
    """Read a document and its metadata.

    Args:
        path: a file with one of SUPPORTED_SUFFIXES.
        known: what the place the file came from says about it (a file a web page links
            to: its URL, audience and that page's title). It stands instead of a sidecar
            and the defaults; only a title the file names itself, and the date of a
            "Sidst opdateret" line, take their places.

    Raises:
        DocumentError: the file is empty, corrupt, protected, binary or has no text, or
            its metadata (front matter, sidecar) cannot be read.
    """
    if known is not None:
        stated, sections = read_content(path)
        clean = clean_metadata(stated, path)
        return LoadedDocument(meta=replace(known, title=clean.get("title") or known.title,
                                           updated=clean.get("updated") or known.updated),
                              sections=sections)
    sidecars = read_sidecars(path)  # unreadable metadata fails before any parsing
    stated, sections = read_content(path)
    # The sidecar wins; a bad value in it falls back to what the document says itself.
    clean = clean_metadata([*stated, *sidecars], path)
    return LoadedDocument(meta=build_meta(clean, path), sections=sections)


def read_content(path: Path) -> tuple[list[Mapping[str, Any]], list[Section]]:
    """Return what a file says about itself and its sections (no sidecar, no defaults).

    The metadata is as the file states it, not yet cleaned, lowest priority first.

    Raises:
        DocumentError: the file is empty, corrupt, protected, binary or has no text.
    """
    if path.stat().st_size == 0:
        raise DocumentError("filen er tom (empty file)")
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None:
        raise DocumentError(f"filtypen {path.suffix or '(ingen)'} understøttes ikke (unsupported)")
    stated, sections = loader(path)
    sections, updated = without_date_lines(sections)
    if not any(section.text.strip() for section in sections):
        raise DocumentError("dokumentet indeholder ingen tekst (no text)")
    # The date a "Sidst opdateret" line gives counts least: the file's own metadata wins.
    return ([{"updated": updated}, *stated] if updated else stated), sections


def _markdown(path: Path) -> tuple[list[Mapping[str, Any]], list[Section]]:
    front, heading, sections = load_markdown(path)
    return [{"title": heading}, front], sections  # a title in the front matter wins


def _html(path: Path) -> tuple[list[Mapping[str, Any]], list[Section]]:
    found, sections = load_html(path)
    return [found], sections


def _titled(load: Callable[[Path], tuple[str | None, list[Section]]]) -> Loader:
    def loader(path: Path) -> tuple[list[Mapping[str, Any]], list[Section]]:
        title, sections = load(path)
        return [{"title": title}], sections

    return loader


_LOADERS: dict[str, Loader] = {
    ".pdf": _titled(load_pdf),
    ".docx": _titled(load_docx),
    ".txt": _titled(load_text),
    ".md": _markdown,
    ".markdown": _markdown,
    ".html": _html,
    ".htm": _html,
}
