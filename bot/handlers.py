"""Telegram handlers: parse the update, call the core off the event loop, render the reply."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import re
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatType, MessageEntityType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import replies
from bot.delivery import deliver, send
from bot.services import Services
from ingest.models import SyncSummary
from knowledge.access import Role, readable_documents, readable_passage
from knowledge.answers.answer import Answer
from knowledge.answers.rendering import render_html
from knowledge.errors import StoreError
from knowledge.feedback.privacy import scrub
from knowledge.feedback.store import VoteOutcome
from knowledge.index.embeddings import MAX_QUERY_CHARS

log = logging.getLogger(__name__)

# Embedding, the costly step, grows with the characters embedded (at most MAX_QUERY_CHARS):
# 400 characters cost about 3 times an ordinary question of 60, 100 about 1.3 times.
ORDINARY_QUESTION_CHARS = 100
TYPING_AFTER_S = 1.0
TYPING_EVERY_S = 4.0
# The only callback data this bot makes; Telegram allows 64 bytes, anything may arrive.
SOURCE_BUTTON = re.compile(r"src:([\w.-]{1,60})")
FEEDBACK_BUTTON = re.compile(r"fb:([01]):(\d{1,19})")


def services_of(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """Return the injected services."""
    return context.bot_data["services"]  # type: ignore[no-any-return]


async def reply(message: Message, html: str, markup: InlineKeyboardMarkup | None = None,
                quote: bool = False) -> None:
    """Send HTML into the message's chat (with quote, as a reply to it)."""
    await send(message.get_bot(), message.chat_id, html, markup,
               reply_to=message.message_id if quote else None)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say what the bot can help with."""
    await reply(update.effective_message,
                replies.welcome(services_of(context).settings.keep_questions_days))


async def hjaelp(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain how to ask."""
    await reply(update.effective_message, replies.HELP)


