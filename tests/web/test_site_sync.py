"""A municipal website as a source: first sync, nothing changed, a change, a removal, a failure.

Real HTTP on 127.0.0.1, the real model and embedded Chroma.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ingest.models import SyncSummary
from ingest.sync import RemovalRefusedError, sync_documents
from ingest.web.state import STATE_FILE
from knowledge.index.embeddings import Embedder
from knowledge.index.store import Store, all_chunks, dense_search
from knowledge.settings import Settings
from tests.sample_files import write_markdown, write_slow_pdf
from tests.web.municipal_site import (
    CHROME,
    DOCX_TEXT,
    FRIST_18,
    FRIVILLIG,
    LOENTILSKUD,
    MENTOR,
    MOEDELOKALER,
    NEDLAGT,
    NY_FRIST_18,
    PAGES,
    SOMMER,
    page,
)
from tests.web.site_server import HTML, OLD, Resource, SiteServer

STANDING_FAILURES = ["/erhverv/aarsrapport", "/tilskud/ekstern-pulje"]  # too large; other host


def sync_site(site: SiteServer, settings: Settings, embedder: Embedder, *sources: str,
              **options: object) -> tuple[SyncSummary, int]:
    """Sync the site's sitemap (or the given sources); return the summary and chunks embedded."""
    embedded = [0]

    def progress(done: int, total: int) -> None:
        embedded[0] = done

    summary = sync_documents(list(sources) or [site.url("/sitemap.xml")], Store.from_settings(settings),
                             embedder, settings, on_progress=progress, **options)  # type: ignore[arg-type]
    return summary, embedded[0]


def indexed_text(settings: Settings, audiences: tuple[str, ...] = ("public", "internal")) -> str:
    """Return every chunk's text in the current index."""
    snapshot = Store.from_settings(settings).snapshot()
    assert snapshot is not None
    return "\n".join(row.text for row in all_chunks(snapshot, audiences))  # type: ignore[arg-type]


def failed_paths(summary: SyncSummary) -> list[str]:
    """Return the paths of the URLs the summary reports as failed."""
    return sorted(urlsplit(url).path for url, _ in summary.failed)


def counts(summary: SyncSummary) -> tuple[int, int, int, int]:
    """Return new, changed, removed, unchanged."""
    return summary.new, summary.changed, summary.removed, summary.unchanged


def assert_a_bad_night_removes_nothing(site: SiteServer, settings: Settings,
                                       embedder: Embedder, kept: str) -> None:
    """Sync on a night the site cannot be read whole (its sitemap answers 503): nothing is
    removed, and the text kept is still indexed."""
    site.statuses["/sitemap.xml"] = 503
    summary, _ = sync_site(site, settings, embedder)
    assert summary.removed == 0 and kept in indexed_text(settings)


def serve_a_copy(site: SiteServer, sitemap: str) -> Resource:
    """Serve the summer pool's page at ".../index.html" too, listed in sitemap, with no
    canonical link: the same text under two addresses."""
    copy = Resource(site.resources["/foreninger/sommerpulje"].body, sitemap=sitemap)
    site.resources["/foreninger/sommerpulje/index.html"] = copy
    return copy


