"""Keep the answer to the documents a question singles out.

A rare word of the question ("egedal", "bueskydning", "ensomhedspuljen") names what the
question is about: among several documents on the same topic (every municipality has
a § 18 pool), the answer must come from the ones that mention it, even when another
document's passage ranks higher by meaning. Rare means in fewer than a share of the
chunks; a word found throughout the documents (the municipality's own name in its own
documents) singles nothing out. Only proper names count (words the documents write with
a capital inside a sentence and never in lower case, knowledge.text.keyword_index):
everyday words that happen to be rare ("sidste", "fik") single nothing out. A document mentions a word in its title,
headings, the text of any retrieved passage, or its address. Among the documents
naming the place (a town names its municipality too: knowledge.answers.evidence), those
also naming the law section or year the question names ("§ 18")
are kept: a municipality has pages on job centre schemes and on its § 18 pool. A question
naming no place but a law section is answered from the documents naming that section
(not only in a link text), when the best-ranked one does.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.models import Passage
from knowledge.text.keyword_index import KeywordIndex, QueryTerms, address_words
from knowledge.text.normalization import REFERENCE, terms

MIN_COMPOUND_PART = 5


@dataclass(frozen=True)
class Focus:
    """The passages to answer from, and the question's names no retrieved document mentions."""

    passages: list[Passage]
    unmatched: tuple[str, ...]


def focus(passages: list[Passage], candidates: list[Passage], query: QueryTerms,
          keyword: KeywordIndex | None, rare_share: float) -> Focus:
    """Return the passages of the documents that mention most of the question's rare words.

    They are looked for among all candidates of the search, after the top passages:
    the page of the municipality asked about often ranks below other municipalities'
    pages on the same topic, and a page's fact below its other passages.
    """
    rare = rare_terms(query, keyword, rare_share)
    if not rare or not passages:
        return Focus(_naming_sections(passages, query, keyword), ())
    passages = list({p.chunk_id: p for p in [*passages, *candidates]}.values())
    mentioned: dict[str, set[str]] = {}
    for passage in passages:
        mentioned.setdefault(passage.doc_key, set()).update(passage_terms(passage))
    # A law section or a year the question names ("§ 18") tells apart the pages of one
    # place: among those naming the place, the ones that also name it.
    references = [t for t in query.known if REFERENCE.fullmatch(t)]
    matches = {doc: (sum(mentions(term, found) for term in rare),
                     sum(term in found for term in references))
               for doc, found in mentioned.items()}
    best = max(matches.values())
    unmatched = tuple(t for t in rare if not any(mentions(t, f) for f in mentioned.values()))
    if best[0] == 0:
        return Focus(passages, unmatched)
    return Focus([p for p in passages if matches[p.doc_key] == best], unmatched)


def _naming_sections(passages: list[Passage], query: QueryTerms,
                     keyword: KeywordIndex | None) -> list[Passage]:
    """Return the passages of the documents naming the law section the question names,
    when the best passage's document names it.

    "hvad skal vi vedlægge ansøgningen til paragraf 18 puljen" found the culture pool's
    page beside the § 18 page, and quoted its list of what to enclose first. A document
    names a section anywhere in it, not only in the chunk found ("Dokumentationskravene
    gælder for § 18-puljen" opens a page whose list was found), but in its own words, not
    in a link to another page (KeywordIndex.own_words). When the best passage's
    document does not name it, the question is about something the section's pages do
    not hold ("skal vi have revisor på et § 18 tilskud?" finds the pages on revision),
    and the evidence check decides. Only among the passages found: the lower candidates
    brought in passages the question does not come near, and only sections, since a
    year names the period a rule holds for, not a page.
    """
    sections = [t for t in query.known if REFERENCE.fullmatch(t) and t.startswith("paragraf")]
    if not sections or keyword is None or not passages:
        return passages

    def names(passage: Passage) -> bool:
        return any(section in keyword.own_words(passage.doc_key) for section in sections)

    return [p for p in passages if names(p)] if names(passages[0]) else passages


def rare_terms(query: QueryTerms, keyword: KeywordIndex | None, rare_share: float) -> list[str]:
    """Return the question's words that are rare proper names in the documents."""
    if keyword is None or not keyword.rows:
        return []
    limit = rare_share * len(keyword.rows)
    return [t for t in query.known if t in keyword.proper_names
            and keyword.document_frequency.get(t, 0) < limit]


def passage_terms(passage: Passage) -> set[str]:
    """Return the terms of a passage with what names it: title, heading, text and address."""
    address = address_words({"url": passage.url, "file": passage.file})
    return set(terms(f"{passage.title} {passage.section} {passage.text} {address}"))


def mentions(term: str, found: set[str]) -> bool:
    """Return whether the term, or a compound made with it, is among the found terms."""
    return term in found or len(term) >= MIN_COMPOUND_PART and any(
        word.startswith(term) or word.endswith(term) for word in found)
