"""URLs: one spelling per page, which site a URL belongs to, what kind of file it names."""

from __future__ import annotations

import re
import string
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Parameters that only say where a visitor came from: the same page under another name.
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl)$",
                       re.IGNORECASE)
_PERCENT_ENCODED = re.compile(r"%([0-9A-Fa-f]{2})")
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_PATH_SAFE = "/%!$&'()*+,;=:@-._~"  # RFC 3986 pchar and "/", besides letters and digits
_FILE_SUFFIXES = {".pdf": "pdf", ".docx": "docx"}
# Links that never lead to a document worth fetching.
_NOT_DOCUMENTS = re.compile(
    r"\.(jpe?g|png|gif|svg|webp|ico|css|js|mjs|json|zip|gz|rar|7z|mp3|mp4|m4a|mov|avi|wav|"
    r"ics|vcf|xlsx?|pptx?|odt|ods|doc|rtf|csv|xml|woff2?|ttf|eot|exe|dmg|iso)$",
    re.IGNORECASE,
)


def is_url(text: str) -> bool:
    """Return whether a source given on the command line or in settings is a web address."""
    return text.lower().startswith(("http://", "https://"))


def normalize_url(url: str, base: str | None = None) -> str | None:
    """Return one spelling of an http(s) URL, or None for other schemes.

    The fragment and tracking parameters are dropped and the rest of the query sorted,
    so "#frister" or "?utm_source=nyhedsbrev" never make a page twice; the path is
    percent-encoded one way (RFC 3986, 6.2.2), so "/ældre", "/%C3%A6ldre" and "/%c3%a6ldre"
    are one page too, and its dot segments removed: "/a/%2e%2e/intern/" is "/intern/", as
    the server reads it, so an internal prefix holds for it.
    """
    try:
        parts = urlsplit(urljoin(base, url.strip()) if base else url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not _TRACKING.match(k))
    return urlunsplit((scheme, host, _normalize_path(parts.path) or "/", urlencode(query), ""))


def _normalize_path(path: str) -> str:
    """Return the path with unreserved characters decoded, everything else encoded (a "%"
    that starts no escape too), and no dot segments."""
    def one(match: re.Match[str]) -> str:
        char = chr(int(match[1], 16))
        return char if char in _UNRESERVED else f"%{match[1].upper()}"

    path = _LONE_PERCENT.sub("%25", path)
    return _without_dot_segments(quote(_PERCENT_ENCODED.sub(one, path), safe=_PATH_SAFE))


def _without_dot_segments(path: str) -> str:
    """Return an absolute path with "." and ".." resolved (RFC 3986, 5.2.4)."""
    segments = path.split("/")[1:]
    kept: list[str] = []
    for segment in segments:
        if segment == "..":
            if kept:
                kept.pop()
        elif segment != ".":
            kept.append(segment)
    if not segments:
        return path
    resolved = "/" + "/".join(kept)
    if segments[-1] in (".", "..") and not resolved.endswith("/"):
        resolved += "/"  # "/a/b/.." is the folder "/a/"
    return resolved


def host_of(url: str) -> str:
    """Return the host (with a port other than the default) of a normalized URL."""
    return urlsplit(url).netloc.lower()


def site_of(url: str) -> str:
    """Return the site a URL belongs to: its host, with or without "www."."""
    return host_of(url).removeprefix("www.")


def same_site(url: str, other: str) -> bool:
    """Return whether two URLs are on one site (www.x.dk and x.dk are; http and https too)."""
    return site_of(url) == site_of(other)


def scope_path(start_url: str) -> str:
    """Return the path prefix a crawl from start_url stays under.

    "/tilskud/" and "/tilskud" both give "/tilskud/"; a file such as "/tilskud/index.html"
    gives its folder.
    """
    path = urlsplit(start_url).path or "/"
    if path.endswith("/"):
        return path
    folder, last = path.rsplit("/", 1)
    return f"{folder}/" if "." in last else f"{path}/"


def under(url: str, start_url: str) -> bool:
    """Return whether url is on start_url's site and under its path."""
    path, scope = urlsplit(url).path or "/", scope_path(start_url)
    return same_site(url, start_url) and (path.startswith(scope) or f"{path}/" == scope)


def without_query(url: str) -> str:
    """Return the URL without its query string."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def file_kind_of_url(url: str) -> str | None:
    """Return "pdf" or "docx" when the URL's path names such a file."""
    path = urlsplit(url).path.lower()
    for suffix, kind in _FILE_SUFFIXES.items():
        if path.endswith(suffix):
            return kind
    return None


def worth_fetching(url: str) -> bool:
    """Return False for links to images, scripts, archives and other non-documents."""
    return not _NOT_DOCUMENTS.search(urlsplit(url).path)


def file_name_of(url: str) -> str:
    """Return the last part of a URL's path as a reader writes it ("ældre.pdf"), or the host."""
    parts = urlsplit(url)
    return unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) or parts.netloc