def test_first_sync_indexes_pages_and_linked_files(site: SiteServer, web_settings: Settings,
                                                   embedder: Embedder) -> None:
    summary, _ = sync_site(site, web_settings, embedder)
    assert counts(summary) == (len(PAGES), 0, 0, 0)
    assert failed_paths(summary) == STANDING_FAILURES
    reasons = " ".join(reason for _, reason in summary.failed)
    assert "større end 1.000.000 bytes" in reasons and "anden vært" in reasons

    manifest = Store.from_settings(web_settings).current_manifest()
    assert manifest is not None
    assert set(manifest.documents) == {site.url(path) for path in PAGES}
    text = indexed_text(web_settings)
    for phrase in PAGES.values():
        assert phrase in text  # the Latin-1 page (FRIVILLIG) reads right too
    for chrome in CHROME:
        assert chrome not in text

    docs = manifest.documents
    paragraph_18 = docs[site.url("/tilskud/paragraf-18-puljen")]
    assert (paragraph_18.title, paragraph_18.updated, paragraph_18.url) == (
        "§ 18-puljen", "2025-11-03", site.url("/tilskud/paragraf-18-puljen"))
    assert docs[site.url("/tilskud/lokaletilskud")].updated == "2024-06-30"  # <time>
    assert docs[site.url("/tilskud/aktivitetstilskud")].updated == "2014-12-10"  # "Sidst opdateret"
    pdf = docs[site.url("/media/regnskab-paragraf-18.pdf")]
    assert (pdf.title, pdf.context) == ("Regnskab for § 18-midler", "§ 18-puljen")
    assert docs[site.url("/media/ansoegning-lokaletilskud.docx")].context == "Lokaletilskud"
    assert site.url("/foreninger/lokaler") not in docs  # a redirect: the final URL is the address

    snapshot = Store.from_settings(web_settings).snapshot()
    assert snapshot is not None
    question = embedder.embed_query("hvornår er fristen for at søge § 18-puljen")
    best, _ = dense_search(snapshot, question, 1, ["public"])[0]
    assert FRIST_18 in best.text and best.metadata["url"] == paragraph_18.url
    sections = {row.metadata["section"] for row in all_chunks(snapshot, ["public"])
                if row.metadata["doc_key"] == paragraph_18.key}
    assert {"Frister", "Regnskab"} <= sections  # headings kept

    requests = site.requests_since()
    assert {r.host for r in requests} == {urlsplit(site.base_url).netloc}  # no other host
    assert "/intern/kladde" not in {r.path for r in requests}  # robots.txt: Disallow /intern/
    assert all(r.headers["User-Agent"].startswith("Indgang/") and "kontakt" in r.headers["User-Agent"]
               for r in requests)


def test_unchanged_resync_downloads_little_and_embeds_nothing(
    site: SiteServer, web_settings: Settings, embedder: Embedder
) -> None:
    sync_site(site, web_settings, embedder)
    before = Store.from_settings(web_settings).current_manifest()
    mark = site.mark()
    summary, embedded = sync_site(site, web_settings, embedder)
    assert counts(summary) == (0, 0, 0, len(PAGES)) and embedded == 0
    assert failed_paths(summary) == STANDING_FAILURES
    after = Store.from_settings(web_settings).current_manifest()
    assert after is not None and before is not None and after.generation == before.generation

    asked = [r for r in site.requests_since(mark) if r.path in PAGES or r.path == "/foreninger/lokaler"]
    downloaded = {r.path for r in asked if r.status == 200}
    # No validators at all, and a Last-Modified that is always "now": downloaded, not embedded.
    assert downloaded == {"/foreninger/frivillighed", "/erhverv/virksomhedspraktik"}
    assert {r.path for r in asked if r.status == 304} == {
        "/foreninger/lokaler-og-faciliteter", "/foreninger/udflugtspuljen", "/foreninger/sommerpulje",
        "/erhverv/loentilskud", "/erhverv/mentorordning", "/media/regnskab-paragraf-18.pdf",
        "/media/ansoegning-lokaletilskud.docx"}
    # Pages whose sitemap <lastmod> is older than the last sync are not asked at all.
    assert not {"/tilskud/", "/tilskud/paragraf-18-puljen", "/tilskud/lokaletilskud",
                "/tilskud/aktivitetstilskud"} & {r.path for r in asked}


def test_a_changed_page_alone_is_embedded_again(site: SiteServer, web_settings: Settings,
                                                embedder: Embedder) -> None:
    sync_site(site, web_settings, embedder)
    site.change("/tilskud/paragraf-18-puljen", FRIST_18, NY_FRIST_18)
    mark = site.mark()
    summary, embedded = sync_site(site, web_settings, embedder)
    assert counts(summary) == (0, 1, 0, len(PAGES) - 1)
    manifest = Store.from_settings(web_settings).current_manifest()
    assert manifest is not None
    assert embedded == len(manifest.documents[site.url("/tilskud/paragraf-18-puljen")].chunk_ids)
    text = indexed_text(web_settings)
    assert NY_FRIST_18 in text and FRIST_18 not in text
    snapshot = Store.from_settings(web_settings).snapshot()
    assert snapshot is not None
    hits = dense_search(snapshot, embedder.embed_query("ansøgningsfrist § 18-puljen 1. marts"), 5,
                        ["public"])
    assert not any(FRIST_18 in row.text for row, _ in hits)
    pdf = [r.status for r in site.requests_since(mark) if r.path == "/media/regnskab-paragraf-18.pdf"]
    assert pdf == [304]  # the page it hangs on changed, the PDF did not


