"""What the bot keeps about people: /glem leaves nothing, old rows go, logs stay clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.bot.conftest import PARTNER, RunningBot

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
