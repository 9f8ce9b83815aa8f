"""The index: the only module (with store_backends) that talks to Chroma.

Readers take a Snapshot of the current generation; a sync writes a new generation
beside it with a GenerationWriter and makes it current in one atomic step, so a
crash at any point leaves the last complete generation answering.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from knowledge.errors import StoreError
from knowledge.index.backends import (COLLECTION_CONFIG, Backend, EmbeddedBackend, ServerBackend,
                                      new_generation_name)
from knowledge.index.manifest import DocumentRecord, Manifest
from knowledge.models import Audience, Chunk, Passage
from knowledge.settings import Settings

log = logging.getLogger(__name__)

COPY_BATCH = 1000
_KEEP_OPEN = 2  # the current generation and the one before, for queries still running
# Nearest chunks read per chunk asked for, before the audience is checked (dense_search).
_NEAREST_READ_FACTOR = 2


@dataclass(frozen=True)
class ChunkRow:
    """A chunk as stored: id, text, metadata (see chunk_metadata)."""

    id: str
    text: str
    metadata: dict[str, Any]


@dataclass(frozen=True)
class Snapshot:
    """One complete generation, safe to read while a sync writes the next."""

    manifest: Manifest
    collection: Any


def open_backend(settings: Settings) -> Backend:
    """Return the embedded or server backend the settings ask for."""
    if settings.chroma_url:
        return ServerBackend(settings.chroma_url, settings.collection_prefix)
    return EmbeddedBackend(settings.resolved_store_dir)


class Store:
    """The index as readers and the sync see it."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._lock = threading.Lock()
        self._open: dict[str, Snapshot] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        """Open the store the settings point at."""
        return cls(open_backend(settings))

    def snapshot(self) -> Snapshot | None:
        """Return the current generation, or None when nothing has been ingested yet."""
        name = self.backend.current_name()
        if name is None:
            return None
        with self._lock:
            if name in self._open:
                return self._open[name]
            try:
                manifest = self.backend.read_manifest(name)
            except (ValueError, TypeError, KeyError) as error:  # not JSON, or not a manifest
                raise StoreError(f"Indeksets manifest {name} kan ikke læses; byg det igen med "
                                 f"indgang ingest --rebuild (index manifest unreadable: "
                                 f"{type(error).__name__})") from error
            if manifest is None:
                raise StoreError(f"Indeksets manifest {name} mangler; byg det igen med indgang "
                                 "ingest --rebuild (index manifest missing).")
            snapshot = Snapshot(manifest, self.backend.open_collection(name))
            self._open[name] = snapshot
            for old in list(self._open)[:-_KEEP_OPEN]:
                del self._open[old]
                self.backend.release(old)
            return snapshot

    def current_manifest(self) -> Manifest | None:
        """Return the current generation's manifest, or None for an empty store."""
        snapshot = self.snapshot()
        return snapshot.manifest if snapshot else None

    def begin_generation(self, base: Manifest | None, model: str, dimension: int) -> GenerationWriter:
        """Start writing the generation after base."""
        number = base.generation + 1 if base else 1
        return GenerationWriter(self, new_generation_name(number), number, model, dimension)

    def drop_unused_generations(self) -> list[str]:
        """Delete every generation but the current one and the one before it."""
        current = self.backend.current_name()
        names = self.backend.names()
        if current is not None and current not in names:
            log.error("the current index generation %s is missing; nothing is dropped", current)
            return []
        keep = {current}
        if current in names:
            keep.update(n for n in names[: names.index(current)][-1:])
        dropped = [name for name in names if name not in keep]
        for name in dropped:
            with self._lock:
                self._open.pop(name, None)
            self.backend.drop(name)
        return dropped


def check_model(manifest: Manifest, model: str) -> None:
    """Raise StoreError when the index was built with another embedding model."""
    if manifest.model != model:
        raise StoreError(
            f"Indekset er bygget med sprogmodellen '{manifest.model}', men Indgang er sat op "
            f"til '{model}'. Byg indekset igen med: indgang ingest --rebuild STIER "
            f"(The index was built with another embedding model: rebuild it.)"
        )


