"""All wiring in one place: the Application, its handlers, polling or webhook."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlparse

import httpx
from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot import handlers, replies
from bot.nightly import schedule_nightly_sync
from bot.services import Services
from bot.updates_request import UpdateCheckingRequest
from knowledge.errors import IndgangError

log = logging.getLogger(__name__)

# Loggers that print the token (request URLs) or raw updates (what people wrote) below
# WARNING: kept at WARNING unless named in INDGANG_LOG_DEBUG.
LIBRARY_LOGGERS = ("telegram", "httpx", "httpcore", "apscheduler")
SEND_TIMEOUT_S = 20.0
PRUNE_EVERY = timedelta(days=1)
POLL_TIMEOUT_S = 10


def build_application(services: Services) -> Application:  # type: ignore[type-arg]
    """Return the bot with every handler registered; updates are handled concurrently."""
    settings = services.settings
    quiet_library_loggers(settings.log_debug)
    if not settings.telegram_token:
        raise IndgangError(
            "INDGANG_TELEGRAM_TOKEN er ikke sat: hent et token hos @BotFather, eller brug "
            "`indgang chat` for at prøve Indgang i terminalen. (No Telegram token set.)"
        )
    application = (
        Application.builder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_api_url)
        .request(HTTPXRequest(connection_pool_size=64, read_timeout=SEND_TIMEOUT_S,
                              write_timeout=SEND_TIMEOUT_S, connect_timeout=5.0, pool_timeout=10.0))
        .get_updates_request(UpdateCheckingRequest(read_timeout=POLL_TIMEOUT_S + 5.0))
        # No preemptive overall throttle: 30 sends/s would make the 100th of 100 users
        # wait over 3 s. Telegram answers 429 with retry_after when a bot is too fast, and
        # the limiter (max_retries) and bot.delivery wait as told. Groups keep their limit.
        .rate_limiter(AIORateLimiter(overall_max_rate=0, max_retries=3))
        .concurrent_updates(True)
        .post_init(_start_up)
        .post_shutdown(_shut_down)
        .build()
    )
    application.bot_data["services"] = services
    add_handlers(application)
    schedule_jobs(application)
    return application


def quiet_library_loggers(asked: Iterable[str] = ()) -> None:
    """Keep the libraries' loggers at WARNING, whatever the root level, unless asked for."""
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in asked:
        logging.getLogger(name).setLevel(logging.DEBUG)


def add_handlers(application: Application) -> None:  # type: ignore[type-arg]
    """Register one handler per concern."""
    for name, callback in [("start", handlers.start), ("hjaelp", handlers.hjaelp),
                           ("help", handlers.hjaelp), ("kontakt", handlers.kontakt),
                           ("kilder", handlers.kilder), ("glem", handlers.glem),
                           ("reindex", handlers.reindex), ("status", handlers.status)]:
        application.add_handler(CommandHandler(name, callback, filters=filters.UpdateType.MESSAGE))
    new_messages = filters.UpdateType.MESSAGE
    # A photo or file with a caption is asked by its caption.
    written = filters.TEXT | filters.CAPTION
    commands = filters.COMMAND | filters.CaptionRegex(r"^/")  # a caption "/glem" is no question
    application.add_handler(MessageHandler(new_messages & written & ~commands,
                                           handlers.question))
    application.add_handler(MessageHandler(new_messages & filters.COMMAND & filters.ChatType.PRIVATE,
                                           handlers.unknown_command))
    application.add_handler(MessageHandler(
        new_messages & filters.ChatType.PRIVATE & ~written & ~filters.StatusUpdate.ALL,
        handlers.not_text))
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_error_handler(handlers.on_error)


