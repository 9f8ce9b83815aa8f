"""Polite and safe fetching: the pace per host, robots.txt, hosts and private addresses, URLs."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest

from ingest.web.crawl import CrawlOptions, collect_web_documents
from ingest.web.policy import HostPolicy
from ingest.web.sitemap import parse_lastmod
from ingest.web.urls import normalize_url, under
from knowledge.settings import Settings
from tests.web.site_server import SiteServer


@pytest.mark.parametrize(("rate", "crawl_delay", "gap_s"), [(5.0, None, 0.2), (0.0, 0.4, 0.4)])
def test_requests_to_one_host_keep_the_pace(site: SiteServer, web_settings: Settings, rate: float,
                                            crawl_delay: float | None, gap_s: float,
                                            tmp_path: Path) -> None:
    if crawl_delay:
        site.robots = site.robots.replace("Disallow: /intern/", f"Disallow: /intern/\nCrawl-delay: {crawl_delay}")
    settings = web_settings.model_copy(update={"crawl_requests_per_s": rate})
    result = collect_web_documents([site.url("/tilskud/")], None, settings, CrawlOptions(depth=1),
                                   download_dir=tmp_path)
    assert len(result.documents) == 6
    times = [r.at for r in site.requests_since()]
    assert len(times) >= 8
    # The server notes arrival in its handler thread, which a busy machine can start late:
    # the pace shows in the mean gap, and no two requests come in a burst.
    assert (times[-1] - times[0]) / (len(times) - 1) >= gap_s * 0.95
    assert min(b - a for a, b in pairwise(times)) >= gap_s * 0.25


def test_robots_rules_for_indgang_are_kept(site: SiteServer, web_settings: Settings,
                                           tmp_path: Path) -> None:
    site.robots += "\nUser-agent: Indgang\nDisallow: /tilskud/lokaletilskud\n"
    result = collect_web_documents([site.url("/tilskud/")], None, web_settings, CrawlOptions(depth=1),
                                   download_dir=tmp_path)
    paths = {r.path for r in site.requests_since()}
    assert "/tilskud/lokaletilskud" not in paths and "/tilskud/aktivitetstilskud" in paths
    assert site.url("/tilskud/lokaletilskud") not in {d.key for d in result.documents}


def test_only_configured_sites_and_no_private_detours() -> None:
    addresses = {"kommune.dk": ["93.184.216.34"], "www.kommune.dk": ["10.0.0.5"],
                 "intra.kommune.dk": ["10.1.1.1"], "localhost": ["127.0.0.1", "::1"]}
    policy = HostPolicy(["https://kommune.dk/sitemap.xml", "https://intra.kommune.dk/",
                         "http://127.0.0.1:8080/"], resolve=lambda host: addresses.get(host, []))
    assert policy.refusal("https://kommune.dk/tilskud/") is None
    assert policy.refusal("https://intra.kommune.dk/vejledning") is None  # configured: may be private
    assert policy.refusal("http://127.0.0.1:8080/side") is None
    assert "privat adresse" in (policy.refusal("https://www.kommune.dk/tilskud/") or "")
    assert "anden vært" in (policy.refusal("https://www.borger.dk/") or "")
    assert "anden vært" in (policy.refusal("http://localhost:8080/side") or "")
    assert "anden vært" in (policy.refusal("http://127.0.0.1:9090/") or "")  # another port


def test_urls_have_one_spelling() -> None:
    assert normalize_url("HTTP://Www.Kommune.DK:80/tilskud?utm_source=x&b=2&a=1#frister") == (
        "http://www.kommune.dk/tilskud?a=1&b=2")
    assert normalize_url("../media/a.pdf", "https://kommune.dk/tilskud/side") == (
        "https://kommune.dk/media/a.pdf")
    assert {normalize_url(f"https://kommune.dk{path}") for path in (
        "/tilskud/ældreklub", "/tilskud/%c3%a6ldreklub", "/tilskud/./%C3%A6ldrekl%75b",
        "/intern/../tilskud/%C3%A6ldreklub", "/%2e%2e/tilskud/ældreklub")} == {
        "https://kommune.dk/tilskud/%C3%A6ldreklub"}
    assert normalize_url("https://kommune.dk/50%-rabat") == "https://kommune.dk/50%25-rabat"
    assert normalize_url("https://kommune.dk/a/b/..") == "https://kommune.dk/a/"
    assert normalize_url("mailto:indgang@kommune.dk") is None
    assert normalize_url("javascript:void(0)") is None


def test_a_crawl_scope_is_the_start_path() -> None:
    assert under("https://k.dk/tilskud/puljer/a", "https://k.dk/tilskud")
    assert under("https://k.dk/tilskud", "https://www.k.dk/tilskud/")
    assert under("https://k.dk/tilskud/a", "https://k.dk/tilskud/index.html")
    assert not under("https://k.dk/tilskudsregler", "https://k.dk/tilskud")
    assert not under("https://k.dk/erhverv/", "https://k.dk/tilskud/")
    assert not under("https://andet.dk/tilskud/", "https://k.dk/tilskud/")


def test_a_lastmod_date_counts_until_the_end_of_its_day() -> None:
    assert parse_lastmod("2025-03-14") == datetime(2025, 3, 15, tzinfo=UTC)
    assert parse_lastmod("2025-03-14T10:00:00+01:00") == datetime(2025, 3, 14, 9, tzinfo=UTC)
    assert parse_lastmod("2025-03-14T09:00Z") == datetime(2025, 3, 14, 9, tzinfo=UTC)
    assert parse_lastmod("i går") is None
