"""The dense search finds the chunks nearest a question, as an exact search does, in both
store backends (embedded Chroma and a Chroma server)."""

from __future__ import annotations

import numpy as np

from knowledge.index.manifest import DocumentRecord
from knowledge.index.store import ChunkRow, Store, dense_search

DIMENSION = 384
CHUNKS = 1000


def clustered_vectors(count: int, rng: np.random.Generator) -> np.ndarray:
    """Return unit vectors in clusters, as the chunks of pages on a few topics lie."""
    centres = rng.normal(size=(count // 10, DIMENSION))
    vectors = centres[rng.integers(0, len(centres), count)]
    vectors += 0.6 * rng.normal(size=(count, DIMENSION))
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_the_dense_search_returns_the_exact_nearest_chunks(store: Store) -> None:
    # An approximate search that drops one of the nearest chunks can turn an answer into a
    # refusal, and not the same one in every process that loads the index.
    rng = np.random.default_rng(7)
    vectors = clustered_vectors(CHUNKS, rng)
    ids = [f"doc-000000000000-{n:04d}" for n in range(CHUNKS)]
    writer = store.begin_generation(None, "test-model", DIMENSION)
    metadata = {"doc_key": "doc", "file": "doc.txt", "title": "Doc", "audience": "public"}
    for start in range(0, CHUNKS, 250):
        part = slice(start, start + 250)
        writer.add_chunks([ChunkRow(i, i, metadata) for i in ids[part]], vectors[part].tolist())
    writer.commit({"doc": DocumentRecord("doc", "doc.txt", "0" * 12, "Doc", "", "public", "",
                                         "", ids)})
    snapshot = store.snapshot()
    assert snapshot is not None

    questions = vectors[rng.integers(0, CHUNKS, 100)] + 0.5 * rng.normal(size=(100, DIMENSION))
    missed = 0
    for question in questions / np.linalg.norm(questions, axis=1, keepdims=True):
        found = {row.id for row, _ in dense_search(snapshot, question.tolist(), 30, ["public"])}
        exact = {ids[n] for n in np.argsort(-(vectors @ question))[:30]}
        missed += len(exact - found)
    assert missed == 0
