"""Web pages and linked files as LoadedDocuments, fingerprinted by what is indexed."""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ingest.documents import read_content
from ingest.models import DocumentMeta, LoadedDocument
from ingest.web.extract import Page
from ingest.web.urls import file_name_of
from knowledge.models import Audience


def audience_of(urls: Iterable[str], internal_prefixes: Iterable[str]) -> Audience:
    """Return internal when any of the URLs is under an internal prefix, else public."""
    prefixes = tuple(p.lower() for p in internal_prefixes)
    internal = bool(prefixes) and any(url.lower().startswith(prefixes) for url in urls)
    return "internal" if internal else "public"


def page_document(page: Page, url: str, audience: Audience) -> LoadedDocument:
    """Return a page's main text with its title, canonical URL and modified date."""
    meta = DocumentMeta(title=page.title or _title_from_url(url), url=page.canonical or url,
                        audience=audience, updated=page.updated)
    return LoadedDocument(meta, page.sections)


def file_document(body: bytes, kind: str, url: str, context: str,
                  audience: Audience) -> LoadedDocument:
    """Read a downloaded PDF or DOCX; context is the title of the page that links to it.

    Raises:
        DocumentError: the file is corrupt, protected or has no text.
    """
    with tempfile.TemporaryDirectory(prefix="indgang-") as folder:
        path = Path(folder) / f"download.{kind}"
        path.write_bytes(body)
        found, sections = read_content(path)
    title = " ".join(str(found.get("title") or "").split()) or _title_from_url(url)
    meta = DocumentMeta(title=title, url=url, audience=audience, context=context)
    return LoadedDocument(meta, sections)


def document_hash(document: LoadedDocument) -> str:
    """Return a hash of what would be indexed: metadata and extracted text, not the markup.

    Markup, scripts and headers that change on every request (a Last-Modified of
    "now", a new session token) leave the hash alone, so they cause no re-embedding.
    """
    meta = document.meta
    data = [meta.title, meta.url, meta.audience, meta.updated.isoformat() if meta.updated else "",
            meta.contact, meta.context,
            [[list(s.headings), s.page, s.text] for s in document.sections]]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


def _title_from_url(url: str) -> str:
    name = file_name_of(url).rsplit(".", 1)[0]
    return name.replace("-", " ").replace("_", " ").strip().capitalize() or url
