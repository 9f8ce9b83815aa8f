"""Serve users fairly: nobody's questions wait behind another user's pile.

Answers run in `threads` worker threads. A waiting question's place is the work its
user has queued up to and including it, then its arrival: with questions of equal cost,
every user's first waiting question goes before anyone's second, every second before
anyone's third (round-robin between users); a costly question counts as several cheap
ones, so a newcomer's short question also goes before another user's first long one.
The work in hand at once is bounded too (`threads` cost units), so a batch of long
questions cannot hold the model for long while others wait.

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
_EPSILON = 1e-9  # costs are summed as floats


@dataclass(order=True)
class _Ticket:
    """One question waiting: ordered by its user's work up to it, then by arrival."""

    place: float
    arrival: int
    cost: float = field(compare=False)
    user_id: int = field(compare=False)
    work: Callable[[], Any] = field(compare=False)
    result: asyncio.Future[Any] = field(compare=False)
    loop: asyncio.AbstractEventLoop = field(compare=False)


class FairScheduler:
    """Runs work for users in worker threads, fairly between users."""

    def __init__(self, threads: int = 16) -> None:
        self.threads = max(1, threads)
        self.budget = float(self.threads)  # cost units in hand at once
        self._waiting: list[_Ticket] = []
        self._load: Counter[int] = Counter()  # each user's cost waiting or running
        self._in_hand = 0.0
        self._arrivals = itertools.count()
        self._changed = threading.Condition()
        self._closed = False
        for n in range(self.threads):
            threading.Thread(target=self._serve, name=f"answer-{n}", daemon=True).start()

    async def run(self, user_id: int, work: Callable[[], T], cost: float = 1.0) -> T:
        """Run work() in a worker thread when it is this user's turn; return its result.

        Args:
            user_id: whose turn it must be.
            work: called in a worker thread.
            cost: the work's size in units of an ordinary question (at least 1).
        """
        loop = asyncio.get_running_loop()
        result: asyncio.Future[T] = loop.create_future()
        cost = max(1.0, cost)
        with self._changed:
            if self._closed:
                raise RuntimeError("the scheduler is shut down")
            self._load[user_id] += cost
            heapq.heappush(self._waiting, _Ticket(self._load[user_id], next(self._arrivals),
                                                  cost, user_id, work, result, loop))
            self._changed.notify_all()
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
                self._done(ticket)

    def _next(self) -> _Ticket | None:
        """Wait until the fairest ticket fits the budget and return it; None once shut down."""
        with self._changed:
            while not self._closed and not self._fits():
                self._changed.wait()
            if self._closed:
                return None
            ticket = heapq.heappop(self._waiting)
            self._in_hand += ticket.cost
            return ticket

    def _fits(self) -> bool:
        """Return whether the fairest ticket may start (alone, it always may)."""
        return bool(self._waiting) and (
            self._in_hand < _EPSILON or self._in_hand + self._waiting[0].cost <= self.budget)

    def _done(self, ticket: _Ticket) -> None:
        with self._changed:
            self._in_hand -= ticket.cost
            self._load[ticket.user_id] -= ticket.cost
            if self._load[ticket.user_id] < _EPSILON:
                del self._load[ticket.user_id]
            self._changed.notify_all()


def _settle(ticket: _Ticket, outcome: Callable[[asyncio.Future[Any]], None]) -> None:
    """Set the ticket's future on its event loop, unless the asker is gone."""

    def apply() -> None:
        if not ticket.result.done():
            outcome(ticket.result)

    with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is waiting
        ticket.loop.call_soon_threadsafe(apply)
