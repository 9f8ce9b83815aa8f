"""Serve users fairly: nobody's questions wait behind another user's pile.

Answers run in `threads` worker threads. Questions waiting for a thread are served by
their place in their own user's line first and arrival second: every user's first
waiting question goes before anyone's second, every second before anyone's third, and
so on (round-robin between users). So twenty users who each send eight long questions
hold up a newcomer by at most one question each, not by 160.

A worker that finishes takes the next question itself, without a round trip through
the event loop, which is busy sending answers just when the queue is long.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import threading
from collections import Counter
from collections.abc import Callable
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
    loop: asyncio.AbstractEventLoop = field(compare=False)


class FairScheduler:
    """Runs work for users in worker threads, round-robin between users."""

    def __init__(self, threads: int = 16) -> None:
        self.threads = max(1, threads)
        self._waiting: list[_Ticket] = []
        self._load: Counter[int] = Counter()  # each user's questions waiting or running
        self._arrivals = itertools.count()
        self._changed = threading.Condition()
        self._closed = False
        self._workers = [threading.Thread(target=self._serve, name=f"answer-{n}", daemon=True)
                         for n in range(self.threads)]
        for worker in self._workers:
            worker.start()

    @property
    def waiting(self) -> int:
        """Return how many questions wait for a thread."""
        with self._changed:
            return len(self._waiting)

    async def run(self, user_id: int, work: Callable[[], T]) -> T:
        """Run work() in a worker thread when it is this user's turn; return its result."""
        loop = asyncio.get_running_loop()
        result: asyncio.Future[T] = loop.create_future()
        with self._changed:
            if self._closed:
                raise RuntimeError("the scheduler is shut down")
            ticket = _Ticket(self._load[user_id], next(self._arrivals), user_id, work, result,
                             loop)
            self._load[user_id] += 1
            heapq.heappush(self._waiting, ticket)
            self._changed.notify()
        return await result

    def shutdown(self) -> None:
        """Let the workers end after their current work; drop what still waits."""
        with self._changed:
            self._closed = True
            dropped, self._waiting = self._waiting, []
            self._changed.notify_all()
        for ticket in dropped:
            _settle(ticket, lambda future: future.cancel())

    def _serve(self) -> None:
        """Take the fairest waiting ticket, run it, hand the result back; repeat."""
        while (ticket := self._next()) is not None:
            try:
                if not ticket.result.cancelled():  # else the asker is gone (shutdown)
                    value = ticket.work()
                    _settle(ticket, lambda future, value=value: future.set_result(value))
            except Exception as error:  # noqa: BLE001 - handed to the asker, who decides
                _settle(ticket, lambda future, error=error: future.set_exception(error))
            finally:
                with self._changed:
                    self._load[ticket.user_id] -= 1
                    if self._load[ticket.user_id] <= 0:
                        del self._load[ticket.user_id]

    def _next(self) -> _Ticket | None:
        """Wait for a ticket and return the fairest; None once shut down."""
        with self._changed:
            while not self._waiting and not self._closed:
                self._changed.wait()
            return None if self._closed else heapq.heappop(self._waiting)


def _settle(ticket: _Ticket, outcome: Callable[[asyncio.Future[Any]], None]) -> None:
    """Set the ticket's future on its event loop, unless the asker is gone."""

    def apply() -> None:
        if not ticket.result.done():
            outcome(ticket.result)

    with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is waiting
        ticket.loop.call_soon_threadsafe(apply)
