"""Greetings, thanks and emoji: conversation, not questions for the documents.

Answered with a pointer to asking, instead of "I can't find that", and not stored as
unanswered questions (they would fill the admins' report). A message counts only when
every word in it is a greeting or a thank-you, so "hej, hvornår er fristen?" is a question.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")
_GREETINGS = frozenset(
    "hej hejsa hey hi hello halløj goddag godmorgen godaften davs dav good morning "
    "afternoon evening".split())
_THANKS = frozenset(
    "tak takker mange tusind tusinde selv thanks thank you thx ty cheers ok okay fint "
    "super perfekt great".split())
# Words a thank-you goes on with ("tak for hjælpen", "thanks for the help").
_WITH_THANKS = frozenset("for det hjælpen svaret svarene the help answer so much".split())
_MAX_WORDS = 6


def small_talk(text: str) -> str | None:
    """Return "thanks" or "greeting" for a message that is no question, else None.

    A message with no letters or digits at all (emoji, "?") counts as a greeting.
    """
    words = [word.lower() for word in _WORD.findall(text)]
    if len(words) > _MAX_WORDS:
        return None
    if any(word in _THANKS for word in words):
        known = _GREETINGS | _THANKS | _WITH_THANKS
        return "thanks" if all(word in known for word in words) else None
    return "greeting" if all(word in _GREETINGS for word in words) else None
