"""Chunks keep their heading path and page, never cross a section, and have stable ids."""

from __future__ import annotations

from ingest.chunking import section_label, split_into_chunks
from ingest.models import DocumentMeta, LoadedDocument, Section

LONG = " ".join(f"Sætning nummer {i} handler om tilskud og regnskab." for i in range(60))


def _document() -> LoadedDocument:
    return LoadedDocument(
        meta=DocumentMeta(title="Puljen"),
        sections=[
            Section("Kort intro om puljen.", ("Puljen",), 1),
            Section(LONG, ("Puljen", "Regnskab"), 1),
            Section("Svar kommer i maj.", ("Puljen", "Svar"), 2),
        ],
    )


def test_chunks_stay_inside_sections_and_keep_heading_and_page() -> None:
    chunks = split_into_chunks(_document(), "doc1", "abcdef0123456789", size=300, overlap=50)
    assert chunks[0].section == "" and chunks[0].text == "Kort intro om puljen."
    middle = [c for c in chunks if c.section == "Regnskab"]
    assert len(middle) > 3 and all(len(c.text) <= 300 for c in middle)
    assert all(c.page == 1 for c in middle)
    assert chunks[-1].section == "Svar" and chunks[-1].page == 2
    assert chunks[-1].text == "Svar kommer i maj."  # the heading's text starts its own chunk
    assert [c.position for c in chunks] == list(range(len(chunks)))


def test_chunk_ids_are_stable_and_change_with_content() -> None:
    first = split_into_chunks(_document(), "doc1", "abcdef0123456789", 300, 50)
    again = split_into_chunks(_document(), "doc1", "abcdef0123456789", 300, 50)
    edited = split_into_chunks(_document(), "doc1", "fedcba9876543210", 300, 50)
    assert [c.id for c in first] == [c.id for c in again]
    assert not {c.id for c in first} & {c.id for c in edited}


def test_section_label_drops_a_top_heading_that_repeats_the_title() -> None:
    assert section_label(("Puljen", "Frister"), "puljen") == "Frister"
    assert section_label(("Andet", "Frister"), "Puljen") == "Andet > Frister"
