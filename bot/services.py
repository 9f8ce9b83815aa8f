"""The core services the handlers use, built once per process and injected."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.fair_queue import FairScheduler
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
    # Answering has its own threads, shared fairly between users: queued answers must
    # not hold up the small database writes and lookups in asyncio's default executor,
    # nor one user's pile of questions everybody else's.
    scheduler: FairScheduler = field(default_factory=FairScheduler)

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
            scheduler=FairScheduler(settings.answer_threads),
        )
