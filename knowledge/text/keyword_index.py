"""BM25 over stemmed Danish terms, with misspelt query terms mapped onto known ones."""

from __future__ import annotations

import bisect
import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass, field

import bm25s
import simplemma

from knowledge.index.store import ChunkRow
from knowledge.text.normalization import STOPWORDS, ascii_danish, stem, terms, words
from knowledge.text.units import split_units

_MIN_PREFIX = 5
MIN_COMPOUND_PART = 3
_URL_WORDS = re.compile(r"[a-zæøå]+")
_MID_SENTENCE_CAPITAL = re.compile(r"(?<=[a-zæøå,] )[A-ZÆØÅ][a-zæøåA-ZÆØÅ]+")
_LOWER_WORD = re.compile(r"\b[a-zæøå][a-zæøå]+\b")
_ASCII_DANISH_WORD = re.compile(r"\b\w*(?:aa|ae|oe)\w*\b", re.IGNORECASE)


@dataclass(frozen=True)
class QueryTerms:
    """A question's search terms: those the index knows and those it has never seen."""

    known: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def index_text(row: ChunkRow) -> str:
    """Return what keyword search sees of a chunk: its heading and text.

    Not the document title: repeated in every chunk, it makes the shortest chunks of a
    document (page chrome, a lone address) outrank its real content.
    """
    return f"{row.metadata.get('section', '')}\n{row.text}"


