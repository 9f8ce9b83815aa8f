"""The real bot against a Bot-API-compatible server on 127.0.0.1."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application
from bot.services import Services
from ingest.sync import sync_documents
from knowledge.index.embeddings import Embedder
from knowledge.index.store import Store
from knowledge.settings import Settings, default_corpus_dir
from tests.telegram_api import FakeBotApi

ADMIN = 1001
STAFF = 2002
PARTNER = 3003


@dataclass
class RunningBot:
    """A started bot, its services and the server it talks to."""

    api: FakeBotApi
    services: Services
    application: Any

    async def ask(self, user_id: int, text: str, timeout: float = 30.0, **push: Any) -> dict[str, Any]:
        """Send a message and return the bot's next reply in that chat."""
        chat_id = push.get("chat_id") or user_id
        before = len(self.api.sent_messages(chat_id))
        self.api.push_message(user_id, text, **push)
        await self.api.wait_for_messages(before + 1, chat_id=chat_id, timeout=timeout)
        return self.api.sent_messages(chat_id)[before]


@asynccontextmanager
async def running_bot(settings: Settings, embedder: Embedder) -> AsyncIterator[RunningBot]:
    """Start the bot with polling against a fresh fake Bot API; stop both afterwards."""
    with FakeBotApi() as api:
        configured = settings.model_copy(update={
            "telegram_token": api.token, "telegram_api_url": api.base_url,
            "admin_ids": settings.admin_ids | {ADMIN}, "staff_ids": frozenset({STAFF}),
        })
        services = Services.from_settings(configured, embedder)
        application = build_application(services)
        async with application:
            await application.post_init(application)
            await application.start()
            await application.updater.start_polling(poll_interval=0, timeout=1)
            try:
                yield RunningBot(api, services, application)
            finally:
                await services.reindexer.wait()
                await application.updater.stop()
                await application.stop()
                services.scheduler.shutdown()


@pytest.fixture
def bot_settings(corpus_settings: Settings, tmp_path: Path) -> Settings:
    """The shared corpus store, with this test's own database."""
    return corpus_settings.model_copy(update={"data_dir": tmp_path / "data"})


@pytest.fixture
async def bot(bot_settings: Settings, embedder: Embedder) -> AsyncIterator[RunningBot]:
    """A running bot over the default documents."""
    async with running_bot(bot_settings, embedder) as running:
        yield running


@pytest.fixture
def own_corpus(tmp_path: Path, base_settings: Settings, embedder: Embedder) -> Callable[[], Settings]:
    """Return a factory of settings for a store of this test's own copy of the corpus."""

    def make() -> Settings:
        corpus = tmp_path / "corpus"
        shutil.copytree(default_corpus_dir(), corpus)
        settings = base_settings.model_copy(update={
            "data_dir": tmp_path / "data", "store_dir": tmp_path / "store", "source_dirs": [corpus]})
        sync_documents([corpus], Store.from_settings(settings), embedder, settings)
        return settings

    return make
