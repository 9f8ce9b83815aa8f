"""The values the index and answering share: audiences, chunks and citable passages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

# The characters of a question read and kept; the bot and the chat send a longer one back.
MAX_QUESTION_CHARS = 1000

Audience = Literal["public", "internal"]
AUDIENCES: tuple[Audience, ...] = ("public", "internal")
# Between the headings of a chunk's section path ("§ 18-puljen > Frister").
SECTION_SEPARATOR = " > "


@dataclass(frozen=True)
class Chunk:
    """A passage of a document, the unit that is embedded and retrieved."""

    id: str
    text: str
    section: str
    page: int | None
    position: int


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with everything needed to cite it."""

    chunk_id: str
    text: str
    doc_key: str
    file: str
    title: str
    section: str
    page: int | None
    updated: date | None
    url: str
    audience: Audience
    contact: str
    score: float = 0.0
