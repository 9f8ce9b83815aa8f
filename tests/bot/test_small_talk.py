"""Greetings and thanks are told from questions, also questions that open with a greeting."""

from __future__ import annotations

import pytest

from bot.small_talk import small_talk


@pytest.mark.parametrize(("text", "kind"), [
    ("hej", "greeting"), ("Godmorgen :)", "greeting"), ("🙂👍", "greeting"), ("hello", "greeting"),
    ("tak!", "thanks"), ("Mange tak for hjælpen", "thanks"), ("ok tak", "thanks"),
    ("thanks so much for the help", "thanks"),
])
def test_greetings_and_thanks_are_small_talk(text: str, kind: str) -> None:
    assert small_talk(text) == kind


@pytest.mark.parametrize("text", [
    "hej, hvornår er fristen?", "tak for tilskuddet, hvornår kommer pengene", "hvad er tak",
    "hej fristen for paragraf 18", "hello, how do we apply", "fristen",
])
def test_questions_are_not_small_talk(text: str) -> None:
    assert small_talk(text) is None
