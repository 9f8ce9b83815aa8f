"""Measure a website sync against a local site: first sync against raw extraction plus
embedding of the same pages, and an unchanged re-sync (time, embeddings, downloads).

Run: .venv/bin/python bench/site_sync.py [--pages 1000] [--pdfs 200]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generated_corpus import TOPICS, corpus_sentences  # noqa: E402
from ingest.chunking import split_into_chunks  # noqa: E402
from ingest.documents import load_document  # noqa: E402
from ingest.models import LoadedDocument  # noqa: E402
from ingest.sync import passage_text, sync_documents  # noqa: E402
from ingest.web.documents import file_meta, page_document  # noqa: E402
from ingest.web.extract import decode_html, extract_page  # noqa: E402
from knowledge.index.embeddings import Embedder  # noqa: E402
from knowledge.index.store import Store  # noqa: E402
from knowledge.settings import Settings  # noqa: E402
from tests.sample_files import write_pdf  # noqa: E402
from tests.web.municipal_site import page  # noqa: E402
from tests.web.site_server import Resource, SiteServer  # noqa: E402


def build_site(site: SiteServer, pages: int, pdfs: int, folder: Path, seed: int = 11) -> None:
    """Serve pages (two sections each) in a sitemap; every pages/pdfs-th links a PDF."""
    rng = random.Random(seed)
    sentences = corpus_sentences()
    site.robots = "User-agent: *\nDisallow: /intern/\n"
    site.sitemap_indexes = {"/sitemap.xml": ["/sitemaps/sider.xml"]}
    every = max(1, pages // pdfs) if pdfs else 0
    for n in range(pages):
        topic = TOPICS[n % len(TOPICS)]
        main = "".join(f"<h2>Afsnit {s + 1}</h2><p>{' '.join(rng.sample(sentences, 3))}</p>"
                       for s in range(2))
        if every and n % every == 0 and n // every < pdfs:
            number = n // every
            path = write_pdf(folder / f"{number}.pdf", [[("Vejledning", " ".join(rng.sample(sentences, 4)))],
                                                         [("Frister", " ".join(rng.sample(sentences, 4)))]],
                             title=f"{topic} - vejledning {number}")
            site.resources[f"/media/vejledning-{number:03d}.pdf"] = Resource(
                path.read_bytes(), "application/pdf", etag=True)
            main += f'<p>Læs <a href="/media/vejledning-{number:03d}.pdf">vejledningen (PDF)</a>.</p>'
        site.resources[f"/side/{n:04d}"] = Resource(
            page(f"{topic} {n}", main).encode(), etag=n % 2 == 0, last_modified=n % 3 == 0,
            sitemap="sider")


def read_pdf(body: bytes, url: str) -> LoadedDocument:
    """Read a downloaded PDF here, as a sync does in its loader process, with the same metadata."""
    with tempfile.TemporaryDirectory(prefix="indgang-bench-") as folder:
        path = Path(folder) / "download.pdf"
        path.write_bytes(body)
        return load_document(path, file_meta(url, "", "public"))


def raw_seconds(site: SiteServer, embedder: Embedder, settings: Settings) -> tuple[float, int]:
    """Return the seconds to extract, chunk and embed the site's pages and PDFs, no sync."""
    started = time.perf_counter()
    texts: list[str] = []
    for path, resource in site.resources.items():
        url = site.url(path)
        if path.endswith(".pdf"):
            document = read_pdf(resource.body, url)
        else:
            document = page_document(extract_page(decode_html(resource.body), url), url, "public")
        for chunk in split_into_chunks(document, "x", "y", settings.chunk_size_chars,
                                       settings.chunk_overlap_chars):
            texts.append(passage_text(document.meta.title, chunk, document.meta.context))
    embedder.embed_passages(texts)
    return time.perf_counter() - started, len(texts)


def timed_sync(site: SiteServer, embedder: Embedder, settings: Settings) -> tuple[float, object, int]:
    """Sync the site's sitemap; return seconds, the summary and the chunks embedded."""
    embedded = [0]

    def progress(done: int, total: int) -> None:
        embedded[0] = done

    started = time.perf_counter()
    summary = sync_documents([site.url("/sitemap.xml")], Store.from_settings(settings), embedder,
                             settings, on_progress=progress)
    return time.perf_counter() - started, summary, embedded[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--pdfs", type=int, default=200)
    args = parser.parse_args()
    embedder = Embedder(Settings())
    embedder.embed_query("varm op")
    with tempfile.TemporaryDirectory() as tmp, SiteServer() as site:
        root = Path(tmp)
        build_site(site, args.pages, args.pdfs, root)
        documents = len(site.resources)
        settings = Settings(store_dir=root / "store", data_dir=root / "data", crawl_requests_per_s=0)
        first_s, summary, chunks = timed_sync(site, embedder, settings)
        print(f"first sync: {documents} documents ({args.pages} pages, {args.pdfs} PDFs), "
              f"{chunks} chunks in {first_s:.1f} s = {documents / first_s:.2f} documents/s; "
              f"failed: {len(summary.failed)}")  # type: ignore[attr-defined]
        raw_s, raw_chunks = raw_seconds(site, embedder, settings)
        print(f"raw extraction + embedding of the same: {raw_chunks} chunks in {raw_s:.1f} s = "
              f"{documents / raw_s:.2f} documents/s; ratio {raw_s / first_s:.2f} (1.0: no overhead)")
        for label in ("sitemap with <lastmod>", "sitemap without <lastmod>"):
            if "without" in label:
                for resource in site.resources.values():
                    resource.lastmod = False
            mark = site.mark()
            again_s, summary, chunks = timed_sync(site, embedder, settings)
            asked = site.requests_since(mark)
            downloads = sum(1 for r in asked if r.status == 200 and r.path in site.resources)
            print(f"unchanged re-sync, {label}: {again_s:.2f} s (goal <= 10 s), {chunks} chunks embedded, "
                  f"unchanged {summary.unchanged}, {len(asked)} requests "  # type: ignore[attr-defined]
                  f"({sum(1 for r in asked if r.status == 304)} answered 304), {downloads} full "
                  f"downloads of pages or PDFs; at the default 2 requests/s the requests alone "
                  f"take {len(asked) / 2:.0f} s")


if __name__ == "__main__":
    main()
