"""Measure ingestion: chunks/s against the model's raw encode rate, and an unchanged re-sync.

Run: .venv/bin/python bench/ingest.py [--documents 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generated_corpus import write_documents  # noqa: E402
from ingest.sync import passage_text, sync_documents  # noqa: E402
from knowledge.index.embeddings import Embedder  # noqa: E402
from knowledge.index.store import Store, all_chunks  # noqa: E402
from knowledge.models import Chunk  # noqa: E402
from knowledge.settings import (
    Settings,  # noqa: E402
    default_corpus_dir,  # noqa: E402
)


def measure_rate(embedder: Embedder, settings: Settings, source: Path) -> tuple[int, float, float]:
    """Return (chunks, ingestion chunks/s, raw encode chunks/s) for one folder."""
    store = Store.from_settings(settings)
    started = time.perf_counter()
    summary = sync_documents([source], store, embedder, settings)
    ingest_s = time.perf_counter() - started
    snapshot = store.snapshot()
    assert snapshot is not None
    rows = all_chunks(snapshot, ["public", "internal"])
    texts = [passage_text(str(r.metadata["title"]),
                          Chunk(r.id, r.text, str(r.metadata["section"]), None, 0)) for r in rows]
    started = time.perf_counter()
    embedder.embed_passages(texts)
    raw_s = time.perf_counter() - started
    return summary.chunks, summary.chunks / ingest_s, len(texts) / raw_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    args = parser.parse_args()
    embedder = Embedder(Settings())
    embedder.embed_query("varm op")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for label, source in (("default corpus", default_corpus_dir()),
                              (f"{args.documents} generated documents", root / "generated")):
            if not source.exists():
                write_documents(source, args.documents)
            settings = Settings(store_dir=root / f"store-{source.name}")
            chunks, ingest_rate, raw_rate = measure_rate(embedder, settings, source)
            print(f"{label}: {chunks} chunks; ingestion {ingest_rate:.1f} chunks/s, raw encode "
                  f"{raw_rate:.1f} chunks/s, ratio {ingest_rate / raw_rate:.2f} (goal >= 0.8)")
        store = Store.from_settings(settings)
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            summary = sync_documents([root / "generated"], store, embedder, settings)
            timings.append(time.perf_counter() - started)
            assert summary.unchanged == args.documents and summary.new == summary.changed == 0
        print(f"re-ingest of {args.documents} unchanged documents: best {min(timings):.2f} s, "
              f"worst {max(timings):.2f} s (goal <= 5 s)")


if __name__ == "__main__":
    main()
