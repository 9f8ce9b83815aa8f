"""Decide whether retrieved passages really answer a question, or only come near it.

Similarity alone cannot tell "the § 18 deadline" from "the § 18 deadline in Vejle" or
"in 2019": both find the same passage. So besides a similarity floor, the evidence must
contain what the question names: its years and proper names must occur in the top
passages, and a long Danish word the documents never use (after spelling correction),
typically a compound naming a pool, permit or place ("julehjælpspuljen", "hundeskat"),
means the documents do not cover the question. Short unknown words are everyday words
("penge", "kage") and do not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.answers.calibration import CALIBRATION
from knowledge.answers.retrieval import Retrieval
from knowledge.models import Passage
from knowledge.text.keyword_index import KeywordIndex
from knowledge.text.language import Language
from knowledge.text.normalization import normalize, terms

_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_NAME = re.compile(r"(?<=[a-zæøå,] )([A-ZÆØÅ][a-zæøå]{2,})")
@dataclass(frozen=True)
class Evidence:
    """The verdict and the measurements behind it."""

    found: bool
    reason: str
    dense: float
    unknown: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def near_miss(self) -> bool:
        """Return whether the topic is in the documents though the answer is not."""
        return not self.found and self.dense >= CALIBRATION.near_miss_dense


def assess(question: str, retrieval: Retrieval, language: Language) -> Evidence:
    """Return whether the top passages contain an answer to the question."""
    top = retrieval.passages[:CALIBRATION.evidence_passages]
    dense = retrieval.best_dense
    unknown = tuple(t for t in retrieval.terms.unknown if len(t) >= CALIBRATION.specific_word_chars
                    and not t.isdigit()) if language == "da" else ()
    missing = tuple(named_things(question, top, retrieval.keyword))

    def verdict(found: bool, reason: str) -> Evidence:
        return Evidence(found, reason, dense, unknown, missing)

    if not top:
        return verdict(False, "no passages")
    if missing:
        return verdict(False, f"the evidence does not mention {', '.join(missing)}")
    if unknown:
        return verdict(False, f"the documents never use {', '.join(unknown)}")
    # Keyword-only retrieval (an evaluation mode) has no similarity to test.
    if retrieval.dense_scores and dense < CALIBRATION.min_dense[language]:
        return verdict(False, f"similarity {dense:.3f} below {CALIBRATION.min_dense[language]}")
    return verdict(True, "ok")


def named_things(question: str, passages: list[Passage],
                 keyword: KeywordIndex | None = None) -> list[str]:
    """Return the years and distinguishing names of the question no top passage mentions."""
    evidence = normalize(" ".join(f"{p.title} {p.section} {p.text}" for p in passages))
    wanted = _YEAR.findall(question) + [
        name for name in _NAME.findall(question) if not _is_common(name, keyword)
    ]
    return [thing for thing in wanted
            if not re.search(rf"\b{re.escape(thing.lower())}\b", evidence)]


def _is_common(name: str, keyword: KeywordIndex | None) -> bool:
    """Return whether a name occurs throughout the documents (and so tells nothing)."""
    if keyword is None or not keyword.rows:
        return False
    share = max((keyword.document_frequency.get(t, 0) for t in terms(name)), default=0)
    return share / len(keyword.rows) >= CALIBRATION.common_name_share
