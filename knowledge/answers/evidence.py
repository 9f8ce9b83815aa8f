"""Decide whether retrieved passages really answer a question, or only come near it.

Similarity alone cannot tell "the § 18 deadline" from "the § 18 deadline in 2031" or
"the amount of the § 18 pool" when no passage names an amount: all find the same
passage. Five checks are exact and veto on their own:

- a top passage must hold a word of the question (or a compound made with it) other
  than its names, or the kind of fact it names: what comes near by meaning alone holds
  nothing to quote, and a page sharing only the place named ("Kolding Kommune") says
  nothing about what is asked of it;
- a year or a law section ("§ 79") the question names must occur in the top passages;
- a question naming a kind of fact ("fristen", "beløbet", "adressen") or asking how much
  (knowledge.text.answer_types) needs a top passage holding one, in its text or its
  heading ("Ansøgningen sendes til fritid@horsens.dk" is a heading line on real pages).
  A contact is looked for on the rest of the answering page as well (with_page_contact),
  and a short chunk of the page between two found ones is read with them
  (with_enclosed_chunks);
- a name no document mentions, or a long word no document uses, must not be what the
  question asks about ("byggetilladelse", "i Vejle"); one in a phrase saying who asks or
  where ("til trænerne i håndboldklubben", "vi er fra Bakkely Seniorklub") is only a
  weak signal (knowledge.text.circumstances), and so is a place when every top passage
  is from a page no municipality wrote (national rules answer for every town: "Kolding
  her. Hvor mange timer må en 14-årig arbejde?");
- a place the documents know is not asked of another municipality's pages: when every
  top passage's page names a municipality and none of the places the question names,
  the question asks about a municipality they do not answer for.

Weaker signals can only raise the bar the similarity must clear, by a fitted margin (0.025
for multilingual-e5-small on the real pages): a capitalised name the top passages do not
mention (not an English word: "Municipality", "February"), and long words the documents
never use (after spelling correction) that pass the check above. Each is as likely
the partner's own setting ("sommerlejren", "Bakkely Seniorklub") or an everyday
synonym ("bankkonto" for NemKonto) as a sign the passages answer something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import simplemma

from knowledge.answers.calibration import CALIBRATION, Calibration
from knowledge.answers.focus import focus, mentions, passage_terms
from knowledge.answers.retrieval import Retrieval
from knowledge.models import Passage
from knowledge.index.store import chunk_position, sibling_chunk_id, to_passage
from knowledge.text.answer_types import AnswerType, holds_type, required_types
from knowledge.text.circumstances import describes_asker
from knowledge.text.keyword_index import KeywordIndex, QueryTerms, address_words
from knowledge.text.language import Language
from knowledge.text.normalization import REFERENCE, normalize, terms
from knowledge.text.places import municipalities_of, municipality_names, place_named

# A capitalised word that does not start a sentence ("i Vejle", "hos Jobcenter Nordby").
# Words with a capital inside (NemKonto, MitID) are product names the documents may
# spell otherwise, and all-capitals words are abbreviations.
_SENTENCE_START = re.compile(r"[.!?:]\s+[A-ZÆØÅ]\w*")
_DANISH_LETTER = re.compile("[æøå]")
_NAME = re.compile(r"(?<=[\w,] )([A-ZÆØÅ][a-zæøå]{2,}(?:-[A-ZÆØÅ][a-zæøå]+)?)\b(?![A-Z])")
# A word opening the question, a sentence, a heading or an aside, where a capital says
# nothing (not the first part of a compound: "Nakskov-turen"), and a word in lowercase.
_OPENING = re.compile(r"(?:^|[.!?:\n]|\s[-–])\s*([A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?)\b"
                      r"(?![A-Z-])")
# A municipality as a page names it: "Eksempel Kommune", "Bornholms Regionskommune".
_A_MUNICIPALITY = re.compile(r"\b[A-ZÆØÅ][\w-]+ (?:Regions)?[Kk]ommune\b")
_LOWERCASE = re.compile(r"(?<![\w-])[a-zæøå]+(?:-[a-zæøå]+)?(?![\w-])")


@dataclass(frozen=True)
class Evidence:
    """The verdict and the measurements behind it."""

    found: bool
    reason: str
    dense: float
    unknown: tuple[str, ...]
    missing: tuple[str, ...]
    near_miss: bool = False
    # The passages of the documents the question singles out (focus), best first.
    focused: tuple[Passage, ...] = ()


def assess(question: str, retrieval: Retrieval, language: Language,
           calibration: Calibration = CALIBRATION, asked: str = "") -> Evidence:
    """Return whether the top passages contain an answer to the question.

    A follow-up is searched (and given here) with its topic, but the kind of fact it
    asks for is in its own words (asked): "og hvor meget?" after a question on deadlines
    asks for an amount, not a date.
    """
    asked = asked or question
    # A town names its municipality's pages too: "Støvring: ..." singles out Rebild's.
    places = [name for name in written_names(question) if municipalities_of(name)]
    focus_terms = QueryTerms([*retrieval.terms.known, *dict.fromkeys(
        t for place in places for name in municipalities_of(place) for t in terms(name)
        if t not in retrieval.terms.known and retrieval.keyword is not None
        and retrieval.keyword.knows(t))], retrieval.terms.unknown)
    focused = focus(retrieval.passages, retrieval.candidates, focus_terms, retrieval.keyword,
                    calibration.common_name_share)
    passages = with_page_contact(asked, focused.passages, retrieval.terms, retrieval.keyword,
                                 calibration.evidence_passages)
    passages = with_enclosed_chunks(passages, retrieval.keyword, calibration.quote_passages)
    top = passages[: calibration.evidence_passages]
    dense = retrieval.similarity(top)
    # Every English word is unknown to a Danish index: there only names count, and words
    # spelt with æ, ø or å, Danish words the partner knew ("rats (rottebekæmpelse)").
    # A place is judged as a name, by its municipality (Støvring by Rebild), not as a word.
    place_terms = {t for name in places for t in terms(name)}
    unknown = tuple(t for t in retrieval.terms.unknown
                    if len(t) >= calibration.specific_word_chars and not t.isdigit()
                    and (language == "da" or _DANISH_LETTER.search(t))
                    and t not in place_terms)
    # Names as the question writes them, and the rare names (stems, all of them in the
    # index) that no retrieved document mentions. In an English question a capitalised
    # word is as often an English word ("Municipality", "February"): there only words
    # English does not know count as names, for the veto and for the margin alike, and
    # Danish places ("Copenhagen", "Aarhus", which English knows as well).
    written = [name for name in missing_names(question, top, retrieval.keyword, calibration)
               if not (language == "en" and simplemma.is_known(name.lower(), lang="en")
                       and not place_named(name))]
    names = tuple(dict.fromkeys([*written, *(t for t in focused.unmatched
                                             if t in retrieval.terms.known)]))
    near = dense >= calibration.near_miss_dense

    def verdict(found: bool, reason: str) -> Evidence:
        return Evidence(found, reason, dense, unknown, names, near_miss=not found and near,
                        focused=tuple(passages))

    if not top:
        return verdict(False, "no passages")
    kinds = required_types(asked)
    # The names single out the page; what the question asks about it is the rest of its
    # words, or the kind of fact it names ("the phone number for Jobcenter Høje-Taastrup").
    # A follow-up's own words must be held, not only its topic's ("kan vi få udsættelse?"),
    # names included: "hvad er Digital Post?" after mentorstøtte asks about Digital Post.
    own = retrieval.terms_of(asked) if asked != question else _topic(question, retrieval.terms)
    if not own.known:  # "og hvad med det?": its topic is what it asks about
        own = _topic(question, retrieval.terms)
    if not shares_a_term(own, top) and not any(
            _holds(p, kind) for p in top for kind in kinds):
        return verdict(False, "no top passage holds a word of the question")
    references = missing_references(question, top)
    if references:
        return verdict(False, f"the evidence does not mention {', '.join(references)}")
    # A name or word the documents never use vetoes when it is what the question asks
    # about ("byggetilladelse", "i Nakskov"); one saying who asks or where ("til trænerne
    # i håndboldklubben", "vi er fra Bakkely Seniorklub") only raises the bar below.
    # A place the documents never mention, over pages no municipality wrote (national
    # rules), is where the asker is: "Kolding her. Hvor mange timer må en 14-årig arbejde?"
    def national() -> bool:
        return not any(_a_municipalitys_page(p, retrieval.keyword) for p in top)

    strangers = [
        name for name in unknown_names(written, retrieval.keyword)
        if not all(describes_asker(question, term, name=True) for term in terms(name))
        and not (municipalities_of(name) and national())] + [
        word for word in unknown
        if retrieval.keyword is not None and not retrieval.keyword.composed_of_known(word)
        and not describes_asker(question, word)]
    if strangers:
        return verdict(False, f"the documents never mention {', '.join(strangers)}")
    # A place the documents know, where the passages are another municipality's: the
    # question asks about a municipality they do not answer for ("Hobro - hvornår er
    # fristen for § 79?" over Odense's page). Unless the question names that municipality
    # too ("Vi er fra Lyngby-Taarbæk. Odense er målet for udflugten").
    elsewhere = [name for name in places if name in written and all(
        _of_another_municipality(p, places, retrieval.keyword) for p in top)]
    if elsewhere:
        return verdict(False, f"the passages are another municipality's than {elsewhere[0]}'s")
    lacking = [kind for kind in kinds if not any(_holds(p, kind) for p in top)]
    if lacking:
        return verdict(False, f"asks for this kind of fact: {lacking[0]}; no top passage holds one")
    if not retrieval.dense_scores:  # keyword-only retrieval (an evaluation mode)
        return verdict(True, "ok (keyword only)")
    floor = calibration.min_similarity[language]
    if names or unknown:
        floor += calibration.unfamiliar_word_margin
    if dense < floor:
        what = ", ".join([*names, *unknown])
        return verdict(False, f"similarity {dense:.3f} below {floor:.3f}" + (f" ({what})" if what else ""))
    return verdict(True, "ok")


def with_page_contact(question: str, passages: list[Passage], query: QueryTerms,
                      keyword: KeywordIndex | None, within: int) -> list[Passage]:
    """Return the passages with the answering page's contact among the first ones.

    A page's contact (a name, a phone number, an address at its foot) is the contact for
    everything on it: "who can I call about this" is answered by it even though it shares
    no word with the question. Amounts and dates belong to what their passage says, so
    only contacts are looked for outside the passages found.
    """
    if (keyword is None or not passages or "contact" not in required_types(question)
            or any(_holds(p, "contact") for p in passages[:within])):
        return passages
    found = {p.chunk_id for p in passages}
    contacts = [to_passage(row, 0.0) for row in keyword.rows_of(passages[0].doc_key)
                if row.id not in found]
    contacts = [p for p in contacts if _holds(p, "contact")]
    if not contacts:
        return passages
    best = max(contacts, key=lambda p: len(set(query.known) & passage_terms(p)))
    return [*passages[: within - 1], best, *passages[within - 1:]]


def with_enclosed_chunks(passages: list[Passage], keyword: KeywordIndex | None,
                         within: int) -> list[Passage]:
    """Return the passages with the answering page's chunks enclosed by two found ones.

    A page's fact can stand in a short chunk of its own (a question-and-answer item:
    "Tilskud ydes med 75 % af driftsudgifterne"), which ranks below the chunks around it.
    When the chunks before and after it are both among the first passages, it is read
    with them, after the page's last one there (unless it was found further down).
    """
    if keyword is None or not passages:
        return passages
    page = passages[0]
    head = passages[:within]
    found = {chunk_position(p.chunk_id) for p in head if p.doc_key == page.doc_key}
    rows = [keyword.row(sibling_chunk_id(page.chunk_id, n + 1)) for n in sorted(found)
            if n + 1 not in found and n + 2 in found]
    retrieved = {p.chunk_id for p in passages}
    enclosed = [to_passage(row, 0.0) for row in rows
                if row is not None and row.id not in retrieved]
    if not enclosed:
        return passages
    last = max(i for i, p in enumerate(head) if p.doc_key == page.doc_key)
    return [*passages[: last + 1], *enclosed, *passages[last + 1:]]


def _holds(passage: Passage, kind: AnswerType) -> bool:
    return holds_type(f"{passage.section}\n{passage.text}", kind)


def shares_a_term(query: QueryTerms, passages: list[Passage]) -> bool:
    """Return whether a passage holds one of the question's words (or a compound of it).

    Quotes are chosen by the question's words; a passage near the question by meaning
    alone ("hvordan fornyer jeg mit pas" came near pages on volunteers and child certificates)
    holds nothing to quote. A question the index knows no word of is left to similarity.
    """
    if not query.known:
        return True
    held = set().union(*(passage_terms(p) for p in passages))
    return any(mentions(term, held) for term in query.known)


def _topic(question: str, query: QueryTerms) -> QueryTerms:
    """Return the question's terms less its names: what it asks about the place named."""
    names = set(terms(" ".join(written_names(question))))
    return QueryTerms([t for t in query.known if t not in names], query.unknown)


