"""Pick the sentences and list items of retrieved passages that answer a question.

Nothing is rewritten: a quote is a unit of a passage (knowledge.text.units), or a whole
list with the line introducing it (completed from the next chunk when chunking cut it:
knowledge.answers.answering). Headings, link texts and menus are never quoted, unless
such a line holds the kind of fact asked for (an address line for "hvad er adressen?").
Each unit is scored by

- words: the share of the question's terms the unit contains, each term weighted by
  how well it tells the candidate units apart (a term in every unit says nothing);
- type: whether it holds the kind of fact asked for (a date for "hvornår", an amount
  for "hvor meget"), knowledge.text.answer_types, is a list item when the question asks
  for several things ("hvilke trin", "which documents"), says what is not so when the
  question asks that ("hvad støtter puljen ikke?": "Der ydes ikke tilskud til ...", or
  an item under "Det støtter vi ikke"), or stands under the heading a question counts
  to ("det første princip": "1. Politisk ejerskab");
- the rank of its passage.

When the question names the kind of fact it wants ("hvem skal jeg ringe til", "fristen"),
the best unit holding one is quoted first, whatever it scores.

The sentences next to the best unit are quoted with it, in place of the weakest
sentences chosen: a fact is often spread over two sentences ("Udvalget holder møde fire gange om
året. Derfor kan der gå op til tre måneder ..."). The weights are in
knowledge.answers.calibration.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import get_args

from knowledge.answers.answer import Quote
from knowledge.answers.calibration import CALIBRATION, Calibration
from knowledge.models import Passage
from knowledge.text.answer_types import (AnswerType, asked_types, asks_for_list,
                                         holds_contact_details, holds_type,
                                         is_negative, required_types)
from knowledge.text.keyword_index import QueryTerms
from knowledge.text.normalization import numbered, ordinal, terms
from knowledge.text.units import Unit, first_sentences, split_units


@dataclass(frozen=True)
class Candidate:
    """A quotable unit of one passage, with its place."""

    unit: Unit
    passage: int
    position: int


def choose_quotes(question: str, query: QueryTerms, passages: list[Passage],
                  focused: Sequence[Passage], calibration: Calibration = CALIBRATION) -> list[Quote]:
    """Return the units of the focused passages that answer best.

    The passage holding the best unit comes first, and in it the best unit, its list and
    the sentences around it come before its other units; otherwise each passage's units
    keep their reading order. Quotes carry the rank of their passage among all retrieved
    passages.
    """
    top, units = _not_repeated(list(focused[: calibration.quote_passages]),
                               calibration.max_list_lines)
    rank = {p.chunk_id: number for number, p in enumerate(passages)}
    asked = asked_types(question)
    candidates = _candidates(units, asked)
    if not candidates:
        return []
    contexts = [_in_context(c, top, units) for c in candidates]
    weights = local_weights(query, contexts)
    # "det første princip": the section numbered 1 is the kind of answer asked for;
    # "hvilke trin": a list is.
    number = ordinal(question)
    counted = {index for index, p in enumerate(top) if number and numbered(p.section, number)}
    whole_lists = asks_for_list(question)
    # "hvad støtter puljen ikke?": what is not so is the kind of answer asked for.
    negated = is_negative(question)
    scores = [_score(c, text, weights, asked, calibration)
              + calibration.section_bonus * (c.passage in counted)
              + calibration.answer_type_bonus * (whole_lists and c.unit.kind == "item")
              + calibration.answer_type_bonus * (negated and is_negative(text))
              for c, text in zip(candidates, contexts, strict=True)]
    top_score = max(scores)
    ranked = _typed_first(sorted(range(len(candidates)), key=lambda i: -scores[i]),
                          candidates, required_types(question))
    chosen = [candidates[i] for n, i in enumerate(ranked[: calibration.max_quotes])
              if n == 0 or scores[i] >= top_score - calibration.quote_margin]
    best = chosen[0]
    chosen = _with_context(chosen, candidates, calibration)
    leading = _leading_items(candidates, scores)
    # The passage holding the best unit comes first, and in it the best unit with its
    # list and the sentences around it: a reader (and a phone screen) sees the top of an
    # answer. Otherwise a passage's units keep their reading order.
    first: dict[int, int] = {}
    for i in ranked:
        first.setdefault(candidates[i].passage, len(first))
    chosen.sort(key=lambda c: (first[c.passage], not _goes_with(c, best, calibration),
                               c.position))
    return _quotes(chosen, query, units, [rank[p.chunk_id] for p in top], whole_lists,
                   leading, calibration)


def _typed_first(ranked: list[int], candidates: list[Candidate],
                 required: tuple[AnswerType, ...]) -> list[int]:
    """Return the ranking with the best unit holding the kind of fact required first.

    A question naming the fact it wants ("telefonnummeret", "ansøgningsfristen") is not
    answered by quotes without one, however many of its other words they share: those
    name the topic ("§ 18-midler"), the kind names the answer.
    """
    if not required or any(holds_type(candidates[ranked[0]].unit.text, k) for k in required):
        return ranked
    typed = next((i for i in ranked
                  if any(holds_type(candidates[i].unit.text, k) for k in required)), None)
    return ranked if typed is None else [typed, *(i for i in ranked if i != typed)]


def _with_context(chosen: list[Candidate], candidates: list[Candidate],
                  calibration: Calibration) -> list[Candidate]:
    """Return the chosen units (best first) with the sentences next to the best one.

    A fact often goes on in the next sentence ("Det er virksomheden, der får ...") or is
    named in the one before, in words the question does not use. The neighbours take the
    place of the lowest-scoring sentences chosen, so the answer keeps its length; list
    items chosen stay, since two of them bring their whole list, and so does the second
    best unit: beside three items of another page's list, it was the only sentence to
    give way, though it held the answer ("Hvis I ikke har haft lokaleudgifter pga.
    nedlukning, ydes der ikke tilskud").
    """
    best = chosen[0]
    reach = calibration.context_sentences
    context = [c for c in candidates if _next_to(c, best, reach) and c not in chosen]
    replaceable = [c for c in chosen[2:] if c.unit.list_id is None]  # best first
    room = calibration.max_quotes - len(chosen) + len(replaceable)
    context = sorted(context, key=lambda c: abs(c.position - best.position))[:room]
    over = len(chosen) + len(context) - calibration.max_quotes
    dropped = replaceable[len(replaceable) - over:] if over > 0 else []
    return [c for c in chosen if c not in dropped] + context


def _goes_with(candidate: Candidate, best: Candidate, calibration: Calibration) -> bool:
    """Return whether a unit is the best one, an item of its list or a sentence around it.

    "hvad er det mindste beløb ...": the item "Der skal minimum søges om et tilskud på
    5.000 kr." stands deep in a list below three sentences chosen for the pool's other
    words; in reading order it came past the first 900 characters.
    """
    in_list = (candidate.passage == best.passage and best.unit.list_id is not None
               and candidate.unit.list_id == best.unit.list_id)
    return candidate == best or in_list or _next_to(candidate, best, calibration.context_sentences)


def _next_to(candidate: Candidate, best: Candidate, reach: int) -> bool:
    """Return whether a unit is a sentence within reach of the best unit, in its passage."""
    return (candidate.passage == best.passage and candidate.unit.kind == "sentence"
            and 0 < abs(candidate.position - best.position) <= reach)


def _leading_items(candidates: list[Candidate], scores: list[float]) -> set[str]:
    """Return the list items that score above every other item of their list.

    Such an item answers the question; when items tie (the intro's words hold for all
    of them), the list as a whole does.
    """
    by_list: dict[tuple[int, int], list[tuple[float, str]]] = {}
    for candidate, score in zip(candidates, scores, strict=True):
        if candidate.unit.list_id is not None:
            key = (candidate.passage, candidate.unit.list_id)
            by_list.setdefault(key, []).append((score, candidate.unit.text))
    leading = set()
    for items in by_list.values():
        items.sort(reverse=True)
        if len(items) == 1 or items[0][0] > items[1][0]:
            leading.add(items[0][1])
    return leading


def _not_repeated(passages: list[Passage],
                  max_list_lines: int) -> tuple[list[Passage], list[list[Unit]]]:
    """Return the passages, and their units, less those whose every unit another one holds
    and less the part of a list another chunk of the page holds whole
    (_without_partial_lists).

    A chunk that holds the end of a list adds nothing beside the chunk before it, whose
    list was completed from it; quoted from both, the list came twice. A contact box is
    label lines alone ("Email: shc@dfs.dk", "Telefon: 33260376"): holding no sentence, it
    is no repeat of another chunk, and it is the answer to "who can I contact".
    """
    units = [split_units(p.text) for p in passages]
    held = [{u.text for u in passage_units if u.quotable} for passage_units in units]
    kept = [i for i in range(len(passages))
            if not held[i] and holds_contact_details(passages[i].text)
            or not any(held[i] < held[j] for j in range(len(passages)) if j != i)]
    top = [passages[i] for i in kept]
    return top, _without_partial_lists(top, [units[i] for i in kept], max_list_lines)


def _without_partial_lists(passages: list[Passage], units: list[list[Unit]],
                           max_list_lines: int) -> list[list[Unit]]:
    """Return the passages' units less a chunk's first list when another chunk of its page
    holds more of it.

    A chunk that starts inside a list holds its last items (and the intro read back for
    them) and goes on with text of its own, so it is no repeat of the chunk holding the
    whole list; quoted from both, the list's end came twice, each time under its intro.
    The longer list must fit in an answer whole, or the items moved to it would be cut
    off its end. A list under a heading of the chunk is that section's, however alike
    ("Du skal vedlægge:" under two grants), and another page's list is that page's: the
    page asked about is cited for its own.
    """
    lists = [_list_lines(passage_units) for passage_units in units]
    dropped: list[int | None] = []
    for i, passage_units in enumerate(units):
        # The chunk's first list, unless a heading of the chunk stands above it.
        first = next((u.list_id for u in passage_units
                      if u.list_id is not None or u.kind == "label"), None)
        held_more = first is not None and any(
            lists[i][first] < lines and len(lines) <= max_list_lines
            for j in range(len(units)) if j != i and passages[j].doc_key == passages[i].doc_key
            for lines in lists[j].values())
        dropped.append(first if held_more else None)
    return [[u for u in passage_units if dropped[i] is None or u.list_id != dropped[i]]
            for i, passage_units in enumerate(units)]


def _list_lines(units: list[Unit]) -> dict[int, set[str]]:
    """Return each list of a passage's units as the set of its lines (intro and items)."""
    lists: dict[int, set[str]] = {}
    for unit in units:
        if unit.list_id is not None:
            lists.setdefault(unit.list_id, set()).add(_same_text(unit.text))
    return lists


def _same_text(text: str) -> str:
    """Return a unit's text as two chunks repeating it compare: case and spacing ignored."""
    return " ".join(text.lower().split())


def _candidates(units: list[list[Unit]], asked: tuple[AnswerType, ...]) -> list[Candidate]:
    """Return every quotable unit once (overlapping chunks repeat sentences), and the
    label lines that are data (_is_data)."""
    seen: set[str] = set()
    found: list[Candidate] = []
    for rank, passage_units in enumerate(units):
        for position, unit in enumerate(passage_units):
            key = _same_text(unit.text)
            data = unit.kind == "label" and _is_data(unit.text, asked)
            if (unit.quotable or data) and key not in seen:
                seen.add(key)
                found.append(Candidate(unit, rank, position))
    return found


def _is_data(label: str, asked: tuple[AnswerType, ...]) -> bool:
    """Return whether a label line holds the kind of fact asked for, so is data.

    "Exnersgade 33, 6700 Esbjerg" answers "hvad er adressen?". A contact line is data
    when it holds a phone number or an e-mail address: "Kontakt" names the kind of fact,
    and heads a contact box.
    """
    return any(holds_contact_details(label) if kind == "contact" else holds_type(label, kind)
               for kind in asked if kind != "count")


def _named_items(members: list[Unit], query: QueryTerms) -> list[Unit]:
    """Return the list's labelled items whose label holds a question term of their own.

    "hvad skal budgettet vise?" names "• Budget:"; a term the list's intro or another
    item also holds (in its label, or its text when it has none) names no item in
    particular: "forening" under "Vedtægterne for en forening skal beskrive:".
    """
    held = [(u, set(terms(u.head or u.text))) for u in members]
    named = []
    for unit, own in held:
        others = set().union(*(t for u, t in held if u is not unit))
        if unit.head and any(_holds_word(own, term) and not _holds_word(others, term)
                             for term in query.known):
            named.append(unit)
    return named


def _holds_word(text_terms: set[str], term: str) -> bool:
    """Return whether the terms hold the term, or a stem of the same word.

    A label's stem can differ from the same word's in a sentence ("Budget:" gives
    "budg", "budgettet" gives "budget"), so one stem may start the other.
    """
    return any(t == term or min(len(t), len(term)) >= CALIBRATION.min_compound_head
               and (t.startswith(term) or term.startswith(t)) for t in text_terms)


def _in_context(candidate: Candidate, passages: list[Passage], units: list[list[Unit]]) -> str:
    """Return a unit with what it is read under: its section heading, the heading above it
    in its passage, and its list's intro.

    "• alkohol" answers "what is not supported?" only under "Det støtter vi ikke". A
    passage's section is the heading it starts under; a heading inside it heads what follows.
    """
    unit, passage_units = candidate.unit, units[candidate.passage]
    intro = next((u.text for u in passage_units
                  if u.kind == "intro" and unit.list_id is not None and u.list_id == unit.list_id), "")
    if unit.kind == "label" and candidate.position:  # the line above an address: its name
        previous = passage_units[candidate.position - 1]
        intro = previous.text if previous.kind == "label" else ""
    heading = next((u.text for u in reversed(passage_units[: candidate.position])
                    if u.kind == "label"), "")
    return f"{passages[candidate.passage].section} {heading} {intro} {unit.text}"


def _score(candidate: Candidate, text: str, weights: dict[str, float],
           asked: tuple[AnswerType, ...], calibration: Calibration) -> float:
    score = lexical_coverage(weights, text)
    if any(holds_type(candidate.unit.text, kind) for kind in asked):
        score += calibration.answer_type_bonus
    return score - calibration.passage_rank_penalty * candidate.passage


def local_weights(query: QueryTerms, texts: list[str]) -> dict[str, float]:
    """Weigh the question's terms by how well they tell the candidate units apart.

    A term in every unit (the pool's name on its own page, the municipality's name) says
    nothing about which sentence answers; a term in one unit says much. This is inverse
    document frequency over the candidates, not over the index.
    """
    unit_terms = [set(terms(text)) for text in texts]
    weights = {}
    for term in query.known:
        holding = sum(1 for found in unit_terms if _match(term, found) > 0)
        weights[term] = math.log(1 + (len(texts) - holding + 0.5) / (holding + 0.5))
    return weights


def lexical_coverage(weights: dict[str, float], text: str) -> float:
    """Return the share of the question's term weight that the text holds."""
    total = sum(weights.values())
    if not total:
        return 0.0
    text_terms = set(terms(text))
    return sum(w * _match(t, text_terms) for t, w in weights.items()) / total


def _match(term: str, text_terms: set[str]) -> float:
    """Return 1 for the term itself, less for a compound ending in it ("ansøgningsfrist")."""
    if term in text_terms:
        return 1.0
    if len(term) >= CALIBRATION.min_compound_head and any(t.endswith(term) for t in text_terms):
        return CALIBRATION.compound_weight
    return 0.0


def _quotes(chosen: list[Candidate], query: QueryTerms, units: list[list[Unit]],
            ranks: list[int], whole_lists: bool, leading: set[str],
            calibration: Calibration) -> list[Quote]:
    """Return the chosen units in their order; a list item comes with its list's intro.

    The whole list is quoted when the question asks for one ("hvilke ...") or more than
    one of its items was chosen. In a whole list, an item that is a label with a
    paragraph under it ("• Formål:" and its text) is quoted as its label, unless the
    question names it: the labels answer what the list holds, and a long list still fits.
    For the same reason a long item of several sentences is cut after its first ones,
    unless it is the list's leading item (it scores above every other item of its list).
    """
    quotes: list[Quote] = []
    done: set[tuple[int, int]] = set()
    quoted = {c.unit.text for c in chosen}
    for candidate in chosen:
        unit, passage_units = candidate.unit, units[candidate.passage]
        if unit.list_id is None:
            above = passage_units[candidate.position - 1] if candidate.position else None
            # A way to reach someone quoted from a label line (a phone number, an
            # e-mail, an address) comes with the label line above it when that line says
            # whose it is ("Frivilligkonsulent Anne Holm", "Jobcenter Esbjerg").
            named_by = (f"{above.text}\n" if unit.kind == "label"
                        and _contact_or_address(unit.text)
                        and above is not None and above.kind == "label"
                        and _says_whose(above.text) and above.text not in quoted else "")
            quotes.append(Quote(f"{named_by}{unit.text}", ranks[candidate.passage]))
            continue
        key = (candidate.passage, unit.list_id)
        if key in done:
            continue
        done.add(key)
        picked = {c.unit.text for c in chosen if c.passage == candidate.passage
                  and c.unit.list_id == unit.list_id}
        whole = whole_lists or len(picked) > 1
        members = [u for u in passage_units if u.list_id == unit.list_id
                   and (whole or u.kind == "intro" or u.text in picked)]
        named = _named_items(members, query) if whole else members
        lines = [_list_line(u, u in named, u.text in leading, calibration) for u in members]
        start = next(n for n, u in enumerate(passage_units) if u.list_id == unit.list_id)
        above = passage_units[start - 1] if start else None
        if (passage_units[start].kind != "intro" and above is not None and above.kind == "label"
                and above.text not in quoted):
            # A list with no intro line is introduced by the heading above it ("Det
            # støtter vi ikke"), however far down its quoted items stand: without it,
            # they read as their opposite.
            lines.insert(0, above.text)
        quotes.append(Quote("\n".join(lines[: calibration.max_list_lines]),
                            ranks[candidate.passage]))
    return quotes


def _contact_or_address(text: str) -> bool:
    """Return whether a text gives a way to reach someone: a phone, an e-mail, an address."""
    return holds_contact_details(text) or holds_type(text, "address")


def _says_whose(line: str) -> bool:
    """Return whether a label line can say whose a phone number or address is: it holds
    no fact of any kind ("Frivilligkonsulent Anne Holm", not "Kontakt", opening hours or
    another number)."""
    return not any(holds_type(line, kind) for kind in get_args(AnswerType))


def _list_line(unit: Unit, named: bool, leading: bool, calibration: Calibration) -> str:
    """Return how a line of a list quoted whole reads: a label alone unless the question
    names it, a long item cut after its first sentences unless it leads its list."""
    if unit.head and not named:
        return unit.head.rstrip(":")
    if named or leading:
        return unit.text
    return first_sentences(unit.text, calibration.list_item_chars)
