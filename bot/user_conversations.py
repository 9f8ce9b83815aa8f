"""Each user's recent conversation in each chat, bounded in number and forgotten when idle.

A conversation belongs to a user in one chat: a topic asked about in a private chat does
not steer follow-ups in a group, where others read and another audience applies.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from knowledge.answers.follow_up import Conversation

MAX_CONVERSATIONS = 10_000


class UserConversations:
    """Conversations by chat and user id; the least recently used go first when full."""

    def __init__(self, idle_s: float, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self.idle_s = idle_s
        self._clock = clock
        self._items: OrderedDict[tuple[int, int], tuple[Conversation, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, chat_id: int, user_id: int) -> Conversation:
        """Return the user's conversation in the chat, a new one if none or idle too long."""
        now = self._clock()
        key = (chat_id, user_id)
        with self._lock:
            conversation, last = self._items.pop(key, (None, now))
            if conversation is None or now - last > self.idle_s:
                conversation = Conversation()
            self._items[key] = (conversation, now)
            while len(self._items) > MAX_CONVERSATIONS:
                self._items.popitem(last=False)
            return conversation

    def forget(self, user_id: int) -> None:
        """Drop the user's conversations in every chat."""
        with self._lock:
            for key in [key for key in self._items if key[1] == user_id]:
                del self._items[key]

    def __len__(self) -> int:
        return len(self._items)
