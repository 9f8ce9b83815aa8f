"""Through 429s, 500s, slow answers and refused connections, every answer arrives once."""

from __future__ import annotations

import asyncio
import time

import pytest

from knowledge.index.embeddings import Embedder
from knowledge.settings import Settings
from tests.bot.conftest import ADMIN, PARTNER, RunningBot, running_bot

QUESTION = "hvornår er fristen for paragraf 18"


async def _answered_once(bot: RunningBot, user: int, timeout: float = 60.0) -> None:
    await bot.api.wait_for_messages(1, chat_id=user, timeout=timeout)
    await asyncio.sleep(1.0)  # room for a duplicate to show up
    messages = bot.api.sent_messages(user)
    assert len(messages) == 1, [m["text"][:40] for m in messages]
    assert "1. marts" in messages[0]["text"]


@pytest.mark.parametrize("fault", ["429", "500", "slow"])
async def test_send_faults_are_survived_without_duplicates(bot: RunningBot, fault: str) -> None:
    if fault == "429":
        bot.api.rate_limit_next("sendMessage", times=2, retry_after=1)
    elif fault == "500":
        bot.api.fail_next("sendMessage", times=3, status=500)
    else:
        bot.api.delay("sendMessage", seconds=3.0, times=1)
    bot.api.push_message(PARTNER, QUESTION)
    await _answered_once(bot, PARTNER)
    if fault != "slow":  # the fault really happened, and was recovered from
        assert any(c.status not in (200, None) for c in bot.api.calls("sendMessage"))


async def test_polling_recovers_from_server_errors_and_refused_connections(bot: RunningBot) -> None:
    bot.api.fail_next("getUpdates", times=2, status=500)
    bot.api.push_message(PARTNER, QUESTION)
    await _answered_once(bot, PARTNER)
    user = PARTNER + 1
    bot.api.refuse_connections(2.0)
    bot.api.push_message(user, QUESTION)
    await _answered_once(bot, user)


async def test_refused_connections_while_answering(bot_settings: Settings,
                                                   embedder: Embedder) -> None:
    async with running_bot(bot_settings.model_copy(update={"answer_threads": 1}),
                           embedder) as bot:
        # Another job holds the only answer thread, so the question waits long enough
        # for "typing" to be shown; the connections are cut while it waits.
        busy = asyncio.create_task(bot.services.scheduler.run(ADMIN, lambda: time.sleep(1.5)))
        bot.api.delay("sendChatAction", seconds=0.5, times=1)
        bot.api.push_message(PARTNER, QUESTION)
        await bot.api.wait_for_calls("sendChatAction", 1, answered=False)
        bot.api.refuse_connections(2.5)  # the answer's sendMessage meets a closed port
        await busy
        await _answered_once(bot, PARTNER)
