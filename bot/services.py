"""The core services the handlers use, built once per process and injected."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bot.rate_limit import RateLimiter
from bot.reindex import Reindexer
from bot.user_conversations import UserConversations
from knowledge.access import Roles
from knowledge.answers.answering import Answerer
from knowledge.answers.retrieval import Retriever
from knowledge.feedback.store import FeedbackStore
from knowledge.index.embeddings import Embedder
from knowledge.index.store import Store
from knowledge.settings import Settings


@dataclass
class Services:
    """What a handler may reach: answers, feedback, roles, limits, memory, reindexing."""

    settings: Settings
    store: Store
    answerer: Answerer
    feedback: FeedbackStore
    roles: Roles
    rate_limiter: RateLimiter
    conversations: UserConversations
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
            conversations=UserConversations(settings.conversation_idle_s),
            reindexer=Reindexer(answerer, settings),
            answer_pool=ThreadPoolExecutor(settings.answer_threads, thread_name_prefix="answer"),
        )
