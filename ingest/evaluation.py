"""Score answers against a question set: retrieval, abstention, and what the user reads.

A question set is JSON lines {"q", "docs", "must", "kind"?, "audience"?, "split"?}:
`docs` are the file names that answer it (none: the documents cannot answer), `must`
the phrases a right answer contains. What counts is the rendered answer a person reads:
it "has the fact" when it was found and every `must` phrase occurs, case and spacing
ignored, within its first ANSWER_CHARS characters.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from knowledge.answers.answer import Answer
from knowledge.errors import IndgangError
from knowledge.models import Passage

ANSWER_CHARS = 900
RETRIEVAL_METRICS = ("hit@1", "hit@5", "MRR@10", "evidence@5")
ANSWER_METRICS = ("abstention", "has_fact", "refused", "answered_unanswerable")


@dataclass(frozen=True)
class Case:
    """One line of the question set; kind "" counts in "all" only."""

    q: str
    docs: list[str]
    must: list[str]
    kind: str
    audience: str
    split: str


class _Line(BaseModel):
    """A line as written: strict, so "must": "Kolding" is an error, not seven letters."""

    model_config = ConfigDict(strict=True, extra="ignore")

    q: str = Field(min_length=1)
    docs: list[str] = []
    must: list[str] = []
    kind: str = ""
    audience: Literal["public", "internal"] = "public"
    split: str = ""


def load_cases(path: Path, split: str | None = None) -> list[Case]:
    """Read the question set (only one split when given); a bad line is an error naming it.

    A set or split with no questions is an error too: a misspelt split would otherwise
    print a table of zeros that reads like a result.
    """
    if not path.is_file():
        raise IndgangError(f"Spørgsmålsfilen findes ikke (file not found): {path}")
    cases: list[Case] = []
    splits: set[str] = set()
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError as error:
        raise IndgangError(f"{path.name} er ikke UTF-8 (not UTF-8): {error}") from error
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = Case(**_Line.model_validate(json.loads(line)).model_dump())
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(part) for part in problem["loc"]) or "linjen"
            raise IndgangError(f"{path.name}, linje {number}: {where}: {problem['msg']} "
                               "(invalid line)") from error
        except ValueError as error:  # not JSON
            raise IndgangError(f"{path.name}, linje {number}: ugyldig linje ({error})") from error
        splits.add(case.split)
        if split is None or case.split == split:
            cases.append(case)
    if not cases:
        have = ", ".join(sorted(s for s in splits if s)) or "ingen"
        raise IndgangError(f"{path.name}: ingen spørgsmål" + (
            f" i split {split!r} (der er: {have}; no questions in that split)" if split
            else " (no questions)"))
    return cases


def score_case(case: Case, answer: Answer, rendered: str) -> dict[str, float]:
    """Return the case's metrics: retrieval and the answer for answerable questions."""
    scores = {"abstention": float(answer.found == bool(case.docs)), "length": float(len(rendered))}
    if not case.docs:
        scores["answered_unanswerable"] = float(answer.found)
        return scores
    files = [p.file for p in answer.candidates]
    rank = next((i for i, f in enumerate(files[:10], start=1) if f in case.docs), None)
    scores["hit@1"] = float(rank == 1)
    scores["hit@5"] = float(rank is not None and rank <= 5)
    scores["MRR@10"] = 1.0 / rank if rank else 0.0
    scores["evidence@5"] = float(any(contains_all(p, case.must) for p in answer.candidates[:5]))
    scores["refused"] = float(not answer.found)
    scores["has_fact"] = float(answer.found and holds_all(rendered[:ANSWER_CHARS], case.must))
    return scores


def contains_all(passage: Passage, phrases: list[str]) -> bool:
    """Return whether the passage, with its title and heading, contains every phrase."""
    return holds_all(f"{passage.title} {passage.section} {passage.text}", phrases)


def holds_all(text: str, phrases: list[str]) -> bool:
    """Return whether every phrase occurs in the text, case and spacing ignored."""
    folded = _fold(text)
    return all(_fold(phrase) in folded for phrase in phrases)


def mean(rows: list[dict[str, float]], metric: str) -> str:
    """Return the mean of a metric over the rows that have it, or "-"."""
    values = [row[metric] for row in rows if metric in row]
    return f"{sum(values) / len(values):.3f}" if values else "-"


def median_length(rows: list[dict[str, float]]) -> str:
    """Return the median length of the rendered answers, in characters."""
    return f"{statistics.median(row['length'] for row in rows):.0f}" if rows else "-"


def _fold(text: str) -> str:
    return " ".join(text.lower().split())
