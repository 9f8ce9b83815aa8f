"""Pick the sentences and list items of retrieved passages that answer a question.

Nothing is rewritten: every quote is a sentence or list item of a passage (line breaks
of the source folded into spaces), or a whole list with the line introducing it when
the question asks for a list or several of its items answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.answers.answer import Quote
from knowledge.answers.calibration import CALIBRATION
from knowledge.models import Passage
from knowledge.text.keyword_index import KeywordIndex, QueryTerms
from knowledge.text.normalization import terms

_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ§\"«(])")
_DATE = re.compile(r"\b\d{1,2}\.\s*(?:januar|februar|marts|april|maj|juni|juli|august|"
                   r"september|oktober|november|december)\b|\b(?:19|20)\d{2}\b", re.IGNORECASE)
_AMOUNT = re.compile(r"\d[\d.,]*\s*(?:kr\b|kroner|%|procent)", re.IGNORECASE)
_CONTACT = re.compile(r"@|\btlf\b|\btelefon\b|\d{2} \d{2} \d{2} \d{2}", re.IGNORECASE)
_ASKS_WHEN = re.compile(r"hvornår|frist|deadline|when|how soon|senest|dato", re.IGNORECASE)
_ASKS_AMOUNT = re.compile(r"hvor (?:meget|mange|stor)|beløb|sats|how much|rate|amount|\bkr\b|"
                          r"procent|tjen|løn|penge", re.IGNORECASE)
_ASKS_CONTACT = re.compile(r"hvem|kontakt|ringe|skrive|who|contact|tlf|telefon|mail",
                           re.IGNORECASE)
_ASKS_DEFINITION = re.compile(r"^\s*(?:hvad|hvem) (?:er|betyder)\b|^\s*what (?:is|are)\b",
                              re.IGNORECASE)
_ASKS_LIST = re.compile(r"\bhvilke\b|indeholde|\bkræve|dække|\bbruges til|\bhvad skal vi\b|"
                        r"\bwhich\b|\bwhat (?:documents|must)\b|\bcontain", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """A quotable piece: a sentence, a list item, or the line introducing a list, of one passage."""

    text: str
    passage: int
    list_id: int | None = None


def units_of(passage_text: str, passage: int) -> list[Candidate]:
    """Split a passage into sentences and list items; a list's intro line joins its list."""
    units: list[Candidate] = []
    for block_number, block in enumerate(re.split(r"\n\s*\n", passage_text)):
        list_id = passage * 1000 + block_number
        prose: list[str] = []
        items: list[str] = []
        for line in (line.strip() for line in block.splitlines()):
            if not line:
                continue
            if _LIST_ITEM.match(line):
                items.append(line)
            elif items:
                items[-1] += " " + line  # a wrapped list item
            else:
                prose.append(line)
        sentences = [s for s in _SENTENCE_END.split(" ".join(prose)) if s.strip()]
        intro = sentences.pop() if items and sentences and sentences[-1].endswith(":") else None
        units += [Candidate(s, passage) for s in sentences]
        if intro:
            units.append(Candidate(intro, passage, list_id))
        units += [Candidate(item, passage, list_id) for item in items]
    return units


def choose_quotes(question: str, query: QueryTerms, passages: list[Passage],
                  keyword: KeywordIndex | None) -> list[Quote]:
    """Return the units of the top passages that answer best, in reading order.

    Units are scored by the question's terms they contain (rarer terms weigh more), by
    whether they hold what the question asks for (a date, an amount, a contact, a
    definition), and by the rank of their passage.
    """
    units = [unit for rank, passage in enumerate(passages[: len(CALIBRATION.passage_rank_weights)])
             for unit in units_of(passage.text, rank)]
    if not units:
        return []
    scores = [_unit_score(question, query, unit, keyword) * CALIBRATION.passage_rank_weights[unit.passage]
              for unit in units]
    best = max(scores)
    if best <= 0:
        return [Quote(units[0].text, units[0].passage)]
    ranked = sorted(range(len(units)), key=lambda i: -scores[i])
    chosen = sorted(i for i in ranked[:CALIBRATION.max_quotes] if scores[i] >= CALIBRATION.min_share_of_best * best)
    return _with_whole_lists(question, units, chosen)


def _with_whole_lists(question: str, units: list[Candidate], chosen: list[int]) -> list[Quote]:
    """Replace chosen list items by their whole list where a list is the answer."""
    per_list: dict[int, int] = {}
    for i in chosen:
        if units[i].list_id is not None:
            per_list[units[i].list_id] = per_list.get(units[i].list_id, 0) + 1
    whole = {list_id for list_id, count in per_list.items()
             if count > 1 or _ASKS_LIST.search(question)}
    quotes: list[Quote] = []
    emitted: set[int] = set()
    for i in chosen:
        unit = units[i]
        if unit.list_id in whole:
            if unit.list_id not in emitted:
                emitted.add(unit.list_id)
                members = [u.text for u in units if u.list_id == unit.list_id]
                quotes.append(Quote("\n".join(members), unit.passage))
        else:
            quotes.append(Quote(unit.text, unit.passage))
    return quotes


def _unit_score(question: str, query: QueryTerms, unit: Candidate, keyword: KeywordIndex | None) -> float:
    unit_terms = set(terms(unit.text))
    score = sum((keyword.idf(t) if keyword else 1.0) * _match(t, unit_terms) for t in query.known)
    asks = ((_ASKS_WHEN, _DATE), (_ASKS_AMOUNT, _AMOUNT), (_ASKS_CONTACT, _CONTACT))
    score += sum(CALIBRATION.answer_type_bonus for ask, holds in asks if ask.search(question) and holds.search(unit.text))
    if _ASKS_DEFINITION.search(question) and _defines(unit.text, query):
        score += CALIBRATION.answer_type_bonus
    return score


def _match(term: str, unit_terms: set[str]) -> float:
    """Return 1 for the term itself, less for a compound ending in it ("ansøgningsfrist")."""
    if term in unit_terms:
        return 1.0
    if len(term) >= CALIBRATION.min_compound_head and any(t.endswith(term) for t in unit_terms):
        return CALIBRATION.compound_weight
    return 0.0


def _defines(text: str, query: QueryTerms) -> bool:
    """Return whether a sentence reads "X er ..." with X one of the question's terms."""
    head, separator, _ = text.partition(" er ")
    return bool(separator) and len(head.split()) <= 6 and bool(set(terms(head)) & set(query.known))
