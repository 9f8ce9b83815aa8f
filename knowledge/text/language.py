"""Tell a Danish question from an English one (the two languages Indgang answers in)."""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["da", "en"]

_WORD = re.compile(r"[A-Za-zÆØÅæøå]+")
_ENGLISH = frozenset(
    "the a an what which who whom whose when where why how is are was were do does did can "
    "could should would will we our you your i my it they their there this that these those "
    "of for to from with about need needs apply much many long and or if any get have has "
    "must please grant funding deadline".split()
)
_DANISH = frozenset(
    "og i at det er en et til på med for af som den de der ikke har vi hvad hvordan hvornår "
    "hvem hvor hvilke kan skal må vores jeg man om fra efter ved nogen noget også eller når".split()
)


def detect_language(text: str) -> Language:
    """Return "en" for an English question, else "da" (the default).

    Function words decide; æ, ø or å tips a tie to Danish, but not in a name ("Can
    political parties use the rooms at Frivilligcenter Hillerød?"): a name keeps its
    spelling in any language.
    """
    written = _WORD.findall(text)
    words = [word.lower() for word in written]
    common = [word for number, word in enumerate(written) if number == 0 or word[0].islower()]
    danish_letters = any(letter in word.lower() for word in common for letter in "æøå")
    english = sum(word in _ENGLISH for word in words)
    danish = sum(word in _DANISH for word in words) + danish_letters
    return "en" if english > danish else "da"
