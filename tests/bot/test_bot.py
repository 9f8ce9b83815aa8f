"""Partners, staff and admins in one conversation: the real bot, a local Bot API."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable

from knowledge.index.embeddings import Embedder
from knowledge.settings import Settings
from tests.bot.conftest import ADMIN, PARTNER, STAFF, RunningBot, running_bot

OTHER_ADMIN = 1003

INTERNAL_PHRASE = "BLÅ BÆNK"


def _buttons(message: dict) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def test_model_and_indexes_are_ready_before_the_first_question(bot: RunningBot) -> None:
    retriever = bot.services.answerer.retriever
    snapshot = retriever.store.snapshot()
    assert snapshot is not None and bot.services.answerer.embedder.is_loaded
    assert {key for key in retriever._keyword if key[0] == snapshot.manifest.name} == {
        (snapshot.manifest.name, ("public",)), (snapshot.manifest.name, ("public", "internal"))}


async def test_partner_gets_an_answer_with_sources_and_buttons(bot: RunningBot) -> None:
    reply = await bot.ask(PARTNER, "hvornår skal regnskabet for 18 midlerne afleveres")
    assert reply["parse_mode"] == "HTML"
    assert "1. april" in reply["text"] and "<blockquote>" in reply["text"]
    assert '<a href="https://www.eksempel-kommune.dk/' in reply["text"]
    buttons = _buttons(reply)
    assert any(b.startswith("src:") for b in buttons)
    assert {b.split(":")[1] for b in buttons if b.startswith("fb:")} == {"1", "0"}


async def test_typing_shows_when_an_answer_takes_a_while(bot_settings: Settings,
                                                         embedder: Embedder) -> None:
    async with running_bot(bot_settings.model_copy(update={"answer_threads": 1}),
                           embedder) as bot:
        started = time.monotonic()
        await bot.ask(PARTNER, "hvornår er fristen for paragraf 18")
        if time.monotonic() - started < 0.8:  # a quick answer needs no "typing" first
            assert not bot.api.calls("sendChatAction")
        # Another user's long job holds the only answer thread: this answer waits.
        busy = asyncio.create_task(bot.services.scheduler.run(ADMIN, lambda: time.sleep(2.5)))
        await asyncio.sleep(0.1)
        reply = await bot.ask(PARTNER, "skal vi ha revisor på")
        await busy
        assert "revisor" in reply["text"].lower()
        typing = bot.api.calls("sendChatAction")
        assert typing and typing[-1].params["action"] == "typing"
        assert typing[-1].params["chat_id"] == PARTNER


async def test_staff_see_internal_passages_partners_do_not(bot: RunningBot) -> None:
    question = "hvad skriver vi i emnefeltet når en sag eskaleres"
    staff = await bot.ask(STAFF, question)
    partner = await bot.ask(PARTNER, question)
    assert INTERNAL_PHRASE in staff["text"]
    assert INTERNAL_PHRASE not in partner["text"] and "ikke finde" in partner["text"]
    staff_sources = await bot.ask(STAFF, "/kilder")
    partner_sources = await bot.ask(PARTNER, "/kilder")
    assert "Intern vejledning" in staff_sources["text"]
    assert "Intern vejledning" not in partner_sources["text"]
    assert "2014" in partner_sources["text"]  # documents are listed with their dates


async def test_admin_commands_are_refused_to_others(bot: RunningBot) -> None:
    for user in (PARTNER, STAFF):
        for command in ("/reindex", "/status"):
            reply = await bot.ask(user, command)
            assert reply["text"] == "Den kommando er kun for administratorer."
    status = await bot.ask(ADMIN, "/status")
    assert "dokumenter" in status["text"] and "Sprogmodel" in status["text"]


async def test_commands_are_registered_in_danish(bot: RunningBot) -> None:
    calls = bot.api.calls("setMyCommands")
    default = next(c for c in calls if "scope" not in c.params)
    names = [c["command"] for c in default.params["commands"]]
    assert names == ["start", "hjaelp", "kontakt", "kilder", "glem"]
    assert default.params["commands"][4]["description"] == "Slet det, der er gemt om mig"
    admin = next(c for c in calls if "scope" in c.params)
    assert "reindex" in [c["command"] for c in admin.params["commands"]]
    for command, expected in (("/start", "Indgang"), ("/hjaelp", "opfølgende"),
                              ("/kontakt", "indgang@eksempel-kommune.dk")):
        assert expected in (await bot.ask(PARTNER, command))["text"]


async def test_source_button_and_feedback_then_forget(bot: RunningBot) -> None:
    reply = await bot.ask(PARTNER, "skal vi ha revisor på")
    message = bot.api.bot_messages(PARTNER)[-1]
    source = next(b for b in _buttons(reply) if b.startswith("src:"))
    before = len(bot.api.sent_messages(PARTNER))
    bot.api.push_callback(PARTNER, source, message)
    await bot.api.wait_for_messages(before + 1, chat_id=PARTNER)
    passage = bot.api.sent_messages(PARTNER)[-1]["text"]
    assert "revisor" in passage.lower()
    # The PDF's lines are wrapped mid-sentence; the reader gets whole sentences.
    assert not re.search(r"\w\n[a-zæøå]", passage), passage

    helpful = next(b for b in _buttons(reply) if b.startswith("fb:1:"))
    bot.api.push_callback(PARTNER, helpful, message)
    await bot.api.wait_for_calls("editMessageReplyMarkup", 1)
    assert bot.services.feedback.stats().helpful == 1
    assert not any(b.startswith("fb:") for b in _buttons(bot.api.bot_messages(PARTNER)[-1]))
    await bot.ask(PARTNER, "hvornår skal jeg betale hundeskat")
    stats = bot.services.feedback.stats()
    assert (stats.questions, stats.not_found) == (2, 1)

    forgotten = await bot.ask(PARTNER, "/glem")
    assert "slettet" in forgotten["text"]
    stats = bot.services.feedback.stats()
    assert (stats.questions, stats.not_found, stats.helpful) == (0, 0, 0)


async def test_follow_up_in_the_same_chat(bot: RunningBot) -> None:
    await bot.ask(PARTNER, "hvad er udviklingspuljen for socialøkonomiske virksomheder")
    follow_up = await bot.ask(PARTNER, "og hvad er fristen?")
    assert "15. april" in follow_up["text"]


async def test_anything_else_gets_a_polite_reply_or_is_ignored(bot: RunningBot) -> None:
    photo = await bot.ask(PARTNER, None, extra={"photo": [
        {"file_id": "p1", "file_unique_id": "u1", "width": 10, "height": 10}]})
    assert photo["text"].startswith("Jeg kan kun læse tekst")
    captioned = await bot.ask(PARTNER, None, extra={"caption": "hvornår er fristen for paragraf 18",
                                                    "photo": [{"file_id": "p2", "file_unique_id": "u2",
                                                               "width": 10, "height": 10}]})
    assert "1. marts" in captioned["text"]
    before = len(bot.api.sent_messages(PARTNER))
    bot.api.push_message(PARTNER, None, extra={"caption": "/glem", "photo": [
        {"file_id": "p4", "file_unique_id": "u4", "width": 10, "height": 10}]})
    sticker = await bot.ask(PARTNER, None, extra={"sticker": {
        "file_id": "s1", "file_unique_id": "s1", "type": "regular", "width": 1, "height": 1,
        "is_animated": False, "is_video": False}})
    assert sticker["text"].startswith("Jeg kan kun læse tekst")
    await asyncio.sleep(1)  # a reply to the captioned command, if any, is sent by now
    assert len(bot.api.sent_messages(PARTNER)) == before + 1  # a caption "/glem" is no question
    long = await bot.ask(PARTNER, "hvad " * 2500)
    assert "meget langt" in long["text"]
    asked = bot.services.feedback.stats().questions
    for text, said in [("hej", "Hej! Skriv dit spørgsmål"), ("Mange tak!", "Selv tak!"),
                       ("🙂👍", "Skriv dit spørgsmål"), ("Thanks!", "You're welcome! Ask")]:
        assert (await bot.ask(PARTNER, text))["text"].startswith(said)
    assert bot.services.feedback.stats().questions == asked  # not unanswered questions
    unknown = await bot.ask(PARTNER, "/findesikke")
    assert unknown["text"].startswith("Kommandoen /findesikke kender jeg ikke")
    assert "Sådan bruger du Indgang" in unknown["text"]
    # An edit, a malformed update, and a message in a group not addressed to the bot are
    # ignored; the bot goes on serving.
    before = len(bot.api.sent_messages())
    bot.api.push_message(PARTNER, "redigeret spørgsmål", kind="edited_message")
    bot.api.push_update({"message": {"message_id": 5, "text": "ingen dato eller chat"}})
    bot.api.push_message(PARTNER, "snak i gruppen", chat_type="group", chat_id=-77)
    reply = await bot.ask(PARTNER, "hvornår er fristen for paragraf 18")
    assert "1. marts" in reply["text"]
    assert len(bot.api.sent_messages()) == before + 1


async def test_in_groups_only_when_mentioned_or_replied_to(bot: RunningBot) -> None:
    group = {"chat_type": "group", "chat_id": -500}
    text = "@indgang_test_bot hvornår er fristen for paragraf 18"
    mention = [{"type": "mention", "offset": 0, "length": len("@indgang_test_bot")}]
    reply = await bot.ask(PARTNER, text, entities=mention, **group)
    assert "1. marts" in reply["text"]
    answer_id = bot.api.bot_messages(-500)[-1]["message_id"]
    reply = await bot.ask(PARTNER, "hvor meget kan en forening højst søge fra § 18-puljen",
                          reply_to=answer_id, **group)
    assert "75.000 kr" in reply["text"]
    photo = {"photo": [{"file_id": "p3", "file_unique_id": "u3", "width": 10, "height": 10}],
             "caption": text, "caption_entities": mention}  # a caption mentions the bot
    assert "1. marts" in (await bot.ask(PARTNER, None, extra=photo, **group))["text"]


async def test_rate_limit_says_so(bot_settings: Settings, embedder: Embedder) -> None:
    async with running_bot(bot_settings.model_copy(update={"questions_per_minute": 2}),
                           embedder) as bot:
        for _ in range(2):
            assert "ikke finde" not in (await bot.ask(PARTNER, "hvornår er fristen for paragraf 18"))["text"]
        limited = await bot.ask(PARTNER, "hvornår er fristen for paragraf 18")
        assert "mange spørgsmål på kort tid" in limited["text"]
        # Told once: a flood gets no reply per message.
        bot.api.push_message(PARTNER, "hvornår er fristen for paragraf 18")
        await asyncio.sleep(1)  # a reply to it, if any, is sent within milliseconds
        assert "Sådan bruger du Indgang" in (await bot.ask(PARTNER, "/hjaelp"))["text"]
        assert sum("mange spørgsmål" in m["text"] for m in bot.api.sent_messages(PARTNER)) == 1
        other = await bot.ask(STAFF, "hvornår er fristen for paragraf 18")
        assert "1. marts" in other["text"]  # the limit is per user


async def test_reindex_picks_up_a_changed_document(own_corpus: Callable[[], Settings],
                                                   embedder: Embedder) -> None:
    settings = own_corpus().model_copy(update={"admin_ids": frozenset({ADMIN, OTHER_ADMIN})})
    corpus = settings.source_dirs[0]
    async with running_bot(settings, embedder) as bot:
        before = await bot.ask(PARTNER, "hvornår skal regnskabet for 18 midlerne afleveres")
        assert "1. april" in before["text"]
        page = corpus / "paragraf-18-puljen.md"
        page.write_text(page.read_text("utf-8").replace("1. april", "15. maj"), "utf-8")
        for name in ("dokumentationskrav-tilskud.md", "ansoegning-tjekliste.docx",
                     "ansoegning-tjekliste.docx.yml", "regnskab-og-revision.pdf",
                     "regnskab-og-revision.pdf.yml"):
            (corpus / name).unlink()
        started = await bot.ask(ADMIN, "/reindex")
        assert "startet" in started["text"]
        again = await bot.ask(ADMIN, "/reindex")
        assert "allerede" in again["text"]
        assert "allerede" in (await bot.ask(OTHER_ADMIN, "/reindex"))["text"]
        # Answers keep coming while the sync runs.
        assert "1. marts" in (await bot.ask(PARTNER, "hvornår er fristen for paragraf 18"))["text"]
        await bot.services.reindexer.wait()
        await bot.api.wait_for_messages(3, chat_id=ADMIN, timeout=60)
        # Each admin who asked is told once, the one who joined the running sync too.
        await bot.api.wait_for_messages(2, chat_id=OTHER_ADMIN, timeout=60)
        assert "Genindlæsning færdig" in bot.api.sent_messages(OTHER_ADMIN)[-1]["text"]
        await asyncio.sleep(0.5)
        assert len(bot.api.sent_messages(ADMIN)) == 3
        current = bot.services.store.snapshot()
        assert current is not None  # the new generation's keyword indexes are built already
        assert (current.manifest.name, ("public",)) in bot.services.answerer.retriever._keyword
        done = bot.api.sent_messages(ADMIN)[-1]["text"]
        assert "Genindlæsning færdig" in done and "1 ændrede" in done and "3 fjernede" in done
        after = await bot.ask(PARTNER, "hvornår skal regnskabet for 18 midlerne afleveres")
        assert "15. maj" in after["text"]


async def test_many_users_at_once_all_get_one_answer(bot: RunningBot) -> None:
    users = range(50_000, 50_020)
    for user in users:
        bot.api.push_message(user, "hvornår er fristen for paragraf 18")
    for user in users:
        await bot.api.wait_for_messages(1, chat_id=user, timeout=60)
    await asyncio.sleep(0.5)
    for user in users:
        messages = bot.api.sent_messages(user)
        assert len(messages) == 1 and "1. marts" in messages[0]["text"]


async def test_mention_after_an_emoji_or_with_punctuation_is_found(bot: RunningBot) -> None:
    name, question = "@Indgang_Test_Bot", "Hvornår er ansøgningsfristerne for § 18-puljen"
    for text in [f"🙂 {name} {question}?", f"{name}, {question}?", f"{question} {name}?"]:
        # Telegram counts offsets in UTF-16 units: the emoji is two.
        offset = len(text[:text.index(name)].encode("utf-16-le")) // 2
        mention = [{"type": "mention", "offset": offset, "length": len(name)}]
        reply = await bot.ask(PARTNER, text, entities=mention, chat_type="group", chat_id=-600)
        assert "1. marts" in reply["text"], text


async def test_a_reindex_report_with_hundreds_of_failures_arrives(
        own_corpus: Callable[[], Settings], embedder: Embedder) -> None:
    settings = own_corpus()
    broken = settings.source_dirs[0] / "tomme filer fra det gamle drev"
    broken.mkdir()
    names = [f"referat-fra-bestyrelsesmødet-i-foreningen-nummer-{n:03d}.md" for n in range(400)]
    for name in names:
        (broken / name).write_text("", "utf-8")
    async with running_bot(settings, embedder) as bot:
        await bot.ask(ADMIN, "/reindex")
        await bot.services.reindexer.wait()
        for _ in range(300):  # the report's parts arrive one after another
            report = [m["text"] for m in bot.api.sent_messages(ADMIN)[1:]]
            if names[-1] in "".join(report):
                break
            await asyncio.sleep(0.1)
    assert len(report) > 3 and report[0].startswith("Genindlæsning færdig")
    assert all(len(part) <= 4096 for part in report)
    text = "\n".join(report)
    assert all(name in text for name in names) and "filen er tom" in text
