"""What a website sync reaches: crawl scope and depth, limits, audience, and sites it cannot read."""

from __future__ import annotations

from ingest.web.crawl import MAX_SITEMAPS, CrawlOptions
from ingest.web.state import STATE_FILE
from knowledge.index.embeddings import Embedder
from knowledge.index.store import Store
from knowledge.settings import Settings
from tests.web.municipal_site import FRIST_18, MENTOR, PAGES, SOMMER, page
from tests.web.site_server import Resource, SiteServer
from tests.web.test_site_sync import counts, failed_paths, indexed_text, sync_site

OPEN = "Borgerservice har åbent hver torsdag til klokken atten."
CLUB = "Ældreklubben mødes hver tirsdag klokken ti i Søbyhallen."
UNDER_TILSKUD = ["/tilskud/", "/tilskud/paragraf-18-puljen", "/tilskud/lokaletilskud",
                 "/tilskud/aktivitetstilskud", "/media/regnskab-paragraf-18.pdf",
                 "/media/ansoegning-lokaletilskud.docx"]


def test_a_crawl_stays_under_the_start_path_to_the_depth(site: SiteServer, web_settings: Settings,
                                                          embedder: Embedder) -> None:
    summary, _ = sync_site(site, web_settings, embedder, site.url("/tilskud/"),
                           crawl=CrawlOptions(depth=1))
    manifest = Store.from_settings(web_settings).current_manifest()
    assert manifest is not None
    # Pages under /tilskud/, and the files they link to wherever they live on the site.
    assert set(manifest.documents) == {site.url(path) for path in UNDER_TILSKUD}
    assert failed_paths(summary) == ["/tilskud/ekstern-pulje"]
    paths = [r.path for r in site.requests_since()]
    assert paths.count("/tilskud/paragraf-18-puljen") == 1  # "?utm_source=...#frister" is the same page
    assert not [p for p in paths if p.startswith(("/foreninger/", "/erhverv/", "/borger/", "/intern/"))]

    # Five of six pages go: more than half, so the admin confirms the removal.
    summary, _ = sync_site(site, web_settings, embedder, site.url("/tilskud/"),
                           crawl=CrawlOptions(depth=0), allow_removal=True)
    manifest = Store.from_settings(web_settings).current_manifest()
    assert manifest is not None and set(manifest.documents) == {site.url("/tilskud/")}
    assert summary.removed == len(UNDER_TILSKUD) - 1