def searches_as_configured(snapshot: Snapshot) -> bool:
    """Return whether a generation searches with the settings new generations get.

    One written before ef_search was raised (backends.COLLECTION_CONFIG) keeps Chroma's
    default and misses some nearest chunks. A collection reporting no HNSW ef_search counts
    as current, or it would be copied at every sync.
    """
    found = (snapshot.collection.configuration.get("hnsw") or {}).get("ef_search")
    return not isinstance(found, int) or found >= COLLECTION_CONFIG["hnsw"]["ef_search"]


def dense_search(
    snapshot: Snapshot, vector: Sequence[float], k: int, audiences: Iterable[Audience]
) -> list[tuple[ChunkRow, float]]:
    """Return up to k chunks nearest the vector, only from the given audiences.

    Chroma's own audience filter reads every chunk's metadata before it searches (about
    60 ms a query at 10,000 chunks, most of an answer's time), so the nearest chunks of
    all audiences are read first and the audience is checked here, on each row; a row
    without a readable audience is dropped. Only when too few of them are readable does
    Chroma filter, so a role never gets fewer chunks than it may read.
    """
    allowed = set(audiences)
    where = _audience_filter(allowed)
    total = snapshot.manifest.chunk_count
    wanted = min(k, total)
    if wanted <= 0:
        return []
    read = min(total, k * _NEAREST_READ_FACTOR)
    readable = [(row, score) for row, score in _nearest(snapshot, vector, read)
                if row.metadata.get("audience") in allowed][:wanted]
    if len(readable) < wanted and read < total:
        readable = _nearest(snapshot, vector, wanted, where)
    return readable


def _nearest(snapshot: Snapshot, vector: Sequence[float], n: int,
             where: dict[str, Any] | None = None) -> list[tuple[ChunkRow, float]]:
    result = snapshot.collection.query(
        query_embeddings=[list(vector)], n_results=n, where=where,
        include=["documents", "metadatas", "distances"],
    )
    rows = zip(result["ids"][0], result["documents"][0], result["metadatas"][0], strict=True)
    return [
        (ChunkRow(i, text, dict(meta)), 1.0 - float(distance))
        for (i, text, meta), distance in zip(rows, result["distances"][0], strict=True)
    ]


def similarities(snapshot: Snapshot, vector: Sequence[float],
                 ids: Iterable[str]) -> dict[str, float]:
    """Return the vector's cosine similarity to each stored chunk, as dense_search scores it.

    For chunks a search found by keyword alone: their vectors are read, not recomputed.
    """
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    found = snapshot.collection.get(ids=wanted, include=["embeddings"])
    if not found["ids"]:  # gone from this generation
        return {}
    stored = np.asarray(found["embeddings"], dtype=np.float64).reshape(len(found["ids"]), -1)
    query = np.asarray(vector, dtype=np.float64)
    cosines = stored @ query / (np.linalg.norm(stored, axis=1) * np.linalg.norm(query))
    return {chunk_id: float(cosine) for chunk_id, cosine in zip(found["ids"], cosines, strict=True)}


def all_chunks(snapshot: Snapshot, audiences: Iterable[Audience]) -> list[ChunkRow]:
    """Return every chunk of the given audiences (for the keyword index)."""
    found = snapshot.collection.get(
        where=_audience_filter(audiences), include=["documents", "metadatas"]
    )
    return [
        ChunkRow(i, text, dict(meta))
        for i, text, meta in zip(found["ids"], found["documents"], found["metadatas"], strict=True)
    ]


def chunk_by_id(snapshot: Snapshot, chunk_id: str, audiences: Iterable[Audience]) -> ChunkRow | None:
    """Return one chunk if it exists in this generation and the audiences may read it."""
    found = snapshot.collection.get(ids=[chunk_id], where=_audience_filter(audiences),
                                    include=["documents", "metadatas"])
    if not found["ids"]:
        return None
    return ChunkRow(found["ids"][0], found["documents"][0], dict(found["metadatas"][0]))


def _audience_filter(audiences: Iterable[Audience]) -> dict[str, Any]:
    allowed = sorted(set(audiences))
    if not allowed:
        raise ValueError("at least one audience is required")
    return {"audience": allowed[0]} if len(allowed) == 1 else {"audience": {"$in": allowed}}


