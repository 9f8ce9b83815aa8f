"""The nightly sync: every source again at INDGANG_SYNC_AT; admins hear of failures only."""

from __future__ import annotations

import logging
from datetime import time, tzinfo

from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot import replies
from bot.delivery import send
from bot.services import Services
from ingest.models import SyncSummary

log = logging.getLogger(__name__)

JOB_NAME = "nightly-sync"


def schedule_nightly_sync(application: Application) -> None:  # type: ignore[type-arg]
    """Run the sync every day at INDGANG_SYNC_AT, local time (unless it is off)."""
    services: Services = application.bot_data["services"]
    at = services.settings.sync_at
    if at is None or application.job_queue is None:
        log.info("no nightly sync: INDGANG_SYNC_AT is off")
        return
    at = time(at.hour, at.minute, at.second, tzinfo=local_timezone())
    application.job_queue.run_daily(nightly_sync, time=at, name=JOB_NAME)


def local_timezone() -> tzinfo:
    """Return the machine's time zone, with its summer time (03:00 stays 03:00 all year)."""
    import tzlocal  # APScheduler's own dependency, so part of python-telegram-bot[job-queue]

    return tzlocal.get_localzone()


async def nightly_sync(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sync every source in the background; tell the admins what could not be read, and
    which documents for staff only became public."""
    services: Services = context.bot_data["services"]

    async def report(summary: SyncSummary | None, error: str | None) -> None:
        if summary is not None and not summary.failed and not summary.published:
            log.info("nightly sync: %d new, %d changed, %d removed", summary.new, summary.changed,
                     summary.removed)
            return
        for admin in sorted(services.roles.admins):
            try:
                await send(context.bot, admin, replies.nightly_report(summary, error))
            except TelegramError as failure:  # an admin who never opened the chat, say
                log.warning("could not tell admin %s of the nightly sync: %s", admin, failure)

    if not services.reindexer.start(report, "nightly"):
        log.info("nightly sync: a reindex is already running; its outcome is reported")
