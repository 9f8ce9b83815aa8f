"""BM25 over stemmed Danish terms, with misspelt query terms mapped onto known ones."""

from __future__ import annotations

import bisect
import difflib
import math
from collections import Counter
from dataclasses import dataclass, field

import bm25s

from knowledge.index.store import ChunkRow
from knowledge.text.normalization import terms

_MIN_PREFIX = 5


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
        tokenized = [terms(index_text(row)) for row in rows]
        self.document_frequency: Counter[str] = Counter()
        for tokens in tokenized:
            self.document_frequency.update(set(tokens))
        self.vocabulary = sorted(self.document_frequency)
        self._bm25 = bm25s.BM25()
        if rows:
            self._bm25.index(tokenized, show_progress=False)

    def resolve(self, question: str) -> QueryTerms:
        """Return the question's terms, correcting misspellings against the vocabulary."""
        known: list[str] = []
        unknown: list[str] = []
        for term in dict.fromkeys(terms(question)):
            match = self._closest(term)
            if match is None:
                unknown.append(term)
            elif match not in known:
                known.append(match)
        return QueryTerms(known, unknown)

    def search(self, query: QueryTerms, k: int) -> list[tuple[ChunkRow, float]]:
        """Return up to k chunks ranked by BM25 over the known terms."""
        if not self.rows or not query.known:
            return []
        ids, scores = self._bm25.retrieve([query.known], k=min(k, len(self.rows)),
                                          show_progress=False, n_threads=1)
        return [(self.rows[int(i)], float(s)) for i, s in zip(ids[0], scores[0], strict=True)
                if s > 0]

    def idf(self, term: str) -> float:
        """Return the inverse document frequency of a term (0 for unknown terms)."""
        df = self.document_frequency.get(term, 0)
        return math.log(1 + (len(self.rows) - df + 0.5) / (df + 0.5)) if df else 0.0

    def _closest(self, term: str) -> str | None:
        if term in self.document_frequency:
            return term
        if term.isdigit() or len(term) < 4:
            return None
        # A compound written apart or a prefix ("lommepenge" for "lommepengejob").
        if len(term) >= _MIN_PREFIX:
            longer = [w for w in self._prefix_candidates(term) if w.startswith(term)]
            if longer:
                return max(longer, key=lambda w: self.document_frequency[w])
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
        return [w for w in self.vocabulary if abs(len(w) - len(term)) <= 2 and w[0] == term[0]]
