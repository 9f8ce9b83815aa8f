"""Fixtures for websites as sources: Søby Kommune's site on 127.0.0.1, settings to crawl it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from knowledge.settings import Settings
from tests.web.municipal_site import build_site
from tests.web.site_server import SiteServer


@pytest.fixture
def site() -> Iterator[SiteServer]:
    """Søby Kommune's website, served for one test."""
    with SiteServer() as server:
        yield build_site(server)


@pytest.fixture
def web_settings(embedded_settings: Settings) -> Settings:
    """An embedded store, with limits small enough for the site's slow and huge pages.

    No pause between requests keeps the tests quick; politeness has its own test.
    """
    return embedded_settings.model_copy(update={
        "crawl_requests_per_s": 0.0, "fetch_timeout_s": 1.5, "fetch_max_bytes": 1_000_000,
        "source_dirs": []})
