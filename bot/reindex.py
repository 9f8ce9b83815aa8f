"""/reindex and the nightly sync: one at a time in a background thread, reported when done."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable

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
        self._tasks: set[asyncio.Task[None]] = set()
        # Who is told the outcome of the reindex under way; None when none is.
        self._reports: dict[Hashable, Report] | None = None

    @property
    def running(self) -> bool:
        """Return whether a reindex is under way (one that is reporting has ended)."""
        return self._reports is not None

    def start(self, report: Report, listener: Hashable) -> bool:
        """Start a reindex, or join the running one; report(summary, error) when done.

        Args:
            report: called once with the outcome.
            listener: who is told (a chat, the nightly job): asking twice reports once.

        Returns:
            Whether a new reindex began (False: report waits for the one running).
        """
        if self._reports is not None:
            self._reports[listener] = report
            return False
        self._reports = {listener: report}
        task = asyncio.get_running_loop().create_task(self._run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def wait(self) -> None:
        """Wait for the running reindex and its reports, if any (at shutdown and in tests)."""
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _sync(self) -> SyncSummary:
        """Sync (never removing more than half), then build the new keyword indexes."""
        summary = sync_documents(configured_sources(self.settings), self.answerer.retriever.store,
                                 self.answerer.embedder, self.settings)
        self.answerer.warm_up()
        return summary

    async def _run(self) -> None:
        summary, error = None, None
        try:
            summary = await asyncio.to_thread(self._sync)
        except RemovalRefusedError as refused:  # /reindex never empties the index
            error = replies.reindex_refused(refused.removal)
        except IndgangError as failure:
            error = str(failure)
        except Exception as failure:
            log.error("reindex failed", exc_info=True)
            error = repr(failure)
        # Whoever asks from now on starts a new reindex: this one may have missed their change.
        reports, self._reports = self._reports or {}, None
        for report in reports.values():
            try:
                await report(summary, error)
            except Exception:  # one chat that cannot be told must not keep the rest from it
                log.warning("could not report the reindex", exc_info=True)
