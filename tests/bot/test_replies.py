"""What the bot says for /kilder when the index is a whole website."""

from __future__ import annotations

from datetime import date, timedelta

from bot.replies import MAX_LISTED_DOCUMENTS, documents
from knowledge.index.manifest import DocumentRecord, Manifest


def _page(n: int) -> DocumentRecord:
    url = f"https://www.eksempel-kommune.dk/side-{n}"
    updated = (date(2010, 1, 1) + timedelta(days=n)).isoformat() if n % 2 else ""
    return DocumentRecord(key=url, file=url, content_hash=str(n), title=f"Side {n:04d}", url=url,
                          audience="public", updated=updated, contact="", chunk_ids=[f"c{n}"])


def test_a_website_of_thousands_of_pages_is_listed_in_brief() -> None:
    records = [_page(n) for n in range(5000)]
    manifest = Manifest(1, "g1", "model", 384, documents={r.key: r for r in records})
    reply = documents(manifest, records)
    assert reply.startswith("<b>Svarene bygger på 5000 dokumenter.")
    assert reply.count("• ") == MAX_LISTED_DOCUMENTS and len(reply) < 4096
    assert "Side 4999" in reply and "Side 0001" not in reply  # the most recently updated
