"""Per-user rate limiting: a token bucket per user, bounded in memory."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

MAX_USERS = 50_000


@dataclass(frozen=True)
class Verdict:
    """Whether a question may be answered; if not, how long to wait, and whether to say so.

    A user is told once per run of refused questions: a flood gets one reply, not one per
    message (Telegram limits what a bot may send to one chat, too).
    """

    allowed: bool
    wait_s: float = 0.0
    say_so: bool = False


class RateLimiter:
    """Allows `per_minute` questions a minute per user, with bursts up to that number."""

    def __init__(self, per_minute: int, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self.capacity = float(max(1, per_minute))
        self.refill_per_s = self.capacity / 60.0
        self._clock = clock
        # user -> (tokens, when last checked, told since the last allowed question)
        self._buckets: OrderedDict[int, tuple[float, float, bool]] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, user_id: int) -> Verdict:
        """Take one token if there is one."""
        now = self._clock()
        with self._lock:
            tokens, last, told = self._buckets.pop(user_id, (self.capacity, now, False))
            tokens = min(self.capacity, tokens + (now - last) * self.refill_per_s)
            allowed = tokens >= 1.0
            self._buckets[user_id] = (tokens - 1.0 if allowed else tokens, now, not allowed)
            while len(self._buckets) > MAX_USERS:
                self._buckets.popitem(last=False)
            if allowed:
                return Verdict(True)
            return Verdict(False, (1.0 - tokens) / self.refill_per_s, say_so=not told)