class KeywordIndex:
    """An in-memory BM25 index over one audience's chunks of one generation."""

    def __init__(self, rows: list[ChunkRow]) -> None:
        self.rows = rows
        self._by_id = {row.id: row for row in rows}
        self._by_document: dict[str, list[ChunkRow]] = {}
        for row in rows:
            self._by_document.setdefault(str(row.metadata.get("doc_key", "")), []).append(row)
        tokenized = [terms(index_text(row)) for row in rows]
        self.document_frequency: Counter[str] = Counter()
        for tokens in tokenized:
            self.document_frequency.update(set(tokens))
        # Words of titles and addresses are known words too (a municipality's name is often only there),
        # though keyword search ranks chunks by heading and text alone.
        name_terms = [terms(_name_text(row.metadata)) for row in rows]
        self.title_terms = frozenset(t for found in name_terms for t in found)
        # Every term of a document: its text, headings, title and address.
        self._document_terms: dict[str, set[str]] = {}
        for row, tokens, names in zip(rows, tokenized, name_terms, strict=True):
            key = str(row.metadata.get("doc_key", ""))
            self._document_terms.setdefault(key, set()).update(tokens, names)
        self._own_words: dict[str, set[str]] = {}
        self.vocabulary = sorted(set(self.document_frequency) | self.title_terms)
        self._reversed_vocabulary = sorted(word[::-1] for word in self.vocabulary)
        self._by_start_and_length: dict[tuple[str, int], list[str]] = {}
        for word in self.vocabulary:
            self._by_start_and_length.setdefault((word[0], len(word)), []).append(word)
        # Names: capitalised only, in titles and text; and the words of addresses.
        self.proper_names = proper_names(
            [f"{row.metadata.get('title', '')}. {row.text}" for row in self.rows]
        ) | frozenset(t for row in self.rows for t in terms(address_words(row.metadata)))
        self._bm25 = bm25s.BM25()
        if rows:
            self._bm25.index(tokenized, show_progress=False)

    def resolve(self, question: str, english: bool = False) -> QueryTerms:
        """Return the question's terms, correcting misspellings against the vocabulary.

        In an English question an English word ("centre") is no misspelt Danish one:
        corrected, it became a Danish name ("Center for Civilsamfund") the answer then had
        to come from.
        """
        known: list[str] = []
        unknown: list[str] = []
        for word in dict.fromkeys(words(question)):
            # "hvornaar", "vaere", "socialoekonomisk": Danish typed without æ, ø, å. The
            # spelling with them is tried before any correction: corrected, "vaere"
            # would become "var".
            spellings = list(dict.fromkeys([word, ascii_danish(word)]))
            if any(spelling in STOPWORDS for spelling in spellings):
                continue
            stems = [stem(spelling) for spelling in spellings]
            # Every spelling the index knows: "boerneattest" may name a page in its
            # address while its text writes "børneattest", which keyword search needs.
            matches = [s for s in stems if self.knows(s)]
            if not matches:
                # A misspelling of a known word, or the last part of one of the documents'
                # compounds ("rækkefølge" in "prioriteringsrækkefølge"): quotes find it there.
                match = next((m for m in map(self._closest, stems) if m), None) or next(
                    (s for s in stems if len(s) >= _MIN_PREFIX and self._ends_some_word(s)), None)
                if match in self.proper_names and english and simplemma.is_known(word, lang="en"):
                    match = None
                if match is None:
                    unknown.append(stems[0])  # as the question spells it
                    continue
                matches = [match]
            known.extend(m for m in matches if m not in known)
        return QueryTerms(known, unknown)

    def respelled(self, text: str) -> str:
        """Return the text with words typed without æ, ø, å spelt as the documents spell them.

        "hvornaar skal vi have boerneattest paa traenerne" is embedded as "hvornår skal vi
        have børneattest på trænerne": the model reads the Danish spelling better. A word
        the texts use as typed ("Aalborg") stays, and so does one whose Danish spelling
        they do not know.
        """
        def spelt(match: re.Match[str]) -> str:
            word = match.group(0)
            typed = word.lower()
            danish = ascii_danish(typed)  # the pattern matched only words it changes
            if self._reads(typed) or not self._reads(danish):
                return word
            return danish.capitalize() if word[0].isupper() else danish

        return _ASCII_DANISH_WORD.sub(spelt, text)

    def _reads(self, word: str) -> bool:
        """Return whether the word is a stop word or a word of the texts (not only addresses)."""
        return word in STOPWORDS or stem(word) in self.document_frequency

    def row(self, chunk_id: str) -> ChunkRow | None:
        """Return one chunk of this index (of its audiences) by id."""
        return self._by_id.get(chunk_id)

    def rows_of(self, doc_key: str) -> list[ChunkRow]:
        """Return the chunks of one document in this index."""
        return self._by_document.get(doc_key, [])

    def document_terms(self, doc_key: str) -> set[str]:
        """Return the terms of one document in this index (empty if it has none here)."""
        return self._document_terms.get(doc_key, set())

    def own_words(self, doc_key: str) -> set[str]:
        """Return the terms a document says itself, not in links and menus naming other pages.

        Its title, headings and address, its sentences, lists and table rows, and a label
        line followed by what it heads (a heading the loader missed: "Tilskud efter
        serviceloven § 18" above its paragraph). A label ending its chunk is a link or a
        menu ("Læs mere om § 18-puljen" at the foot of a page on revision). Read once per
        document.
        """
        found = self._own_words.get(doc_key)
        if found is None:
            said = []
            for row in self.rows_of(doc_key):
                said += [_name_text(row.metadata), str(row.metadata.get("section", ""))]
                units = split_units(row.text)
                said += [unit.text for unit, following in zip(units, [*units[1:], None])
                         if unit.kind != "label" or " | " in unit.text
                         or following is not None and following.quotable]
            found = self._own_words[doc_key] = set(terms(" ".join(said)))
        return found

    def search(self, query: QueryTerms, k: int) -> list[tuple[ChunkRow, float]]:
        """Return up to k chunks ranked by BM25 over the known terms."""
        if not self.rows or not query.known:
            return []
        ids, scores = self._bm25.retrieve([query.known], k=min(k, len(self.rows)),
                                          show_progress=False, n_threads=1)
        return [(self.rows[int(i)], float(s)) for i, s in zip(ids[0], scores[0], strict=True)
                if s > 0]

    def knows(self, term: str) -> bool:
        """Return whether the documents use the term as it is spelt (names are not misspelt)."""
        return term in self.document_frequency or term in self.title_terms

    def composed_of_known(self, term: str) -> bool:
        """Return whether an unknown compound joins two words the documents use.

        "ældreforening" or "bevillingsstørrelse" are made of the documents' own words (an
        everyday way to say what they say), and "praktikant" is the last part of their
        "virksomhedspraktikant"; "julehjælpspuljen" or "hundeskat" add a word they never
        use, and so name something they do not cover.
        """
        if self._ends_some_word(term):
            return True
        for cut in range(MIN_COMPOUND_PART, len(term) - MIN_COMPOUND_PART + 1):
            head, tail = term[:cut], term[cut:]
            # The first part as written and as the index keeps it: "træner" is "træn"
            # there, and a linking "s" or "e" goes too ("forenings", "jule").
            heads = [head, stem(head)]
            # The term is a stem already, so its tail is one too: stemmed again, "kurs"
            # (of "instruktørkurser") would lose its "s" and be too short to find.
            if any(self._is_word_start(h) for h in heads) and (
                    self._closest(tail) or self._closest(stem(tail))):
                return True
        return False

    def _ends_some_word(self, term: str) -> bool:
        """Return whether a known word ends with the term (the words kept reversed, sorted)."""
        reversed_term = term[::-1]
        at = bisect.bisect_left(self._reversed_vocabulary, reversed_term)
        return at < len(self._reversed_vocabulary) and \
            self._reversed_vocabulary[at].startswith(reversed_term)

    def _is_word_start(self, part: str) -> bool:
        return len(part) >= MIN_COMPOUND_PART and bool(self._prefix_candidates(part))

    def idf(self, term: str) -> float:
        """Return the inverse document frequency of a term (0 for unknown terms)."""
        df = self.document_frequency.get(term, 0)
        return math.log(1 + (len(self.rows) - df + 0.5) / (df + 0.5)) if df else 0.0

    def _closest(self, term: str) -> str | None:
        if term in self.document_frequency or term in self.title_terms:
            return term
        if term.isdigit() or len(term) < 4:
            return None
        # A compound written apart or a prefix ("lommepenge" for "lommepengejob").
        if len(term) >= _MIN_PREFIX:
            longer = [w for w in self._prefix_candidates(term) if w.startswith(term)]
            if longer:
                return max(longer, key=lambda w: self.document_frequency.get(w, 0))
        close = difflib.get_close_matches(term, self._near_length(term), n=1, cutoff=0.84)
        return close[0] if close else None

    def _prefix_candidates(self, term: str) -> list[str]:
        start = bisect.bisect_left(self.vocabulary, term)
        found = []
        for word in self.vocabulary[start:]:
            if not word.startswith(term):
                break
            found.append(word)
        return found

    def _near_length(self, term: str) -> list[str]:
        """Return the known words that start as the term does and are nearly as long."""
        return [word for length in range(len(term) - 2, len(term) + 3)
                for word in self._by_start_and_length.get((term[0], length), [])]


