"""👍/👎 count once, from the user who asked; forged or broken buttons get a polite answer."""

from __future__ import annotations

from typing import Any

from bot import replies
from tests.bot.conftest import PARTNER, STAFF, RunningBot

QUESTION = "skal vi ha revisor på"


def _buttons(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def _press(bot: RunningBot, user: int, data: str, message: dict[str, Any]) -> str:
    """Press a button as user and return the text of the bot's answerCallbackQuery."""
    before = len(bot.api.calls("answerCallbackQuery"))
    bot.api.push_callback(user, data, message)
    calls = await bot.api.wait_for_calls("answerCallbackQuery", before + 1)
    assert calls[-1].status == 200
    return str(calls[-1].params.get("text", ""))


async def test_only_the_asker_votes_and_only_once(bot: RunningBot) -> None:
    reply = await bot.ask(PARTNER, QUESTION)
    message = bot.api.bot_messages(PARTNER)[-1]
    helpful = next(b for b in _buttons(reply) if b.startswith("fb:1:"))
    unhelpful = next(b for b in _buttons(reply) if b.startswith("fb:0:"))

    assert await _press(bot, STAFF, unhelpful, message) == replies.FEEDBACK_NOT_ASKER
    assert bot.services.feedback.stats().unhelpful == 0
    assert await _press(bot, PARTNER, helpful, message) == replies.FEEDBACK_THANKS
    assert await _press(bot, PARTNER, helpful, message) == replies.FEEDBACK_ALREADY
    assert await _press(bot, PARTNER, unhelpful, message) == replies.FEEDBACK_ALREADY
    stats = bot.services.feedback.stats()
    assert (stats.helpful, stats.unhelpful) == (1, 0)


async def test_forged_and_malformed_buttons_get_a_polite_answer(bot: RunningBot) -> None:
    await bot.ask(PARTNER, QUESTION)
    message = bot.api.bot_messages(PARTNER)[-1]
    before = len(bot.api.sent_messages(PARTNER))
    for data in ("fb:1:987654", "fb:1:0", "fb:0:-3", "fb:1:" + "9" * 19, "fb:1:" + "9" * 40,
                 "fb:1:abc", "fb:2:1", "fb:1", "fb", "xyz:1", "src:", "src:../../etc", ""):
        answer = await _press(bot, PARTNER, data, message)
        assert answer in (replies.FEEDBACK_UNKNOWN, replies.BUTTON_UNKNOWN), data
    stats = bot.services.feedback.stats()
    assert (stats.helpful, stats.unhelpful) == (0, 0)
    # No traceback reached the user: nothing was posted in the chat.
    assert len(bot.api.sent_messages(PARTNER)) == before
