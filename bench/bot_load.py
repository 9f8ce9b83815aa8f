"""The bot under load: time from sending a question to the bot's answer (p50/p95).

Two scenarios, one bot:
1. `--users` (100) users send an ordinary question at once.
2. `--flooders` (20) users each send as many long questions as the per-user limit allows
   (8, of `--long-chars` characters), all at once; meanwhile `--probes` (20) other users ask
   an ordinary question each, one every 0.25 s. What counts is the probes' wait: one
   user's pile must not make everyone else wait.

Run: .venv/bin/python bench/bot_load.py [--users 100] [--flooders 20] [--long-chars 1000]
The real bot polls a Bot-API-compatible server on 127.0.0.1 (tests/telegram_api.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_application  # noqa: E402
from bot.services import Services  # noqa: E402
from ingest.sync import sync_documents  # noqa: E402
from knowledge.index.embeddings import Embedder  # noqa: E402
from knowledge.index.store import Store  # noqa: E402
from knowledge.settings import Settings, default_corpus_dir  # noqa: E402
from tests.telegram_api import FakeBotApi  # noqa: E402

QUESTIONS = Path(__file__).resolve().parent / "questions.jsonl"
PROBE_EVERY_S = 0.25


def ordinary_questions() -> list[str]:
    """Return the evaluation set's questions, as partners write them."""
    return [json.loads(line)["q"] for line in QUESTIONS.read_text("utf-8").splitlines()]


def long_question(n: int, chars: int) -> str:
    """Return a long question: several real ones run together, cut to `chars`."""
    questions = ordinary_questions()
    text = ""
    while len(text) < chars:
        text += questions[n % len(questions)] + ". "
        n += 7
    return text[:chars].rstrip()


def answered_at(api: FakeBotApi) -> dict[int, float]:
    """Return when each chat got its first answer."""
    first: dict[int, float] = {}
    for call in api.calls("sendMessage"):
        if call.status == 200:
            first.setdefault(call.params["chat_id"], call.received_at)
    return first


async def at_once(api: FakeBotApi, users: range) -> list[float]:
    """Every user sends one question at the same moment; return their waits."""
    questions = ordinary_questions()
    sent_at = {}
    for user in users:
        sent_at[user] = time.monotonic()
        api.push_message(user, questions[user % len(questions)])
    await api.wait_for_messages(len(users), timeout=600)
    received = answered_at(api)
    return [received[user] - sent_at[user] for user in users]


async def flooded(api: FakeBotApi, flooders: range, probes: range, per_user: int,
                  chars: int) -> tuple[list[float], float]:
    """Flooders send long questions; return the probes' waits and when the flood drained."""
    questions = ordinary_questions()
    before = len(api.sent_messages())
    start = time.monotonic()
    for round_ in range(per_user):
        for user in flooders:
            api.push_message(user, long_question(user * per_user + round_, chars))
    sent_at = {}
    await asyncio.sleep(0.5)
    for user in probes:
        sent_at[user] = time.monotonic()
        api.push_message(user, questions[user % len(questions)])
        await asyncio.sleep(PROBE_EVERY_S)
    await api.wait_for_messages(before + len(flooders) * per_user + len(probes), timeout=900)
    received = answered_at(api)
    drained = max(c.received_at for c in api.calls("sendMessage")) - start
    return [received[user] - sent_at[user] for user in probes], drained


async def run(args: argparse.Namespace, data_dir: Path) -> dict[str, Any]:
    """Start the bot over the default documents and run both scenarios."""
    base = Settings()
    store_dir = base.cache_dir / "bench" / "store-corpus"
    embedder = Embedder(base)
    settings = base.model_copy(update={"store_dir": store_dir, "data_dir": data_dir})
    sync_documents([default_corpus_dir()], Store.from_settings(settings), embedder, settings)
    with FakeBotApi() as api:
        settings = settings.model_copy(update={
            "telegram_token": api.token, "telegram_api_url": api.base_url})
        services = Services.from_settings(settings, embedder)
        application = build_application(services)
        async with application:
            await application.post_init(application)
            await application.start()
            await application.updater.start_polling(poll_interval=0, timeout=1)
            result: dict[str, Any] = {"at_once": await at_once(api, range(1, args.users + 1))}
            if args.flooders:
                await asyncio.sleep(1.0)
                per_user = settings.questions_per_minute
                result["probes"], result["drained"] = await flooded(
                    api, range(10_001, 10_001 + args.flooders),
                    range(20_001, 20_001 + args.probes), per_user, args.long_chars)
                result["per_user"] = per_user
            await application.updater.stop()
            await application.stop()
            services.scheduler.shutdown()
    return result


def summary(waits: list[float]) -> str:
    """Return "p50 x s, p95 y s, max z s"."""
    ordered = sorted(waits)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered):.2f} s, p95 {p95:.2f} s, max {ordered[-1]:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--flooders", type=int, default=20)
    parser.add_argument("--probes", type=int, default=20)
    parser.add_argument("--long-chars", type=int, default=1000,
                        help="length of a flood question (1,000: the longest the bot reads)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = asyncio.run(run(args, Path(tmp)))
    print(f"{args.users} users at once: time to answer {summary(result['at_once'])} "
          "(goal p95 <= 1.5 s)")
    if not args.flooders:
        return
    print(f"{args.flooders} users each sending {result['per_user']} questions of "
          f"{args.long_chars} characters at once, drained in {result['drained']:.1f} s; "
          f"{args.probes} other users asking meanwhile: time to answer "
          f"{summary(result['probes'])} (goal p95 <= 2 s)")


if __name__ == "__main__":
    main()