def missing_references(question: str, passages: list[Passage]) -> list[str]:
    """Return the years and law sections of the question that no top passage mentions."""
    evidence = _evidence_text(passages)
    return [reference for reference in dict.fromkeys(REFERENCE.findall(normalize(question)))
            if not re.search(rf"\b{reference}\b", evidence)]


def missing_names(question: str, passages: list[Passage], keyword: KeywordIndex | None,
                  calibration: Calibration = CALIBRATION) -> list[str]:
    """Return the distinguishing names of the question that no top passage mentions."""
    evidence = _evidence_text(passages)
    asked = set(terms(question))
    return [name for name in written_names(question)
            if not _is_common(name, keyword, calibration)
            and not any(_mentioned(normalize(place).strip(), evidence, asked)
                        for place in (name, *municipalities_of(name)))]


def written_names(question: str) -> list[str]:
    """Return the names as the question writes them: the capitalised words that do not
    open a sentence, and the places wherever they stand and however they are typed
    ("Nakskov har en § 18-pulje - hvornår er fristen?", "kolding kommunes § 18-pulje").
    """
    unopened = _SENTENCE_START.sub(lambda start: " " * len(start[0]), question)
    names = {match.start(): match[1] for match in _NAME.finditer(unopened)}
    for opening in _OPENING.finditer(question):
        names.setdefault(opening.start(1), place_named(opening[1]))
    for lower in _LOWERCASE.finditer(question):
        names[lower.start()] = place_named(lower[0])
    return [names[start] for start in sorted(names) if names[start]]


