"""Tell a Danish question from an English one (the two languages Indgang answers in)."""

from __future__ import annotations

import functools
from typing import Literal

from py3langid.langid import MODEL_FILE, LanguageIdentifier

Language = Literal["da", "en"]


def detect_language(text: str) -> Language:
    """Return "en" for an English question, else "da" (the default).

    A character n-gram model (langid.py's, restricted to the two languages) decides, so
    an English loanword in a Danish question ("deadline for 18 puljen?") or a Danish name
    in an English one ("the rooms at Frivilligcenter Hillerød") does not tip it. Text
    with nothing to go by ("ok", "§ 18") is Danish.
    """
    scores = dict(_identifier().rank(text))
    return "en" if scores["en"] > scores["da"] else "da"


@functools.cache
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(["da", "en"])
    return identifier
