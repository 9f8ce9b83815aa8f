"""Greetings, thanks and emoji: conversation, not questions for the documents.

Answered with a pointer to asking, instead of "I can't find that", and not stored as
unanswered questions (they would fill the admins' report). A message counts only when
every word in it belongs to a greeting, a thank-you or a nod ("ok"), so "hej, hvornår er
fristen?" is a question.
"""

from __future__ import annotations

import re
from typing import Literal

SmallTalk = Literal["greeting", "thanks", "other"]

_WORD = re.compile(r"\w+")
_GREETINGS = frozenset(
    "hej hejsa hey hi hello halløj goddag godmorgen godaften davs dav good morning "
    "afternoon evening".split())
_THANKS = frozenset("tak takker thanks thank thx ty cheers".split())
_NODS = frozenset("ok okay fint super perfekt great godt".split())
# Words a greeting or a thank-you goes on with ("hej igen", "mange tak for hjælpen",
# "thank you very much"), and the bot's own name.
_WITH = frozenset(
    "igen there mange tusind tusinde selv for det var hjælpen svaret svarene you very much "
    "so the help answer indgang".split())
_MAX_WORDS = 6
# The words above that only English uses: a greeting of one word is too short for the
# language model ("thanks!", "hello"), and its words say which language it is in.
_ENGLISH = frozenset(
    "hi hello good morning afternoon evening thanks thank thx ty cheers great there you "
    "very much so the help answer".split())


def small_talk(text: str) -> SmallTalk | None:
    """Return what a message that is no question is, else None.

    "other" is a nod ("ok") or a message with no words at all ("?", an emoji).
    """
    words = [word.lower() for word in _WORD.findall(text)]
    if len(words) > _MAX_WORDS or not all(w in _GREETINGS | _THANKS | _NODS | _WITH for w in words):
        return None
    if any(word in _THANKS for word in words):
        return "thanks"
    if any(word in _GREETINGS for word in words):
        return "greeting"
    return "other" if all(word in _NODS for word in words) else None


def is_english(text: str) -> bool:
    """Return whether small talk is in English: one of its words only English uses."""
    return any(word.lower() in _ENGLISH for word in _WORD.findall(text))
