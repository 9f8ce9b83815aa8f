"""Read configured websites into documents: sitemaps or a crawl, and the files pages link to.

Only what may have changed is fetched: a page whose sitemap <lastmod> is more than a
day older than the last sync is not requested at all, the rest with a conditional GET.
Pages that are gone leave the index; pages that fail for a passing reason keep their
last good version, and a site that cannot be read whole removes nothing.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ingest.models import DocumentFile
from ingest.web.documents import (
    audience_of,
    document_hash,
    file_hash,
    file_meta,
    page_document,
    text_hash,
)
from ingest.web.extract import decode_html, extract_page
from ingest.web.fetch import Fetched, Fetcher, FetchError, Validators
from ingest.web.policy import HostPolicy
from ingest.web.sitemap import SitemapEntry, parse_sitemap
from ingest.web.state import UrlState, WebState
from ingest.web.urls import (
    file_kind_of_url,
    normalize_url,
    same_site,
    under,
    without_query,
    worth_fetching,
)
from knowledge.index.manifest import Manifest
from knowledge.models import Audience
from knowledge.settings import Settings

log = logging.getLogger(__name__)

MAX_SITEMAPS = 200
# A page is skipped by its <lastmod> only when that is this much older than the last sync:
# the site's clock, or a CMS that writes local time as UTC, must not hide a change.
LASTMOD_MARGIN = timedelta(days=1)
DOCUMENT_KINDS = frozenset({"html", "pdf", "docx"})
SITEMAP_KINDS = frozenset({"xml", "gzip", "text"})


@dataclass
class WebResult:
    """The documents found on the websites, what failed, and the state to keep."""

    documents: list[DocumentFile] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    state: WebState = field(default_factory=WebState)
    # The keys of the documents each site gave, in the last sync's state and in this one's.
    documents_of: dict[str, set[str]] = field(default_factory=dict)
    requests: int = 0
    downloads: int = 0


def is_sitemap_url(url: str) -> bool:
    """Return whether a source URL names a sitemap (.xml, .xml.gz) rather than a start page."""
    return url.split("?", 1)[0].lower().endswith((".xml", ".xml.gz"))


@dataclass(frozen=True)
class CrawlOptions:
    """Limits for one sync (None: the settings) and a progress callback."""

    depth: int | None = None
    max_pages: int | None = None
    on_fetch: Callable[[int], None] | None = None


def collect_web_documents(
    sources: list[str], base: Manifest | None, settings: Settings,
    options: CrawlOptions | None = None, *, download_dir: Path, rebuild: bool = False,
) -> WebResult:
    """Fetch what may have changed on the given sites and return their documents.

    Args:
        sources: sitemap URLs and start URLs (crawled under their path to the depth).
        base: the current index generation: what "unchanged" is measured against.
        options: depth and page limits; on_fetch is told how many URLs were visited.
        download_dir: where linked PDF and DOCX files are saved, for the sync to read in
            its loader process; it must outlive the sync's loading.
        rebuild: fetch everything in full, trusting no validator.
    """
    result = WebResult()
    sources = list(dict.fromkeys(url for s in sources if (url := normalize_url(s))))
    if not sources:
        return result
    options = options or CrawlOptions()
    old = WebState.load(settings.resolved_store_dir)
    fetcher = Fetcher(settings, HostPolicy(sources))
    crawl = _Crawl(fetcher, base, old, settings, result,
                   options.depth if options.depth is not None else settings.crawl_depth,
                   options.max_pages if options.max_pages is not None else settings.crawl_max_pages,
                   rebuild, options.on_fetch, download_dir)
    try:
        for source in sources:
            crawl.read_source(source)
    finally:
        fetcher.close()
    result.requests, result.downloads = fetcher.requests, fetcher.downloads
    result.documents_of = {source: {entry.key for state in (old, result.state)
                                    for entry in state.urls.values()
                                    if entry.source == source and entry.key}
                           for source in sources}
    return result


class _Crawl:
    def __init__(self, fetcher: Fetcher, base: Manifest | None, old: WebState, settings: Settings,
                 result: WebResult, depth: int, max_pages: int, rebuild: bool,
                 on_fetch: Callable[[int], None] | None, download_dir: Path) -> None:
        self.fetcher, self.base, self.old, self.result = fetcher, base, old, result
        self.download_dir = download_dir
        self.new = result.state
        self.internal = settings.internal_urls
        self.depth, self.max_pages, self.rebuild = depth, max_pages, rebuild
        self.on_fetch = on_fetch
        self.added: dict[str, int] = {}  # document key -> its place in result.documents
        self.texts: dict[str, UrlState] = {}  # text hash -> the first entry with that text
        self.tried: set[str] = set()
        self.source = ""
        self.visits = 0
        self.complete = True
        self.stopped_hosts: set[str] = set()

    def read_source(self, source: str) -> None:
        """Read one configured site; keep its known documents when it cannot be read whole."""
        started = datetime.now(UTC)
        self.source, self.visits, self.complete = source, 0, True
        files: dict[str, str] = {}
        if is_sitemap_url(source):
            self._read_sitemap_pages(source, files)
        else:
            self._crawl_pages(source, files)
        for url, context in files.items():
            if not self._room():
                break
            self._visit(url, context)
        if self.complete:
            self.new.synced_at[source] = started.isoformat()
        else:
            self._keep_unseen(source)

    def _read_sitemap_pages(self, source: str, files: dict[str, str]) -> None:
        last_sync = None if self.rebuild else self.old.last_sync(source)
        for entry in self._sitemap_entries(source):
            if not same_site(entry.url, source):
                log.info("%s: not on the site of %s, skipped", entry.url, source)
                continue
            if not self._room():
                break
            skip = bool(entry.lastmod and last_sync and entry.lastmod < last_sync - LASTMOD_MARGIN)
            if found := self._visit(entry.url, unchanged_since_last_sync=skip):
                self._note_files(found, files)

    def _sitemap_entries(self, source: str) -> list[SitemapEntry]:
        """Return the pages of a sitemap and its nested sitemaps, each once."""
        pending, seen, entries = deque([source]), set(), {}
        while pending and len(seen) < MAX_SITEMAPS:
            url = pending.popleft()
            if url in seen:
                continue
            seen.add(url)
            try:
                sitemap = parse_sitemap(self.fetcher.get(url, SITEMAP_KINDS).body, url)
            except FetchError as error:
                sitemap, reason = None, f"sitemap: {error.reason}"
            else:
                reason = "er ikke et sitemap (not a sitemap: urlset or sitemapindex)"
            if sitemap is None:
                self.complete = False  # pages it lists must not count as gone
                self._fail(url, reason)
                continue
            pending.extend(sitemap.sitemaps)
            for entry in sitemap.pages:
                entries.setdefault(entry.url, entry)
        if any(url not in seen for url in pending):
            self.complete = False  # the pages of the sitemaps not read must not count as gone
            self._fail(source, f"mere end {MAX_SITEMAPS} sitemaps; resten er ikke læst "
                       "(too many sitemaps: the rest were not read)")
        return list(entries.values())

    def _crawl_pages(self, start: str, files: dict[str, str]) -> None:
        """Follow links breadth first, under the start URL's path, to the set depth."""
        queue, seen = deque([(start, 0)]), {start}
        while queue:
            url, depth = queue.popleft()
            if not self._room():
                return
            found = self._visit(url)
            if found is None:
                if url == start:
                    self.complete = False  # an unreachable start page removes nothing
                continue
            self._note_files(found, files)
            for link in found.links if depth < self.depth else []:
                if link not in seen and under(link, start):
                    seen.add(link)
                    queue.append((link, depth + 1))

    def _note_files(self, found: UrlState, files: dict[str, str]) -> None:
        for url in found.files:
            if same_site(url, self.source):
                files.setdefault(url, found.title)

    def _room(self) -> bool:
        if self.visits < self.max_pages:
            return True
        if self.complete:  # say it once
            self._fail(self.source, f"grænsen på {self.max_pages} sider er nået; resten er ikke "
                       "hentet (page limit reached: raise INDGANG_CRAWL_MAX_PAGES or --max-pages)")
        self.complete = False
        return False

    def _visit(self, url: str, context: str = "", unchanged_since_last_sync: bool = False
               ) -> UrlState | None:
        """Fetch (or skip) one URL, record its document, and return what it links to."""
        if url in self.tried:
            return self.new.urls.get(url)
        self.tried.add(url)
        self.visits += 1
        if self.on_fetch:
            self.on_fetch(len(self.tried))
        previous = self.old.urls.get(url)
        trusted = (previous is not None and not self.rebuild and previous.matches(self.base)
                   and previous.context == context and self._same_audience(previous))
        if trusted and unchanged_since_last_sync and not previous.read_again:
            return self._keep(url, previous)
        validators = None
        if trusted and previous is not None:
            validators = Validators(previous.etag, previous.last_modified)
        try:
            fetched = self.fetcher.get(url, DOCUMENT_KINDS, validators)
            if fetched.status == 304:
                if not trusted or previous is None:
                    raise FetchError("svarede 304 uden at være spurgt (unexpected 304)")
                if not previous.key or without_query(fetched.final_url) == without_query(
                        previous.key):
                    return self._keep(url, previous, fetched.validators)
                # The validators were those of the page a redirect led to last time; another
                # address answered them now (the redirect is gone): they say nothing of it.
                fetched = self.fetcher.get(url, DOCUMENT_KINDS)
            return self._take(url, fetched, context)
        except FetchError as error:
            if error.host:  # robots.txt unreachable: the host is stopped, and said so once
                self.complete = False
                if error.host not in self.stopped_hosts:
                    self.stopped_hosts.add(error.host)
                    self._fail(error.host, f"{error.reason}: intet hentes fra værten denne gang, "
                               "og det indekserede beholdes (nothing fetched from the host; "
                               "what is indexed is kept)")
            elif error.report or url == self.source:
                self._fail(url, error.reason)
            else:
                log.info("%s: %s", url, error.reason)
            if not error.keep:
                return None
            if previous is not None and previous.matches(self.base):
                return self._keep(url, previous, read_again=True)
            indexed = self._indexed(previous.key if previous and previous.key else url)
            return self._keep(url, indexed, read_again=True) if indexed else None

    def _indexed(self, url: str) -> UrlState | None:
        """Return what the index holds under url (a document's key: the address a redirect
        led to), for a passing failure the state cannot explain.

        The saved state can be missing, unreadable or a sync behind the index (a sync killed
        between its commit and saving the state); the page is kept all the same. Its links
        are not known then, so only the page itself is.
        """
        record = self.base.documents.get(url) if self.base else None
        if record is None:
            return None
        return UrlState(key=url, content_hash=record.content_hash, source=self.source)

    def _same_audience(self, previous: UrlState) -> bool:
        """Return whether the index holds previous's document for the audience it has now.

        A prefix added to INDGANG_INTERNAL_URLS must hide pages already indexed as public,
        though they have not changed: such a page is fetched and read again.
        """
        indexed, now = self._audiences(previous)
        return indexed is None or indexed == now

    def _now_internal(self, previous: UrlState) -> bool:
        """Return whether previous's document is indexed as public but is internal now."""
        return self._audiences(previous) == ("public", "internal")

    def _audiences(self, previous: UrlState) -> tuple[Audience | None, Audience]:
        """Return the audience the index holds previous's document for (None: not held) and
        the one it has now, by the document's own URL (after redirects), as when it was read."""
        record = self.base.documents.get(previous.key) if self.base and previous.key else None
        return (record.audience if record else None), audience_of([previous.key, self.source],
                                                                  self.internal)

    def _take(self, url: str, fetched: Fetched, context: str) -> UrlState:
        """Read a downloaded page, or save a downloaded file for the sync; return its state."""
        audience = audience_of([fetched.final_url, self.source], self.internal)
        entry = UrlState(etag=fetched.validators.etag, context=context, source=self.source,
                         last_modified=fetched.validators.last_modified)
        if fetched.kind == "html":
            document = self._read_page(url, fetched, entry, audience)
        else:
            document = self._save_file(fetched, context, audience)
        if document is not None:
            entry.key, entry.content_hash = document.key, document.content_hash
            self._record(url, entry, document)
        self.new.urls[url] = entry
        return entry

    def _record(self, url: str, entry: UrlState, document: DocumentFile) -> None:
        """Add entry's document, unless a page of this sync had its text first.

        The same text under another address (".../index.html", every page of a site in
        maintenance mode) is one document, the first; a site whose pages all say the same
        thing would remove most of the index, which the sync refuses. A duplicate holds no
        document of its own, so it is read in full every time: kept unread, it would keep
        the first page's document alive after that page had gone, and a copy that is one
        no longer would not be found.
        """
        first = self.texts.setdefault(entry.text_hash, entry) if entry.text_hash else entry
        if first.key == entry.key:  # itself, or the same page under two URLs (a canonical)
            self._add(document)
            return
        log.info("%s: same text as %s, indexed once", url, first.key)
        entry.key, entry.content_hash = first.key, first.content_hash
        entry.etag = entry.last_modified = ""
        entry.read_again = True

    def _read_page(self, url: str, fetched: Fetched, entry: UrlState,
                   audience: Audience) -> DocumentFile | None:
        """Note a page's title and links in entry; return its main text, if it has any."""
        final = fetched.final_url
        page = extract_page(decode_html(fetched.body, fetched.content_type), final)
        same_page = page.canonical and without_query(page.canonical) == without_query(final)
        key = page.canonical if same_page else final
        entry.title = page.title
        links = [link for link in page.links if same_site(link, final) and worth_fetching(link)]
        if page.follow:
            entry.files = [link for link in links if file_kind_of_url(link)]
            entry.links = [link for link in links if not file_kind_of_url(link)]
        if not page.index:
            return None  # the page asks to leave the index
        if not any(s.text.strip() for s in page.sections):
            record = self.base.documents.get(key) if self.base else None
            if record is None:
                log.info("%s: no main text to index", url)  # a page of links only
                return None
            # Its text now drawn by JavaScript, or half published: a passing failure. Its
            # links, read above, still count; its last version stays for the audience it
            # was indexed for, and it is read in full again next time (the validators are
            # the empty page's).
            entry.etag = entry.last_modified = ""
            entry.read_again = True
            if record.audience != audience:
                self._fail(url, "har ingen tekst længere og har fået en anden målgruppe: "
                           "fjernes (no main text, audience changed: removed)")
                return None
            self._fail(url, "har ingen tekst længere: den sidste udgave beholdes "
                       "(no main text any more: last version kept)")
            return DocumentFile(key, "", key, record.content_hash)
        document = page_document(page, key, audience)
        entry.text_hash = text_hash(document)
        return DocumentFile(key, "", key, document_hash(document), load=lambda: document)

    def _save_file(self, fetched: Fetched, context: str, audience: Audience) -> DocumentFile:
        """Save a linked PDF or DOCX for the sync to read in its loader process.

        A hostile file can keep a parser busy for ever: only that process has a time limit.
        """
        key = fetched.final_url
        meta = file_meta(key, context, audience)
        handle, path = tempfile.mkstemp(suffix=f".{fetched.kind}", dir=self.download_dir)
        with os.fdopen(handle, "wb") as out:
            out.write(fetched.body)
        return DocumentFile(key, path, key, file_hash(fetched.body, meta), meta=meta)

    def _keep(self, url: str, previous: UrlState, validators: Validators | None = None,
              read_again: bool = False) -> UrlState:
        """Keep what the index holds for url, unchanged; its links still count.

        Kept after a failure (read_again), it is asked for next time whatever its
        <lastmod>: its change may be what could not be fetched. Not a page indexed as public that
        INDGANG_INTERNAL_URLS now makes internal: one that could not be read again leaves
        the index until it can be (fail closed).
        """
        entry = UrlState(**{**previous.__dict__, "source": self.source,
                            "read_again": previous.read_again or read_again})
        if entry.key and self._now_internal(entry):
            self._fail(url, "er nu intern, men kunne ikke hentes igen: fjernes fra indekset, "
                       "til den kan læses (now internal but not read again: removed for now)")
            # Not saved, so read next time; its links and title still count.
            return UrlState(title=entry.title, links=entry.links, files=entry.files)
        if validators and (validators.etag or validators.last_modified):
            entry.etag = validators.etag or entry.etag
            entry.last_modified = validators.last_modified or entry.last_modified
        if entry.key and entry.content_hash:
            self._record(url, entry, DocumentFile(entry.key, "", entry.key, entry.content_hash))
        self.new.urls[url] = entry
        return entry

    def _keep_unseen(self, source: str) -> None:
        """Keep every document last read from source that this sync did not reach."""
        for url, entry in self.old.urls.items():
            if entry.source != source or url in self.tried:
                continue
            if entry.key != url and entry.key in self.tried and entry.key not in self.added:
                continue  # a copy, or an old address, of a page this sync found gone
            if entry.matches(self.base):
                self._keep(url, entry)
            elif indexed := self._indexed(entry.key or url):  # kept after a failure
                self._keep(url, indexed, read_again=True)
        if source in self.old.synced_at:
            self.new.synced_at[source] = self.old.synced_at[source]

    def _add(self, document: DocumentFile) -> None:
        """Add a document once; read now, it replaces the version kept from the index.

        A URL kept unread (its <lastmod>, a 304) can name the document of a page read
        later in the same sync (a canonical, the same text): the page's new text wins.
        """
        documents, place = self.result.documents, self.added.get(document.key)
        if place is None:
            self.added[document.key] = len(documents)
            documents.append(document)
        elif _read(document) and not _read(documents[place]):
            documents[place] = document

    def _fail(self, url: str, reason: str) -> None:
        """Report a failure: one line per URL, its reasons joined ("HTTP 503; er nu intern")."""
        log.warning("%s: %s", url, reason)
        failed = self.result.failed
        if failed and failed[-1][0] == url:
            failed[-1] = (url, f"{failed[-1][1]}; {reason}")
        else:
            failed.append((url, reason))


def _read(document: DocumentFile) -> bool:
    """Return whether a document was read this sync, not kept as the index holds it."""
    return document.load is not None or bool(document.path)
