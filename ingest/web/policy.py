"""Which URLs may be fetched: the configured sites only, and no private address by accident."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from ingest.web.urls import host_of, site_of

Resolver = Callable[[str], list[str]]


def resolve_addresses(hostname: str) -> list[str]:
    """Return the IP addresses a host name resolves to (empty when it does not resolve)."""
    try:
        return sorted({str(info[4][0]) for info in socket.getaddrinfo(hostname, None)})
    except (OSError, UnicodeError):
        return []


class HostPolicy:
    """Allow the sites of the configured sources; refuse private addresses reached by a detour.

    A configured source may itself be on a private or loopback address (an intranet,
    or a test server on 127.0.0.1). Any other host on a configured site ("www." added
    or dropped) that resolves to such an address is refused: a public site must not
    lead the crawler into the municipality's internal network.
    """

    def __init__(self, sources: Iterable[str], resolve: Resolver = resolve_addresses) -> None:
        sources = list(sources)
        self._sites = {site_of(url) for url in sources}
        self._configured = {host_of(url) for url in sources}
        self._resolve = resolve
        self._private: dict[str, bool] = {}

    def refusal(self, url: str) -> str | None:
        """Return why url may not be fetched, or None when it may."""
        if site_of(url) not in self._sites:
            return "linker til en anden vært, som ikke er en kilde (another host)"
        host = host_of(url)
        if host in self._configured:
            return None
        hostname = urlsplit(url).hostname or ""
        if hostname not in self._private:
            self._private[hostname] = any(_is_private(a) for a in self._resolve(hostname))
        if self._private[hostname]:
            return "fører til en privat adresse, som ikke er en kilde (private address)"
        return None


def _is_private(address: str) -> bool:
    try:
        return not ipaddress.ip_address(address.split("%", 1)[0]).is_global
    except ValueError:
        return True
