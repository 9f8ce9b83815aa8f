"""Sources: folders and files on disk, and websites, given together."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ingest.web.urls import host_of, is_url, normalize_url
from knowledge.errors import IndgangError
from knowledge.settings import Settings

Source = Path | str


def split_sources(sources: Iterable[Source]) -> tuple[list[Path], list[str]]:
    """Return the folders and files, and the web addresses, each in the order given.

    Raises:
        IndgangError: a web address cannot be read, so nothing is synced (and nothing lost).
    """
    paths: list[Path] = []
    urls: list[str] = []
    for source in sources:
        if isinstance(source, str) and not source.strip():
            raise IndgangError("En tom sti er ingen kilde: den ville betyde den aktuelle mappe "
                               "(empty path)")
        if isinstance(source, str) and "://" in source and not is_url(source):
            raise IndgangError(f"{source!r}: kun http- og https-adresser kan hentes "
                               "(only http and https)")
        if isinstance(source, str) and is_url(source):
            url = normalize_url(source)
            if url is None or not host_of(url):
                raise IndgangError(f"{source!r} er ikke en gyldig webadresse (not a valid URL)")
            urls.append(url)
        else:
            paths.append(Path(source))
    return paths, urls


def configured_sources(settings: Settings) -> list[Source]:
    """Return what `indgang ingest` with no source and the bot's syncs read."""
    return [*settings.source_dirs, *settings.source_urls]
