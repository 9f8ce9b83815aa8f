"""Serve users fairly: nobody's questions wait behind another user's pile.

Answers run in a thread pool, at most `threads` at once. Questions waiting for a thread
are served by their place in their own user's line first and arrival second: every
user's first waiting question goes before anyone's second, every second before anyone's
third, and so on (round-robin between users). So twenty users who each send eight long
questions hold up a newcomer by at most one question each, not by 160.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(order=True)
class _Ticket:
    """One question waiting: ordered by its place in its user's line, then by arrival."""

    place: int
    arrival: int
    user_id: int = field(compare=False)
    work: Callable[[], Any] = field(compare=False)
    result: asyncio.Future[Any] = field(compare=False)


class FairScheduler:
    """Runs work for users in a thread pool, round-robin between users."""

    def __init__(self, threads: int = 16) -> None:
        self.threads = max(1, threads)
        self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="answer")
        self._waiting: list[_Ticket] = []
        self._running = 0
        self._load: Counter[int] = Counter()  # each user's questions waiting or running
        self._arrivals = itertools.count()

    @property
    def waiting(self) -> int:
        """Return how many questions wait for a thread."""
        return len(self._waiting)

    async def run(self, user_id: int, work: Callable[[], T]) -> T:
        """Run work() in a thread when it is this user's turn; return its result."""
        loop = asyncio.get_running_loop()
        ticket = _Ticket(self._load[user_id], next(self._arrivals), user_id, work,
                         loop.create_future())
        self._load[user_id] += 1
        heapq.heappush(self._waiting, ticket)
        self._start_next(loop)
        return await ticket.result  # type: ignore[no-any-return]

    def shutdown(self) -> None:
        """Stop the threads once the running work is done."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _start_next(self, loop: asyncio.AbstractEventLoop) -> None:
        """Hand waiting tickets to free threads, the fairest first."""
        while self._running < self.threads and self._waiting:
            ticket = heapq.heappop(self._waiting)
            if ticket.result.cancelled():  # the asker's handler was cancelled (shutdown)
                self._release(ticket.user_id)
                continue
            self._running += 1
            future = self._pool.submit(ticket.work)
            future.add_done_callback(lambda done, ticket=ticket: self._done(loop, ticket, done))

    def _done(self, loop: asyncio.AbstractEventLoop, ticket: _Ticket, done: Future[Any]) -> None:
        """Hand a finished ticket back to the event loop (called in the worker thread)."""
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is waiting
            loop.call_soon_threadsafe(self._finish, ticket, done)

    def _finish(self, ticket: _Ticket, done: Future[Any]) -> None:
        """Pass the result on and give the thread to the next ticket (on the event loop)."""
        self._running -= 1
        self._release(ticket.user_id)
        if ticket.result.cancelled():
            pass
        elif done.cancelled():
            ticket.result.cancel()
        elif (error := done.exception()) is not None:
            ticket.result.set_exception(error)
        else:
            ticket.result.set_result(done.result())
        self._start_next(asyncio.get_running_loop())

    def _release(self, user_id: int) -> None:
        self._load[user_id] -= 1
        if self._load[user_id] <= 0:
            del self._load[user_id]
