"""Bring the index in line with the source folders: new, changed and removed documents.

Unchanged documents are recognised by content hash and their vectors copied, not
recomputed. The new generation only becomes current once it is complete.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.files import find_document_files
from ingest.loader_process import LoaderProcess
from ingest.locking import ingest_lock
from ingest.models import DocumentFile, Removal, SyncSummary
from knowledge.errors import DocumentError, IndgangError
from knowledge.index.embeddings import Embedder
from knowledge.index.manifest import DocumentRecord, Manifest
from knowledge.index.store import (
    ChunkRow,
    GenerationWriter,
    Snapshot,
    Store,
    check_model,
    chunk_row,
)
from knowledge.models import Chunk
from knowledge.settings import Settings

log = logging.getLogger(__name__)

ADD_BATCH = 256
MAX_REMOVED_SHARE = 0.5
Progress = Callable[[int, int], None]


class RemovalRefusedError(IndgangError):
    """A sync would remove more than half of the indexed documents and was not allowed to."""

    def __init__(self, removal: Removal) -> None:
        super().__init__(
            f"Indlæsningen ville fjerne {len(removal.names)} af {removal.indexed} dokumenter i "
            f"indekset ({removal.describe()}), så den er stoppet, og intet er ændret. "
            f"(The sync would remove more than half of the indexed documents; nothing was changed.)"
        )
        self.removal = removal


@dataclass
class SyncPlan:
    """What a sync has to do, by document key."""

    new: list[DocumentFile] = field(default_factory=list)
    changed: list[DocumentFile] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def plan_sync(base: Manifest | None, files: Iterable[DocumentFile], rebuild: bool) -> SyncPlan:
    """Compare the source files with the current generation."""
    plan = SyncPlan()
    known = base.documents if base else {}
    seen: set[str] = set()
    for source in files:
        seen.add(source.key)
        record = known.get(source.key)
        if record is None:
            plan.new.append(source)
        elif rebuild or record.content_hash != source.content_hash:
            plan.changed.append(source)
        else:
            plan.unchanged.append(source.key)
    plan.removed = sorted(set(known) - seen)
    return plan


def removal_beyond_limit(base: Manifest | None, plan: SyncPlan) -> Removal | None:
    """Return what the plan removes when that is more than half of the indexed documents."""
    documents = base.documents if base else {}
    if not plan.removed or len(plan.removed) <= len(documents) * MAX_REMOVED_SHARE:
        return None
    return Removal(sorted(documents[key].file for key in plan.removed), len(documents))


def sync_documents(
    paths: Iterable[Path],
    store: Store,
    embedder: Embedder,
    settings: Settings,
    *,
    dry_run: bool = False,
    rebuild: bool = False,
    allow_removal: bool = False,
    on_progress: Progress | None = None,
) -> SyncSummary:
    """Make the index hold exactly the documents under paths.

    Args:
        paths: files and folders to index; documents indexed before and not found
            here any more are removed.
        dry_run: only count what would happen.
        rebuild: embed every document again (after changing the embedding model).
        allow_removal: remove documents even when that is more than half of the index
            (otherwise such a sync stops: a wrong or empty folder must not empty the index).
        on_progress: called with (chunks embedded, chunks to embed).

    Raises:
        IngestBusyError: another sync holds the lock.
        RemovalRefusedError: more than half of the documents would go and allow_removal is off.
        StoreError: the index was built with another model and rebuild is off.
    """
    files, failed = find_document_files(paths)
    if dry_run:
        return _dry_run(store.current_manifest(), files, failed, rebuild, allow_removal,
                        embedder.name)
    with ingest_lock(settings.resolved_store_dir):
        store.drop_unused_generations()  # leftovers of a sync that was killed
        snapshot = store.snapshot()
        base = snapshot.manifest if snapshot else None
        if base and not rebuild:
            check_model(base, embedder.name)
        plan = plan_sync(base, files, rebuild)
        removal = removal_beyond_limit(base, plan)
        if removal and not allow_removal:
            raise RemovalRefusedError(removal)
        loaded, load_failures = _load(plan.new + plan.changed, settings)
        failed += load_failures
        summary = _summary(plan, failed, loaded, base)
        if not loaded and not plan.removed and not rebuild:
            return summary
        writer = store.begin_generation(base, embedder.name, embedder.dimension)
        try:
            documents = _carry_over(writer, snapshot, plan, loaded)
            _embed_and_add(writer, embedder, loaded, documents, on_progress)
            manifest = writer.commit(documents)
        except BaseException:
            writer.abort()
            raise
    log.info("index generation %s: %d documents, %d chunks",
             manifest.name, len(manifest.documents), manifest.chunk_count)
    return SyncSummary(summary.new, summary.changed, summary.removed, summary.unchanged,
                       manifest.chunk_count, failed)


@dataclass(frozen=True)
class _Loaded:
    source: DocumentFile
    record: DocumentRecord
    chunks: list[Chunk]


def _load(sources: list[DocumentFile], settings: Settings) -> tuple[list[_Loaded], list[tuple[str, str]]]:
    loaded: list[_Loaded] = []
    failed: list[tuple[str, str]] = []
    with LoaderProcess(settings) as loader:
        for source in sources:
            try:
                document = loader.load(source)
            except DocumentError as error:  # one unreadable file must not stop the others
                log.warning("%s: %s", source.name, error)
                failed.append((source.name, str(error)))
                continue
            meta = document.meta
            record = DocumentRecord(
                key=source.key, file=source.name, content_hash=source.content_hash,
                title=meta.title, url=meta.url, audience=meta.audience,
                updated=meta.updated.isoformat() if meta.updated else "", contact=meta.contact,
                chunk_ids=[chunk.id for chunk in document.chunks],
            )
            loaded.append(_Loaded(source, record, document.chunks))
    return loaded, failed


def _carry_over(
    writer: GenerationWriter, snapshot: Snapshot | None, plan: SyncPlan, loaded: list[_Loaded]
) -> dict[str, DocumentRecord]:
    """Copy what stays: unchanged documents, and changed ones that now fail to load."""
    if snapshot is None:
        return {}
    reloaded = {item.source.key for item in loaded}
    keep = [key for key in plan.unchanged + [s.key for s in plan.changed] if key not in reloaded]
    documents = {key: snapshot.manifest.documents[key] for key in keep}
    writer.copy_chunks(snapshot, [cid for record in documents.values() for cid in record.chunk_ids])
    return documents


def _embed_and_add(
    writer: GenerationWriter,
    embedder: Embedder,
    loaded: list[_Loaded],
    documents: dict[str, DocumentRecord],
    on_progress: Progress | None,
) -> None:
    rows: list[ChunkRow] = []
    texts: list[str] = []
    for item in loaded:
        documents[item.source.key] = item.record
        for chunk in item.chunks:
            rows.append(chunk_row(item.record, chunk))
            texts.append(passage_text(item.record.title, chunk))
    done = 0
    for start in range(0, len(rows), ADD_BATCH):
        vectors = embedder.embed_passages(texts[start : start + ADD_BATCH])
        writer.add_chunks(rows[start : start + ADD_BATCH], vectors)
        done += len(vectors)
        if on_progress:
            on_progress(done, len(rows))


def passage_text(title: str, chunk: Chunk) -> str:
    """Return what is embedded for a chunk: its title and heading give it context."""
    context = f"{title} - {chunk.section}" if chunk.section else title
    return f"{context}\n{chunk.text}"


def _summary(plan: SyncPlan, failed: list[tuple[str, str]], loaded: list[_Loaded],
             base: Manifest | None) -> SyncSummary:
    ok = {item.source.key for item in loaded}
    return SyncSummary(
        new=sum(1 for s in plan.new if s.key in ok),
        changed=sum(1 for s in plan.changed if s.key in ok),
        removed=len(plan.removed),
        unchanged=len(plan.unchanged),
        chunks=base.chunk_count if base else 0,
        failed=failed,
    )


def _dry_run(base: Manifest | None, files: list[DocumentFile], failed: list[tuple[str, str]],
             rebuild: bool, allow_removal: bool, model: str) -> SyncSummary:
    if base and not rebuild:
        check_model(base, model)
    plan = plan_sync(base, files, rebuild)
    refused = None if allow_removal else removal_beyond_limit(base, plan)
    return SyncSummary(len(plan.new), len(plan.changed), len(plan.removed), len(plan.unchanged),
                       base.chunk_count if base else 0, failed, dry_run=True, refused=refused)