def schedule_jobs(application: Application) -> None:  # type: ignore[type-arg]
    """Prune old questions and votes at start-up and daily; sync the sources every night."""
    if application.job_queue is None:
        raise IndgangError("python-telegram-bot mangler sin job queue: installér "
                           "python-telegram-bot[job-queue]. (The job queue is missing.)")
    # Jobs are added before the scheduler starts (after the model has loaded), and
    # APScheduler then skips a repeating job's missed first run; a one-off run with no
    # grace limit does run late, so start-up pruning is its own job.
    queue = application.job_queue
    queue.run_once(handlers.prune_old_questions, when=0, name="retention at start-up",
                   job_kwargs={"misfire_grace_time": None})
    queue.run_repeating(handlers.prune_old_questions, interval=PRUNE_EVERY, first=PRUNE_EVERY,
                        name="retention", job_kwargs={"misfire_grace_time": None})
    schedule_nightly_sync(application)


async def _start_up(application: Application) -> None:  # type: ignore[type-arg]
    """Load the model and indexes before the first update, then register the commands."""
    services: Services = application.bot_data["services"]
    await asyncio.to_thread(services.answerer.warm_up)
    await _register_commands(application, services)
    log.info("bot ready: model and indexes loaded, commands registered")


async def _register_commands(application: Application, services: Services) -> None:  # type: ignore[type-arg]
    """Register the commands with Danish descriptions; admins also see theirs."""
    try:
        await application.bot.set_my_commands([BotCommand(*c) for c in replies.COMMANDS])
        for admin in services.roles.admins:
            await application.bot.set_my_commands(
                [BotCommand(*c) for c in replies.COMMANDS + replies.ADMIN_COMMANDS],
                scope=BotCommandScopeChat(admin))
    except TelegramError as error:  # an admin who never opened the chat, say
        log.warning("could not register all commands: %s", error)


async def _shut_down(application: Application) -> None:  # type: ignore[type-arg]
    """Let the answer threads end."""
    application.bot_data["services"].scheduler.shutdown()


def check_api(api_url: str, token: str, attempts: int = 3) -> None:
    """Call getMe once before starting, so a bad token or a dead API is one clear message.

    python-telegram-bot would log a traceback per failed attempt before giving up.
    """
    host = api_url.split("/bot")[0]
    for attempt in range(1, attempts + 1):
        try:
            response = httpx.post(f"{api_url}{token}/getMe", timeout=10.0)
            break
        except httpx.HTTPError as error:
            if attempt == attempts:
                raise IndgangError(
                    f"Telegrams Bot API på {host} kan ikke nås ({type(error).__name__}). "
                    "Tjek netværket og INDGANG_TELEGRAM_API_URL. (The Bot API cannot be "
                    "reached.)") from None
            time.sleep(attempt)
    if response.status_code in (401, 404):
        raise IndgangError("Telegram afviste tokenet i INDGANG_TELEGRAM_TOKEN. "
                           "(Telegram rejected the bot token.)")


def run(services: Services, webhook_url: str | None = None, listen: str = "127.0.0.1",
        port: int = 8443) -> None:
    """Run the bot until interrupted, by long polling or behind a webhook."""
    application = build_application(services)
    api = services.settings.telegram_api_url
    check_api(api, services.settings.telegram_token or "")
    try:
        if webhook_url:
            # Telegram sends the secret with every update; requests without it are refused.
            application.run_webhook(listen=listen, port=port, webhook_url=webhook_url,
                                    url_path=urlparse(webhook_url).path.lstrip("/"),
                                    secret_token=secrets.token_urlsafe(32),
                                    allowed_updates=Update.ALL_TYPES, bootstrap_retries=3)
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES, timeout=POLL_TIMEOUT_S,
                                    bootstrap_retries=3)
    except InvalidToken as error:
        raise IndgangError("Telegram afviste tokenet i INDGANG_TELEGRAM_TOKEN. "
                           "(Telegram rejected the bot token.)") from error
    except NetworkError as error:
        raise IndgangError(f"Telegrams Bot API på {api.split('/bot')[0]} kan ikke nås: {error}. "
                           "Tjek netværket og INDGANG_TELEGRAM_API_URL. (The Bot API cannot be "
                           "reached.)") from error