class GenerationWriter:
    """Builds one new generation; nothing is visible to readers until commit()."""

    def __init__(self, store: Store, name: str, number: int, model: str, dimension: int) -> None:
        self.store = store
        self.name = name
        self.number = number
        self.model = model
        self.dimension = dimension
        self.collection = store.backend.open_collection(name, create=True)

    def copy_chunks(self, source: Snapshot, chunk_ids: Sequence[str]) -> None:
        """Copy chunks, with their vectors, from an existing generation."""
        for start in range(0, len(chunk_ids), COPY_BATCH):
            batch = list(chunk_ids[start : start + COPY_BATCH])
            found = source.collection.get(ids=batch, include=["embeddings", "documents", "metadatas"])
            if len(found["ids"]) != len(batch):
                raise StoreError("Indekset mangler tekststykker (chunks missing): kør med --rebuild.")
            self.collection.add(ids=found["ids"], embeddings=found["embeddings"],
                                documents=found["documents"], metadatas=found["metadatas"])

    def add_chunks(self, rows: Sequence[ChunkRow], vectors: Sequence[Sequence[float]]) -> None:
        """Add new chunks with their vectors."""
        if rows:
            self.collection.add(ids=[r.id for r in rows], embeddings=[list(v) for v in vectors],
                                documents=[r.text for r in rows], metadatas=[r.metadata for r in rows])

    def commit(self, documents: dict[str, DocumentRecord]) -> Manifest:
        """Make this generation current in one atomic step, then drop old ones."""
        manifest = Manifest(self.number, self.name, self.model, self.dimension, documents=documents)
        stored = self.collection.count()
        if stored != manifest.chunk_count:
            raise StoreError(f"Generationen har {stored} tekststykker, manifestet "
                             f"{manifest.chunk_count}: afbrudt (aborted).")
        self.store.backend.write_manifest(manifest)
        # Closed before it becomes current: a reader arriving at the switch must open its own
        # client, not the writer's, which closing would pull from under it.
        self.store.backend.release(self.name)
        self.store.backend.set_current(self.name)
        try:
            self.store.drop_unused_generations()
        except Exception:  # the switch is made; the next sync drops what is left
            log.warning("old index generations were not dropped", exc_info=True)
        return manifest

    def abort(self) -> None:
        """Delete the unfinished generation (never one that is current: it answers now)."""
        if self.store.backend.current_name() == self.name:
            return
        self.store.backend.drop(self.name)


def chunk_id(doc_id: str, content_hash: str, position: int) -> str:
    """Return a chunk's id: its document, the content it was cut from, and its place."""
    return f"{doc_id}-{content_hash[:12]}-{position:04d}"


def following_chunk_id(chunk: str) -> str:
    """Return the id the chunk after this one in its document has (if there is one)."""
    return sibling_chunk_id(chunk, chunk_position(chunk) + 1)


def sibling_chunk_id(chunk: str, position: int) -> str:
    """Return the id the chunk at a position of this chunk's document has (if there is one)."""
    return f"{chunk.rpartition('-')[0]}-{position:04d}"


def chunk_position(chunk: str) -> int:
    """Return a chunk's place in its document, from its id."""
    return int(chunk.rpartition("-")[2])


def chunk_row(record: DocumentRecord, chunk: Chunk) -> ChunkRow:
    """Return a chunk as stored, carrying what a citation needs."""
    metadata: dict[str, Any] = {
        "doc_key": record.key, "file": record.file, "title": record.title,
        "section": chunk.section, "url": record.url, "audience": record.audience,
        "updated": record.updated, "contact": record.contact, "position": chunk.position,
    }
    if chunk.page is not None:
        metadata["page"] = chunk.page
    if record.context:
        metadata["context"] = record.context
    return ChunkRow(chunk.id, chunk.text, metadata)


def to_passage(row: ChunkRow, score: float) -> Passage:
    """Return a stored chunk as a citable passage."""
    meta = row.metadata
    updated = str(meta.get("updated") or "")
    return Passage(
        chunk_id=row.id, text=row.text, doc_key=str(meta["doc_key"]), file=str(meta["file"]),
        title=str(meta["title"]), section=str(meta.get("section") or ""),
        page=int(meta["page"]) if "page" in meta else None,
        updated=date.fromisoformat(updated) if updated else None,
        url=str(meta.get("url") or ""), audience=meta["audience"],
        contact=str(meta.get("contact") or ""), score=score,
    )
