"""Web pages and the files they link to as documents, and their fingerprints.

A page is fingerprinted by what is indexed (it was read while crawling, to find its
links); a linked PDF or DOCX by its bytes (it is read later, in the loader process).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from ingest.files import READ_VERSION
from ingest.metadata import title_from_name
from ingest.models import DocumentMeta, LoadedDocument
from ingest.web.extract import Page
from ingest.web.urls import file_name_of, normalize_url
from knowledge.models import Audience


def audience_of(urls: Iterable[str], internal_prefixes: Iterable[str]) -> Audience:
    """Return internal when any of the URLs is under an internal prefix, else public."""
    # Both spelt as normalize_url spells them: "/personale-løn/" is "/personale-l%C3%B8n/".
    prefixes = tuple((normalize_url(p) or p).lower() for p in internal_prefixes)
    internal = bool(prefixes) and any((normalize_url(url) or url).lower().startswith(prefixes)
                                      for url in urls)
    return "internal" if internal else "public"


def page_document(page: Page, url: str, audience: Audience) -> LoadedDocument:
    """Return a page's main text with its title, canonical URL and modified date."""
    title = page.title or title_from_name(file_name_of(url), url)
    meta = DocumentMeta(title=title, url=page.canonical or url, audience=audience,
                        updated=page.updated)
    return LoadedDocument(meta, page.sections)


def file_meta(url: str, context: str, audience: Audience) -> DocumentMeta:
    """Return what the web says about a linked PDF or DOCX; context is the linking page's title.

    The title is made from the URL until the file is read: a title it names itself wins.
    """
    return DocumentMeta(title=title_from_name(file_name_of(url), url), url=url, audience=audience,
                        context=context)


def file_hash(body: bytes, meta: DocumentMeta) -> str:
    """Return a hash of a downloaded file, what the web says about it, and READ_VERSION.

    The file is read only when the sync loads it, within the loader process's size and
    time budget, so its bytes stand in for its text here.
    """
    digest = hashlib.sha256(f"indgang-read-{READ_VERSION}\x00".encode())
    digest.update(json.dumps(_meta_fields(meta), ensure_ascii=False).encode("utf-8"))
    digest.update(b"\x00")
    digest.update(body)
    return digest.hexdigest()


def document_hash(document: LoadedDocument) -> str:
    """Return a hash of what would be indexed: metadata and extracted text, not the markup.

    Markup, scripts and headers that change on every request (a Last-Modified of
    "now", a new session token) leave the hash alone, so they cause no re-embedding.
    """
    return _hash([*_meta_fields(document.meta), _sections(document)])


def text_hash(document: LoadedDocument) -> str:
    """Return a hash of a page's text and audience alone, not its address or title.

    Two addresses with the same text ("/foreninger/" and "/foreninger/index.html", every
    page of a site in maintenance mode) are one document.
    """
    return _hash([document.meta.audience, _sections(document)])


def _sections(document: LoadedDocument) -> list[list[object]]:
    return [[list(s.headings), s.page, s.text] for s in document.sections]


def _hash(data: list[object]) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


def _meta_fields(meta: DocumentMeta) -> list[str]:
    return [meta.title, meta.url, meta.audience, meta.updated.isoformat() if meta.updated else "",
            meta.contact, meta.context]
