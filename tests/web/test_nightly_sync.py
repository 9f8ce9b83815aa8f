"""The bot syncs its sources every night and tells admins only what failed or was published."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

from bot.nightly import JOB_NAME, local_timezone
from knowledge.index.embeddings import Embedder
from knowledge.settings import Settings
from tests.bot.conftest import ADMIN, PARTNER, RunningBot, running_bot
from tests.sample_files import write_markdown
from tests.web.site_server import SiteServer


async def _synced(bot: RunningBot, generation: int, timeout_s: float = 180.0) -> None:
    """Wait until the index reaches a generation and the sync has reported."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        manifest = bot.services.store.current_manifest()
        if manifest and manifest.generation >= generation and not bot.services.reindexer.running:
            return
        assert asyncio.get_running_loop().time() < deadline, "the nightly sync never ran"
        await asyncio.sleep(0.2)


async def test_nightly_sync_runs_at_the_set_time_and_reports_failures(
    site: SiteServer, web_settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    soon = (datetime.now(local_timezone()) + timedelta(seconds=8)).time().replace(microsecond=0)
    notes = tmp_path / "noter"
    notes.mkdir()
    note = "# Nøgleboks\n\nKoden til nøgleboksen er 4711.\n"
    write_markdown(notes / "noegleboks.md", note, audience="internal")
    settings = web_settings.model_copy(update={
        "source_urls": [site.url("/tilskud/")], "crawl_depth": 1, "sync_at": soon,
        "source_dirs": [notes]})
    async with running_bot(settings, embedder) as bot:
        [job] = bot.application.job_queue.get_jobs_by_name(JOB_NAME)
        assert job.next_t is not None
        assert job.next_t.astimezone(local_timezone()).time() == soon  # local time, today
        assert bot.services.store.current_manifest() is None
        await _synced(bot, generation=1)
        await bot.api.wait_for_messages(1, chat_id=ADMIN, timeout=30)
        [report] = bot.api.sent_messages(ADMIN)
        assert "Nattens genindlæsning: 1 kunne ikke hentes" in report["text"]
        assert site.url("/tilskud/ekstern-pulje") in report["text"]
        assert "7 nye" in report["text"] and "offentlige" not in report["text"]
        answer = await bot.ask(PARTNER, "hvornår er fristen for at søge § 18-puljen")
        assert "1. marts kl. 12.00" in answer["text"]  # the bot answers from the website

        # The next night nothing fails (the page is gone, which is no failure): no message.
        del site.resources["/tilskud/ekstern-pulje"]
        site.change("/tilskud/aktivitetstilskud", "150 kr.", "175 kr.")
        await job.run(bot.application)
        await _synced(bot, generation=2)
        await asyncio.sleep(1.0)
        assert len(bot.api.sent_messages(ADMIN)) == 1
        assert not [m for m in bot.api.sent_messages(PARTNER) if "Nattens" in m["text"]]

        # A staff note whose front matter was deleted is public now: admins are told.
        write_markdown(notes / "noegleboks.md", note)
        await job.run(bot.application)
        await _synced(bot, generation=3)
        await bot.api.wait_for_messages(2, chat_id=ADMIN, timeout=30)
        published = bot.api.sent_messages(ADMIN)[-1]["text"]
        assert "1 dokument(er) var kun for medarbejdere og er nu offentlige" in published
        assert "noegleboks.md" in published and "1 ændrede" in published


def test_the_nightly_sync_is_at_three_by_default() -> None:
    assert Settings().sync_at is not None and Settings().sync_at.isoformat() == "03:00:00"
    assert Settings(sync_at="off").sync_at is None  # type: ignore[arg-type]