async def kontakt(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Give the municipality's single way in."""
    await reply(update.effective_message, replies.contact(services_of(context).settings.contact))


async def kilder(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the documents answers come from, as far as this user may read them."""
    services = services_of(context)
    manifest = await asyncio.to_thread(services.store.current_manifest)
    records = readable_documents(manifest, _role(update, services))
    await reply(update.effective_message, replies.documents(manifest, records))


async def glem(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Delete what is stored about the user."""
    services = services_of(context)
    user_id = _user_id(update)
    rows = await asyncio.to_thread(services.feedback.forget_user, user_id) if user_id else 0
    if user_id:
        services.conversations.forget(user_id)
    await reply(update.effective_message, replies.forgotten(rows))


async def reindex(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Start a sync in the background (admins only); report when it is done."""
    services = services_of(context)
    message = update.effective_message
    if not await _admin_here(update, services):
        return

    async def report(summary: SyncSummary | None, error: str | None) -> None:
        text = replies.reindex_done(summary) if summary else replies.reindex_failed(error or "")
        await send(context.bot, message.chat_id, text)

    # Say it started (or runs) before joining: a quick sync (or a refused one) reports in
    # seconds, and the report must not arrive before the word that it began.
    running = services.reindexer.running
    await reply(message, replies.REINDEX_RUNNING if running else replies.REINDEX_STARTED)
    services.reindexer.start(report, ("chat", message.chat_id))  # ended meanwhile: a new one


async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the index and usage figures (admins only)."""
    services = services_of(context)
    if not await _admin_here(update, services):
        return
    manifest = await asyncio.to_thread(services.store.current_manifest)
    stats = await asyncio.to_thread(services.feedback.stats)
    await reply(update.effective_message, replies.status(
        manifest, services.settings.embedding_model, stats.questions, stats.not_found,
        stats.helpful, stats.unhelpful))


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a question in a private chat, or in a group when addressed."""
    message = update.effective_message
    user_id = _user_id(update)
    text = _addressed_text(message, context)
    if text is None or user_id is None:
        return
    if not text.strip():
        await reply(message, replies.HELP)
        return
    if said := replies.instead_of_answer(text):
        await reply(message, said)
        return
    services = services_of(context)
    verdict = services.rate_limiter.check(user_id)
    if not verdict.allowed:
        if verdict.say_so:
            await reply(message, replies.rate_limited(verdict.wait_s))
        return
    log.debug("question: %s", scrub(text))
    role = _role(update, services)
    asked_at = services.feedback.now()  # a /glem while this is answered forgets it too
    async with _typing(message):
        try:
            answer = await services.scheduler.run(user_id, functools.partial(
                services.answerer.answer, text, role,
                services.conversations.get(message.chat_id, user_id)),
                cost=_cost(text))
        except StoreError:
            log.warning("no index to answer from", exc_info=True)
            await reply(message, replies.NOT_READY)
            return
    question_id = await asyncio.to_thread(services.feedback.record_question, user_id, text,
                                          answer.found, role, answer.language, asked_at)
    await reply(message, render_html(answer), _answer_buttons(answer, question_id),
                quote=True)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tell the user, politely, that only text can be read."""
    await reply(update.effective_message, replies.NOT_TEXT)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say that the command is unknown, and show the help."""
    message = update.effective_message
    await reply(message, replies.unknown_command(message.text or "/"))


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handle the 📄 source and 👍/👎 feedback buttons; answer anything else politely."""
    query = update.callback_query
    services = services_of(context)
    data = query.data or ""
    if source := SOURCE_BUTTON.fullmatch(data):
        # Answered first: a query answered late (the passage's send waiting out a 429 in a
        # group) is refused by Telegram, and the spinner would turn meanwhile.
        await deliver(query.answer)
        await _show_source(update, services, source[1])
    elif vote := FEEDBACK_BUTTON.fullmatch(data):
        await _vote(update, services, helpful=vote[1] == "1", question_id=int(vote[2]))
    else:  # not a button this bot makes: old, or forged
        log.info("unknown button data ignored")
        await deliver(lambda: query.answer(replies.BUTTON_UNKNOWN))


async def _vote(update: Update, services: Services, helpful: bool, question_id: int) -> None:
    """Record a 👍/👎 from the user who asked, once; tell the presser what happened."""
    query = update.callback_query
    asked = getattr(query.message, "reply_to_message", None)
    outcome = await asyncio.to_thread(services.feedback.record_feedback, query.from_user.id,
                                      question_id, helpful, (asked.text or "") if asked else "")
    await deliver(lambda: query.answer(replies.vote_outcome(outcome)))
    if outcome in (VoteOutcome.RECORDED, VoteOutcome.ALREADY):
        with contextlib.suppress(TelegramError):  # the buttons may already be gone
            await query.edit_message_reply_markup(_without_feedback(query.message))


async def prune_old_questions(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Delete stored questions and votes older than INDGANG_KEEP_QUESTIONS_DAYS (a job)."""
    services = services_of(context)
    rows = await asyncio.to_thread(services.feedback.prune, services.settings.keep_questions_days)
    log.info("retention: %d rows older than %d days deleted", rows,
             services.settings.keep_questions_days)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error with context and tell the user something went wrong."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("error while handling update %s", update_id, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        with contextlib.suppress(TelegramError):
            await send(context.bot, update.effective_chat.id, replies.ERROR)


async def _show_source(update: Update, services: Services, chunk_id: str) -> None:
    role = _role(update, services)  # the passage is posted in the chat the button is in
    passage = await asyncio.to_thread(readable_passage, services.store, chunk_id, role)
    text = replies.passage_html(passage) if passage else replies.SOURCE_GONE
    await send(update.get_bot(), update.effective_chat.id, text)


def _answer_buttons(answer: Answer, question_id: int) -> InlineKeyboardMarkup:
    sources = [InlineKeyboardButton(replies.button_source(s.number), callback_data=f"src:{s.passage.chunk_id}")
               for s in answer.citations]
    feedback = [InlineKeyboardButton(replies.BUTTON_HELPFUL, callback_data=f"fb:1:{question_id}"),
                InlineKeyboardButton(replies.BUTTON_UNHELPFUL, callback_data=f"fb:0:{question_id}")]
    return InlineKeyboardMarkup([row for row in (sources, feedback) if row])


def _without_feedback(message: Any) -> InlineKeyboardMarkup | None:
    markup = getattr(message, "reply_markup", None)
    if markup is None:
        return None
    rows = [[b for b in row if not (b.callback_data or "").startswith("fb:")]
            for row in markup.inline_keyboard]
    return InlineKeyboardMarkup([row for row in rows if row])


def _addressed_text(message: Message, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """Return the question in a private chat, or in a group when the bot is addressed.

    The question is the message's text, or a photo's or file's caption.
    """
    text = message.text or message.caption or ""
    if message.chat.type == ChatType.PRIVATE:
        return text
    username = f"@{context.bot.username}".lower() if context.bot.username else None
    # parse_entities counts offsets in UTF-16 units, as Telegram does (emoji!).
    parse = message.parse_entities if message.text else message.parse_caption_entities
    mentioned = username is not None and any(
        mention.lower() == username for mention in parse([MessageEntityType.MENTION]).values())
    replied = (message.reply_to_message is not None and message.reply_to_message.from_user is not None
               and message.reply_to_message.from_user.id == context.bot.id)
    if not (mentioned or replied):
        return None
    if username:
        # "@Bot, hvornår ...?" and "... fristen @Bot?": the name goes, with a comma or colon
        # after it; the question's own punctuation stays.
        text = re.sub(rf"{re.escape(username)}(?!\w)[,:;]?", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())


def _cost(question: str) -> float:
    """Return what answering costs, in ordinary questions: embedding grows with length."""
    return min(len(question), MAX_QUERY_CHARS) / ORDINARY_QUESTION_CHARS


def _user_id(update: Update) -> int | None:
    """Return who sent the update: a user, or the chat an anonymous group admin writes as.

    Every anonymous admin of every group is one user to Telegram (GroupAnonymousBot); as
    the group they write for, they share memory, rate limit and /glem only within it. A
    chat is never staff or admin (the lists hold users).
    """
    sender = update.effective_sender
    return sender.id if sender else None


async def _admin_here(update: Update, services: Services) -> bool:
    """Return whether an admin command may run in this chat; else say why not."""
    chat = update.effective_chat
    private = chat is not None and chat.type == ChatType.PRIVATE
    user_id = _user_id(update)
    if services.roles.admin_in_chat(user_id, chat.id if chat else None, private):
        return True
    refusal = replies.ADMIN_PRIVATE_ONLY if services.roles.is_admin(user_id) else replies.ADMIN_ONLY
    await reply(update.effective_message, refusal)
    return False


def _role(update: Update, services: Services) -> Role:
    """Return the role to answer as in this update's chat (see Roles.role_in_chat)."""
    chat = update.effective_chat
    return services.roles.role_in_chat(_user_id(update), chat.id if chat else None,
                                       chat is not None and chat.type == ChatType.PRIVATE)


@contextlib.asynccontextmanager
async def _typing(message: Message):  # type: ignore[no-untyped-def]
    """Show "typing" if the answer takes a while (best effort: never fails the answer).

    Most answers take well under a second, and "typing" would only flash before them:
    it costs a request each, and when a hundred questions arrive at once those requests
    crowd the connection pool exactly when the bot is busiest.
    """

    async def keep_typing() -> None:
        await asyncio.sleep(TYPING_AFTER_S)
        while True:
            with contextlib.suppress(TelegramError):
                await message.chat.send_action(ChatAction.TYPING)
            await asyncio.sleep(TYPING_EVERY_S)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
