"""The audience follows where an answer is shown: nothing internal is posted in a group."""

from __future__ import annotations

from typing import Any

from knowledge.index.embeddings import Embedder
from knowledge.settings import Settings
from tests.bot.conftest import ADMIN, STAFF, RunningBot, running_bot

INTERNAL_PHRASE = "BLÅ BÆNK"
INTERNAL_TITLE = "Intern vejledning"
INTERNAL_QUESTION = "hvad skriver vi i emnefeltet når en sag eskaleres"
BOT_NAME = "@indgang_test_bot"
GROUP = -500
STAFF_GROUP = -900


def _buttons(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def _ask_in(bot: RunningBot, chat_id: int, text: str) -> dict[str, Any]:
    """Mention the bot in a group chat and return its reply there."""
    mention = [{"type": "mention", "offset": 0, "length": len(BOT_NAME)}]
    return await bot.ask(STAFF, f"{BOT_NAME} {text}", entities=mention, chat_type="group",
                         chat_id=chat_id)


async def test_staff_in_a_group_get_no_internal_text(bot: RunningBot) -> None:
    private = await bot.ask(STAFF, INTERNAL_QUESTION)
    assert INTERNAL_PHRASE in private["text"]  # the question does reach internal text

    in_group = await _ask_in(bot, GROUP, INTERNAL_QUESTION)
    assert INTERNAL_PHRASE not in in_group["text"] and "ikke finde" in in_group["text"]
    sources = await bot.ask(STAFF, "/kilder", chat_type="group", chat_id=GROUP)
    assert sources["text"].startswith("<b>Svarene bygger på")
    assert INTERNAL_TITLE not in sources["text"]


async def test_the_source_button_posts_no_internal_passage_in_a_group(bot: RunningBot) -> None:
    private = await bot.ask(STAFF, INTERNAL_QUESTION)
    internal = [b for b in _buttons(private) if b.startswith("src:")]
    assert internal
    # A button pressed on a message in the group (an old answer, or forged data) posts
    # its passage there: it must be one partners may read.
    await _ask_in(bot, GROUP, "hvornår er fristen for paragraf 18")
    message = bot.api.bot_messages(GROUP)[-1]
    for data in internal:
        before = len(bot.api.sent_messages(GROUP))
        bot.api.push_callback(STAFF, data, message)
        await bot.api.wait_for_messages(before + 1, chat_id=GROUP)
        assert INTERNAL_PHRASE not in bot.api.sent_messages(GROUP)[-1]["text"]
    private_source = bot.api.bot_messages(STAFF)[-1]
    before = len(bot.api.sent_messages(STAFF))
    bot.api.push_callback(STAFF, internal[0], private_source)
    await bot.api.wait_for_messages(before + 1, chat_id=STAFF)
    assert "emnefelt" in bot.api.sent_messages(STAFF)[-1]["text"].lower()


async def test_a_listed_staff_chat_gets_internal_answers(bot_settings: Settings,
                                                          embedder: Embedder) -> None:
    settings = bot_settings.model_copy(update={"staff_chat_ids": frozenset({STAFF_GROUP})})
    async with running_bot(settings, embedder) as bot:
        answer = await _ask_in(bot, STAFF_GROUP, INTERNAL_QUESTION)
        assert INTERNAL_PHRASE in answer["text"]
        sources = await bot.ask(STAFF, f"/kilder{BOT_NAME}", chat_type="group",
                                chat_id=STAFF_GROUP)
        assert INTERNAL_TITLE in sources["text"]
        other = await _ask_in(bot, GROUP, INTERNAL_QUESTION)
        assert INTERNAL_PHRASE not in other["text"]


async def test_admin_commands_are_refused_where_partners_read(bot: RunningBot) -> None:
    for command in ("/status", "/reindex"):
        refused = await bot.ask(ADMIN, command, chat_type="group", chat_id=GROUP)
        assert "privat chat" in refused["text"]
    assert not bot.services.reindexer.running
    assert "Sprogmodel" in (await bot.ask(ADMIN, "/status"))["text"]


TOPIC = "hvad er udviklingspuljen for socialøkonomiske virksomheder"
FOLLOW_UP = "og hvad er fristen?"  # alone it is not found; after TOPIC it is "15. april"
ANONYMOUS_ADMIN = 1087968824  # the one user Telegram shows for every group's anonymous admins


async def test_a_topic_in_one_chat_does_not_steer_follow_ups_in_another(bot: RunningBot) -> None:
    await bot.ask(STAFF, TOPIC)
    assert "15. april" not in (await _ask_in(bot, GROUP, FOLLOW_UP))["text"]
    assert "15. april" in (await bot.ask(STAFF, FOLLOW_UP))["text"]


async def test_anonymous_admins_of_two_groups_share_nothing(bot: RunningBot) -> None:
    async def anonymous(chat_id: int, text: str) -> str:
        sender = {"id": chat_id, "type": "supergroup", "title": f"Gruppe {chat_id}"}
        mention = [{"type": "mention", "offset": 0, "length": len(BOT_NAME)}]
        command = text.startswith("/")
        reply = await bot.ask(ANONYMOUS_ADMIN, text + BOT_NAME if command else f"{BOT_NAME} {text}",
                              chat_type="supergroup", chat_id=chat_id,
                              extra={"sender_chat": sender}, entities=None if command else mention)
        return str(reply["text"])

    await anonymous(GROUP, TOPIC)
    assert "15. april" not in await anonymous(STAFF_GROUP, FOLLOW_UP)
    # /glem from one group's anonymous admin deletes nothing another group's asked.
    assert "(1 rækker)" in await anonymous(STAFF_GROUP, "/glem")
    assert "15. april" in await anonymous(GROUP, FOLLOW_UP)
    assert "(2 rækker)" in await anonymous(GROUP, "/glem")
