"""Sitemaps: urlset and sitemapindex (gzipped or not), each page with its <lastmod>."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lxml import etree

from ingest.web.urls import normalize_url

MAX_UNZIPPED_BYTES = 50_000_000  # the sitemap protocol's own limit for one file
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class SitemapEntry:
    """A page listed in a sitemap, with when it last changed (if the sitemap says)."""

    url: str
    lastmod: datetime | None = None


@dataclass(frozen=True)
class Sitemap:
    """What one sitemap file lists: pages (urlset) or further sitemaps (sitemapindex)."""

    pages: list[SitemapEntry]
    sitemaps: list[str]


def parse_sitemap(body: bytes, base_url: str) -> Sitemap | None:
    """Return the pages or child sitemaps a sitemap lists; None when body is no sitemap."""
    if body[:2] == _GZIP_MAGIC:
        body = _gunzip(body)
    if body.lstrip()[:1] != b"<":
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return None
    name = etree.QName(root).localname
    if name == "urlset":
        pages = []
        for item in root.iterfind("{*}url"):
            url = normalize_url(item.findtext("{*}loc") or "", base_url)
            if url:
                pages.append(SitemapEntry(url, parse_lastmod(item.findtext("{*}lastmod"))))
        return Sitemap(pages, [])
    if name == "sitemapindex":
        locs = (normalize_url(item.findtext("{*}loc") or "", base_url)
                for item in root.iterfind("{*}sitemap"))
        return Sitemap([], [loc for loc in locs if loc])
    return None


def parse_lastmod(text: str | None) -> datetime | None:
    """Return a W3C datetime as an aware datetime; a bare date counts as the end of that day.

    Counting "2025-03-14" as the end of the day means a page changed on the day of
    the last sync, after it ran, is still fetched again.
    """
    value = (text or "").strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if len(value) <= 10:  # a date without a time
        return parsed.replace(tzinfo=UTC) + timedelta(days=1)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _gunzip(body: bytes) -> bytes:
    """Unpack a gzipped sitemap, refusing one that unpacks beyond the protocol's limit."""
    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = unpacker.decompress(body, MAX_UNZIPPED_BYTES + 1)
    except zlib.error:
        return b""
    if len(data) > MAX_UNZIPPED_BYTES:
        return b""
    return data
