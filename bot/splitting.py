"""Split Telegram HTML into messages that fit, only between whole elements.

Telegram refuses a message over 4,096 characters and one whose HTML does not parse, so
a long text is cut where a cut is harmless: between paragraphs if possible, else
between lines, else between words, and never inside a tag, an entity (`&amp;`) or an
element (`<b>`, `<i>`, `<a>`, `<blockquote>`). Only an element that alone is too long is
opened: its content is split the same way and each piece wrapped in the element's own
tags again, so every part is valid HTML with its formatting kept. Sizes are counted in
UTF-16 code units, as Telegram counts, with the markup included: on the safe side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

MESSAGE_LIMIT = 4096
# An element whose tags leave less room than this for its content loses its tags instead.
MIN_CONTENT = 64

_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|[^<&]+|[<&]")
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z][\w-]*)")
_PIECE = re.compile(r"\s+|[^\s]+")


@dataclass
class _Element:
    """One element and what it holds: text (escaped, entities whole) and elements."""

    opening: str
    name: str
    children: list[str | _Element] = field(default_factory=list)

    @property
    def closing(self) -> str:
        return f"</{self.name}>"

    def html(self) -> str:
        return self.opening + "".join(_html(child) for child in self.children) + self.closing


def split_message(html: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Return the HTML in parts of at most `limit` UTF-16 units, each one valid HTML."""
    if size(html) <= limit:  # nearly every message: no need to parse it
        return [html.strip()] if html.strip() else []
    return _split(_parse(html), limit)


def size(text: str) -> int:
    """Return the length of text as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _parse(html: str) -> list[str | _Element]:
    """Return the top-level nodes; an unmatched closing tag is kept as text."""
    root: list[str | _Element] = []
    stack: list[_Element] = []
    for token in _TOKEN.findall(html):
        nodes = stack[-1].children if stack else root
        name = _TAG_NAME.match(token)
        if token.startswith("</") and name:
            if any(element.name == name[1].lower() for element in stack):
                while stack.pop().name != name[1].lower():
                    pass
            else:
                nodes.append(escape(token))
        elif token.startswith("<") and name:
            element = _Element(token, name[1].lower())
            nodes.append(element)
            stack.append(element)
        else:
            nodes.append(token if token not in "<&" else escape(token))
    return root


def _split(nodes: list[str | _Element], limit: int) -> list[str]:
    """Pack the nodes' atoms greedily into parts, cutting at the best whitespace."""
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for atom in _atoms(nodes, limit):
        while current and used + size(atom) > limit:
            cut = _best_cut(current)
            parts.append("".join(current[:cut]))
            current = current[cut:]
            used = sum(size(piece) for piece in current)
        current.append(atom)
        used += size(atom)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def _atoms(nodes: list[str | _Element], limit: int) -> list[str]:
    """Return the smallest pieces that may not be cut: words, spaces, entities, elements."""
    atoms: list[str] = []
    for node in nodes:
        if isinstance(node, _Element):
            atoms += _element_atoms(node, limit)
        elif node.startswith("&"):
            atoms.append(node)
        else:
            for piece in _PIECE.findall(node):
                atoms += _chop(piece, limit)
    return atoms


def _element_atoms(element: _Element, limit: int) -> list[str]:
    """Return a whole element, or, if too long, its content's parts each in its tags."""
    whole = element.html()
    if size(whole) <= limit:
        return [whole]
    room = limit - size(element.opening) - size(element.closing)
    if room < MIN_CONTENT:  # a link with a huge address, say: keep the text, lose the tag
        return _atoms(element.children, limit)
    return [element.opening + part + element.closing for part in _split(element.children, room)]


def _chop(word: str, limit: int) -> list[str]:
    """Cut a word longer than the limit (plain text: no tags or entities inside)."""
    pieces, current, used = [], "", 0
    for char in word:
        if used + size(char) > limit:
            pieces.append(current)
            current, used = "", 0
        current += char
        used += size(char)
    return [*pieces, current] if current else pieces


def _best_cut(atoms: list[str]) -> int:
    """Return where to end a part: at the last paragraph break, else line, else space."""
    for wanted in ("\n\n", "\n", ""):
        for index in range(len(atoms) - 1, 0, -1):
            if atoms[index].isspace() and wanted in atoms[index]:
                return index
    return len(atoms)


def _html(node: str | _Element) -> str:
    return node.html() if isinstance(node, _Element) else node
