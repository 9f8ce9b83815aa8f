"""Tell a Danish question from an English one (the two languages Indgang answers in)."""

from __future__ import annotations

import functools
from typing import Literal

from py3langid.langid import MODEL_FILE, LanguageIdentifier

Language = Literal["da", "en"]


# How sure the model must be that a text is English. Its probabilities grow with the
# text's length (langid.py scales by it), so a word or two ("og revision?", "mentor?",
# "perfekt": 0.5-0.72) stays Danish, the default, while "Thanks!" (0.86) and a question
# of a few English words (0.92 and more, every English question of both question sets;
# no Danish one above 0.26) are English.
ENGLISH_PROBABILITY = 0.8


def detect_language(text: str) -> Language:
    """Return "en" for an English question, else "da" (the default).

    A character n-gram model (langid.py's, restricted to the two languages) decides, so
    an English loanword in a Danish question ("deadline for 18 puljen?") or a Danish name
    in an English one ("the rooms at Frivilligcenter Hillerød") does not tip it. Text
    with too little to go by ("ok", "§ 18", "mentor?") is Danish.
    """
    return "en" if dict(_identifier().rank(text))["en"] >= ENGLISH_PROBABILITY else "da"


@functools.cache
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["da", "en"])
    return identifier
