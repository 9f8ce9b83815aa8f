"""A short memory of one person's questions, so a follow-up keeps its topic."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

_FOLLOW_UP = re.compile(
    r"^\s*(?:og|men|så|hvad så med|hvad med|hvad nu med|og hvad med|også|samme|"
    r"and|but|what about|how about|also)\b",
    re.IGNORECASE,
)
_REFERENCE = re.compile(r"\b(?:den|det|dem|deres|dens|it|they|them|that|those|there)\b",
                        re.IGNORECASE)
MAX_TURNS = 4
SHORT_QUESTION_WORDS = 6


@dataclass(frozen=True)
class Turn:
    """One question as asked, and the topic a follow-up to it continues."""

    question: str
    topic: str
    document: str = ""  # the key of the document the topic names, if one does


class Conversation:
    """The last few turns of one person; memory is bounded by MAX_TURNS."""

    def __init__(self, max_turns: int = MAX_TURNS) -> None:
        self.turns: deque[Turn] = deque(maxlen=max_turns)

    def search_text(self, question: str) -> str:
        """Return the question, joined to the previous topic when its words lean on it."""
        return self.with_topic(question) if is_follow_up(question) else question

    def with_topic(self, question: str) -> str:
        """Return the question joined to the previous topic (as it is, with none)."""
        return f"{question}\n{self.turns[-1].topic}" if self.turns else question

    @property
    def topic_document(self) -> str:
        """Return the key of the document the last turn's topic names ("" for none)."""
        return self.turns[-1].document if self.turns else ""

    def remember(self, question: str, topic: str, document: str = "") -> None:
        """Add a turn with its topic; the oldest is forgotten when the memory is full.

        A new question's topic is the question with the title of the source it names: a
        follow-up is searched with both, and asks for what its own words name, not for
        what the question before it asked ("hvornår ..."); a follow-up passes on the topic
        it continued (see Answerer.answer).
        """
        self.turns.append(Turn(question, topic, document))

    def continue_topic(self, question: str) -> None:
        """Add a follow-up's turn: it keeps the topic (and document) it continued."""
        last = self.turns[-1]
        self.turns.append(Turn(question, last.topic, last.document))

    def clear(self) -> None:
        """Forget every turn."""
        self.turns.clear()


def is_follow_up(question: str) -> bool:
    """Return whether a question leans on the previous one ("og hvad med fristen?")."""
    if _FOLLOW_UP.match(question):
        return True
    words = question.split()
    return len(words) <= SHORT_QUESTION_WORDS and bool(_REFERENCE.search(question))
