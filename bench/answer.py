"""Measure answer latency (p50/p95, warm model) at about 1,000 and 10,000 chunks, and memory.

Run: .venv/bin/python bench/answer.py [SIZE ...]     (default: 1000 10000)
The generated documents and their stores are kept in the cache folder
(~/.cache/indgang/bench), so only the first run spends minutes embedding.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generated_corpus import write_documents  # noqa: E402
from ingest.sync import sync_documents  # noqa: E402
from knowledge.answers.answering import Answerer  # noqa: E402
from knowledge.answers.retrieval import Retriever  # noqa: E402
from knowledge.index.embeddings import Embedder  # noqa: E402
from knowledge.index.store import Store  # noqa: E402
from knowledge.settings import (
    Settings,  # noqa: E402
    default_corpus_dir,  # noqa: E402
)

QUESTIONS = Path(__file__).resolve().parent / "questions.jsonl"
SIZES = (1_000, 10_000)
ROUNDS = 3


def rss_mb() -> float:
    """Return the resident memory of this process now, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_store(embedder: Embedder, size: int) -> Settings:
    """Return settings of a store with the default documents plus generated ones."""
    root = Settings().cache_dir / "bench"
    generated = root / f"documents-{size}"
    if not generated.is_dir():
        write_documents(generated, size - 200)  # the default corpus adds about 170 chunks
    settings = Settings(store_dir=root / f"store-{size}")
    started = time.perf_counter()
    summary = sync_documents([default_corpus_dir(), generated], Store.from_settings(settings),
                             embedder, settings, on_progress=_progress)
    if summary.new or summary.changed:
        print(f"  built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return settings


def _progress(done: int, total: int) -> None:
    if done == total or done % 1024 == 0:
        print(f"  embedded {done}/{total}", file=sys.stderr)


def main() -> None:
    sizes = [int(s) for s in sys.argv[1:]] or list(SIZES)
    embedder = Embedder(Settings())
    embedder.embed_query("varm op")
    questions = [json.loads(line)["q"] for line in QUESTIONS.read_text("utf-8").splitlines()]
    print(f"model loaded: resident memory {rss_mb():.0f} MB")
    for size in sizes:
        settings = build_store(embedder, size)
        store = Store.from_settings(settings)
        answerer = Answerer(Retriever(store, embedder), embedder, settings)
        answerer.answer(questions[0])  # build the keyword index outside the timing
        timings = []
        for _ in range(ROUNDS):
            for question in questions:
                started = time.perf_counter()
                answerer.answer(question)
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        manifest = store.current_manifest()
        chunks = manifest.chunk_count if manifest else 0
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{chunks} chunks: {len(timings)} answers, p50 {statistics.median(timings):.0f} ms, "
              f"p95 {p95:.0f} ms, max {timings[-1]:.0f} ms (goal p95 <= 150 ms); "
              f"resident memory {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