def test_the_same_page_under_two_addresses_is_indexed_once(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    # A CMS that answers ".../index.html" too, both in the sitemap, and no canonical link:
    # the page was indexed twice, and quoted twice in one answer.
    serve_a_copy(site, "foreninger")
    summary, _ = sync_site(site, web_settings, embedder)
    assert counts(summary) == (len(PAGES), 0, 0, 0)
    assert indexed_text(web_settings).count(SOMMER) == 1
    summary, embedded = sync_site(site, web_settings, embedder)
    assert counts(summary) == (0, 0, 0, len(PAGES)) and embedded == 0


def test_a_copy_stays_one_document_when_the_sitemap_lists_it_first(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    # Only pages downloaded were compared: once the copy came first, the page itself
    # answered 304, was kept unread, and was indexed beside its copy again.
    copy = serve_a_copy(site, "foreninger")
    sync_site(site, web_settings, embedder)
    copy.sitemap = "tilskud"  # a sitemap read before the page's own
    sync_site(site, web_settings, embedder)
    assert indexed_text(web_settings).count(SOMMER) == 1


def test_a_copy_is_read_again_when_its_page_is_gone(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    # Kept unread by its <lastmod>, the copy kept the page's own document, address and all,
    # in the index after the page itself answered 404.
    serve_a_copy(site, "foreninger")
    sync_site(site, web_settings, embedder)
    site.resources["/foreninger/sommerpulje"].status = 404
    sync_site(site, web_settings, embedder)
    manifest = Store.from_settings(web_settings).current_manifest()
    assert manifest is not None and site.url("/foreninger/sommerpulje") not in manifest.documents
    assert site.url("/foreninger/sommerpulje/index.html") in manifest.documents


def test_a_copy_not_reached_does_not_keep_a_gone_page_in_the_index(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    # On a night the site cannot be read whole, a copy not reached is kept; it must not
    # bring back the document of its page, which answered 404 that night.
    serve_a_copy(site, "erhverv")
    sync_site(site, web_settings, embedder)
    site.resources["/foreninger/sommerpulje"].status = 404
    site.statuses["/sitemaps/erhverv.xml"] = 503
    sync_site(site, web_settings, embedder)
    manifest = Store.from_settings(web_settings).current_manifest()
    assert manifest is not None and site.url("/foreninger/sommerpulje") not in manifest.documents
    assert site.url("/erhverv/loentilskud") in manifest.documents  # the rest of it kept


def test_the_crawl_state_of_the_version_before_is_read(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    # Not read, it was as if lost: on a first night after an upgrade that could not read
    # the site whole, every page not reached was removed (the sync refused, night after night).
    sync_site(site, web_settings, embedder)
    state_file = web_settings.resolved_store_dir / STATE_FILE
    state = json.loads(state_file.read_text("utf-8"))
    for entry in state["urls"].values():
        del entry["text_hash"]
    state_file.write_text(json.dumps({**state, "version": 1}), "utf-8")
    site.statuses["/sitemaps/foreninger.xml.gz"] = 503
    summary, embedded = sync_site(site, web_settings, embedder)
    assert summary.removed == 0 and embedded == 0
    assert SOMMER in indexed_text(web_settings)


def test_a_change_is_read_when_an_old_address_of_the_page_was_kept_first(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    # The sitemap lists a page's old address (a redirect to it) before the page. Kept
    # unread by its old <lastmod>, the old address named the page's last version before
    # the page itself was read, changed, and the change was lost.
    site.resources["/foreninger/lokaler"].lastmod = True
    site.resources["/foreninger/lokaler-og-faciliteter"].sitemap = "foreninger"
    sync_site(site, web_settings, embedder)
    site.change("/foreninger/lokaler-og-faciliteter", MOEDELOKALER, "Lokalerne er lukket i juli.")
    summary, _ = sync_site(site, web_settings, embedder)
    assert summary.changed == 1
    text = indexed_text(web_settings)
    assert "Lokalerne er lukket i juli." in text and MOEDELOKALER not in text


def close_for_maintenance(site: SiteServer) -> None:
    """Make every page answer 200 with the same "closed for maintenance" page."""
    closed = page("Vedligeholdelse", "<p>Hjemmesiden er lukket på grund af planlagt "
                  "vedligeholdelse. Prøv igen senere.</p>").encode()
    for resource in site.resources.values():
        if resource.content_type == HTML and resource.status == 200:
            resource.body, resource.modified = closed, datetime.now(UTC)


def test_a_site_in_maintenance_mode_does_not_replace_its_pages(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    # Each page's text was replaced by the "closed" page, and partners were answered from it.
    sync_site(site, web_settings, embedder)
    close_for_maintenance(site)
    with pytest.raises(RemovalRefusedError, match="så den er stoppet"):
        sync_site(site, web_settings, embedder)
    text = indexed_text(web_settings)
    assert FRIST_18 in text and LOENTILSKUD in text and "vedligeholdelse" not in text


def test_a_site_in_maintenance_mode_beside_a_larger_folder_stops_too(
        site: SiteServer, web_settings: Settings, embedder: Embedder, tmp_path: Path) -> None:
    notes = tmp_path / "noter"
    notes.mkdir()
    for n in range(2 * len(PAGES)):  # most of the index is the folder's
        write_markdown(notes / f"note-{n}.md", f"# Note {n}\n\nNote nummer {n} om foreninger.\n")
    sitemap = site.url("/sitemap.xml")
    sync_site(site, web_settings, embedder, sitemap, str(notes))
    close_for_maintenance(site)
    with pytest.raises(RemovalRefusedError, match=re.escape(f"dokumenter fra {sitemap} ")):
        sync_site(site, web_settings, embedder, sitemap, str(notes))
    text = indexed_text(web_settings)
    assert FRIST_18 in text and LOENTILSKUD in text and "vedligeholdelse" not in text


def test_pages_that_are_gone_leave_the_index(site: SiteServer, web_settings: Settings,
                                             embedder: Embedder) -> None:
    sync_site(site, web_settings, embedder)
    site.resources["/foreninger/udflugtspuljen"].status = 404  # still in the sitemap, now 404
    site.resources["/foreninger/sommerpulje"].sitemap = None  # still served, but listed nowhere
    summary, embedded = sync_site(site, web_settings, embedder)
    assert counts(summary) == (0, 0, 2, len(PAGES) - 2) and embedded == 0
    assert failed_paths(summary) == STANDING_FAILURES  # a page that is gone is no failure
    text = indexed_text(web_settings)
    assert NEDLAGT not in text and SOMMER not in text and FRIVILLIG in text


def test_a_passing_failure_keeps_the_last_good_version(site: SiteServer, web_settings: Settings,
                                                       embedder: Embedder) -> None:
    sync_site(site, web_settings, embedder)
    site.resources["/erhverv/loentilskud"].status = 500
    site.resources["/erhverv/mentorordning"].delay_s = 3.0  # past fetch_timeout_s
    site.resources["/foreninger/lokaler-og-faciliteter"].reset = True
    # A page whose text is now drawn by JavaScript, or a half-published one: no main text.
    summer = site.resources["/foreninger/sommerpulje"]
    summer_body, summer.body = summer.body, page("Sommerpuljen", '<div id="app"></div>').encode()
    summary, _ = sync_site(site, web_settings, embedder)
    assert counts(summary) == (0, 0, 0, len(PAGES))
    reasons = dict(summary.failed)
    assert "ingen tekst" in reasons[site.url("/foreninger/sommerpulje")]
    assert "HTTP 500" in reasons[site.url("/erhverv/loentilskud")]
    assert "timeout" in reasons[site.url("/erhverv/mentorordning")]
    assert "forbindelsen svigtede" in reasons[site.url("/foreninger/lokaler")]
    text = indexed_text(web_settings)
    assert LOENTILSKUD in text and MENTOR in text and MOEDELOKALER in text and SOMMER in text

    summer.body = summer_body
    site.resources["/erhverv/loentilskud"].status = 200
    site.resources["/erhverv/mentorordning"].delay_s = 0.0
    site.resources["/foreninger/lokaler-og-faciliteter"].reset = False
    summary, embedded = sync_site(site, web_settings, embedder)
    assert counts(summary) == (0, 0, 0, len(PAGES)) and embedded == 0
    assert failed_paths(summary) == STANDING_FAILURES


def test_a_change_that_could_not_be_fetched_is_fetched_by_the_next_sync(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    # The page changed after the last sync (its <lastmod> says so) but answered 503: its
    # last version was kept. The next sync must not skip it because that <lastmod> is now
    # older than the sync that failed to fetch it.
    sitemap = site.url("/sitemap.xml")
    sync_site(site, web_settings, embedder)
    state_file = web_settings.resolved_store_dir / STATE_FILE
    state = json.loads(state_file.read_text("utf-8"))
    state["synced_at"][sitemap] = (datetime.now(UTC) - timedelta(days=10)).isoformat()
    state_file.write_text(json.dumps(state), "utf-8")  # as if last synced ten days ago
    path = "/tilskud/paragraf-18-puljen"
    site.change(path, FRIST_18, NY_FRIST_18)
    site.resources[path].modified = datetime.now(UTC) - timedelta(days=5)
    site.resources[path].status = 503
    summary, _ = sync_site(site, web_settings, embedder)
    assert "HTTP 503" in dict(summary.failed)[site.url(path)]
    assert FRIST_18 in indexed_text(web_settings)

    site.resources[path].status = 200
    summary, _ = sync_site(site, web_settings, embedder)
    assert summary.changed == 1
    text = indexed_text(web_settings)
    assert NY_FRIST_18 in text and FRIST_18 not in text


def test_a_304_counts_only_from_the_address_its_validators_came_from(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    # A page redirected to a campaign page for a while; the campaign page's Last-Modified
    # was sent to the page's own address, which answered 304 to it once the redirect was
    # gone: the campaign's text stayed in the index after the campaign page was deleted.
    campaign = Resource(page("Kampagne", "<p>Kampagnen giver 90.000 kr. til sommerlejre.</p>")
                        .encode(), last_modified=True, modified=datetime.now(UTC))
    site.resources["/tilskud/kampagne"] = campaign
    summer = site.resources["/foreninger/sommerpulje"]
    summer.last_modified, summer.modified = True, OLD
    summer.status, summer.location = 302, site.url("/tilskud/kampagne")
    sync_site(site, web_settings, embedder)
    assert "90.000 kr." in indexed_text(web_settings)

    summer.status, summer.location = 200, ""
    campaign.status = 404
    sync_site(site, web_settings, embedder)
    text = indexed_text(web_settings)
    assert SOMMER in text and "90.000 kr." not in text


def test_a_passing_failure_keeps_the_page_when_the_crawl_state_is_lost(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    sync_site(site, web_settings, embedder)
    (web_settings.resolved_store_dir / STATE_FILE).unlink()
    site.resources["/erhverv/loentilskud"].status = 500
    summary, _ = sync_site(site, web_settings, embedder)
    assert summary.removed == 0
    assert LOENTILSKUD in indexed_text(web_settings)


def test_odd_headers_and_charsets_are_read_not_fatal(site: SiteServer, web_settings: Settings,
                                                     embedder: Embedder) -> None:
    # An ETag that is not ASCII cannot be sent back in If-None-Match, and "hex" names a
    # codec that is no text encoding: each ended every sync in a traceback.
    site.resources["/erhverv/loentilskud"].etag_text = '"café-1"'
    site.resources["/erhverv/mentorordning"].content_type = "text/html; charset=hex"
    for _ in range(2):  # the second sync sends the saved validators back
        summary, _ = sync_site(site, web_settings, embedder)
        assert failed_paths(summary) == STANDING_FAILURES
    text = indexed_text(web_settings, ("public",))
    assert LOENTILSKUD in text and MENTOR in text


def test_a_linked_file_a_parser_chokes_on_is_reported_and_the_sync_goes_on(
    site: SiteServer, web_settings: Settings, embedder: Embedder
) -> None:
    # lxml's own error on a DOCX with broken XML ended the whole sync in a traceback.
    sync_site(site, web_settings, embedder)
    resource = site.resources["/media/ansoegning-lokaletilskud.docx"]
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(resource.body)) as original, \
            zipfile.ZipFile(broken, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            copy.writestr(item, b"<w:document><w:body" if item.filename == "word/document.xml"
                          else data)
    resource.body, resource.modified = broken.getvalue(), datetime.now(UTC)  # as an editor would
    summary, _ = sync_site(site, web_settings, embedder)
    reasons = dict(summary.failed)
    assert "kunne ikke læses" in reasons[site.url("/media/ansoegning-lokaletilskud.docx")]
    assert counts(summary) == (0, 0, 0, len(PAGES))  # the rest synced, the file's last version kept
    assert DOCX_TEXT in indexed_text(web_settings)
    assert_a_bad_night_removes_nothing(site, web_settings, embedder, DOCX_TEXT)


def test_a_redirected_file_kept_after_a_failed_read_survives_a_bad_night(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    # The file is indexed under the address its link redirects to; kept after a failed
    # read, it was looked up under the link's address on a night the site could not be
    # read whole, not found, and removed.
    old = site.resources.pop("/media/ansoegning-lokaletilskud.docx")
    site.resources["/media/v2/ansoegning.docx"] = old
    site.resources["/media/ansoegning-lokaletilskud.docx"] = Resource(
        status=302, location=site.url("/media/v2/ansoegning.docx"))
    sync_site(site, web_settings, embedder)
    old.body, old.modified = b"PK\x03\x04 not a whole docx", datetime.now(UTC)
    sync_site(site, web_settings, embedder)
    assert DOCX_TEXT in indexed_text(web_settings)
    assert_a_bad_night_removes_nothing(site, web_settings, embedder, DOCX_TEXT)


def test_a_night_of_failures_does_not_make_the_next_one_download_everything(
        site: SiteServer, web_settings: Settings, embedder: Embedder) -> None:
    # Pages kept while robots.txt could not be read are asked for again the next night,
    # with the validators of the version indexed: 304, not a full download.
    start = site.url("/tilskud/")
    sync_site(site, web_settings, embedder, start)
    mark = site.mark()
    sync_site(site, web_settings, embedder, start)
    normal = sorted((r.path, r.status) for r in site.requests_since(mark))
    site.statuses = {"/robots.txt": 503}
    sync_site(site, web_settings, embedder, start)
    site.statuses = {}
    mark = site.mark()
    sync_site(site, web_settings, embedder, start)
    assert sorted((r.path, r.status) for r in site.requests_since(mark)) == normal


def test_a_linked_file_over_the_time_budget_is_stopped_and_the_rest_is_indexed(
    site: SiteServer, web_settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    # Read while crawling, a linked file had no time limit: one hostile PDF held up the sync.
    settings = web_settings.model_copy(update={"max_load_s": 1.0})
    slow = "/media/regnskab-paragraf-18.pdf"
    site.resources[slow].body = write_slow_pdf(tmp_path / "slow.pdf").read_bytes()
    summary, _ = sync_site(site, settings, embedder)
    assert "tog mere end 1 s" in dict(summary.failed)[site.url(slow)]
    assert failed_paths(summary) == sorted([*STANDING_FAILURES, slow])
    assert counts(summary) == (len(PAGES) - 1, 0, 0, 0)
    text = indexed_text(settings)
    assert all(phrase in text for path, phrase in PAGES.items() if path != slow)
    assert DOCX_TEXT in text  # loaded after the slow PDF, by a fresh worker
