"""The values that pass between finding, loading, chunking and syncing documents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from knowledge.models import Audience
from knowledge.text.normalization import visible_text


@dataclass(frozen=True)
class DocumentMeta:
    """What a document says about itself: from front matter, a sidecar or defaults."""

    title: str
    url: str = ""
    audience: Audience = "public"
    updated: date | None = None
    contact: str = ""
    context: str = ""  # the web page that links to this file: its title

    def __post_init__(self) -> None:
        # Titles are quoted and searched as text is (see Section).
        object.__setattr__(self, "title", visible_text(self.title))
        object.__setattr__(self, "context", visible_text(self.context))


@dataclass(frozen=True)
class Section:
    """A run of text under one heading path, on one page when the format has pages."""

    text: str
    headings: tuple[str, ...] = ()
    page: int | None = None

    def __post_init__(self) -> None:
        # Every loader's text as a reader sees it: a word split by soft hyphens or typeset
        # with a ligature must be found, embedded and quoted as the word it is.
        object.__setattr__(self, "text", visible_text(self.text))
        object.__setattr__(self, "headings", tuple(visible_text(h) for h in self.headings))


@dataclass(frozen=True)
class LoadedDocument:
    """A document read from disk, before chunking."""

    meta: DocumentMeta
    sections: list[Section]


@dataclass(frozen=True)
class DocumentFile:
    """A document found in a source, identified by its key and content hash.

    A file is read from path when it must be indexed: a local file, or one a web page
    links to, downloaded for this sync; the latter carries meta, what the web says about
    it. A web page was read while fetching it (to hash its text and find its links), so
    it carries load. A web document with neither path nor load could not be fetched this
    time: the index keeps its last good version.
    """

    key: str
    path: str
    name: str
    content_hash: str
    load: Callable[[], LoadedDocument] | None = field(default=None, compare=False, repr=False)
    meta: DocumentMeta | None = None  # its URL, audience, linking page; the file may name a title


@dataclass(frozen=True)
class Removal:
    """Documents a sync would remove (file names), out of how many are indexed: in the
    whole index, or from one source (a folder, a website) when source names it.

    unreadable holds (file, reason) when they go because they could not be read for a new
    embedding model, not because they are missing from the sources.
    """

    names: list[str]
    indexed: int
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    source: str = ""

    def extent(self) -> str:
        """Return "3 af 4 dokumenter i indekset", or "... fra <source>" for one source."""
        where = f"fra {self.source}" if self.source else "i indekset"
        return f"{len(self.names)} af {self.indexed} dokumenter {where}"

    def describe(self, shown: int = 5) -> str:
        """Return "a.md, b.md og 3 andre": some names and how many more."""
        listed = ", ".join(self.names[:shown])
        more = len(self.names) - shown
        if more <= 0:
            return listed
        return f"{listed} og {more} {'anden' if more == 1 else 'andre'}"


@dataclass(frozen=True)
class SyncSummary:
    """What a sync did (or, in a dry run, would do): the documents it adds, changes and
    removes by name (a file's name, a web page's address), the unchanged ones counted."""

    new_files: list[str] = field(default_factory=list)
    changed_files: list[str] = field(default_factory=list)
    removed_files: list[str] = field(default_factory=list)
    unchanged: int = 0
    chunks: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    published: list[str] = field(default_factory=list)  # indexed for staff only, now public
    dry_run: bool = False
    refused: Removal | None = None  # a dry run's warning: the real sync would stop here
    # The index was (or would be) copied into a generation with the current search settings.
    search_upgraded: bool = False

    @property
    def new(self) -> int:
        return len(self.new_files)

    @property
    def changed(self) -> int:
        return len(self.changed_files)

    @property
    def removed(self) -> int:
        return len(self.removed_files)

    def search_note(self) -> str:
        """Return the line saying the index moves to the current search settings ("" if not)."""
        if not self.search_upgraded:
            return ""
        verb = "ville få" if self.dry_run else "har fået"
        return (f"Indekset {verb} de nuværende søgeindstillinger, kopieret til en ny udgave "
                "(moved to the current search settings).")

    def published_warning(self) -> str:
        """Return the warning above the list of published documents ("" when there are none)."""
        if not self.published:
            return ""
        if self.dry_run:
            return (f"Advarsel: {len(self.published)} dokument(er) er kun for medarbejdere og "
                    "ville blive offentlige (would become public). Er det ikke meningen, så ret "
                    "audience eller INDGANG_INTERNAL_URLS før indlæsningen:")
        return (f"Advarsel: {len(self.published)} dokument(er) var kun for medarbejdere og er "
                "nu offentlige (now public). Var det ikke meningen, så ret audience eller "
                "INDGANG_INTERNAL_URLS og indlæs igen:")
