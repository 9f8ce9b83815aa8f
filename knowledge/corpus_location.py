"""Where the default document set shipped with the package lives."""

from __future__ import annotations

from pathlib import Path


def default_corpus_dir() -> Path:
    """Return the folder of the default documents (Eksempel Kommune)."""
    return Path(__file__).resolve().parent / "corpus"
