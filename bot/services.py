"""The core services the handlers use, built once per process and injected."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bot.conversations import Conversations
from bot.rate_limit import RateLimiter
from bot.reindex import Reindexer
from bot.roles import Roles
from knowledge.answering import Answerer
from knowledge.embeddings import Embedder
from knowledge.feedback import FeedbackStore
from knowledge.retrieval import Retriever
from knowledge.settings import Settings
from knowledge.store import Store


@dataclass
class Services:
    """What a handler may reach: answers, feedback, roles, limits, memory, reindexing."""

    settings: Settings
    store: Store
    answerer: Answerer
    feedback: FeedbackStore
    roles: Roles
    rate_limiter: RateLimiter
    conversations: Conversations
    reindexer: Reindexer
    # Answering has its own threads: queued answers must not hold up the small database
    # writes and lookups that share asyncio's default executor.
    answer_pool: ThreadPoolExecutor = field(default_factory=ThreadPoolExecutor)

    @classmethod
    def from_settings(cls, settings: Settings, embedder: Embedder | None = None) -> Services:
        """Build every service from one Settings (an already loaded model may be passed)."""
        store = Store.from_settings(settings)
        embedder = embedder or Embedder(settings)
        answerer = Answerer(Retriever(store, embedder), embedder, settings)
        return cls(
            settings=settings,
            store=store,
            answerer=answerer,
            feedback=FeedbackStore.from_settings(settings),
            roles=Roles.from_settings(settings),
            rate_limiter=RateLimiter(settings.questions_per_minute),
            conversations=Conversations(settings.conversation_idle_s),
            reindexer=Reindexer(answerer, settings),
            answer_pool=ThreadPoolExecutor(settings.answer_threads, thread_name_prefix="answer"),
        )