def test_a_start_page_without_text_still_leads_to_its_pages(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    sync_site(site, web_settings, embedder, site.url("/tilskud/"), crawl=CrawlOptions(depth=1))
    (web_settings.resolved_store_dir / STATE_FILE).unlink()  # its links are known only now
    links = "".join(f'<a href="{path}">{path}</a>' for path in UNDER_TILSKUD[1:4])  # the pages
    site.resources["/tilskud/"].body = page("Tilskud og puljer",
                                            f'<div id="app"></div><nav>{links}</nav>').encode()
    summary, _ = sync_site(site, web_settings, embedder, site.url("/tilskud/"),
                           crawl=CrawlOptions(depth=1))
    assert counts(summary)[2] == 0  # nothing removed: the pages it links to were read
    assert "ingen tekst" in dict(summary.failed)[site.url("/tilskud/")]
    manifest = Store.from_settings(web_settings).current_manifest()
    assert manifest is not None and set(manifest.documents) == {site.url(p) for p in UNDER_TILSKUD}


def test_the_page_limit_is_reported_and_removes_nothing(site: SiteServer, web_settings: Settings,
                                                        embedder: Embedder) -> None:
    sync_site(site, web_settings, embedder)
    summary, _ = sync_site(site, web_settings, embedder, crawl=CrawlOptions(max_pages=3))
    assert counts(summary) == (0, 0, 0, len(PAGES))
    assert any("grænsen på 3 sider" in reason for _, reason in summary.failed)


def test_a_site_that_cannot_be_read_whole_removes_nothing(site: SiteServer, web_settings: Settings,
                                                          embedder: Embedder) -> None:
    sync_site(site, web_settings, embedder)
    for path, status in (("/robots.txt", 503), ("/sitemap.xml", 500), ("/sitemaps/erhverv.xml", 500)):
        site.statuses = {path: status}
        mark = site.mark()
        summary, embedded = sync_site(site, web_settings, embedder)
        assert counts(summary) == (0, 0, 0, len(PAGES)) and embedded == 0, path
        assert any(f"HTTP {status}" in reason for _, reason in summary.failed), summary.failed
        if path == "/robots.txt":  # nothing at all is fetched from a host whose rules are unknown
            assert [r.path for r in site.requests_since(mark)] == ["/robots.txt"]
    assert MENTOR in indexed_text(web_settings)


def test_a_host_whose_robots_txt_cannot_be_read_is_reported_once(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    # A crawl keeps its pages' links while they cannot be fetched, so every known page
    # and file was tried and reported with the same robots.txt failure: one line each in
    # the nightly report to every admin.
    start = site.url("/tilskud/")
    first, _ = sync_site(site, web_settings, embedder, start)
    assert first.new >= 4
    site.statuses = {"/robots.txt": 503}
    summary, _ = sync_site(site, web_settings, embedder, start)
    assert len(summary.failed) == 1, summary.failed
    assert summary.failed[0][1].count("robots.txt svarede HTTP 503") == 1
    assert summary.removed == 0 and summary.unchanged == first.new


def test_sitemaps_past_the_limit_are_reported_and_remove_nothing(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    sync_site(site, web_settings, embedder)
    # 200 empty sitemaps first: the ones listing the pages are past the limit.
    empty = [f"/sitemaps/tom-{n}.xml" for n in range(MAX_SITEMAPS)]
    site.sitemap_indexes["/sitemap.xml"] = empty + site.sitemap_indexes["/sitemap.xml"]
    summary, _ = sync_site(site, web_settings, embedder)
    assert counts(summary) == (0, 0, 0, len(PAGES))
    assert any(f"mere end {MAX_SITEMAPS} sitemaps" in reason for _, reason in summary.failed)


def test_a_page_marked_noindex_leaves_the_index(site: SiteServer, web_settings: Settings,
                                                embedder: Embedder) -> None:
    sync_site(site, web_settings, embedder)
    site.change("/foreninger/sommerpulje", "<title>", '<meta name="robots" content="noindex"><title>')
    summary, _ = sync_site(site, web_settings, embedder)
    assert counts(summary) == (0, 0, 1, len(PAGES) - 1)
    assert SOMMER not in indexed_text(web_settings)


def test_internal_urls_are_for_staff_only(site: SiteServer, web_settings: Settings,
                                          embedder: Embedder) -> None:
    settings = web_settings.model_copy(update={"internal_urls": [site.url("/erhverv/")]})
    sync_site(site, settings, embedder)
    public, internal = indexed_text(settings, ("public",)), indexed_text(settings, ("internal",))
    assert MENTOR not in public and MENTOR in internal
    assert FRIST_18 in public and FRIST_18 not in internal


def test_a_page_is_one_document_however_its_address_is_spelt(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    site.resources["/tilskud/ældreklub"] = Resource(page("Ældreklubben", f"<p>{CLUB}</p>").encode())
    spellings = ("ældreklub", "%c3%a6ldreklub", "%C3%A6ldreklub", "%C3%A6ldrekl%75b",
                 "%2e%2e/erhverv/mentorordning")  # the server reads it as /erhverv/...
    site.change("/tilskud/", "</ul>", "".join(f'<li><a href="/tilskud/{spelling}">Klub</a></li>'
                                              for spelling in spellings) + "</ul>")
    # The admin writes the prefix as the browser shows it; the links encode it.
    settings = web_settings.model_copy(update={
        "internal_urls": [site.url("/tilskud/ældre"), site.url("/erhverv/")]})
    sync_site(site, settings, embedder, site.url("/tilskud/"), crawl=CrawlOptions(depth=1))
    assert MENTOR not in indexed_text(settings, ("public",))
    manifest = Store.from_settings(settings).current_manifest()
    assert manifest is not None and len(manifest.documents) == len(UNDER_TILSKUD) + 1
    assert CLUB in indexed_text(settings, ("internal",))
    assert CLUB not in indexed_text(settings, ("public",))


def test_internal_urls_set_later_hide_the_pages_already_indexed(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    sync_site(site, web_settings, embedder)
    assert MENTOR in indexed_text(web_settings, ("public",))
    settings = web_settings.model_copy(update={"internal_urls": [site.url("/erhverv/")]})
    sync_site(site, settings, embedder)  # the pages themselves have not changed
    assert MENTOR not in indexed_text(settings, ("public",))
    assert MENTOR in indexed_text(settings, ("internal",))
    assert FRIST_18 in indexed_text(settings, ("public",))


def test_a_page_made_internal_that_cannot_be_read_again_leaves_the_public_index(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    # An old address under the new internal prefix that redirects to a public page.
    site.resources["/erhverv/gammel-side"] = Resource(status=301, location="/borger/ny-side",
                                                      sitemap="erhverv")
    site.resources["/borger/ny-side"] = Resource(page("Borgerservice", f"<p>{OPEN}</p>").encode())
    sync_site(site, web_settings, embedder)
    settings = web_settings.model_copy(update={"internal_urls": [site.url("/erhverv/")]})
    # Passing failures: other pages are kept as they are.
    site.statuses = {"/erhverv/mentorordning": 503, "/borger/ny-side": 503}
    summary, _ = sync_site(site, settings, embedder)
    assert MENTOR not in indexed_text(settings, ("public",))
    assert OPEN in indexed_text(settings, ("public",))  # public where it is read from
    reasons = [reason for url, reason in summary.failed if url.endswith("/mentorordning")]
    assert len(reasons) == 1 and "HTTP 503" in reasons[0] and "er nu intern" in reasons[0]
    site.statuses = {}
    sync_site(site, settings, embedder)
    assert MENTOR in indexed_text(settings, ("internal",))


def test_a_page_made_internal_that_cannot_be_read_leaves_its_files_alone(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    sync_site(site, web_settings, embedder)
    page = site.url("/tilskud/paragraf-18-puljen")  # it links to the accounts PDF
    settings = web_settings.model_copy(update={"internal_urls": [page]})
    site.statuses = {"/tilskud/paragraf-18-puljen": 503}
    summary, _ = sync_site(site, settings, embedder)
    assert counts(summary) == (0, 0, 1, len(PAGES) - 1)  # the PDF is not read again


def test_dry_run_asks_the_site_but_changes_nothing(site: SiteServer, web_settings: Settings,
                                                   embedder: Embedder) -> None:
    summary, embedded = sync_site(site, web_settings, embedder, dry_run=True)
    assert (summary.new, summary.dry_run, embedded) == (len(PAGES), True, 0)
    assert Store.from_settings(web_settings).current_manifest() is None
    assert not (web_settings.resolved_store_dir / STATE_FILE).exists()
