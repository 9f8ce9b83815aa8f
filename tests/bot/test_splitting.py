"""Long messages are split into valid HTML parts that fit, between whole elements."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

import pytest

from bot.replies import reindex_done
from bot.splitting import MESSAGE_LIMIT, size, split_message
from ingest.models import SyncSummary

TELEGRAM_TAGS = {"b", "i", "a", "blockquote", "u", "s", "code", "pre"}


class _Checked(HTMLParser):
    """Parse a part as Telegram would: tags balanced, known, text collected."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.tags: list[str] = []
        self.feed(html)
        self.close()
        assert not self.stack, f"unclosed {self.stack} in {html[-80:]!r}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in TELEGRAM_TAGS, tag
        self.stack.append(tag)
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, f"unmatched </{tag}>"

    def handle_data(self, data: str) -> None:
        assert "&" not in data or ";" not in data.split("&", 1)[1][:8], "broken entity"
        self.text.append(data)


def _words(html: str) -> list[str]:
    return "".join(_Checked(html).text).split()


def _answer(quotes: int, quote_chars: int) -> str:
    quote = ("Regnskabet for § 18-midler & andre puljer afleveres senest 1. april. "
             * (quote_chars // 70 + 1))[:quote_chars]
    parts = ["<b>Det står i kommunens dokumenter:</b>"]
    parts += [f"<blockquote>{escape(quote)} <i>nr. {n}</i></blockquote> [{n}]"
              for n in range(quotes)]
    parts.append("<b>Kilder:</b>\n" + "\n".join(
        f'[{n}] <a href="https://www.eksempel-kommune.dk/side-{n}?a=1&amp;b=2">Side {n}</a>'
        for n in range(quotes)))
    return "\n\n".join(parts)


@pytest.mark.parametrize("html", [
    _answer(quotes=40, quote_chars=300),   # many whole quotes: cut between them
    _answer(quotes=2, quote_chars=9000),   # one quote alone is too long: opened, re-wrapped
    "<blockquote><b>" + "fed tekst &amp; mere " * 600 + "</b> slut</blockquote>",
    "<b>" + "x&amp;y" * 2000 + "</b>",      # no spaces at all, entities everywhere
    "🙂 " * 3000,                            # 6,000 UTF-16 units in 3,000 characters
    "a" * 10_000,                           # one word longer than a message
    reindex_done(SyncSummary(unchanged=3, chunks=12, failed=[
        (f"mappe/undermappe/dokument-nummer-{n:04d} & co.pdf", "filen er beskadiget <pdf>")
        for n in range(400)])),
])
def test_every_part_fits_parses_and_keeps_all_text(html: str) -> None:
    parts = split_message(html)
    assert len(parts) > 1
    assert all(size(part) <= MESSAGE_LIMIT for part in parts)
    # Every word arrives (a word longer than a message, cut, arrives in pieces).
    assert "".join("".join(_words(part)) for part in parts) == "".join(_words(html))
    # The formatting is kept: every element of the original is in the parts (more, when
    # a too-long element is re-opened in the next part).
    original = _Checked(html).tags
    for tag in set(original):
        assert sum(_Checked(part).tags.count(tag) for part in parts) >= original.count(tag)


def test_whole_quotes_and_lines_are_never_cut() -> None:
    html = _answer(quotes=40, quote_chars=300)
    quotes = re.findall(r"<blockquote>.*?</blockquote> \[\d+\]", html)
    parts = split_message(html)
    assert sum(part.count("<blockquote>") for part in parts) == len(quotes)
    for quote in quotes:
        assert any(quote in part for part in parts)
    report = reindex_done(SyncSummary(unchanged=3, chunks=12,
                                      failed=[(f"fil-{n}.pdf", "tom") for n in range(900)]))
    lines = report.split("\n")
    assert [line for part in split_message(report) for line in part.split("\n")] == lines


def test_short_messages_are_one_part_unchanged() -> None:
    html = '<b>Hej</b>\n\n<blockquote>citat &amp; mere</blockquote> <a href="https://x.dk">x</a>'
    assert split_message(html) == [html]
    assert split_message("") == []


def test_the_admin_is_told_when_a_reindex_moved_the_index_to_the_current_search_settings() -> None:
    # The counts read "0 nye, 0 ændrede" while a new generation was written.
    assert "de nuværende søgeindstillinger" in reindex_done(
        SyncSummary(unchanged=3, chunks=12, search_upgraded=True))
    assert "søgeindstillinger" not in reindex_done(SyncSummary(unchanged=3, chunks=12))
