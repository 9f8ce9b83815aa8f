"""Danish place names: the 98 municipalities, and the towns, villages and districts in them.

A municipality's documents answer for their own municipality only, so a place a
question names is what it asks about (knowledge.text.circumstances). Where a capital
tells nothing, at the start of a sentence or heading ("Nakskov har en § 18-pulje -
hvornår er fristen?"), or a partner types the place in lowercase, only knowing the
place tells that the word is a name (knowledge.answers.evidence).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import simplemma

from knowledge.text.normalization import ascii_danish

# Denmark's 98 municipalities, one per line, each with the other spellings partners still
# write (Århus, Ålborg) or its English name (Copenhagen, Elsinore) after a tab.
MUNICIPALITIES_FILE = Path(__file__).with_name("danish_municipalities.txt")
# Towns, villages, districts and islands that are not a municipality's name, each with its
# municipality (or municipalities): "Nakskov<TAB>Lolland". Written from knowledge of Danish
# geography (no gazetteer could be downloaded here); a name that is an everyday word as
# well ("Ry", "Hals", "Tørring") is told by simplemma where it matters (place_named).
TOWNS_FILE = Path(__file__).with_name("danish_towns.tsv")


@cache
def place_names() -> frozenset[str]:
    """Return the municipalities' and towns' names, lowercased ("lyngby-taarbæk")."""
    return frozenset(name.lower() for names in _municipalities() for name in names) | frozenset(
        _towns())


def municipality_names() -> tuple[str, ...]:
    """Return every municipality's names, in every spelling ("Aarhus", "Århus")."""
    return tuple(name for names in _municipalities() for name in names)


def municipalities_of(place: str) -> tuple[str, ...]:
    """Return the municipality a place is, by each of its names ("Copenhagen": København,
    Copenhagen), or the ones a town lies in ("Nakskov": Lolland); none for other words."""
    lower = place.lower()
    return next((names for names in _municipalities() if lower in map(str.lower, names)),
                _towns().get(lower, ()))


def names_municipality(word: str) -> bool:
    """Return whether a word names a municipality, however typed ("vejles", "Koege"); not
    a town in one, nor a word sharing a stem with a part of a name ("høj", "brand")."""
    place = place_named(word).lower()
    return bool(place) and place not in _towns()


def place_named(word: str) -> str:
    """Return the place a word names, as Danish spells it ("Koege": "Køge", "nordfyns":
    "nordfyn", "hoeje-taastrup": "høje-taastrup"), or "": also for a form of an everyday
    word, as typed or as Danish spells it ("vejen", "Brande og indbrud", "aars" for "års").
    """
    lower = word.lower()
    for typed in (lower, lower.removesuffix("s")):
        place = typed if typed in place_names() else _places_by_ascii_spelling().get(
            ascii_danish(typed))
        if place and not _everyday_word(place) and all(
                simplemma.lemmatize(form, lang="da").lower() in (form, place)
                for form in {typed, ascii_danish(typed)}):
            return place.capitalize() if word[:1].isupper() else place
    return ""


def _everyday_word(place: str) -> bool:
    """Return whether simplemma reads a place's name, capitalised as a name is written, as
    a common word: "Tørring" as "tørring" (drying), "Løkken" as "løkke", not "Hirtshals"."""
    return simplemma.lemmatize(place.capitalize(), lang="da").islower()


@cache
def _places_by_ascii_spelling() -> dict[str, str]:
    """Return the places by their names as ascii_danish reads them ("høje-tåstrup")."""
    return {ascii_danish(place): place for place in place_names()}


@cache
def _municipalities() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(line.split("\t")) for line in _lines(MUNICIPALITIES_FILE))


@cache
def _towns() -> dict[str, tuple[str, ...]]:
    towns = (line.split("\t") for line in _lines(TOWNS_FILE))
    return {town.lower(): tuple(municipalities.split(",")) for town, municipalities in towns}


def _lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()