def _mentioned(name: str, evidence: str, asked: set[str]) -> bool:
    """Return whether the evidence names it, alone or in one word with another of the
    question's words (asked).

    A question can write apart what a page writes as one word: "Puljen for Supplerende
    Facilitetstilskud" is "facilitetstilskudspuljen" (a linking "s" or "e" between). Any
    other word starting with the name names something else: "Svendsen" is no "Svend",
    "Roskildevej" no "Roskilde", "Utterslevhuse" no "Utterslev".
    """
    if re.search(rf"\b{re.escape(name)}s?\b", evidence):
        return True
    for rest in re.findall(rf"\b{re.escape(name)}(\w{{3,}})", evidence):
        parts = [rest, rest[1:]] if rest[0] in "se" else [rest]
        if any(term in asked for part in parts for term in terms(part)):
            return True
    return False


def unknown_names(names: list[str], keyword: KeywordIndex | None) -> list[str]:
    """Return the names no document mentions at all: another place, another pool.

    A town is known by its municipality too: Lolland's documents cover Nakskov without
    naming it ("Nakskov her. Hvor meget er der i Lolland Kommunes udviklingspulje?").
    """
    if keyword is None:
        return []
    return [name for name in names if not any(
        keyword.knows(term) for place in (name, *municipalities_of(name)) for term in terms(place))]


