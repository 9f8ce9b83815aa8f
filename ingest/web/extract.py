"""A web page's main text by heading (trafilatura), its metadata, and its links.

Menus, cookie banners, breadcrumbs, share links and footers are left out by
trafilatura's content detection, not by guessing from class names: CMS markup such
as `page-header` or `layout--with-sidebar` wraps real content as often as chrome.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import date

import lxml.html
import trafilatura
from lxml import etree

from ingest.loaders.headings import SectionBuilder
from ingest.models import Section
from ingest.dates import date_in_text, parse_date, without_date_lines
from ingest.web.urls import normalize_url
from knowledge.text.normalization import visible_line

_BYTE_ORDER_MARKS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16"))
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_TITLE_SEPARATORS = (" | ", " – ", " - ", " — ")
_HEADING = re.compile(r"^h([1-6])$")
_DATE_META = ("dcterms.modified", "dc.date.modified", "article:modified_time", "og:updated_time",
              "last-modified", "dcterms.date", "dc.date")


@dataclass(frozen=True)
class Page:
    """What a page says: title, canonical URL, modified date, main text, and its links."""

    title: str
    canonical: str = ""
    updated: date | None = None
    sections: list[Section] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    index: bool = True
    follow: bool = True


def decode_html(body: bytes, content_type: str = "") -> str:
    """Return a page's text: the charset its byte order mark, the server or the page names,
    else UTF-8 or Windows-1252."""
    # A byte order mark decides before anything the server or the page says, as in browsers.
    marked = next((codec for bom, codec in _BYTE_ORDER_MARKS if body.startswith(bom)), None)
    if marked:
        return body.decode(marked, errors="replace")
    named = re.search(r"charset=([\w.:-]+)", content_type, re.IGNORECASE)
    declared = named.group(1) if named else None
    if declared is None:
        found = _CHARSET.search(body[:4096])
        declared = found.group(1).decode("ascii", "replace") if found else None
    if declared:
        try:
            return body.decode(declared, errors="replace")
        except (LookupError, UnicodeError):  # no codec, or none for text ("hex", "idna")
            pass
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def extract_page(html: str, url: str | None = None) -> Page:
    """Return the page's metadata, main text by heading, and every link on it."""
    html = _XML_DECLARATION.sub("", html, count=1)
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return Page(title="")
    base = _base_url(tree, url)
    sections, first_heading = _main_text(tree)
    sections, dated = without_date_lines(sections)
    robots = " ".join(tree.xpath("//meta[@name='robots']/@content")).lower()
    return Page(
        title=_title(tree) or first_heading or "",
        canonical=_canonical(tree, base),
        updated=_updated(tree, dated),
        sections=sections,
        links=_links(tree, base),
        index="noindex" not in robots,
        follow="nofollow" not in robots,
    )


def _main_text(tree: lxml.html.HtmlElement) -> tuple[list[Section], str | None]:
    """Return the sections of the page's main landmark, or of the page when it has none.

    The HTML landmark (<main>, role="main", a lone <article>) is the page's own word
    for where its content is. Within it trafilatura still drops share links and the
    like; given the whole page, it can take a cookie banner for the text of a short page.
    A landmark with no text at all (drawn by JavaScript) means the page has none: the
    rest of the page is chrome.
    """
    landmark = _landmark(tree)
    if landmark is not None and not "".join(landmark.itertext()).strip():
        return [], None
    for scope in ([landmark, tree] if landmark is not None else [tree]):
        html = lxml.html.tostring(scope, encoding="unicode")
        if scope is landmark:
            html = f"<html><body>{html}</body></html>"
        document = trafilatura.bare_extraction(html, favor_precision=True, with_metadata=False,
                                               include_comments=False, include_tables=True)
        builder = SectionBuilder()
        body = getattr(document, "body", None)
        if body is not None:
            _walk(body, builder)
        sections = builder.finish()
        if sections:
            return sections, builder.first_heading
    return [], None


