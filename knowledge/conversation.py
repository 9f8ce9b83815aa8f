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
    """One question as asked, and the text it was searched with."""

    question: str
    search_text: str
    found: bool


class Conversation:
    """The last few turns of one person; memory is bounded by MAX_TURNS."""

    def __init__(self, max_turns: int = MAX_TURNS) -> None:
        self.turns: deque[Turn] = deque(maxlen=max_turns)

    def search_text(self, question: str) -> str:
        """Return the question, joined to the previous topic when it is a follow-up."""
        if not self.turns or not is_follow_up(question):
            return question
        previous = self.turns[-1]
        # Only the original question of the topic is carried, so a chain of follow-ups
        # does not grow the text without limit.
        topic = previous.search_text.split("\n")[0]
        return f"{topic}\n{question}"

    def remember(self, question: str, search_text: str, found: bool) -> None:
        """Add a turn; the oldest is forgotten when the memory is full."""
        self.turns.append(Turn(question, search_text, found))

    def clear(self) -> None:
        """Forget every turn."""
        self.turns.clear()


def is_follow_up(question: str) -> bool:
    """Return whether a question leans on the previous one ("og hvad med fristen?")."""
    if _FOLLOW_UP.match(question):
        return True
    words = question.split()
    return len(words) <= SHORT_QUESTION_WORDS and bool(_REFERENCE.search(question))
