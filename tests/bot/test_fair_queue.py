"""One user's pile of questions never holds up another user's first question."""

from __future__ import annotations

import asyncio
import threading

from bot.fair_queue import FairScheduler
from knowledge.index.embeddings import Embedder
from knowledge.settings import Settings
from tests.bot.conftest import PARTNER, STAFF, running_bot

QUESTIONS = ["hvornår er fristen for paragraf 18", "skal vi ha revisor på",
             "hvad er udviklingspuljen", "hvem kan få lommepengejob", "hvad er en børneattest"]


async def test_users_are_served_in_turn() -> None:
    scheduler = FairScheduler(threads=1)
    gate = threading.Event()
    order: list[str] = []

    def work(name: str) -> str:
        gate.wait(10)  # the first job holds the only thread until everyone has queued
        order.append(name)
        return name

    asked = [("anne", 1), ("anne", 2), ("anne", 3), ("bo", 1), ("anne", 4), ("carl", 1),
             ("bo", 2)]
    tasks = [asyncio.create_task(scheduler.run(hash(user), lambda n=f"{user}{n}": work(n)))
             for user, n in asked[:1]]
    await asyncio.sleep(0.1)  # Anne's first question holds the only thread
    tasks += [asyncio.create_task(scheduler.run(hash(user), lambda n=f"{user}{n}": work(n)))
              for user, n in asked[1:]]
    await asyncio.sleep(0.1)
    gate.set()
    assert await asyncio.gather(*tasks) == [f"{user}{n}" for user, n in asked]
    assert order == ["anne1", "bo1", "carl1", "anne2", "bo2", "anne3", "anne4"]
    scheduler.shutdown()


async def test_cheap_questions_of_newcomers_go_before_costly_ones() -> None:
    scheduler = FairScheduler(threads=2)  # two cost units in hand at once
    gate = threading.Event()
    order: list[str] = []

    def work(name: str) -> None:
        gate.wait(10)
        order.append(name)

    first = asyncio.create_task(scheduler.run(1, lambda: work("anne1"), cost=2.0))
    await asyncio.sleep(0.1)  # Anne's first long question holds the whole budget
    asked = [("anne2", 1, 2.0), ("anne3", 1, 2.0), ("bo", 2, 2.0), ("carl", 3, 1.0)]
    tasks = [first, *(asyncio.create_task(scheduler.run(user, lambda n=name: work(n), cost=cost))
                      for name, user, cost in asked)]
    await asyncio.sleep(0.1)
    gate.set()
    await asyncio.gather(*tasks)
    # Carl's short question, then Bo's first long one, then the rest of Anne's pile.
    assert order == ["anne1", "carl", "bo", "anne2", "anne3"]
    scheduler.shutdown()


async def test_a_failure_reaches_its_asker_only() -> None:
    scheduler = FairScheduler(threads=2)

    def fail() -> None:
        raise ValueError("broken")

    failed, fine = await asyncio.gather(scheduler.run(1, fail), scheduler.run(2, lambda: 42),
                                        return_exceptions=True)
    assert isinstance(failed, ValueError) and fine == 42
    scheduler.shutdown()


async def test_another_users_question_is_answered_before_the_first_users_later_ones(
        bot_settings: Settings, embedder: Embedder) -> None:
    settings = bot_settings.model_copy(update={"answer_threads": 1})
    async with running_bot(settings, embedder) as bot:
        for question in QUESTIONS:
            bot.api.push_message(PARTNER, question)
        bot.api.push_message(STAFF, "hvornår er fristen for paragraf 18")
        await bot.api.wait_for_messages(len(QUESTIONS), chat_id=PARTNER, timeout=120)
        await bot.api.wait_for_messages(1, chat_id=STAFF, timeout=60)
        answered = [call.params["chat_id"] for call in bot.api.calls("sendMessage")
                    if call.status == 200]
    # The partner's first question was being answered already; the staff member's one
    # question goes next, before the partner's second to fifth.
    assert answered.index(STAFF) <= 1, answered
    assert answered.count(PARTNER) == len(QUESTIONS)
