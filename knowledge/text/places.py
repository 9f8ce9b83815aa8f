"""Danish place names: the 98 municipalities and the larger towns that are not one.

A municipality's documents answer for their own municipality only, so a place a
question names is what it asks about (knowledge.text.circumstances). Where a capital
tells nothing, at the start of a sentence or heading ("Nakskov har en § 18-pulje -
hvornår er fristen?"), only knowing the place tells that the word is a name.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from knowledge.text.normalization import stem, words

# Denmark's 98 municipalities, one per line, and the other spellings partners still
# write (Århus, Ålborg) or English names (Copenhagen, Elsinore).
MUNICIPALITIES_FILE = Path(__file__).with_name("danish_municipalities.txt")
# Towns of some size that are not a municipality's name (Nakskov is in Lolland), and
# districts partners name as places (Valby, Amager). Not towns whose name is an
# everyday word as well ("Ry", "Give", "Hals", "Ringe").
TOWNS_FILE = Path(__file__).with_name("danish_towns.txt")
# The word that makes a name a municipality's ("Vejle Kommune"), also as the end of one
# ("nabokommune", "hjemkommune").
MUNICIPALITY_WORDS = ("kommune", "kommunes", "municipality")


@cache
def municipality_stems() -> frozenset[str]:
    """Return the stems of the words of the municipalities' names, in every spelling."""
    return frozenset(stem(word) for word in _words_of(MUNICIPALITIES_FILE))


@cache
def place_names() -> frozenset[str]:
    """Return the municipalities' and towns' names, lowercased ("lyngby-taarbæk")."""
    return frozenset(line.lower() for path in (MUNICIPALITIES_FILE, TOWNS_FILE)
                     for line in _lines(path))


def _words_of(path: Path) -> frozenset[str]:
    return frozenset(word for line in _lines(path) for word in words(line))


def _lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()
