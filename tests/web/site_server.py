"""A website on 127.0.0.1 that tests start, change between syncs and inspect afterwards.

It speaks enough HTTP/1.1 to be a real web server to httpx: keep-alive, ETag and
Last-Modified with 304 answers, redirects, robots.txt, nested and gzipped sitemaps
built from its pages, and faults on request: an error status, a delay, a connection
reset, or a body without a length that ends when the connection closes.
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

HTML = "text/html; charset=utf-8"
OLD = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


@dataclass
class Resource:
    """One URL of the site and how the server answers it."""

    body: bytes = b""
    content_type: str = HTML
    modified: datetime = OLD
    etag: bool = False
    etag_text: str = ""  # the ETag as sent, instead of one made from the body
    last_modified: bool = False
    volatile_last_modified: bool = False  # Last-Modified is "now" on every request
    sitemap: str | None = None  # the urlset that lists it (/sitemaps/NAME.xml or .xml.gz)
    lastmod: bool = True  # whether that sitemap gives its <lastmod>
    status: int = 200
    location: str = ""
    delay_s: float = 0.0
    reset: bool = False
    unsized: bool = False  # no Content-Length: the body ends when the connection closes


@dataclass(frozen=True)
class Request:
    """One request the server answered (status 0: the connection was reset)."""

    path: str
    target: str  # the path as requested, with any query
    host: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    at: float = 0.0  # time.monotonic() when it arrived


class SiteServer:
    """Serve resources, robots.txt and sitemaps; record every request."""

    def __init__(self) -> None:
        self.resources: dict[str, Resource] = {}
        self.sitemap_indexes: dict[str, list[str]] = {}
        self.gzipped: set[str] = set()
        self.robots = ""
        self.statuses: dict[str, int] = {}  # answer this status for the path (robots, sitemaps too)
        self.delay_all_s = 0.0
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._volatile_since: datetime | None = None
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.site = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """Return http://127.0.0.1:PORT."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        """Return the absolute URL of a path on this site."""
        return f"{self.base_url}{path}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()

    def mark(self) -> int:
        """Return a position in the request log (see requests_since)."""
        with self._lock:
            return len(self.requests)

    def requests_since(self, mark: int = 0) -> list[Request]:
        """Return the requests answered after mark."""
        with self._lock:
            return list(self.requests[mark:])

    def change(self, path: str, old: str, new: str) -> None:
        """Replace text in a page, as an editor would: new ETag, modified now."""
        resource = self.resources[path]
        assert old.encode() in resource.body, old
        resource.body = resource.body.replace(old.encode(), new.encode())
        resource.modified = datetime.now(UTC)

    def serve(self, handler: _Handler) -> None:
        """Answer one GET."""
        arrived = time.monotonic()
        path = unquote(urlsplit(handler.path).path)  # as web servers do: %C3%A6 is "æ"
        resource = self._resource(path)
        if self.delay_all_s and resource.sitemap is not None:
            time.sleep(self.delay_all_s)
        if resource.delay_s:
            time.sleep(resource.delay_s)
        if resource.reset:
            self._record(handler, path, 0, arrived)
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.close_connection = True
            handler.connection.close()
            return
        status, headers = self._headers(handler, resource)
        self._record(handler, path, status, arrived)
        body = resource.body if status == 200 or status >= 400 else b""
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        if resource.unsized and status == 200:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        else:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True  # the client stopped reading: a size limit

    def _volatile_now(self) -> datetime:
        """Return "now", at least a second after the last such answer.

        HTTP dates count whole seconds: two syncs within one second on a quiet machine
        would otherwise find a page "always modified now" unchanged.
        """
        with self._lock:
            now = datetime.now(UTC).replace(microsecond=0)
            if self._volatile_since is not None:
                now = max(now, self._volatile_since + timedelta(seconds=1))
            self._volatile_since = now
            return now

    def _headers(self, handler: _Handler, resource: Resource) -> tuple[int, dict[str, str]]:
        headers = {"Content-Type": resource.content_type}
        if resource.location:
            return resource.status, {"Location": resource.location}
        if resource.status != 200:
            return resource.status, headers
        etag = resource.etag_text or f'"{hashlib.sha1(resource.body).hexdigest()[:16]}"'
        modified = self._volatile_now() if resource.volatile_last_modified else resource.modified
        if resource.etag:
            headers["ETag"] = etag
        if resource.last_modified or resource.volatile_last_modified:
            headers["Last-Modified"] = format_datetime(modified, usegmt=True)
        asked_etag = handler.headers.get("If-None-Match")
        asked_since = handler.headers.get("If-Modified-Since")
        if resource.etag and asked_etag:
            return (304 if asked_etag == etag else 200), headers
        if "Last-Modified" in headers and asked_since:
            unchanged = modified.replace(microsecond=0) <= parsedate_to_datetime(asked_since)
            return (304 if unchanged else 200), headers
        return 200, headers

    def _resource(self, path: str) -> Resource:
        if path in self.statuses:
            return Resource(_not_found(), status=self.statuses[path])
        if path == "/robots.txt":
            return Resource(self.robots.encode(), "text/plain; charset=utf-8")
        if path in self.sitemap_indexes:
            return Resource(self._index(path), "application/xml")
        name = path.removeprefix("/sitemaps/").removesuffix(".gz").removesuffix(".xml")
        if path.startswith("/sitemaps/") and path.endswith((".xml", ".xml.gz")):
            xml = self._urlset(name)
            return (Resource(gzip.compress(xml), "application/x-gzip") if path.endswith(".gz")
                    else Resource(xml, "application/xml"))
        return self.resources.get(path) or Resource(_not_found(), status=404)

    def _index(self, path: str) -> bytes:
        items = "".join(f"<sitemap><loc>{escape(self.url(p))}</loc></sitemap>"
                        for p in self.sitemap_indexes[path])
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/'
                f'schemas/sitemap/0.9">{items}</sitemapindex>').encode()

    def _urlset(self, name: str) -> bytes:
        items = []
        for path, resource in sorted(self.resources.items()):
            if resource.sitemap == name:
                lastmod = f"<lastmod>{resource.modified.isoformat()}</lastmod>" if resource.lastmod else ""
                items.append(f"<url><loc>{escape(self.url(path))}</loc>{lastmod}</url>")
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
                f'schemas/sitemap/0.9">{"".join(items)}</urlset>').encode()

    def _record(self, handler: _Handler, path: str, status: int, arrived: float) -> None:
        with self._lock:
            self.requests.append(Request(path, handler.path, handler.headers.get("Host", ""), status,
                                         dict(handler.headers.items()), arrived))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: SiteServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about clients that hang up (timeouts and size limits do)."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        """Send small writes at once, as real web servers do (no Nagle delay on keep-alive)."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        """Let the site answer."""
        self.server.site.serve(self)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""


def _not_found() -> bytes:
    return b"<!doctype html><html><head><title>Siden findes ikke</title></head><body><h1>404</h1></body></html>"
