"""English words of partners' questions, with the Danish words the documents use.

Keyword search and quote selection work on Danish terms, so an English question gets
these added; dense search needs nothing, the model is multilingual.
"""

from __future__ import annotations

import re
from pathlib import Path

import simplemma

from knowledge.text.language import detect_language

# English words and phrases (lemmas: "decide", "premises"), each with the Danish words the
# documents use for it. Written from the documents' side: the content words of the default
# documents, the seed articles and the real pages of the fit splits, each given the
# English a partner would use; not from questions. An entry must name one meaning in this
# domain: a compound whose head means something else alone ("swimming pool", "town hall")
# is an entry of its own.
GLOSSARY_FILE = Path(__file__).with_name("english_danish.tsv")
ENGLISH_TO_DANISH: dict[str, str] = dict(
    line.split("\t", 1) for line in GLOSSARY_FILE.read_text("utf-8").splitlines() if line)
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_LONGEST_KEY = max(len(key.split()) for key in ENGLISH_TO_DANISH)


def danish_terms_for(question: str) -> str:
    """Return the Danish words for the English words of a question ("" if none).

    Words are looked up as written and as their English lemma ("decides" -> "decide"),
    the longest entry first ("job centre" before "job"). A Danish question gets none:
    Danish words can be English ones too ("rent", "form").
    """
    if detect_language(question) != "en":
        return ""
    words = _WORD.findall(question.lower())
    found: list[str] = []
    position = 0
    while position < len(words):
        size, danish = _longest_entry(words, position)
        found += [danish] if danish else []
        position += size
    return " ".join(found)


def _longest_entry(words: list[str], start: int) -> tuple[int, str]:
    """Return how many words the longest entry at start spans, and its Danish words."""
    for size in range(min(_LONGEST_KEY, len(words) - start), 0, -1):
        *first, last = words[start : start + size]
        for form in (last, simplemma.lemmatize(last, lang="en")):
            danish = ENGLISH_TO_DANISH.get(" ".join([*first, form]))
            if danish:
                return size, danish
    return 1, ""


def warm_up() -> None:
    """Load the English lemma data now, not in the first English question's answer."""
    simplemma.lemmatize("questions", lang="en")
