"""Two renderers of an Answer, side by side: plain text and Telegram HTML (all text escaped)."""

from __future__ import annotations

from html import escape

from knowledge.answers.answer import Answer, Citation
from knowledge.answers.phrases import phrase
from knowledge.text.language import Language


def citation_label(citation: Citation, language: Language) -> str:
    """Return "title - section (page n), updated dd.mm.yyyy" for a citation."""
    passage = citation.passage
    label = passage.title + (f" - {passage.section}" if passage.section else "")
    details = []
    if passage.page is not None:
        details.append(phrase("page", language, page=passage.page))
    if passage.updated is not None:
        details.append(phrase("updated", language, date=passage.updated.strftime("%d.%m.%Y")))
    return f"{label} ({', '.join(details)})" if details else label


def _grouped(citations: list[Citation], language: Language) -> list[tuple[str, str, Citation]]:
    """Return "1, 3", the label and the first citation for each source cited under one label.

    Two chunks of one section cite the same title, section and date: listing that line
    once keeps the sources short, and each number still leads to its own passage.
    """
    groups: dict[tuple[str, str, int | None], list[Citation]] = {}
    for citation in citations:
        key = (citation_label(citation, language), citation.passage.url, citation.stale_year)
        groups.setdefault(key, []).append(citation)
    return [(", ".join(str(c.number) for c in group), label, group[0])
            for (label, _, _), group in groups.items()]


def render_text(answer: Answer) -> str:
    """Return the answer as plain text with numbered quotes and sources."""
    language = answer.language
    if not answer.found:
        return "\n".join([phrase("not_found", language),
                          phrase("ask_contact", language, contact=answer.contact)])
    lines = [phrase("intro", language), ""]
    lines += [f"{quote.text} [{quote.passage}]" for quote in answer.quotes]
    lines += ["", phrase("sources", language)]
    for numbers, label, citation in _grouped(answer.citations, language):
        lines.append(f"[{numbers}] {label}")
        if citation.passage.url:
            lines.append(f"    {citation.passage.url}")
        if citation.stale_year:
            lines.append(f"    {phrase('stale', language, year=citation.stale_year)}")
    return "\n".join(lines)


def render_html(answer: Answer) -> str:
    """Return an answer as Telegram HTML: quotes, numbered linked sources, warnings."""
    language = answer.language
    if not answer.found:
        return (f"{escape(phrase('not_found', language))}\n\n"
                f"{escape(phrase('ask_contact', language, contact=answer.contact))}")
    parts = [f"<b>{escape(phrase('intro', language))}</b>"]
    parts += [f"<blockquote>{escape(quote.text)}</blockquote> [{quote.passage}]"
              for quote in answer.quotes]
    lines = [f"<b>{escape(phrase('sources', language))}</b>"]
    for numbers, label, citation in _grouped(answer.citations, language):
        url = citation.passage.url
        lines.append(f'[{numbers}] <a href="{escape(url)}">{escape(label)}</a>' if url
                     else f"[{numbers}] {escape(label)}")
        if citation.stale_year:
            lines.append(f"⚠️ {escape(phrase('stale', language, year=citation.stale_year))}")
    parts.append("\n".join(lines))
    return "\n\n".join(parts)
