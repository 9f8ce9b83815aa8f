"""The manifest: what one generation of the index holds, written once, read often."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class DocumentRecord:
    """One document as indexed: its identity, content hash, metadata and chunk ids."""

    key: str
    file: str
    content_hash: str
    title: str
    url: str
    audience: str
    updated: str
    contact: str
    chunk_ids: list[str]
    context: str = ""  # for a file linked from a web page: that page's title


@dataclass(frozen=True)
class Manifest:
    """A complete, immutable index generation."""

    generation: int
    name: str
    model: str
    dimension: int
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    documents: dict[str, DocumentRecord] = field(default_factory=dict)
    schema: int = SCHEMA_VERSION

    @cached_property
    def chunk_count(self) -> int:
        """Return how many chunks the generation holds (counted once: it is immutable)."""
        return sum(len(record.chunk_ids) for record in self.documents.values())

    def to_json(self) -> str:
        """Serialise the manifest."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Read a manifest written by to_json."""
        data: dict[str, Any] = json.loads(text)
        documents = {
            key: DocumentRecord(**record) for key, record in data.pop("documents").items()
        }
        return cls(documents=documents, **data)
