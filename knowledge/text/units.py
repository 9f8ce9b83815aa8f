"""Split a passage into the units an answer may quote: sentences, list items, labels.

A passage as loaders give it is lines of text: paragraphs, list items, and lines that
are not sentences at all (a heading, a link text, a breadcrumb, a menu). Structure
decides what a line is, not its words:

- a list item starts with a bullet or a number ("•", "-", "1.", "a)", "a. Udflugter"); a
  numbered line that is a label is an item only among numbered lines: alone, or above
  bullets, it is a heading ("7. Afslutning og afrapportering" over "• Et projekt ...");
- a line that ends with ":" and is followed by list items introduces the list;
- a label is a line without end punctuation that is short, or reads like a menu
  (most of its words capitalised, which Danish prose never does), or a breadcrumb
  trail ("Forside > Borger > Tilskud"); it is context, never quoted on its own;
- everything else is prose, split into sentences at ".", "!" or "?" followed by a
  capital, but not after an abbreviation that always continues ("jf. § 18",
  "bl.a. Foreningen", "stk. 2"), a single initial ("H. C. Andersen") or a day before its
  month ("den 1. April"); after any other number it ends ("for unge under 18. Send ...").

Hard-wrapped lines (PDF text, pasted web pages) are joined when a line does not end a
sentence (or ends in a period that does not: "fra 1." above "januar") and the next one
starts in lower case or with a digit. A line indented under a list item (no
blank line between) is the item's own text: "• Formål:" with its paragraph below it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from knowledge.text.normalization import MONTHS

UnitKind = Literal["sentence", "item", "intro", "label"]

# A letter as a list number takes a capital after "a." ("a. Udflugter"), not "f. eks.".
_BULLET = re.compile(
    r"^\s*(?:[-*•·▪◦–○●]|\d{1,2}[.)]|[a-zæøåA-ZÆØÅ][)]|[a-zæøå]\.(?=\s+[A-ZÆØÅ]))\s+")
_NUMBER = re.compile(r"^\s*\d{1,2}[.)]\s+")
_END_PUNCTUATION = (".", "!", "?", ":", ";", '"', "”", "»")
# Abbreviations after which a sentence always goes on (Danish and a few English).
_CONTINUING = frozenset(
    "jf jfr jvf bl.a f.eks fx ca evt inkl ekskl pkt stk nr tlf kl vedr iht mht ift pga hhv "
    "mfl el att ang ref dvs o.l hr fru dr mr mrs e.g i.e vs no".split()
)
_BEFORE_FIGURE = frozenset({"kr", "min", "maks", "max", "pr"})
_ORDINAL_GOES_ON = re.compile(
    rf"(?i)[\"“«(]?(?:{MONTHS}|jan|feb|mar|apr|jun|jul|aug|sept?|okt|oct|nov|dec|stk|nr|pkt)\b")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”»)]?\s+(?=[\"“«(]?[A-ZÆØÅ0-9§])")
_WORD = re.compile(r"[\wæøåÆØÅ§.-]+")
_BREADCRUMB = re.compile(r"\s[>›»]\s")
MAX_LABEL_WORDS = 12
MENU_CAPITAL_SHARE = 0.5


@dataclass(frozen=True)
class Unit:
    """A quotable piece of a passage; list items and their intro share a list number."""

    text: str
    kind: UnitKind
    list_id: int | None = None
    # A list item with a paragraph indented under it: its own first line ("• Formål:").
    head: str = ""

    @property
    def quotable(self) -> bool:
        """Return whether the unit can stand in an answer on its own."""
        return self.kind in ("sentence", "item")


def split_units(text: str) -> list[Unit]:
    """Return the passage's units in reading order."""
    units: list[Unit] = []
    joined = _joined_lines(text)
    lines = [line.text for line in joined]
    list_id = -1
    for number, line in enumerate(lines):
        following = lines[number + 1] if number + 1 < len(lines) else ""
        previous = lines[number - 1] if number else ""
        if _BULLET.match(line) and not _is_numbered_heading(line, previous, following):
            if not units or units[-1].kind not in ("item", "intro"):
                list_id += 1
            units.append(Unit(line, "item", list_id, joined[number].head))
        elif line.endswith(":") or line.endswith(";") and _BULLET.match(following):
            # It introduces what follows: a list, or a link; never an answer alone.
            *sentences, intro = split_sentences(line)
            is_list = bool(_BULLET.match(following))
            list_id += is_list
            units += [Unit(s, "sentence") for s in sentences]
            units.append(Unit(intro, "intro", list_id if is_list else None))
        elif is_label(line):
            units.append(Unit(line, "label"))
        else:
            units += [Unit(s, "sentence") for s in split_sentences(line)]
    return units


