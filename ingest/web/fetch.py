"""The HTTP client: conditional GETs, robots.txt, a pace per host, size and time limits.

Every request, redirects included, passes the host policy and robots.txt first, and
waits its turn on its host. Only a 200 of an expected content type is read, and only
up to the size limit and within the time limit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection
from dataclasses import dataclass

import httpx
from protego import Protego

from ingest.web.policy import HostPolicy
from ingest.web.urls import file_kind_of_url, normalize_url, same_site
from knowledge.settings import Settings

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
MAX_CRAWL_DELAY_S = 30.0
ROBOTS_MAX_BYTES = 512_000
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class Validators:
    """What the server said about a version, to ask "has it changed since?"."""

    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class Fetched:
    """A response: 200 with its body, or 304 (not modified) with none."""

    final_url: str
    status: int
    kind: str = ""
    content_type: str = ""
    body: bytes = b""
    validators: Validators = Validators()


class FetchError(Exception):
    """A URL could not be fetched; keep says whether its last good version stays."""

    def __init__(self, reason: str, *, keep: bool = True, report: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.keep = keep
        self.report = report
        self.host = ""  # the host it stops for the whole sync (robots.txt unreachable)


def gone(status: int) -> FetchError:
    """Return the error for a page that does not exist (404, 410): it leaves the index.

    Not "no longer": a start page mistyped by an admin was never indexed.
    """
    return FetchError(f"findes ikke (HTTP {status})", keep=False, report=False)


def content_kind(content_type: str, url: str) -> str | None:
    """Return html, pdf, docx, xml, gzip or text for a response, None for anything else."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in ("text/html", "application/xhtml+xml"):
        return "html"
    if media == "application/pdf":
        return "pdf"
    if media == DOCX_TYPE:
        return "docx"
    if media in ("application/xml", "text/xml"):
        return "xml"
    if media in ("application/gzip", "application/x-gzip"):
        return "gzip"
    if media == "text/plain":
        return "text"
    if media in ("", "application/octet-stream", "binary/octet-stream"):
        return file_kind_of_url(url) or ("gzip" if url.lower().endswith(".gz") else None)
    return None


