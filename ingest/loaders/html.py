"""HTML files: the same main-text extractor as for web pages (ingest.web.extract)."""

from __future__ import annotations

from pathlib import Path

from ingest.loaders.text import decode_text
from ingest.models import Section
from ingest.web.extract import Page, decode_html, extract_page


def load_html(path: Path) -> tuple[dict[str, object], list[Section]]:
    """Return what the page says about itself (title, url, updated) and its sections."""
    # Decoded as a web page is (its declared charset); a binary file with an .html name
    # fails here, not as a page.
    page = extract_page(decode_text(path.read_bytes(), decode_html))
    return page_meta(page), page.sections


def page_meta(page: Page) -> dict[str, object]:
    """Return the metadata a page gives: title, canonical URL and modified date, when present."""
    found: dict[str, object] = {"title": page.title, "url": page.canonical, "updated": page.updated}
    return {key: value for key, value in found.items() if value}