def ends_in_list(text: str) -> bool:
    """Return whether the text ends with a list item or a line introducing a list."""
    units = split_units(text)
    return bool(units) and units[-1].kind in ("item", "intro")


def starts_in_list(text: str) -> bool:
    """Return whether the text starts with a list item (chunking may have cut its intro off)."""
    units = split_units(text)
    return bool(units) and units[0].kind == "item"


def list_intro(text: str) -> str | None:
    """Return the line introducing the list the text ends with.

    That is its intro line, or the heading right above its first item ("Det støtter vi
    ikke"); "" when the list fills the whole text (its intro is further back); None when
    the text does not end in a list, or its list has no line introducing it.
    """
    units = split_units(text)
    if not units or units[-1].kind not in ("item", "intro"):
        return None
    first = next(i for i, u in enumerate(units) if u.list_id == units[-1].list_id)
    if units[first].kind == "intro":
        return units[first].text
    if first == 0:
        return ""
    return units[first - 1].text if units[first - 1].kind == "label" else None


def continue_list(text: str, following: str) -> str:
    """Return the text with the list it ends in completed from the text that follows.

    Chunking cuts long lists: what the next chunk of the section holds past the two
    chunks' overlap goes on the list this one ends with, as far as that list goes
    (its items and the paragraphs indented under them).
    """
    if not ends_in_list(text):
        return text
    shared = _overlap(text, following)
    combined = text + following[shared:] if shared else f"{text}\n{following}"
    raw = combined.splitlines()
    own = len(text.splitlines())
    end = next((line.start for line in _joined_lines(combined)
                if line.start >= own and not _BULLET.match(line.text)), len(raw))
    return "\n".join(raw[:end]).rstrip()


def _overlap(text: str, following: str, shortest: int = 8) -> int:
    """Return the length of the longest start of following that text ends with."""
    if len(following) < shortest:
        return 0
    position = text.find(following[:shortest])
    while position != -1:  # the earliest place the rest of text starts following
        if following.startswith(text[position:]):
            return len(text) - position
        position = text.find(following[:shortest], position + 1)
    return 0


def is_list_item(line: str) -> bool:
    """Return whether a line starts with a bullet or a list number."""
    return bool(_BULLET.match(line))


def is_label(line: str) -> bool:
    """Return whether a line is a heading, link text or menu rather than a sentence."""
    words = line.split()
    if len(_BREADCRUMB.findall(line)) >= 2:  # "Forside > Borger > Tilskud"
        return True
    if line.endswith("?"):
        return len(words) <= MAX_LABEL_WORDS  # a question heading ("Hvem kan søge?")
    if line.endswith(_END_PUNCTUATION):
        return False
    if len(words) <= MAX_LABEL_WORDS and ": " not in line:
        return True
    capitalised = sum(1 for word in words if word[:1].isupper())
    return capitalised / len(words) >= MENU_CAPITAL_SHARE


