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


def render_text(answer: Answer) -> str:
    """Return the answer as plain text with numbered quotes and sources."""
    language = answer.language
    if not answer.found:
        return "\n".join([phrase("not_found", language),
                          phrase("ask_contact", language, contact=answer.contact)])
    lines = [phrase("intro", language), ""]
    lines += [f"{quote.text} [{quote.passage}]" for quote in answer.quotes]
    lines += ["", phrase("sources", language)]
    for citation in answer.citations:
        lines.append(f"[{citation.number}] {citation_label(citation, language)}")
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
    for citation in answer.citations:
        label = escape(citation_label(citation, language))
        url = citation.passage.url
        lines.append(f'[{citation.number}] <a href="{escape(url)}">{label}</a>' if url
                     else f"[{citation.number}] {label}")
        if citation.stale_year:
            lines.append(f"⚠️ {escape(phrase('stale', language, year=citation.stale_year))}")
    parts.append("\n".join(lines))
    return "\n\n".join(parts)
