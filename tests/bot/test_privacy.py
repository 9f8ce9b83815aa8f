"""What the bot keeps about people: /glem leaves nothing, old rows go, logs stay clean."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from knowledge.feedback.store import FeedbackStore
from knowledge.index.embeddings import Embedder
from knowledge.settings import Settings
from tests.bot.conftest import PARTNER, RunningBot, running_bot

SECRET_QUESTION = "hvad koster det at leje Solsikkehallen til foreningen Guldsmedens julefest"


def _buttons(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


def _on_disk(path: Path) -> bytes:
    """Return the database file and its write-ahead log as stored on disk right now."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


async def test_glem_leaves_nothing_in_the_database_files(bot: RunningBot) -> None:
    reply = await bot.ask(PARTNER, SECRET_QUESTION)  # unanswered: its text is kept
    vote = next(b for b in _buttons(reply) if b.startswith("fb:0:"))
    bot.api.push_callback(PARTNER, vote, bot.api.bot_messages(PARTNER)[-1])
    await bot.api.wait_for_calls("answerCallbackQuery", 1)
    await bot.ask(PARTNER, "hvornår er fristen for paragraf 18")
    path = bot.services.settings.database_path
    key = bot.services.feedback._user_key(PARTNER).encode()
    assert b"Guldsmedens" in _on_disk(path) and key in _on_disk(path)

    forgotten = await bot.ask(PARTNER, "/glem")
    assert "slettet" in forgotten["text"]
    stored = _on_disk(path)  # the bot is still running: nothing was closed
    assert b"Guldsmedens" not in stored and b"Solsikkehallen" not in stored
    assert key not in stored


async def test_questions_older_than_the_retention_are_deleted_at_start_up(
        bot_settings: Settings, embedder: Embedder) -> None:
    now = datetime.now(UTC)
    for age_days in (400, 181, 170):
        old = FeedbackStore(bot_settings.database_path,
                            clock=lambda age_days=age_days: now - timedelta(days=age_days))
        qid = old.record_question(PARTNER, f"spørgsmål fra for {age_days} dage siden", False,
                                  "partner", "da")
        old.record_feedback(PARTNER, qid, False, f"spørgsmål fra for {age_days} dage siden")
        old.close()
    async with running_bot(bot_settings, embedder) as bot:
        for _ in range(100):  # the job runs right after start-up, in a thread
            if bot.services.feedback.stats().questions == 1:
                break
            await asyncio.sleep(0.1)
        stats = bot.services.feedback.stats()
        assert (stats.questions, stats.unhelpful) == (1, 1)
        assert [v.question for v in bot.services.feedback.recent_feedback()] == [
            "spørgsmål fra for 170 dage siden"]
        welcome = await bot.ask(PARTNER, "/start")
        assert "højst 180 dage" in welcome["text"]
        [daily] = bot.application.job_queue.get_jobs_by_name("retention")
        assert timedelta(hours=23) < daily.next_t - now < timedelta(hours=25)


async def test_debug_logs_show_neither_the_token_nor_raw_updates(
        bot_settings: Settings, embedder: Embedder, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # as `indgang -vv` or a deployment's own DEBUG config
    async with running_bot(bot_settings, embedder) as bot:
        reply = await bot.ask(PARTNER, "min cpr er 010203-1234, hvornår er fristen for paragraf 18")
        assert "1. marts" in reply["text"]
    logs = caplog.text
    assert "question: min cpr er [CPR]" in logs  # DEBUG was on; our own line is scrubbed
    assert bot.api.token not in logs and bot.api.token.split(":")[1] not in logs
    assert "update_id" not in logs and "010203" not in logs
    assert not [r for r in caplog.records if r.name.startswith(("telegram", "httpx", "httpcore"))
                and r.levelno < logging.WARNING]


async def test_a_library_logger_named_in_the_settings_may_log_at_debug(
        bot_settings: Settings, embedder: Embedder, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    settings = bot_settings.model_copy(update={"log_debug": frozenset({"telegram.ext"})})
    async with running_bot(settings, embedder) as bot:
        await bot.ask(PARTNER, "hvornår er fristen for paragraf 18")
    assert any(r.name.startswith("telegram.ext") and r.levelno == logging.DEBUG
               for r in caplog.records)
    # httpx, not asked for, stayed quiet (telegram.ext itself, asked for, logs the token:
    # that is why it has to be named).
    assert not [r for r in caplog.records if r.name.startswith("httpx")]
    logging.getLogger("telegram.ext").setLevel(logging.NOTSET)
