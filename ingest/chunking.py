"""Split a document's sections into chunks that keep their heading path and page."""

from __future__ import annotations

import hashlib

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingest.models import LoadedDocument, Section
from knowledge.index.store import chunk_id
from knowledge.models import SECTION_SEPARATOR, Chunk


def split_into_chunks(
    document: LoadedDocument, doc_id: str, content_hash: str, size: int, overlap: int
) -> list[Chunk]:
    """Return the document's chunks; ids depend only on the document and its content.

    A chunk never crosses a section boundary, so a heading always stays with the
    text under it rather than ending the previous chunk.
    """
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=size,
        chunk_overlap=overlap,
        separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
        keep_separator="end",
    )
    chunks: list[Chunk] = []
    for section in _merge_continued(document.sections):
        heading = section_label(section.headings, document.meta.title)
        for piece in splitter.split_text(section.text):
            text = piece.strip()
            if not text:
                continue
            position = len(chunks)
            chunks.append(Chunk(chunk_id(doc_id, content_hash, position), text, heading,
                                section.page, position))
    return chunks


def section_label(headings: tuple[str, ...], title: str) -> str:
    """Return the heading path, without a top heading that only repeats the title."""
    if headings and _letters(headings[0]) == _letters(title):
        headings = headings[1:]
    return SECTION_SEPARATOR.join(headings)


def _letters(text: str) -> str:
    """Return only the letters and digits, lower-cased ("§ 18-puljen: x" ~ "§ 18-puljen - x")."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def stable_id(key: str) -> str:
    """Return a short id derived from a document's key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _merge_continued(sections: list[Section]) -> list[Section]:
    """Join consecutive sections with the same headings and page (split by blank lines)."""
    runs: list[tuple[Section, list[str]]] = []  # texts joined once at the end: linear
    for section in sections:
        last = runs[-1][0] if runs else None
        if last and last.headings == section.headings and last.page == section.page:
            runs[-1][1].append(section.text)
        else:
            runs.append((section, [section.text]))
    return [Section("\n\n".join(texts), first.headings, first.page) for first, texts in runs]
