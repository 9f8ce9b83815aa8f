"""Prove the fake Bot API server works, alone and driven by python-telegram-bot's Application."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.telegram_api import FakeBotApi

USER = 4242


@pytest.fixture
def bot_api() -> Iterator[FakeBotApi]:
    """A fresh fake Bot API server for one test."""
    with FakeBotApi() as server:
        yield server


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the text back."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(update.effective_message.text or "")


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer one button."""
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ja", callback_data="ja")]])
    await update.effective_message.reply_text("Vælg", reply_markup=keyboard)


async def choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Acknowledge the button and replace the menu."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"Valgt: {query.data}")


@contextlib.asynccontextmanager
async def running_bot(
    api: FakeBotApi,
    rate_limiter: AIORateLimiter | None = None,
    errors: list[BaseException] | None = None,
    read_timeout_s: float = 5.0,
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run a real Application, polling the fake server, with echo, /menu and buttons."""
    application = build_application(api, rate_limiter, errors, read_timeout_s)
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()


def build_application(
    api: FakeBotApi,
    rate_limiter: AIORateLimiter | None = None,
    errors: list[BaseException] | None = None,
    read_timeout_s: float = 5.0,
) -> Application:  # type: ignore[type-arg]
    """Build a real Application against the fake server, with echo, /menu and buttons."""
    builder = Application.builder().token(api.token).base_url(api.base_url)
    builder = builder.base_file_url(api.base_file_url).read_timeout(read_timeout_s)
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    application = builder.build()
    application.add_handler(CommandHandler("menu", menu))
    application.add_handler(CallbackQueryHandler(choose))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    if errors is not None:

        async def collect(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
            """Keep the error for the test."""
            assert context.error is not None
            errors.append(context.error)

        application.add_error_handler(collect)
    return application


async def settle(api: FakeBotApi, last_update_id: int) -> None:
    """Wait until the bot confirmed `last_update_id`, then a little, so duplicates would show."""
    deadline = time.monotonic() + 5
    while api.confirmed_offset <= last_update_id and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.3)


# --------------------------------------------------------------- the real Application


async def test_echo_arrives_through_the_real_application(bot_api: FakeBotApi) -> None:
    async with running_bot(bot_api):
        bot_api.push_message(USER, "Hej med dig")
        sent = await bot_api.wait_for_messages(1, chat_id=USER)
    assert sent == [{"chat_id": USER, "text": "Hej med dig"}]
    methods = [call.method for call in bot_api.calls()]
    assert methods[:3] == ["getMe", "deleteWebhook", "getUpdates"]
    assert bot_api.bot_messages(USER)[0]["from"]["is_bot"] is True


async def test_buttons_and_edits_round_trip(bot_api: FakeBotApi) -> None:
    async with running_bot(bot_api):
        bot_api.push_message(USER, "/menu")
        await bot_api.wait_for_messages(1, chat_id=USER)
        offer = bot_api.bot_messages(USER)[0]
        assert offer["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "ja"
        bot_api.push_callback(USER, "ja", offer)
        await bot_api.wait_for_calls("editMessageText")
    assert [c.status for c in bot_api.calls("answerCallbackQuery")] == [200]
    edited = bot_api.bot_messages(USER)[0]
    assert edited["text"] == "Valgt: ja" and "reply_markup" not in edited


async def test_non_text_updates_are_ignored_by_a_text_handler(bot_api: FakeBotApi) -> None:
    photo = [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]
    async with running_bot(bot_api):
        bot_api.push_message(USER, None, extra={"photo": photo})
        bot_api.push_message(USER, "rettet", kind="edited_message")
        bot_api.push_update({"some_future_update": {"x": 1}})
        last = bot_api.push_message(USER, "efter")
        await bot_api.wait_for_messages(2)
        await settle(bot_api, last)
    # MessageHandler also sees edited messages, and filters.TEXT matches them: an edit is
    # answered again unless the bot filters with filters.UpdateType.MESSAGE.
    assert [m["text"] for m in bot_api.sent_messages()] == ["rettet", "efter"]


async def test_rate_limited_send_is_retried_once_by_aioratelimiter(bot_api: FakeBotApi) -> None:
    bot_api.rate_limit_next("sendMessage", times=1, retry_after=1)
    async with running_bot(bot_api, rate_limiter=AIORateLimiter(max_retries=2)):
        last = bot_api.push_message(USER, "igen")
        await bot_api.wait_for_messages(1, chat_id=USER, timeout=5)
        await settle(bot_api, last)
    assert [c.status for c in bot_api.calls("sendMessage")] == [429, 200]
    assert bot_api.sent_messages() == [{"chat_id": USER, "text": "igen"}]


@pytest.mark.parametrize(
    ("inject", "expected"),
    [
        (lambda api: api.rate_limit_next("sendMessage", 1, retry_after=3), RetryAfter),
        (lambda api: api.fail_next("sendMessage", 1, status=500), NetworkError),
        (lambda api: api.fail_next("sendMessage", 1, status=400), TelegramError),
    ],
    ids=["429", "500", "400"],
)
async def test_without_a_rate_limiter_a_failed_send_reaches_the_error_handler(
    bot_api: FakeBotApi, inject: object, expected: type[TelegramError]
) -> None:
    errors: list[BaseException] = []
    inject(bot_api)  # type: ignore[operator]
    async with running_bot(bot_api, errors=errors):
        bot_api.push_message(USER, "tabt")
        last = bot_api.push_message(USER, "næste")
        await bot_api.wait_for_messages(1, timeout=5)
        await settle(bot_api, last)
    assert len(errors) == 1 and isinstance(errors[0], expected)
    assert [m["text"] for m in bot_api.sent_messages()] == ["næste"]  # no retry, no duplicate


async def test_polling_survives_a_500_on_get_updates(bot_api: FakeBotApi) -> None:
    bot_api.fail_next("getUpdates", times=1, status=500)
    async with running_bot(bot_api):
        last = bot_api.push_message(USER, "stadig her")
        await bot_api.wait_for_messages(1, chat_id=USER, timeout=5)
        await settle(bot_api, last)
    assert [c.status for c in bot_api.calls("getUpdates")][0] == 500
    assert [m["text"] for m in bot_api.sent_messages()] == ["stadig her"]


async def test_polling_survives_refused_connections(bot_api: FakeBotApi) -> None:
    async with running_bot(bot_api):
        await bot_api.wait_for_calls("getUpdates", answered=False)  # polling is under way
        await asyncio.to_thread(bot_api.refuse_connections, 1.5)
        last = bot_api.push_message(USER, "efter udfaldet")
        started = time.monotonic()
        await bot_api.wait_for_messages(1, chat_id=USER, timeout=8)
        waited = time.monotonic() - started
        await settle(bot_api, last)
    assert waited >= 1.0  # nothing got through while the port was closed
    assert [m["text"] for m in bot_api.sent_messages()] == ["efter udfaldet"]


async def test_a_send_slower_than_read_timeout_fails_in_the_handler_yet_arrives(
    bot_api: FakeBotApi,
) -> None:
    errors: list[BaseException] = []
    bot_api.delay("sendMessage", 1.0)
    async with running_bot(bot_api, errors=errors, read_timeout_s=0.5):
        last = bot_api.push_message(USER, "langsom")
        await bot_api.wait_for_messages(1, timeout=5)
        await settle(bot_api, last)
    assert [type(e) for e in errors] == [TimedOut]  # so a retry by the bot would duplicate it
    assert [m["text"] for m in bot_api.sent_messages()] == ["langsom"]


async def test_startup_calls_are_not_retried(bot_api: FakeBotApi) -> None:
    bot_api.fail_next("getMe", 1, status=500)
    with pytest.raises(NetworkError):
        async with build_application(bot_api):
            pass
    bot_api.fail_next("deleteWebhook", 1, status=502)
    application = build_application(bot_api)
    async with application:
        await application.start()
        assert application.updater is not None
        with pytest.raises(NetworkError):
            await application.updater.start_polling(bootstrap_retries=0)
        await application.updater.start_polling(poll_interval=0, timeout=1, bootstrap_retries=3)
        await application.updater.stop()
        await application.stop()
    assert [c.status for c in bot_api.calls("deleteWebhook")] == [502, 200]


# --------------------------------------------------------------- the server on its own


async def post(
    api: FakeBotApi, method: str, data: dict[str, object] | None = None, **json: object
) -> httpx.Response:
    """Call one Bot API method: form-encoded `data`, or a JSON body from keyword arguments."""
    async with httpx.AsyncClient(timeout=10) as client:
        url = f"{api.base_url}{api.token}/{method}"
        if json:
            return await client.post(url, json=json)
        return await client.post(url, data=data)  # type: ignore[arg-type]


async def test_long_polling_returns_early_and_honours_offset(bot_api: FakeBotApi) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(post(bot_api, "getUpdates", {"timeout": 5}))
    await asyncio.sleep(0.2)
    first = bot_api.push_message(USER, "en")
    updates = (await poll).json()["result"]
    assert time.monotonic() - started < 2
    assert [u["update_id"] for u in updates] == [first]
    second = bot_api.push_message(USER, "to")
    updates = (await post(bot_api, "getUpdates", {"offset": first + 1})).json()["result"]
    assert [u["update_id"] for u in updates] == [second]
    started = time.monotonic()
    empty = await post(bot_api, "getUpdates", offset=second + 1, timeout=0.3)
    assert empty.json() == {"ok": True, "result": []}
    assert time.monotonic() - started >= 0.3
    assert bot_api.confirmed_offset == second + 1


async def test_form_and_json_bodies_decode_alike(bot_api: FakeBotApi) -> None:
    markup = {"inline_keyboard": [[{"text": "Ja", "callback_data": "1"}]]}
    encoded = json.dumps(markup)
    await post(bot_api, "sendMessage", {"chat_id": "7", "text": "1", "reply_markup": encoded})
    await post(bot_api, "sendMessage", chat_id=7, text="1", reply_markup=markup)
    form, body = bot_api.sent_messages(chat_id=7)
    assert form == body == {"chat_id": 7, "text": "1", "reply_markup": markup}
    commands = [{"command": "start", "description": "Begynd"}]
    await post(bot_api, "setMyCommands", {"commands": json.dumps(commands)})
    got = await post(bot_api, "getMyCommands")
    assert got.json()["result"] == commands


async def test_faulty_answers_have_no_side_effects(bot_api: FakeBotApi) -> None:
    bot_api.fail_next("sendMessage", 1, status=500)
    bot_api.rate_limit_next("sendMessage", 1, retry_after=2)
    failed = await post(bot_api, "sendMessage", {"chat_id": 1, "text": "a"})
    limited = await post(bot_api, "sendMessage", {"chat_id": 1, "text": "a"})
    assert (failed.status_code, bot_api.sent_messages()) == (500, [])
    assert limited.status_code == 429
    assert limited.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 2",
        "parameters": {"retry_after": 2},
    }
    bot_api.delay("sendMessage", 0.3)
    started = time.monotonic()
    delivered = await post(bot_api, "sendMessage", {"chat_id": 1, "text": "a"})
    assert delivered.json()["result"]["message_id"] >= 1
    assert time.monotonic() - started >= 0.3
    assert [c.status for c in bot_api.calls("sendMessage")] == [500, 429, 200]
    assert len(bot_api.sent_messages(chat_id=1)) == 1


async def test_refused_connections_reopen_on_the_same_port(bot_api: FakeBotApi) -> None:
    port = bot_api.port
    bot_api.refuse_connections(0.5)
    assert not bot_api.accepting
    with pytest.raises(httpx.ConnectError):
        await post(bot_api, "getMe")
    await asyncio.sleep(0.7)
    assert bot_api.accepting and bot_api.port == port
    assert (await post(bot_api, "getMe")).json()["result"]["is_bot"] is True


async def test_telegram_refusals_are_mimicked(bot_api: FakeBotApi) -> None:
    html = "<b>Tak</b> &lt;3"
    refused = [
        await post(bot_api, "sendMessage", chat_id=1, text="a<br>b", parse_mode="HTML"),
        await post(bot_api, "sendMessage", chat_id=1, text="Tak.", parse_mode="MarkdownV2"),
        await post(bot_api, "sendMessage", chat_id=1, text="x" * 4097),
        await post(bot_api, "sendMessage", chat_id=1, text=" "),
    ]
    assert [r.status_code for r in refused] == [400] * 4
    assert "reserved" in refused[1].json()["description"]
    good = await post(bot_api, "sendMessage", chat_id=1, text=html, parse_mode="HTML")
    markdown = "Tak\\. `a.b` [se her](https://example.org/a-b.pdf)"
    escaped = await post(bot_api, "sendMessage", chat_id=1, text=markdown, parse_mode="MarkdownV2")
    assert (good.status_code, escaped.status_code) == (200, 200)
    message_id = good.json()["result"]["message_id"]
    same = await post(bot_api, "editMessageText", chat_id=1, message_id=message_id, text=html)
    assert same.status_code == 400 and "not modified" in same.json()["description"]
    async with httpx.AsyncClient() as client:
        wrong_token = await client.post(f"{bot_api.base_url}1:wrong/getMe")
    assert wrong_token.status_code == 401


def test_wait_for_messages_sync_explains_a_timeout(bot_api: FakeBotApi) -> None:
    with pytest.raises(AssertionError, match="expected at least 1 sendMessage call"):
        bot_api.wait_for_messages_sync(1, chat_id=USER, timeout=0.1)
