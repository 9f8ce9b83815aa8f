"""Danish-first normalisation and tokens for keyword search.

"§ 18", "§18", "paragraf 18" and the informal "18 midler" / "18-puljen" all become the
token paragraf18; "sjette" and "6." meet as 6 (ordinals only); "75.000" is one number.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_DANISH, STOPWORDS_EN

from knowledge.models import SECTION_SEPARATOR

_SECTION_SIGN = re.compile(r"§+\s*(\d+)")
# "§§ 18 og 79", "§§ 79-80", "§§ 18, 19 og 79": each number a section of its own.
_SECTIONS = re.compile(r"§§\s*\d+(?:\s*(?:,|og|eller|-|–)\s*\d+)+")
_NUMBER = re.compile(r"\d+")
_PARAGRAF = re.compile(r"\bparagraf(?:fen)?\s*(\d+)")
# "18 midlerne", "18-puljen", "18-ansøgning": a number naming a pool; "30 ansøgninger" counts.
_INFORMAL_SECTION = re.compile(
    r"(?<![\d.,])\b(\d{1,3})(?:\s*-?\s*(?=(?:midl|pulj)\w*)|-(?=ansøgning\w*))")
# An identifier a passage must repeat to be about the same thing: a year, or a section of a
# law as normalize writes it ("§ 79", "paragraf 79", "79-puljen" are all paragraf79).
REFERENCE = re.compile(r"\b(?:19|20)\d{2}\b|\bparagraf\d+\b")
MONTHS = (r"januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|"
          r"december|january|february|march|may|june|july|october")
_THOUSANDS = re.compile(r"(?<=\d)\.(?=\d{3}\b)")
_TOKEN = re.compile(r"[a-zæøåäöü0-9]+")
# A genitive after an apostrophe ("Albertslund's", "ÅUF's") is the name's own word.
_GENITIVE = re.compile(r"(?<=\w)['’]s\b")
NUMBER_WORDS = {
    "første": "1", "anden": "2", "andet": "2", "tredje": "3", "fjerde": "4", "femte": "5",
    "sjette": "6", "syvende": "7", "ottende": "8", "niende": "9", "tiende": "10",
    "first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5", "sixth": "6",
}  # ordinals only: "seks principper" must not rank above "Princip 6" for "sjette princip"
STOPWORDS = frozenset(STOPWORDS_DANISH) | frozenset(STOPWORDS_EN) | {
    "kan", "skal", "vi", "hvad", "hvornår", "hvordan", "hvor", "hvem", "hvilke", "hvilken",
    "må", "ha", "have", "får", "få", "gerne", "os", "jeg", "man", "nogen", "noget",
}

# Characters that only mark where a word may break or must not: soft hyphens, zero-width
# spaces, word joiners, a byte order mark inside the text ("An\xadsøgnings\xadfrist"). The
# joiners that shape emoji and scripts (U+200C, U+200D) and direction marks stay.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
# Typographic ligatures PDFs extract as one character ("ﬁnansiering").
_LIGATURE = re.compile("[\ufb00-\ufb06]")

_stemmer_lock = threading.Lock()
_stemmer = Stemmer.Stemmer("danish")


def visible_text(text: str) -> str:
    """Return text as a reader sees it: composed letters (NFC), no invisible characters,
    ligatures spelt out, so a word is the same word however it was typeset."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    return _LIGATURE.sub(lambda ligature: unicodedata.normalize("NFKC", ligature[0]), text)


def visible_line(text: str) -> str:
    """Return visible_text on one line, spaces collapsed: "" when a reader sees nothing."""
    return " ".join(visible_text(text).split())


def normalize(text: str) -> str:
    """Return lower-case text with section references and numbers in one form."""
    text = _GENITIVE.sub("", unicodedata.normalize("NFC", text).lower())
    text = _SECTIONS.sub(lambda found: _NUMBER.sub(r" paragraf\g<0> ", found[0][2:]), text)
    text = _SECTION_SIGN.sub(r" paragraf\1 ", text)
    text = _PARAGRAF.sub(r" paragraf\1 ", text)
    text = _INFORMAL_SECTION.sub(r" paragraf\1 ", text)
    return _THOUSANDS.sub("", text)


def ordinal(text: str) -> int | None:
    """Return the first ordinal a text counts with ("det tredje princip" -> 3), if any."""
    return next((int(NUMBER_WORDS[word]) for word in _TOKEN.findall(text.lower())
                 if word in NUMBER_WORDS), None)


def numbered(section: str, number: int) -> bool:
    """Return whether a heading path has a heading numbered so ("1. Politisk ejerskab",
    "Princip 2: En langsigtet indsats", "Trin 3")."""
    after = rf"(?:^|{re.escape(SECTION_SEPARATOR)})"
    return bool(re.search(rf"{after}(?:{number}[.)]\s|\w+ {number}\b(?!\.\d))", section))


def words(text: str) -> list[str]:
    """Return the normalised words of a text, number words as digits."""
    return [NUMBER_WORDS.get(word, word) for word in _TOKEN.findall(normalize(text))]


def terms(text: str) -> list[str]:
    """Return the stemmed search terms of a text, without stop words."""
    return [stem(word) for word in words(text) if word not in STOPWORDS]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Return the Danish snowball stem of a word (numbers stay as they are)."""
    if word.isdigit() or word.startswith("paragraf"):
        return word
    with _stemmer_lock:  # PyStemmer objects are not thread-safe
        return str(_stemmer.stemWord(word))


def ascii_danish(word: str) -> str:
    """Return a word typed without æ, ø and å as Danish spells it ("paa" -> "på")."""
    return word.replace("aa", "å").replace("ae", "æ").replace("oe", "ø")
