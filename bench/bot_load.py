"""100 users send a question at once: time from sending to the bot's answer (p50/p95).

Run: .venv/bin/python bench/bot_load.py [--users 100]
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_application  # noqa: E402
from bot.services import Services  # noqa: E402
from ingest.sync import sync_documents  # noqa: E402
from knowledge.index.embeddings import Embedder  # noqa: E402
from knowledge.index.store import Store  # noqa: E402
from knowledge.settings import Settings, default_corpus_dir  # noqa: E402
from tests.telegram_api import FakeBotApi  # noqa: E402

QUESTIONS = Path(__file__).resolve().parent / "questions.jsonl"


async def measure(users: int, data_dir: Path) -> list[float]:
    """Return each user's seconds from sending the question to receiving the answer."""
    questions = [json.loads(line)["q"] for line in QUESTIONS.read_text("utf-8").splitlines()]
    base = Settings()
    store_dir = base.cache_dir / "bench" / "store-corpus"
    embedder = Embedder(base)
    settings = base.model_copy(update={"store_dir": store_dir, "data_dir": data_dir})
    sync_documents([default_corpus_dir()], Store.from_settings(settings), embedder, settings)
    with FakeBotApi() as api:
        settings = settings.model_copy(update={
            "telegram_token": api.token, "telegram_api_url": api.base_url})
        services = Services.from_settings(settings, embedder)
        services.answerer.warm_up()
        application = build_application(services)
        async with application:
            await application.start()
            await application.updater.start_polling(poll_interval=0, timeout=1)
            sent_at = {}
            for user in range(1, users + 1):
                sent_at[user] = time.monotonic()
                api.push_message(user, questions[user % len(questions)])
            await api.wait_for_messages(users, timeout=600)
            received = {c.params["chat_id"]: c.received_at for c in api.calls("sendMessage")
                        if c.status == 200}
            await application.updater.stop()
            await application.stop()
    return [received[user] - sent_at[user] for user in sent_at]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        delays = sorted(asyncio.run(measure(args.users, Path(tmp))))
    p95 = delays[max(0, int(len(delays) * 0.95) - 1)]
    print(f"{len(delays)} users at once: time to answer p50 {statistics.median(delays):.2f} s, "
          f"p95 {p95:.2f} s, max {delays[-1]:.2f} s (goal p95 < 2 s)")


if __name__ == "__main__":
    main()