def split_sentences(paragraph: str) -> list[str]:
    """Split prose into sentences, keeping abbreviations, initials and dates whole."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_BREAK.finditer(paragraph):
        before = paragraph[start : match.start()].rstrip("\"”»)")
        if _continues(before, paragraph[match.end() : match.end() + 12]):
            continue
        sentences.append(paragraph[start : match.start()].strip())
        start = match.end()
    sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s]


def first_sentences(text: str, most_chars: int) -> str:
    """Return the text, or its first sentences within most_chars and "…" (always one)."""
    if len(text) <= most_chars:
        return text
    sentences = split_sentences(text)
    kept = sentences[:1]
    for sentence in sentences[1:]:
        if len(" ".join([*kept, sentence])) > most_chars:
            break
        kept.append(sentence)
    return text if len(kept) == len(sentences) else f"{' '.join(kept)} …"


def _continues(before: str, after: str) -> bool:
    """Return whether the text before a period ends in an abbreviation, an initial or an
    ordinal, given the text after it."""
    if not before.endswith("."):
        return False
    next_char = after[:1]
    words = _WORD.findall(before[-12:])
    word = words[-1].rstrip(".") if words else ""
    last = word.lower()
    if last in _CONTINUING or (len(word) == 1 and word.isupper()):  # "H. C. Andersen"
        return True
    # "kr. 5.000", "min. 2 personer", "d. 1. maj", "pr. 1. januar": an abbreviation
    # before its figure
    if next_char.isdigit() and (last in _BEFORE_FIGURE or len(word) == 1):
        return True
    # A short ordinal goes on before a month or a part of a reference ("den 1. Marts",
    # "§ 18. Stk. 2", "1. 2. og 3. klasse"), and a step's number after a colon or alone
    # ("Sådan: 1. Udfyld ... 2. Send ..."); after another word a number ends the sentence
    # ("for unge under 18. Ansøgningen ...", "kl. 9 til 12. Husk ..."), as a year does.
    if not (last.isdigit() and len(last) <= 2):
        return False
    opening = before[: -len(last) - 1].rstrip()
    return (next_char.isdigit() or not opening or opening.endswith(":")
            or bool(_ORDINAL_GOES_ON.match(after)))


def is_numbered(line: str) -> bool:
    """Return whether a line starts with a list number ("1.", "2)")."""
    return bool(_NUMBER.match(line))


def _is_numbered_heading(line: str, previous: str, following: str) -> bool:
    """Return whether a numbered line is a heading ("2. En langsigtet indsats"), not an item.

    A numbered item has numbered neighbours; a numbered heading stands alone, between
    paragraphs or above a list of bullets it heads.
    """
    alone = not is_numbered(previous) and not is_numbered(following)
    return is_numbered(line) and alone and is_label(_BULLET.sub("", line).rstrip(":"))


@dataclass(frozen=True)
class _Line:
    """A line as units see it: raw lines joined, and where it starts among the raw lines."""

    text: str
    start: int
    # The item's own first line, when a paragraph is indented under it ("• Formål:").
    head: str = ""


def _joined_lines(text: str) -> list[_Line]:
    """Return the non-empty lines, joining hard-wrapped lines and an item's indented text."""
    joined: list[_Line] = []
    item_indent = -1  # the indentation of the list item the last line belongs to
    blank = True  # a blank line ends what the next line could join
    for number, raw in enumerate(text.splitlines()):
        line = " ".join(raw.split())
        if not line:
            blank, item_indent = True, -1
            continue
        indent = len(raw) - len(raw.lstrip())
        previous = joined[-1] if joined and not blank else None
        under_item = item_indent >= 0 and indent > item_indent and not _BULLET.match(line)
        if previous is not None and (wraps_into(previous.text, line) or under_item):
            head = previous.head or (previous.text if under_item else "")
            joined[-1] = _Line(f"{previous.text} {line}", previous.start, head)
        else:
            joined.append(_Line(line, number))
            item_indent = indent if _BULLET.match(line) else -1
        blank = False
    return joined


def reflowed(text: str) -> str:
    """Return the text as a reader should see it: hard-wrapped lines joined.

    Paragraphs (blank lines between) and list items stay apart; a sentence a PDF broke
    over two lines ("... der har fået\ntilskud.") is one line again.
    """
    paragraphs = re.split(r"\n[ \t]*\n", text)
    return "\n\n".join("\n".join(line.text for line in _joined_lines(paragraph))
                       for paragraph in paragraphs if paragraph.strip())


def wraps_into(previous: str, line: str) -> bool:
    """Return whether line continues the sentence of the line before it.

    A line ending in a period goes on where a sentence would ("fra 1." above "januar",
    "jf." above "§ 18"), as split_sentences reads the same text on one line.
    """
    if _BULLET.match(line):
        return False
    if previous.endswith(_END_PUNCTUATION):
        return _continues(previous, line)
    return line[0].islower() or line[0].isdigit()
