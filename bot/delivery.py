"""Send to Telegram so that every answer arrives exactly once, through faults.

Every message the bot sends goes through `send`: split into parts that fit (see
bot.splitting), each part delivered once.

Connection errors and server errors mean the message did not arrive: retry with
backoff. RetryAfter (429) means wait as told. A timeout may mean it did arrive, so it
is never retried, and a bad request will not get better by repeating it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import Bot, InlineKeyboardMarkup, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.splitting import split_message

log = logging.getLogger(__name__)
T = TypeVar("T")

ATTEMPTS = 8
FIRST_BACKOFF_S = 0.5
MAX_BACKOFF_S = 8.0


async def deliver(send: Callable[[], Awaitable[T]], attempts: int = ATTEMPTS) -> T:
    """Call send() until it succeeds, retrying only where that cannot duplicate."""
    backoff = FIRST_BACKOFF_S
    for attempt in range(1, attempts + 1):
        try:
            return await send()
        except RetryAfter as error:
            if attempt == attempts:
                raise
            await asyncio.sleep(_seconds(error.retry_after) + 0.1)
        except (TimedOut, BadRequest):
            raise
        except NetworkError as error:
            if attempt == attempts:
                raise
            log.warning("send failed (%s), retrying in %.1f s", error, backoff)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_S)
    raise AssertionError("unreachable")


async def send(bot: Bot, chat_id: int, html: str, markup: InlineKeyboardMarkup | None = None,
               reply_to: int | None = None) -> None:
    """Send HTML to a chat in parts that fit, each exactly once; buttons go on the last.

    With reply_to, every part replies to that message, so the buttons' message carries
    the question it answers (the feedback handler reads it from there).
    """
    parts = split_message(html)
    replying = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
    for number, part in enumerate(parts, start=1):
        buttons = markup if number == len(parts) else None
        await deliver(lambda part=part, buttons=buttons: bot.send_message(  # type: ignore[misc]
            chat_id, part, parse_mode=ParseMode.HTML, reply_markup=buttons,
            disable_web_page_preview=True, reply_parameters=replying))


def _seconds(value: float | dt.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)
