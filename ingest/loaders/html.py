"""HTML: the page's main content by heading; menus, cookie banners and footers dropped."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from ingest.loaders.headings import SectionBuilder
from ingest.loaders.text import read_text_file
from ingest.models import Section

_CHROME_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form",
                "iframe", "svg", "button", "template"]
_CHROME_HINT = re.compile(
    r"cookie|consent|banner|menu|navigation|breadcrumb|share|social|skip|footer|header|sidebar",
    re.IGNORECASE,
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = {"p", "li", "td", "th", "dd", "dt", "pre", "blockquote", "figcaption"}
_DATE_META = ("dcterms.modified", "article:modified_time", "last-modified", "dcterms.date")


def load_html(path: Path) -> tuple[dict[str, object], list[Section]]:
    """Return what the page says about itself (title, url, updated) and its sections."""
    soup = BeautifulSoup(read_text_file(path), "html.parser")
    meta = _page_meta(soup)
    _drop_chrome(soup)
    root = soup.find("main") or soup.find("article") or soup.body or soup
    builder = SectionBuilder()
    for element in root.find_all([*_HEADINGS, *_BLOCKS]):
        if element.name in _BLOCKS and any(p.name in _BLOCKS for p in element.parents):
            continue  # its text is already part of the enclosing block
        text = " ".join(element.get_text(" ", strip=True).split())
        if not text:
            continue
        if element.name in _HEADINGS:
            builder.heading(_HEADINGS[element.name], text)
            meta.setdefault("title", text)
        else:
            builder.line(f"- {text}" if element.name == "li" else text)
    return meta, builder.finish()


def _drop_chrome(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(_CHROME_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.attrs is None or tag.name in ("html", "body", "main"):
            continue
        hint = " ".join([tag.get("id") or "", *(tag.get("class") or []), tag.get("role") or ""])
        if hint.strip() and _CHROME_HINT.search(hint):
            tag.decompose()


def _page_meta(soup: BeautifulSoup) -> dict[str, object]:
    meta: dict[str, object] = {}
    if soup.title and soup.title.get_text(strip=True):
        # "Page | Site" -> "Page": the site name is chrome, not the document's title.
        meta["title"] = re.split(r"\s+[|–-]\s+", soup.title.get_text(strip=True))[0]
    canonical = soup.find("link", rel="canonical")
    if isinstance(canonical, Tag) and canonical.get("href"):
        meta["url"] = canonical["href"]
    for name in _DATE_META:
        tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", property=name)
        if isinstance(tag, Tag) and tag.get("content"):
            try:
                meta["updated"] = date.fromisoformat(str(tag["content"])[:10])
                break
            except ValueError:
                continue
    return meta