class Fetcher:
    """Fetches URLs of the configured sites, politely; one instance per sync."""

    def __init__(self, settings: Settings, policy: HostPolicy) -> None:
        self.policy = policy
        self.user_agent = settings.crawl_user_agent
        self.timeout_s = settings.fetch_timeout_s
        self.max_bytes = settings.fetch_max_bytes
        rate = settings.crawl_requests_per_s
        self.interval_s = 1.0 / rate if rate > 0 else 0.0
        self.requests = 0
        self.downloads = 0
        self._client = httpx.Client(timeout=self.timeout_s, follow_redirects=False,
                                    headers={"User-Agent": self.user_agent})
        self._next_at: dict[str, float] = {}
        self._robots: dict[str, Protego | FetchError | None] = {}

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def get(self, url: str, kinds: Collection[str],
            validators: Validators | None = None) -> Fetched:
        """Fetch url, following redirects on its own site; 304 when validators still hold.

        Raises:
            FetchError: gone (404/410), refused, an unexpected type, or a failure.
        """
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            refusal = self.policy.refusal(current)
            if refusal:
                raise FetchError(refusal, keep=False)
            self._check_robots(current)
            status, location, fetched = self._request(current, kinds, validators)
            if status not in _REDIRECTS:
                assert fetched is not None
                return fetched
            following = normalize_url(location, current) if location else None
            if following is None:
                raise FetchError(f"ugyldig omdirigering (bad redirect, HTTP {status})")
            if not same_site(following, url):
                raise FetchError(f"omdirigerer til en anden vært: {following} "
                                 "(redirect to another host)", keep=False)
            current = following
        raise FetchError("for mange omdirigeringer (too many redirects)")

    def _request(self, url: str, kinds: Collection[str], validators: Validators | None
                 ) -> tuple[int, str, Fetched | None]:
        headers = {}
        # A validator that is not ASCII cannot be sent back (HTTP headers are bytes): the
        # page is fetched whole instead.
        if validators and validators.etag and validators.etag.isascii():
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified and validators.last_modified.isascii():
            headers["If-Modified-Since"] = validators.last_modified
        self._wait_turn(url)
        started = time.monotonic()
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                self.requests += 1
                return self._response(url, response, kinds, started)
        except httpx.TimeoutException:
            raise FetchError(f"svarede ikke inden for {self.timeout_s:g} s (timeout)") from None
        except (httpx.TransportError, httpx.DecodingError) as error:
            reason = f"forbindelsen svigtede (connection failed: {type(error).__name__})"
            raise FetchError(reason) from None
        except httpx.InvalidURL:
            raise FetchError("er ikke en gyldig webadresse (invalid URL)", keep=False) from None

    def _response(self, url: str, response: httpx.Response, kinds: Collection[str],
                  started: float) -> tuple[int, str, Fetched | None]:
        status = response.status_code
        if status in _REDIRECTS:
            return status, response.headers.get("location", ""), None
        if status == 304:
            return status, "", Fetched(url, 304, validators=_validators(response))
        if status in (404, 410):
            raise gone(status)
        if status != 200:
            raise FetchError(f"serveren svarede HTTP {status} "
                             f"({'server error' if status >= 500 else 'refused'})")
        content_type = response.headers.get("content-type", "")
        kind = content_kind(content_type, url)
        if kind not in kinds:
            raise FetchError(f"indholdstypen {content_type or '(ingen)'} bruges ikke "
                             "(unsupported type)", keep=False, report=False)
        body = self._read(response, started)
        self.downloads += 1
        return status, "", Fetched(url, 200, kind, content_type, body, _validators(response))

    def _read(self, response: httpx.Response, started: float, limit: int | None = None) -> bytes:
        """Read the body within the size and time limits."""
        limit = limit or self.max_bytes
        size = f"{limit:,}".replace(",", ".")
        too_large = FetchError(f"svaret er større end {size} bytes (response too large)")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise too_large
            if time.monotonic() - started > self.timeout_s:
                raise httpx.ReadTimeout("body too slow")
            chunks.append(chunk)
        return b"".join(chunks)

    def _wait_turn(self, url: str) -> None:
        """Keep to the pace per host: the setting, or robots.txt's Crawl-delay if slower."""
        origin = _origin(url)
        wait = self._next_at.get(origin, 0.0) - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._next_at[origin] = time.monotonic() + self._interval(origin)

    def _interval(self, origin: str) -> float:
        robots = self._robots.get(origin)
        delay = robots.crawl_delay(self.user_agent) if isinstance(robots, Protego) else None
        return max(self.interval_s, min(float(delay or 0.0), MAX_CRAWL_DELAY_S))

    def _check_robots(self, url: str) -> None:
        origin = _origin(url)
        if origin not in self._robots:
            rules = self._read_robots(origin)
            if isinstance(rules, FetchError):
                rules.host = origin
            self._robots[origin] = rules
            self._next_at[origin] = time.monotonic() + self._interval(origin)  # its Crawl-delay
        robots = self._robots[origin]
        if isinstance(robots, FetchError):
            raise robots
        if robots is not None and not robots.can_fetch(url, self.user_agent):
            raise FetchError("robots.txt tillader ikke at hente siden (disallowed by robots.txt)",
                             keep=False, report=False)

    def _read_robots(self, origin: str) -> Protego | FetchError | None:
        """Return the site's rules; None (all allowed) without robots.txt.

        An unreachable robots.txt stops the whole host for this sync, as the
        robots standard asks (RFC 9309): nothing is fetched and nothing removed.
        """
        url = f"{origin}/robots.txt"
        try:
            for _ in range(MAX_REDIRECTS + 1):
                self._wait_turn(url)
                started = time.monotonic()
                with self._client.stream("GET", url) as response:
                    self.requests += 1
                    status = response.status_code
                    given = response.headers.get("location")
                    location = normalize_url(given, url) if given else None
                    if status in _REDIRECTS and location and same_site(location, origin):
                        url = location
                        continue
                    if status in _REDIRECTS or 400 <= status < 500:
                        return None  # no rules to keep to
                    if status != 200:
                        return FetchError(f"robots.txt svarede HTTP {status} (server error)")
                    return _parse_robots(self._read(response, started, ROBOTS_MAX_BYTES), origin)
        except FetchError as error:
            return error
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            return FetchError(f"robots.txt kunne ikke hentes ({type(error).__name__})")
        return None


def _parse_robots(body: bytes, origin: str) -> Protego | None:
    try:
        return Protego.parse(body.decode("utf-8", errors="replace"))
    except Exception:  # a broken robots.txt must not stop the sync: nothing is forbidden
        log.warning("%s/robots.txt kunne ikke fortolkes og regnes for at tillade alt (could not "
                    "be parsed; treated as allowing all)", origin)
        return None


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def _validators(response: httpx.Response) -> Validators:
    return Validators(response.headers.get("etag", ""), response.headers.get("last-modified", ""))
