"""Generate many plausible municipal documents from the sentences of the default corpus."""

from __future__ import annotations

import random
import re
from pathlib import Path

from ingest.loaders.markdown import split_front_matter
from knowledge.settings import default_corpus_dir

TOPICS = ["Idrætsforeninger", "Kulturhuse", "Natur og friluftsliv", "Ungdomsklubber",
          "Frivillige besøgsvenner", "Madfællesskaber", "Lektiecaféer", "Seniorråd",
          "Bydelsmødre", "Genbrugsbutikker", "Sociale caféer", "Væresteder"]


def corpus_sentences() -> list[str]:
    """Return the sentences of the default Markdown documents."""
    sentences: list[str] = []
    for path in sorted(default_corpus_dir().glob("*.md")):
        _, body = split_front_matter(path.read_text("utf-8"))
        text = " ".join(line for line in body.splitlines() if not line.startswith("#"))
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) > 30]
    return sentences


def write_documents(
    folder: Path, count: int, sections: int = 1, sentences_per_section: int = 2, seed: int = 7
) -> list[Path]:
    """Write count small Markdown documents (one chunk a section); return their paths."""
    rng = random.Random(seed)
    sentences = corpus_sentences()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        topic = TOPICS[n % len(TOPICS)]
        parts = [f"---\ntitle: {topic} - vejledning {n}\naudience: public\n"
                 f"updated: 2026-0{1 + n % 9}-15\n---\n\n# {topic} - vejledning {n}\n"]
        for s in range(sections):
            parts.append(f"\n## Afsnit {s + 1}\n\n" + " ".join(rng.sample(sentences, sentences_per_section)) + "\n")
        path = folder / f"generated-{n:05d}.md"
        path.write_text("".join(parts), encoding="utf-8")
        paths.append(path)
    return paths
