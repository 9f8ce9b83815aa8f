"""Per-user rate limiting: a token bucket per user, bounded in memory."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

MAX_USERS = 50_000


class RateLimiter:
    """Allows `per_minute` questions a minute per user, with bursts up to that number."""

    def __init__(self, per_minute: int, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self.capacity = float(max(1, per_minute))
        self.refill_per_s = self.capacity / 60.0
        self._clock = clock
        self._buckets: OrderedDict[int, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, user_id: int) -> float:
        """Take one token; return 0 if allowed, else the seconds to wait."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(user_id, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.refill_per_s)
            allowed = tokens >= 1.0
            self._buckets[user_id] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > MAX_USERS:
                self._buckets.popitem(last=False)
            return 0.0 if allowed else (1.0 - tokens) / self.refill_per_s
