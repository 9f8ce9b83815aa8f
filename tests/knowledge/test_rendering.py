"""How an answer reads: one line per source a reader can tell apart."""

from __future__ import annotations

from datetime import date

from knowledge.answers.answer import Answer, Citation, Quote
from knowledge.answers.rendering import render_html, render_text
from knowledge.models import Passage


def _passage(chunk_id: str, section: str) -> Passage:
    return Passage(chunk_id=chunk_id, text="...", doc_key="puljen.md", file="puljen.md",
                   title="§ 18-puljen", section=section, page=None,
                   updated=date(2026, 3, 1), url="https://nordby.dk/puljen",
                   audience="public", contact="")


def _answer() -> Answer:
    cited = [_passage("a", "Frister"), _passage("b", "Ansøgning"), _passage("c", "Frister")]
    citations = [Citation(n, passage, stale=False) for n, passage in enumerate(cited, start=1)]
    quotes = [Quote("Fristen er 1. marts.", 1), Quote("Søg på nordby.dk.", 2),
              Quote("Svar kommer i maj.", 3)]
    return Answer("hvornår er fristen?", "da", True, quotes, citations)


def test_chunks_of_one_section_are_listed_as_one_source() -> None:
    sources = render_text(_answer()).split("Kilder:\n", 1)[1].splitlines()
    assert [line for line in sources if line.startswith("[")] == [
        "[1, 3] § 18-puljen - Frister (opdateret 01.03.2026)",
        "[2] § 18-puljen - Ansøgning (opdateret 01.03.2026)",
    ]
    assert "Svar kommer i maj. [3]" in render_text(_answer())


def test_telegram_lists_one_linked_source_per_section() -> None:
    html = render_html(_answer())
    assert html.count('<a href="https://nordby.dk/puljen">') == 2
    assert '[1, 3] <a href="https://nordby.dk/puljen">§ 18-puljen - Frister' in html
