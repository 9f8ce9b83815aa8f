"""What an answer is: verbatim quotes with numbered citations, or "not found" and a contact."""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.answers.evidence import Evidence
from knowledge.models import Passage
from knowledge.text.language import Language


@dataclass(frozen=True)
class Quote:
    """A verbatim piece of a passage and the number of the passage it came from."""

    text: str
    passage: int


@dataclass(frozen=True)
class Citation:
    """A cited document: what a person needs to find and judge it."""

    number: int
    passage: Passage
    stale: bool

    @property
    def stale_year(self) -> int | None:
        """Return the year of a stale source's last update."""
        return self.passage.updated.year if self.stale and self.passage.updated else None


@dataclass(frozen=True)
class Answer:
    """A grounded answer: quotes with source numbers, or found=False and a contact."""

    question: str
    language: Language
    found: bool
    quotes: list[Quote] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    contact: str = ""
    evidence: Evidence | None = None
    candidates: list[Passage] = field(default_factory=list)