def _landmark(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    found = tree.xpath("//main") or tree.xpath("//*[@role='main']")
    if len(found) == 1:
        return found[0]
    articles = tree.xpath("//article")
    return articles[0] if len(articles) == 1 else None


def _walk(element: etree._Element, builder: SectionBuilder) -> None:
    """Turn trafilatura's tree (head, p, list, table, ...) into headed sections."""
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "head":
            level = _HEADING.match(child.get("rend") or "")
            if text := _text(child):
                builder.heading(int(level.group(1)) if level else 2, text)
        elif tag == "list":
            _list(child, builder)
        elif tag == "table":
            for row in child.iter("row"):
                cells = [_text(cell) for cell in row if cell.tag == "cell"]
                if line := " | ".join(c for c in cells if c):  # "Ja | Ja" are two answers
                    builder.line(line)
        elif tag in ("p", "quote", "code"):
            if text := _text(child):
                builder.line(text)
        elif tag:
            _walk(child, builder)


def _list(element: etree._Element, builder: SectionBuilder) -> None:
    """Write a list's items in reading order, each item's own lists after its text."""
    for item in element.iterfind("item"):
        # Its own lists; theirs follow their items when those lists are written.
        nested = [inner for inner in item.iter("list")
                  if next(inner.iterancestors("item")) is item]
        for inner in nested:
            _detach(inner)
        if text := _text(item):
            builder.line(f"- {text}")
        for inner in nested:
            _list(inner, builder)


def _detach(element: etree._Element) -> None:
    """Remove an element, keeping the text that follows it ("... og underskrevet")."""
    parent = element.getparent()
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = f"{previous.tail or ''} {element.tail}"
        else:
            parent.text = f"{parent.text or ''} {element.tail}"
    parent.remove(element)


def _text(element: etree._Element) -> str:
    for brk in element.iter("lb"):
        brk.tail = " " + (brk.tail or "")
    return " ".join("".join(element.itertext()).split())


def _title(tree: lxml.html.HtmlElement) -> str:
    """Return the page's <title> without the site name after it ("Page | Site" -> "Page")."""
    found = tree.find(".//title")
    title = visible_line(found.text_content() if found is not None else "")
    for separator in _TITLE_SEPARATORS:
        if separator in title:
            return title.rsplit(separator, 1)[0].strip()
    if title:
        return title
    og = tree.xpath("//meta[@property='og:title']/@content")
    return visible_line(str(og[0])) if og else ""


def _base_url(tree: lxml.html.HtmlElement, url: str | None) -> str | None:
    base = tree.xpath("//base/@href")
    return normalize_url(str(base[0]), url) if base else url


def _canonical(tree: lxml.html.HtmlElement, base: str | None) -> str:
    for href in tree.xpath("//link[@rel='canonical']/@href"):
        if url := normalize_url(str(href), base):
            return url
    return ""


def _links(tree: lxml.html.HtmlElement, base: str | None) -> list[str]:
    found: dict[str, None] = {}
    for href in tree.xpath("//a/@href"):
        if url := normalize_url(str(href), base):
            found.setdefault(url)
    return list(found)


def _updated(tree: lxml.html.HtmlElement, dated: date | None) -> date | None:
    """Return the modified date: meta tags, then <time>, then "Sidst opdateret ..." in the text
    (dated: the date of such a line of the main text)."""
    for name in _DATE_META:
        for value in tree.xpath(f"//meta[translate(@name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
                                f"'abcdefghijklmnopqrstuvwxyz')='{name}' or @property='{name}']"
                                "/@content"):
            if found := parse_date(str(value)):
                return found
    modified = tree.xpath("//time[@itemprop='dateModified']/@datetime")
    stamps = modified or tree.xpath("//time/@datetime")
    times = [found for found in (parse_date(str(v)) for v in stamps) if found]
    if times:
        return max(times)
    if dated:
        return dated
    body = tree.find("body")
    return date_in_text(body.text_content() if body is not None else "")
