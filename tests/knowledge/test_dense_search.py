"""The dense search finds the chunks nearest a question, as an exact search does, and a chunk
it did not return is measured as an exact search would, in both store backends (embedded
Chroma and a Chroma server)."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge.answers.evidence import assess
from knowledge.answers.retrieval import Retrieval
from knowledge.index.manifest import DocumentRecord
from knowledge.index.store import ChunkRow, Snapshot, Store, dense_search, to_passage
from knowledge.text.keyword_index import QueryTerms

DIMENSION = 384
CHUNKS = 1000


def clustered_vectors(count: int, rng: np.random.Generator) -> np.ndarray:
    """Return unit vectors in clusters, as the chunks of pages on a few topics lie."""
    centres = rng.normal(size=(count // 10, DIMENSION))
    vectors = centres[rng.integers(0, len(centres), count)]
    vectors += 0.6 * rng.normal(size=(count, DIMENSION))
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


METADATA = {"doc_key": "doc", "file": "doc.txt", "title": "Doc", "audience": "public"}


def stored(store: Store, vectors: np.ndarray) -> tuple[Snapshot, list[str]]:
    """Return a generation holding one chunk per vector, and the chunks' ids."""
    ids = [f"doc-000000000000-{n:04d}" for n in range(len(vectors))]
    writer = store.begin_generation(None, "test-model", DIMENSION)
    for start in range(0, len(vectors), 250):
        part = slice(start, start + 250)
        writer.add_chunks([ChunkRow(i, i, METADATA) for i in ids[part]], vectors[part].tolist())
    writer.commit({"doc": DocumentRecord("doc", "doc.txt", "0" * 12, "Doc", "", "public", "",
                                         "", ids)})
    snapshot = store.snapshot()
    assert snapshot is not None
    return snapshot, ids


def test_the_dense_search_returns_the_exact_nearest_chunks(store: Store) -> None:
    # An approximate search that drops one of the nearest chunks can turn an answer into a
    # refusal, and not the same one in every process that loads the index.
    rng = np.random.default_rng(7)
    vectors = clustered_vectors(CHUNKS, rng)
    snapshot, ids = stored(store, vectors)

    questions = vectors[rng.integers(0, CHUNKS, 100)] + 0.5 * rng.normal(size=(100, DIMENSION))
    missed = 0
    for question in questions / np.linalg.norm(questions, axis=1, keepdims=True):
        found = {row.id for row, _ in dense_search(snapshot, question.tolist(), 30, ["public"])}
        exact = {ids[n] for n in np.argsort(-(vectors @ question))[:30]}
        missed += len(exact - found)
    assert missed == 0


def test_a_passage_the_dense_search_did_not_return_is_measured_not_counted_as_zero(
        store: Store) -> None:
    # Focus keeps a named page's passage that keyword search alone found; counted as 0,
    # its question was refused for a similarity of 0.000 below the floor.
    rng = np.random.default_rng(11)
    vectors = clustered_vectors(200, rng)
    snapshot, ids = stored(store, vectors)
    question = vectors[0] + 0.5 * rng.normal(size=DIMENSION)
    question /= np.linalg.norm(question)
    nearest = dense_search(snapshot, question.tolist(), 30, ["public"])
    unsearched = list(np.argsort(-(vectors @ question))[30:40])
    passages = [to_passage(ChunkRow(ids[n], ids[n], METADATA), 0.5) for n in unsearched]
    retrieval = Retrieval(passages, QueryTerms([]), {row.id: score for row, score in nearest},
                          None, snapshot.manifest.name, vector=tuple(question), snapshot=snapshot)
    exact = float(vectors[unsearched[0]] @ question)
    assert retrieval.similarity(passages) == pytest.approx(exact, abs=1e-5)
    assert assess("hvornår er fristen?", retrieval, "da").dense == pytest.approx(exact, abs=1e-5)
    # a passage the search returned keeps the score it was found with (Chroma's float32
    # distance, not recomputed); one no longer in the generation counts as 0
    best, score = nearest[0]
    assert retrieval.similarity([to_passage(best, 0.9), *passages]) == score
    gone = to_passage(ChunkRow("doc-000000000000-9999", "", METADATA), 0.5)
    assert retrieval.similarity([gone]) == 0.0
