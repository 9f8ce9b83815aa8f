"""Greetings, thanks and nods are told from questions, also ones that open with a greeting."""

from __future__ import annotations

import pytest

from bot.replies import instead_of_answer
from bot.small_talk import small_talk


@pytest.mark.parametrize(("text", "kind"), [
    ("hej", "greeting"), ("Godmorgen :)", "greeting"), ("hello", "greeting"),
    ("Hej Indgang", "greeting"), ("hej igen", "greeting"), ("Hi there", "greeting"),
    ("tak!", "thanks"), ("Mange tak for hjælpen", "thanks"), ("ok tak", "thanks"),
    ("thanks so much for the help", "thanks"), ("Tak, det var det", "thanks"),
    ("ok", "other"), ("🙂👍", "other"), ("?", "other"),
])
def test_greetings_and_thanks_are_small_talk(text: str, kind: str) -> None:
    assert small_talk(text) == kind


@pytest.mark.parametrize("text", [
    "hej, hvornår er fristen?", "tak for tilskuddet, hvornår kommer pengene", "hvad er tak",
    "hej fristen for paragraf 18", "hello, how do we apply", "fristen", "mange?", "selv",
])
def test_questions_are_not_small_talk(text: str) -> None:
    assert small_talk(text) is None


@pytest.mark.parametrize(("text", "reply"), [
    ("thanks!", "You're welcome!"), ("hello", "Hello!"), ("Thank you", "You're welcome!"),
    ("tak!", "Selv tak!"), ("hej", "Hej!"), ("ok tak", "Selv tak!"), ("super", "Skriv dit"),
    ("Okay, mange tak!", "Selv tak!"),
])
def test_small_talk_is_answered_in_its_own_language(text: str, reply: str) -> None:
    assert (instead_of_answer(text) or "").startswith(reply)
