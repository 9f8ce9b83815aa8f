"""Sources: folders and files on disk, and websites, given together."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ingest.web.urls import is_url
from knowledge.settings import Settings

Source = Path | str


def split_sources(sources: Iterable[Source]) -> tuple[list[Path], list[str]]:
    """Return the folders and files, and the web addresses, each in the order given."""
    paths: list[Path] = []
    urls: list[str] = []
    for source in sources:
        if isinstance(source, str) and is_url(source):
            urls.append(source.strip())
        else:
            paths.append(Path(source))
    return paths, urls


def configured_sources(settings: Settings) -> list[Source]:
    """Return what `indgang ingest` with no source and the bot's syncs read."""
    return [*settings.source_dirs, *settings.source_urls]
