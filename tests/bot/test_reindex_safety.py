"""/reindex through the real bot: it never removes more than half of the documents."""

from __future__ import annotations

from collections.abc import Callable

from knowledge.index.embeddings import Embedder
from knowledge.settings import Settings
from tests.bot.conftest import ADMIN, PARTNER, running_bot


async def test_reindex_refuses_to_remove_most_documents(own_corpus: Callable[[], Settings],
                                                        embedder: Embedder) -> None:
    settings = own_corpus()
    corpus = settings.source_dirs[0]
    async with running_bot(settings, embedder) as bot:
        before = bot.services.store.current_manifest()
        assert before is not None
        kept = {"paragraf-18-puljen.md", "indgangen.md"}
        for path in corpus.iterdir():  # the admin emptied the wrong folder, say
            if path.name not in kept:
                path.unlink()
        assert "startet" in (await bot.ask(ADMIN, "/reindex"))["text"]
        await bot.services.reindexer.wait()
        await bot.api.wait_for_messages(2, chat_id=ADMIN, timeout=60)
        report = bot.api.sent_messages(ADMIN)[-1]["text"]
        removed = len(before.documents) - len(kept)
        assert f"fjerne {removed} af {len(before.documents)} dokumenter" in report
        assert "mere end halvdelen" in report and "Intet er ændret" in report
        assert "loentilskud.md" in report and "--allow-removal" in report
        assert bot.services.store.current_manifest() == before
        answer = await bot.ask(PARTNER, "hvornår skal regnskabet for 18 midlerne afleveres")
        assert "1. april" in answer["text"]  # still answering from every document
