"""Whether a word of a question tells what is asked about, or only who asks and where.

Partners write their own setting into a question: "bussen til udflugten for de
gangbesværede", "børneattest til trænerne i håndboldklubben", "vi er fra Bakkely
Seniorklub i Vestergade". A municipality's documents never use those words, and need
not: the question asks about the § 79 pool, the child certificate, the deadline. A word
the documents never use that is what the question asks about ("hvordan søger vi
byggetilladelse", "fristen for § 18-julehjælpspuljen", "søge om udskænkningstilladelse")
means they do not answer it.

The difference is grammar, in closed classes of the language: a word in a phrase opened
by a preposition of place, purpose, source or means ("til", "i", "fra", "for", "med") or
by a first-person possessive ("vores sommerfest") describes the asker's circumstances.
It is still what is asked about when the preposition is one of topic ("om", "about":
"søge om X" asks for X) or the phrase is a clause ("for at få byggetilladelse"), and when
the phrase completes a noun naming the kind of fact asked for ("fristen for X", "prisen
for X": the deadline or price of X).

A name is what is asked about unless the asker has named themselves in the first person
before it ("vi er fra Bakkely Seniorklub", "hos os i Brugsen", "vores konto i Danske
Bank"): "§ 18-puljen i Nakskov" asks about another town, "svar fra Trygfonden" about
another funder. The asker names their own in two more ways: "vi er Ulvetroppen", and
"vores kor Sangfuglene" as the subject of its clause (not "til vores fond Trygfonden").
A municipality ("i Vejle", "i Nordby Kommune") always is what is asked about, whoever
asks: a municipality's documents answer for their own municipality only.
"""

from __future__ import annotations

import re

from knowledge.text.answer_types import required_types
from knowledge.text.normalization import STOPWORDS, ascii_danish, stem, words
from knowledge.text.places import names_municipality

# Prepositions of place, purpose, source, means and beneficiary, and the possessives of
# the first person. Not those of time or condition ("under barselsorlov", "efter
# fristen"), which qualify what is asked, nor "of", which completes a noun.
_POSSESSIVES = frozenset({"vores", "vor", "vort", "vore", "min", "mit", "mine", "our", "my"})
_OPENERS = _POSSESSIVES | {
    "af", "for", "fra", "hos", "i", "med", "på", "til", "ved",
    "by", "from", "in", "on", "to", "with",
}
# A phrase of topic ("søge om X", "about X"), and "at", which opens a clause whose verb
# takes what follows ("for at få byggetilladelse").
_BARRIERS = frozenset({"om", "omkring", "about", "at"})
# The asker named in the first person: "vores", "hos os", "vi er", "we are".
_FIRST_PERSON = _POSSESSIVES | {"os", "us"}
_SELF_PAIRS = frozenset({("vi", "er"), ("jeg", "er"), ("we", "are"), ("i", "am")})
_KOMMUNE = ("kommune", "kommunes", "municipality")  # also "nabokommune", "hjemkommune"
# Punctuation, and a dash between words ("vi er Ulvetroppen - kan vi ..."), end a clause.
_CLAUSES = re.compile(r"[,;:.!?()]|\s[-–]\s")
_CAPITALISED = re.compile(r"\b[A-ZÆØÅ]\w*")
# A name as the first part of a hyphenated word ("Nakskov-borger", "Trygfonden-støttet").
_HYPHENATED = re.compile(r"(\w+)-[a-zæøå]")


def describes_asker(question: str, term: str, name: bool = False) -> bool:
    """Return whether the question uses the word (a stem) only to say who asks or where.

    True when every occurrence stands in a phrase opened by a preposition or a
    first-person possessive, with only articles, pronouns, numbers and other names
    between ("til en", "for de", "fra Bakkely Seniorklub"), and the phrase neither
    completes a noun naming the kind of fact asked for nor names a municipality. A name
    (or a word written with a capital) must also follow the asker's naming of themselves
    in the first person ("vores", "hos os", "vi er"): else it is another place or body,
    which the question is about.
    """
    found = False
    for clause in _CLAUSES.split(question):
        # The closed classes as Danish spells them: "paa" is "på" typed without å.
        typed = words(clause)
        tokens = [ascii_danish(word) for word in typed]
        names = {ascii_danish(word) for found_name in _CAPITALISED.findall(clause)
                 for word in words(found_name)}
        hyphenated = {first.lower() for first in _HYPHENATED.findall(clause)}
        for i, word in enumerate(typed):
            if term not in {stem(word), stem(tokens[i])}:
                continue
            found = True
            if names_municipality(word) or tokens[i + 1: i + 2] and tokens[i + 1].endswith(_KOMMUNE):
                return False
            as_name = name or tokens[i] in names  # "Spejdergruppen Ørnen" at the start
            if as_name and (word in hyphenated or not _first_person(tokens[:i])):
                return False
            if not _in_circumstance(tokens, i, names, as_name):
                return False
    return found


def _in_circumstance(tokens: list[str], i: int, names: set[str], name: bool) -> bool:
    """Return whether tokens[i] is in a phrase opened by a preposition or a possessive;
    a name also after "vi er", or after the noun of a possessive that opens its clause."""
    noun = None
    for j in range(i - 1, -1, -1):
        word = tokens[j]
        if word in _BARRIERS:
            return False
        if name and j > 0 and (tokens[j - 1], word) in _SELF_PAIRS:  # "vi er Ulvetroppen"
            return noun is None
        if word in _OPENERS:
            if noun is not None:  # "vores kor Sangfuglene vil ...", not "til vores fond X"
                return word in _POSSESSIVES and not any(
                    t in _OPENERS or t not in STOPWORDS for t in tokens[:j])
            return not (j > 0 and required_types(tokens[j - 1]))
        if word in STOPWORDS or word in names or word.isdigit() or word.startswith("paragraf"):
            continue
        if not name or noun is not None or j != i - 1 or word.endswith(_KOMMUNE):
            return False
        noun = j
    return False


def _first_person(tokens: list[str]) -> bool:
    """Return whether the words name the asker in the first person."""
    return bool(_FIRST_PERSON.intersection(tokens)) or any(
        pair in _SELF_PAIRS for pair in zip(tokens, tokens[1:]))

