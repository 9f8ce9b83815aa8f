"""Bring the index in line with the source folders: new, changed and removed documents.

Unchanged documents are recognised by content hash and their vectors copied, not
recomputed. The new generation only becomes current once it is complete.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ingest.chunking import split_into_chunks, stable_id
from ingest.files import FoundFiles, find_document_files
from ingest.loader_process import LoaderProcess
from ingest.locking import ingest_lock
from ingest.models import DocumentFile, DocumentMeta, LoadedDocument, Removal, SyncSummary
from ingest.sources import Source, split_sources
from ingest.web.crawl import CrawlOptions, WebResult, collect_web_documents
from knowledge.errors import DocumentError, IndgangError, StoreError
from knowledge.index.embeddings import Embedder
from knowledge.index.manifest import DocumentRecord, Manifest
from knowledge.index.store import (
    ChunkRow,
    GenerationWriter,
    Snapshot,
    Store,
    check_model,
    chunk_row,
    searches_as_configured,
)
from knowledge.models import Chunk
from knowledge.settings import Settings

log = logging.getLogger(__name__)

ADD_BATCH = 256
MAX_REMOVED_SHARE = 0.5
DOWNLOADS_PREFIX = "indgang-web-"  # folders of linked files, for one sync
Progress = Callable[[int, int], None]


class RemovalRefusedError(IndgangError):
    """A sync would remove more than half of the indexed documents, or of one source's, and
    was not allowed to."""

    def __init__(self, removal: Removal) -> None:
        super().__init__(
            f"Indlæsningen ville fjerne {removal.extent()} ({removal.describe()}), så den er "
            "stoppet, og intet er ændret. (The sync would remove more than half of the "
            "documents in the index or from one source; nothing was changed.)"
        )
        self.removal = removal


@dataclass
class SyncPlan:
    """What a sync has to do, by document key."""

    new: list[DocumentFile] = field(default_factory=list)
    changed: list[DocumentFile] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def plan_sync(base: Manifest | None, files: Iterable[DocumentFile], rebuild: bool,
              keep_under: Iterable[str] = ()) -> SyncPlan:
    """Compare the source files with the current generation.

    Documents indexed from a folder that could not be listed this time, or through a link
    that leads nowhere now (keep_under: their keys, or their folders'), are kept as they
    are: not seen is not gone.
    """
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
    gone = set(known) - seen
    keep = set(keep_under)
    prefixes = tuple(os.path.join(folder, "") for folder in keep)
    kept = {key for key in gone if key in keep or prefixes and key.startswith(prefixes)}
    plan.unchanged += sorted(kept)
    plan.removed = sorted(gone - kept)
    return plan


def removal_beyond_limit(base: Manifest | None, plan: SyncPlan,
                         sources: dict[str, Callable[[str], bool]] | None = None) -> Removal | None:
    """Return what the plan removes when that is more than half of the indexed documents,
    or when it would leave one source (sources: whether a key is one of its documents) with
    less than half of the documents the index holds from it: a share that was not mounted,
    a site in maintenance mode, beside larger sources. A document renamed or moved within
    a source is one removed and one added: that source does not shrink."""
    documents = base.documents if base else {}
    removed = set(plan.removed)
    if len(removed) > len(documents) * MAX_REMOVED_SHARE:
        return Removal(sorted(documents[key].file for key in removed), len(documents))
    added = [source.key for source in plan.new]
    for name, holds in (sources or {}).items():
        before = [key for key in documents if holds(key)]
        gone = [key for key in before if key in removed]
        lost = len(gone) - sum(1 for key in added if holds(key))
        if lost > len(before) * MAX_REMOVED_SHARE:
            return Removal(sorted(documents[key].file for key in gone), len(before), source=name)
    return None


def _source_documents(found: FoundFiles, web: WebResult) -> dict[str, Callable[[str], bool]]:
    """Return, for each folder and website given, whether a key is one of its documents."""
    sources = {given: _under(folders) for given, folders in found.folders.items()}
    sources.update((site, keys.__contains__) for site, keys in web.documents_of.items())
    return sources


def _under(folders: list[str]) -> Callable[[str], bool]:
    """Return whether a file's key lies in one of the folders (or below)."""
    prefixes = tuple(os.path.join(folder, "") for folder in folders)
    return lambda key: key.startswith(prefixes)


def sync_documents(
    sources: Iterable[Source],
    store: Store,
    embedder: Embedder,
    settings: Settings,
    *,
    dry_run: bool = False,
    rebuild: bool = False,
    allow_removal: bool = False,
    on_progress: Progress | None = None,
    crawl: CrawlOptions | None = None,
) -> SyncSummary:
    """Make the index hold exactly the documents of the sources.

    Args:
        sources: files, folders and web addresses (sitemaps or start URLs) to index;
            documents indexed before and not found there any more are removed.
        dry_run: only tell what would happen: websites are still asked and new and
            changed files read (not embedded), so the summary names the files that fail
            and the documents made public; the index is not touched.
        rebuild: embed every document again (after changing the embedding model).
        allow_removal: remove documents even when that is more than half of the index, or
            leaves a folder or site given with less than half of its documents (otherwise
            such a sync stops: a wrong or empty folder must not empty the index).
        on_progress: called with (chunks embedded, chunks to embed).
        crawl: depth and page limits for websites (default: the settings), and a
            callback told how many web addresses were visited so far.

    Raises:
        IngestBusyError: another sync holds the lock.
        RemovalRefusedError: more than half of the documents (of the index or of one
            source) would go and allow_removal is off.
        StoreError: the index was built with another model and rebuild is off.
    """
    paths, urls = split_sources(sources)
    found = find_document_files(paths)
    crawl = crawl or CrawlOptions()
    if dry_run:
        current = _current(store, rebuild)
        base = current.manifest if current else None
        if base and not rebuild:
            check_model(base, embedder.name)
        with tempfile.TemporaryDirectory(prefix=DOWNLOADS_PREFIX) as downloads:
            web = collect_web_documents(urls, base, settings, crawl, download_dir=Path(downloads),
                                        rebuild=rebuild)
            prepared = _prepare(base, found, web, embedder.name, settings, rebuild,
                                allow_removal)
        summary = _summary(prepared.plan, prepared.failed, prepared.loaded, base)
        return replace(summary, dry_run=True, refused=prepared.refused,
                       search_upgraded=_outdated(current))
    # Linked PDFs and DOCX files wait in a folder of the store until they are loaded; the
    # folders of a sync that was killed are swept by the next, under the same lock.
    store_dir = settings.resolved_store_dir
    with (ingest_lock(store_dir),
          tempfile.TemporaryDirectory(prefix=DOWNLOADS_PREFIX, dir=store_dir) as downloads):
        for leftover in store_dir.glob(f"{DOWNLOADS_PREFIX}*"):
            if leftover != Path(downloads):
                shutil.rmtree(leftover, ignore_errors=True)
        store.drop_unused_generations()  # leftovers of a sync that was killed
        snapshot = _current(store, rebuild)
        base = snapshot.manifest if snapshot else None
        if base and not rebuild:
            check_model(base, embedder.name)
        web = collect_web_documents(urls, base, settings, crawl, download_dir=Path(downloads),
                                    rebuild=rebuild)  # under the lock
        prepared = _prepare(base, found, web, embedder.name, settings, rebuild, allow_removal)
        if prepared.refused:
            raise RemovalRefusedError(prepared.refused)
        plan, loaded = prepared.plan, prepared.loaded or []
        summary = _summary(plan, prepared.failed, loaded, base)
        outdated = _outdated(snapshot)
        if not loaded and not plan.removed and not rebuild and not outdated:
            web.state.save(settings.resolved_store_dir)
            return summary
        writer = store.begin_generation(base, embedder.name, embedder.dimension)
        try:
            documents = _carry_over(writer, snapshot, plan, loaded)
            _embed_and_add(writer, embedder, loaded, documents, on_progress)
            manifest = writer.commit(documents)
        except BaseException:
            writer.abort()
            raise
        web.state.save(settings.resolved_store_dir)  # only once its generation is current
    log.info("index generation %s: %d documents, %d chunks",
             manifest.name, len(manifest.documents), manifest.chunk_count)
    return replace(summary, chunks=manifest.chunk_count, search_upgraded=outdated)


def _outdated(snapshot: Snapshot | None) -> bool:
    """Return whether the current generation searches with older settings than new ones get."""
    return snapshot is not None and not searches_as_configured(snapshot)


@dataclass(frozen=True)
class _Loaded:
    source: DocumentFile
    record: DocumentRecord
    chunks: list[Chunk]


@dataclass(frozen=True)
class _Prepared:
    """A sync's plan with its new and changed documents read, or why it must stop."""

    plan: SyncPlan
    loaded: list[_Loaded] | None  # None: stopped before reading
    failed: list[tuple[str, str]]
    refused: Removal | None = None


def _prepare(base: Manifest | None, found: FoundFiles, web: WebResult, model: str,
             settings: Settings, rebuild: bool, allow_removal: bool) -> _Prepared:
    """Plan the sync and read what it must embed; stop at a removal beyond the limit."""
    plan = plan_sync(base, found.files + web.documents, rebuild, found.unread)
    failed = found.failed + web.failed
    sources = _source_documents(found, web)
    removal = removal_beyond_limit(base, plan, sources)
    if removal and not allow_removal:
        return _Prepared(plan, None, failed, removal)
    loaded, load_failures = _load(plan.new + plan.changed, settings)
    failed = failed + load_failures
    if base and base.model != model:
        # Another model's vectors cannot be searched with this one's queries: a rebuild
        # for a new model cannot keep the last version of a document it could not read.
        plan = _without_unread(plan, loaded)
        removal = removal_beyond_limit(base, plan, sources)
        if removal and not allow_removal:
            unread = set(removal.names)  # not the new files that failed beside them
            return _Prepared(plan, loaded, failed, replace(removal, unreadable=[
                (name, reason) for name, reason in load_failures if name in unread]))
    return _Prepared(plan, loaded, failed)


def _load(sources: list[DocumentFile], settings: Settings) -> tuple[list[_Loaded], list[tuple[str, str]]]:
    loaded: list[_Loaded] = []
    failed: list[tuple[str, str]] = []
    with LoaderProcess(settings) as loader:
        for source in sources:
            if source.load is None and not source.path:
                continue  # a web document that could not be fetched: its last version is kept
            try:
                meta, chunks = _load_one(source, loader, settings)
            except DocumentError as error:  # one unreadable file must not stop the others
                log.warning("%s: %s", source.name, error)
                failed.append((source.name, str(error)))
                continue
            record = DocumentRecord(
                key=source.key, file=source.name, content_hash=source.content_hash,
                title=meta.title, url=meta.url, audience=meta.audience,
                updated=meta.updated.isoformat() if meta.updated else "", contact=meta.contact,
                chunk_ids=[chunk.id for chunk in chunks], context=meta.context,
            )
            loaded.append(_Loaded(source, record, chunks))
    return loaded, failed


def _load_one(source: DocumentFile, loader: LoaderProcess,
              settings: Settings) -> tuple[DocumentMeta, list[Chunk]]:
    """Load a file in the worker process (size and time budget), or a fetched web page here.

    A file is a local one or one a web page links to, downloaded for this sync. A web page
    was extracted while crawling, bounded by the fetcher's size limit and time-out.
    """
    if source.load is None:
        loaded = loader.load(source)
        return loaded.meta, loaded.chunks
    try:
        document: LoadedDocument = source.load()
    except DocumentError:
        raise  # already says what is wrong
    except Exception as error:  # one unreadable page must not stop the others
        log.warning("%s: unexpected error", source.name, exc_info=True)
        raise DocumentError(f"kunne ikke læses (could not be read): {error!r}") from error
    chunks = split_into_chunks(document, stable_id(source.key), source.content_hash,
                               settings.chunk_size_chars, settings.chunk_overlap_chars)
    return document.meta, chunks


def _current(store: Store, rebuild: bool) -> Snapshot | None:
    """Return the current generation; for a rebuild none when it cannot be read, since a
    damaged index (an unreadable manifest, a missing generation) is what --rebuild mends."""
    try:
        return store.snapshot()
    except StoreError as error:
        if not rebuild:
            raise
        log.warning("bygger indekset forfra: det nuværende kan ikke læses (rebuilding from "
                    "nothing: the current index cannot be read): %s", error)
        return None


def _without_unread(plan: SyncPlan, loaded: list[_Loaded]) -> SyncPlan:
    """Return a rebuild's plan with what could not be read removed instead: the changed
    documents that failed, and the unchanged ones (kept from a folder that could not be
    listed: a rebuild reads everything else)."""
    read = {item.source.key for item in loaded}
    unread = [source.key for source in plan.changed if source.key not in read]
    return SyncPlan(plan.new, [s for s in plan.changed if s.key in read], [],
                    sorted([*plan.removed, *unread, *plan.unchanged]))


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
            texts.append(passage_text(item.record.title, chunk, item.record.context))
    done = 0
    for start in range(0, len(rows), ADD_BATCH):
        vectors = embedder.embed_passages(texts[start : start + ADD_BATCH])
        writer.add_chunks(rows[start : start + ADD_BATCH], vectors)
        done += len(vectors)
        if on_progress:
            on_progress(done, len(rows))


def passage_text(title: str, chunk: Chunk, context: str = "") -> str:
    """Return what is embedded for a chunk: its title and heading give it context.

    A file linked from a web page also carries that page's title ("§ 18-puljen > Vejledning").
    """
    label = f"{title} - {chunk.section}" if chunk.section else title
    return f"{context} > {label}\n{chunk.text}" if context else f"{label}\n{chunk.text}"


def _summary(plan: SyncPlan, failed: list[tuple[str, str]], loaded: list[_Loaded] | None,
             base: Manifest | None) -> SyncSummary:
    """Count what the sync does; loaded is None when it stopped before reading anything."""
    if loaded is None:
        loaded, ok = [], {s.key for s in plan.new + plan.changed}
    else:
        ok = {item.source.key for item in loaded}
    kept = sum(1 for s in plan.changed if s.key not in ok)  # failed to load: last version stays
    before = base.documents if base else {}
    # A removed sidecar or internal prefix publishes staff text: the admin is told by name.
    published = sorted(item.record.file for item in loaded if item.record.audience == "public"
                       and item.source.key in before
                       and before[item.source.key].audience == "internal")
    return SyncSummary(
        new_files=sorted(s.name for s in plan.new if s.key in ok),
        changed_files=sorted(s.name for s in plan.changed if s.key in ok),
        removed_files=sorted(before[key].file for key in plan.removed),
        unchanged=len(plan.unchanged) + kept,
        chunks=base.chunk_count if base else 0,
        failed=failed,
        published=published,
    )
