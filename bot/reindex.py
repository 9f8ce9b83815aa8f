"""/reindex: one sync at a time in a background thread, reported to the admin when done."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from knowledge.embeddings import Embedder
from knowledge.errors import IndgangError
from knowledge.models import SyncSummary
from knowledge.settings import Settings
from knowledge.store import Store
from knowledge.sync import sync_documents

log = logging.getLogger(__name__)

Report = Callable[[SyncSummary | None, str | None], Awaitable[None]]


class Reindexer:
    """Runs the sync off the event loop; answers keep coming from the current index."""

    def __init__(self, store: Store, embedder: Embedder, settings: Settings) -> None:
        self.store = store
        self.embedder = embedder
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

    async def _run(self, report: Report) -> None:
        try:
            summary = await asyncio.to_thread(
                sync_documents, self.settings.source_dirs, self.store, self.embedder, self.settings
            )
        except IndgangError as error:
            await report(None, str(error))
        except Exception as error:
            log.error("reindex failed", exc_info=True)
            await report(None, repr(error))
        else:
            await report(summary, None)
