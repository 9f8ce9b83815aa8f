"""/reindex and the nightly sync: one at a time in a background thread, reported when done."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot import replies
from ingest.models import SyncSummary
from ingest.sources import configured_sources
from ingest.sync import RemovalRefusedError, sync_documents
from knowledge.answers.answering import Answerer
from knowledge.errors import IndgangError
from knowledge.settings import Settings

log = logging.getLogger(__name__)

Report = Callable[[SyncSummary | None, str | None], Awaitable[None]]


class Reindexer:
    """Runs the sync off the event loop; answers keep coming from the current index."""

    def __init__(self, answerer: Answerer, settings: Settings) -> None:
        self.answerer = answerer
        self.settings = settings
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        """Return whether a reindex is under way."""
        return self._task is not None and not self._task.done()

    def start(self, report: Report) -> bool:
        """Start a reindex unless one is running; report(summary, error) when done."""
        if self.running:
            return False
        self._task = asyncio.get_running_loop().create_task(self._run(report))
        return True

    async def wait(self) -> None:
        """Wait for the running reindex, if any (used at shutdown and in tests)."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    def _sync(self) -> SyncSummary:
        """Sync (never removing more than half), then build the new keyword indexes."""
        summary = sync_documents(configured_sources(self.settings), self.answerer.retriever.store,
                                 self.answerer.embedder, self.settings)
        self.answerer.warm_up()
        return summary

    async def _run(self, report: Report) -> None:
        try:
            summary = await asyncio.to_thread(self._sync)
        except RemovalRefusedError as error:  # /reindex never empties the index
            await report(None, replies.reindex_refused(error.removal))
        except IndgangError as error:
            await report(None, str(error))
        except Exception as error:
            log.error("reindex failed", exc_info=True)
            await report(None, repr(error))
        else:
            await report(summary, None)