def _of_another_municipality(passage: Passage, places: list[str],
                             keyword: KeywordIndex | None) -> bool:
    """Return whether the passage's document names a municipality, and none of the places
    a question names nor the municipalities they lie in: it is that other one's page."""
    named = _municipalities_named(passage, keyword)
    asked = {name.lower() for place in places for name in (place, *municipalities_of(place))}
    return bool(named) and not named & asked


def _a_municipalitys_page(passage: Passage, keyword: KeywordIndex | None) -> bool:
    """Return whether the passage's document is a municipality's: it names one of the 98,
    or any "X Kommune" ("Eksempel Kommune", "Bornholms Regionskommune")."""
    return keyword is None or bool(_municipalities_named(passage, keyword)) or any(
        _A_MUNICIPALITY.search(text)
        for text in (passage.title, *(row.text for row in keyword.rows_of(passage.doc_key))))


def _municipalities_named(passage: Passage, keyword: KeywordIndex | None) -> set[str]:
    """Return the municipalities (lowercased names) the passage's document names: in its
    own words, where a name that is an everyday word too ("Vejen": "vej") names none, or
    in its address, where any does ("lejre-lokaletilskud.txt")."""
    if keyword is None:
        return set()
    said = keyword.own_words(passage.doc_key)
    address = set(terms(address_words({"url": passage.url, "file": passage.file})))
    return {name for name, name_terms, everyday in _municipality_terms()
            if all(t in address for t in name_terms)
            or not everyday and all(t in said for t in name_terms)}


@cache
def _municipality_terms() -> tuple[tuple[str, tuple[str, ...], bool], ...]:
    """Return each municipality's names (lowercased) with their terms, and whether the
    name is an everyday word too ("Vejen")."""
    return tuple((name.lower(), tuple(terms(name)), not place_named(name))
                 for name in municipality_names())


def _evidence_text(passages: list[Passage]) -> str:
    return normalize(" ".join(
        f"{p.title} {p.section} {p.text} {address_words({'url': p.url, 'file': p.file})}"
        for p in passages))


def _is_common(name: str, keyword: KeywordIndex | None, calibration: Calibration) -> bool:
    """Return whether a name occurs throughout the documents (and so tells nothing)."""
    if keyword is None or not keyword.rows:
        return False
    share = max((keyword.document_frequency.get(t, 0) for t in terms(name)), default=0)
    return share / len(keyword.rows) >= calibration.common_name_share
