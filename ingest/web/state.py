"""What the last sync learnt about each URL, kept beside the store for the next one.

Validators (ETag, Last-Modified) let the next sync ask "changed since?"; the links a
page had let a sync that does not download the page (304, unchanged lastmod, a
passing failure) still reach the pages and files it leads to. The file is replaced
atomically only after the index generation it describes is committed, and an entry
is trusted only while its content hash matches the index, so a crash can cost a
download but never hide a change.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from knowledge.index.manifest import Manifest

log = logging.getLogger(__name__)

STATE_FILE = "web-sources.json"
# 2: pages' text hashes. A state of version 1 is read without its validators and asked
# for whatever its <lastmod>: every page is downloaded once (embedded only if its text
# changed), so duplicates already indexed are found and pages are read as they are now.
VERSION = 2


@dataclass
class UrlState:
    """One fetched URL: the document it gave (if any), its validators and its links."""

    key: str = ""
    content_hash: str = ""
    etag: str = ""
    last_modified: str = ""
    title: str = ""
    context: str = ""
    source: str = ""
    links: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    text_hash: str = ""  # a page's text alone (documents.text_hash): the same under two URLs
    # Kept after a failure (or with no text), or a duplicate of another page's text: what
    # the index holds may be out of date, so the next sync asks for it whatever its
    # sitemap <lastmod> says.
    read_again: bool = False

    def matches(self, manifest: Manifest | None) -> bool:
        """Return whether the index holds exactly what this entry says was indexed."""
        record = manifest.documents.get(self.key) if manifest and self.key else None
        if not self.content_hash:
            return record is None
        return record is not None and record.content_hash == self.content_hash


@dataclass
class WebState:
    """Every URL the last sync fetched or kept, and when each source was last read whole."""

    urls: dict[str, UrlState] = field(default_factory=dict)
    synced_at: dict[str, str] = field(default_factory=dict)

    def last_sync(self, source: str) -> datetime | None:
        """Return when the last complete sync of a source started."""
        value = self.synced_at.get(source)
        return datetime.fromisoformat(value) if value else None

    @classmethod
    def load(cls, store_dir: Path) -> WebState:
        """Read the state; a missing or unreadable file means starting afresh."""
        path = store_dir / STATE_FILE
        if not path.is_file():
            return cls()
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("version") not in (1, VERSION):
                return cls()
            urls = {url: UrlState(**entry) for url, entry in data["urls"].items()}
            if data["version"] == 1:
                for entry in urls.values():
                    entry.etag = entry.last_modified = ""
                    entry.read_again = True
            return cls(urls, dict(data["synced_at"]))
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("%s kunne ikke læses (%s): alle sider hentes igen (could not be read: every "
                        "page is downloaded again)", path, error)
            return cls()

    def save(self, store_dir: Path) -> None:
        """Replace the state file atomically."""
        store_dir.mkdir(parents=True, exist_ok=True)
        data = {"version": VERSION, "synced_at": self.synced_at,
                "urls": {url: asdict(entry) for url, entry in sorted(self.urls.items())}}
        handle, temporary = tempfile.mkstemp(dir=store_dir, prefix=".web-sources-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, store_dir / STATE_FILE)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
