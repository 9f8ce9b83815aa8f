"""Each user's recent conversation, bounded in number of users and forgotten when idle."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from knowledge.answers.follow_up import Conversation

MAX_USERS = 10_000


class UserConversations:
    """Conversations by user id; the least recently used go first when full."""

    def __init__(self, idle_s: float, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self.idle_s = idle_s
        self._clock = clock
        self._items: OrderedDict[int, tuple[Conversation, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, user_id: int) -> Conversation:
        """Return the user's conversation, a new one if none or it has been idle too long."""
        now = self._clock()
        with self._lock:
            conversation, last = self._items.pop(user_id, (None, now))
            if conversation is None or now - last > self.idle_s:
                conversation = Conversation()
            self._items[user_id] = (conversation, now)
            while len(self._items) > MAX_USERS:
                self._items.popitem(last=False)
            return conversation

    def forget(self, user_id: int) -> None:
        """Drop the user's conversation."""
        with self._lock:
            self._items.pop(user_id, None)

    def __len__(self) -> int:
        return len(self._items)