def _name_text(metadata: dict[str, object]) -> str:
    """Return what names a chunk's document: its title and the words of its address."""
    return f"{metadata.get('title', '')} {address_words(metadata)}"


def address_words(metadata: dict[str, object]) -> str:
    """Return the words of a document's URL and file name, also as Danish spells them.

    Addresses and file names name their document ("viborg-idraetsraad-boerneattest.txt",
    "www.odense.dk/..."), often with the one mention of the municipality a page has.
    """
    address = f"{metadata.get('url') or ''} {metadata.get('file') or ''}".lower()
    found = _URL_WORDS.findall(address)
    return " ".join([*found, *(ascii_danish(word) for word in found)])


def proper_names(texts: list[str]) -> frozenset[str]:
    """Return the terms the texts only ever write with a capital inside a sentence.

    Danish writes common nouns in lower case, so a word capitalised after a lower-case
    word, and never written in lower case, names something: a municipality, an
    organisation, a pool ("Frederikshavn", "Socialudvalget", "NemKonto").
    """
    capitalised: set[str] = set()
    lower: set[str] = set()
    for text in texts:
        capitalised.update(stem(w.lower()) for w in _MID_SENTENCE_CAPITAL.findall(text))
        lower.update(stem(w) for w in _LOWER_WORD.findall(text))
    return frozenset(capitalised - lower - STOPWORDS)
