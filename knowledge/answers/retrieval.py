"""Hybrid retrieval: dense search in Chroma plus Danish BM25, fused by score.

Fusion is a convex combination of the two scores, each min-max normalised per query.
On bench/questions.jsonl it beat reciprocal rank fusion and either half alone (README,
"Answer figures"; tried again on the real pages: bench/LOG.md, "Fusion").

The audience is part of every query: partners search only public chunks, in Chroma
and in a keyword index built from public chunks alone.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Literal

from knowledge.access import Role, audiences_for
from knowledge.answers.calibration import CALIBRATION
from knowledge.errors import StoreError
from knowledge.index.embeddings import Embedder
from knowledge.index.store import (
    ChunkRow,
    Snapshot,
    Store,
    all_chunks,
    check_model,
    dense_search,
    similarities,
    to_passage,
)
from knowledge.models import Audience, Passage
from knowledge.text.glossary import danish_terms_for
from knowledge.text.keyword_index import KeywordIndex, QueryTerms
from knowledge.text.language import detect_language
from knowledge.text.normalization import numbered, ordinal

Mode = Literal["hybrid", "dense", "keyword"]
# Documents searched for the section a question counts to ("det tredje princip").
NUMBERED_SECTION_DOCUMENTS = 3


@dataclass(frozen=True)
class Retrieval:
    """Ranked passages for one question, with what the evidence check needs."""

    passages: list[Passage]
    terms: QueryTerms
    dense_scores: dict[str, float]
    keyword: KeywordIndex | None
    generation: str
    # The best candidates of both searches, fused: the passages are their head.
    candidates: list[Passage] = field(default_factory=list)
    # The question's vector (empty for keyword-only retrieval) and the generation it
    # searched, to measure passages the dense search did not return (similarity).
    vector: tuple[float, ...] = ()
    snapshot: Snapshot | None = None

    def similarity(self, passages: list[Passage]) -> float:
        """Return the question's highest dense similarity to the passages.

        A passage the dense search did not return (a named page's passage found by
        keyword alone and kept by focus, a page's contact chunk, a chunk enclosed by two
        found ones) is measured from its stored vector: counted as 0, it refused "If we
        send our § 18 application to Odsherred Municipality by 7 February 2024, when will
        it be decided?" for a similarity of 0.000.
        """
        unscored = [p.chunk_id for p in passages if p.chunk_id not in self.dense_scores]
        measured = (similarities(self.snapshot, self.vector, unscored)
                    if unscored and self.vector and self.snapshot is not None else {})
        scores = {**measured, **self.dense_scores}
        return max((scores.get(p.chunk_id, 0.0) for p in passages), default=0.0)

    def terms_of(self, question: str) -> QueryTerms:
        """Return a question's own terms, resolved as the searched text's were.

        A follow-up was searched together with its topic; what it asks now is its own words.
        """
        if self.keyword is None:
            return self.terms
        return self.keyword.resolve(with_danish_terms(question),
                                    english=detect_language(question) == "en")


def with_danish_terms(question: str) -> str:
    """Return the question with the Danish words for its English domain words.

    Both sides search with them: the keyword side has no other way to an English
    question, and the Danish words draw the question's vector towards the Danish
    passages that use them.
    """
    return f"{question} {danish_terms_for(question)}".strip()


class Retriever:
    """Searches the current generation; follows new generations as syncs finish."""

    def __init__(self, store: Store, embedder: Embedder) -> None:
        self.store = store
        self.embedder = embedder
        self._lock = threading.Lock()
        self._keyword: dict[tuple[str, tuple[Audience, ...]], KeywordIndex] = {}
        self._building: dict[tuple[str, tuple[Audience, ...]], threading.Lock] = {}

    def search(self, question: str, role: Role, k: int = 8, mode: Mode = "hybrid") -> Retrieval:
        """Return up to k passages for the question that the role may read."""
        snapshot = self.store.snapshot()
        if snapshot is None:
            raise StoreError("Indekset er tomt: kør `indgang ingest` først. (The index is empty.)")
        check_model(snapshot.manifest, self.embedder.name)
        audiences = audiences_for(role)
        keyword = self.keyword_index(snapshot, audiences)
        searched = with_danish_terms(question)
        query = keyword.resolve(searched, english=detect_language(question) == "en")
        dense: list[tuple[ChunkRow, float]] = []
        vector: tuple[float, ...] = ()
        if mode != "keyword":
            # "boerneattest paa" is embedded as "børneattest på": the model reads Danish
            # spelling better; keyword search reads both spellings itself (resolve).
            vector = tuple(self.embedder.embed_query(keyword.respelled(searched)))
            dense = dense_search(snapshot, vector, CALIBRATION.candidates, audiences)
        lexical = keyword.search(query, CALIBRATION.candidates) if mode != "dense" else []
        ranked = fuse(dense, lexical)
        scores = {row.id: score for row, score in dense}
        fused = [to_passage(row, score) for row, score in ranked]
        candidates = deduplicate(fused)[: CALIBRATION.candidates]
        top = candidates[:k]
        passages = deduplicate([*numbered_sections(question, top, keyword), *top])
        return Retrieval(passages, query, scores, keyword, snapshot.manifest.name, candidates,
                         vector, snapshot)

    def keyword_index(self, snapshot: Snapshot, audiences: tuple[Audience, ...]) -> KeywordIndex:
        """Return the keyword index for this generation and audiences, building it once.

        Each index is built outside the shared lock, one build per key: after a sync,
        10,000 chunks take seconds, and a question whose index is ready does not wait for
        them. Only the newest generation's indexes are kept (the keyword side follows the
        Chroma side after every sync); a question still reading the generation before
        gets its own index without pushing the new one out.
        """
        key = (snapshot.manifest.name, audiences)
        with self._lock:
            index = self._keyword.get(key)
            if index is not None:
                return index
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._lock:
                index = self._keyword.get(key)
            if index is not None:  # built while this one waited
                return index
            index = KeywordIndex(all_chunks(snapshot, audiences))
            with self._lock:
                newest = max([key[0], *(k[0] for k in self._keyword)])  # names sort by number
                self._keyword = {k: v for k, v in self._keyword.items() if k[0] == newest}
                if key[0] == newest:
                    self._keyword[key] = index
                self._building.pop(key, None)
            return index


def numbered_sections(question: str, passages: list[Passage],
                      keyword: KeywordIndex) -> list[Passage]:
    """Return the chunks of the section a question counts to, in the documents found.

    "Hvad er det første princip?" asks for the section numbered 1 ("1. Politisk
    ejerskab"), whose text may not repeat the words of the question.
    """
    number = ordinal(question)
    if number is None:
        return []
    found = dict.fromkeys(passage.doc_key for passage in passages[:NUMBERED_SECTION_DOCUMENTS])
    return [to_passage(row, 0.0) for doc_key in found for row in keyword.rows_of(doc_key)
            if numbered(str(row.metadata.get("section") or ""), number)]


def fuse(dense: list[tuple[ChunkRow, float]], lexical: list[tuple[ChunkRow, float]],
         dense_weight: float = CALIBRATION.dense_weight) -> list[tuple[ChunkRow, float]]:
    """Rank the union of both result lists by a weighted sum of normalised scores."""
    rows = {row.id: row for row, _ in [*dense, *lexical]}
    dense_norm = _normalised(dense)
    lexical_norm = _normalised(lexical)
    scores = {i: dense_weight * dense_norm.get(i, 0.0) + (1 - dense_weight) * lexical_norm.get(i, 0.0)
              for i in rows}
    return [(rows[i], scores[i]) for i in sorted(scores, key=scores.__getitem__, reverse=True)]


def _normalised(results: list[tuple[ChunkRow, float]]) -> dict[str, float]:
    """Return scores scaled to 0..1 within one result list (all 1.0 if they are equal)."""
    if not results:
        return {}
    low = min(score for _, score in results)
    high = max(score for _, score in results)
    return {row.id: (score - low) / (high - low) if high > low else 1.0 for row, score in results}


def deduplicate(passages: list[Passage]) -> list[Passage]:
    """Drop passages whose text repeats a better-ranked one (from another document)."""
    seen: set[str] = set()
    unique = []
    for passage in passages:
        key = " ".join(passage.text.lower().split())
        if key not in seen:
            seen.add(key)
            unique.append(passage)
    return unique
