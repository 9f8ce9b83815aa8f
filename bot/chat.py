"""`indgang chat`: the same conversation in the terminal, with no Telegram token."""

from __future__ import annotations

import sys
from typing import TextIO

from bot import replies
from bot.services import Services
from ingest.cli import terminal_text
from knowledge.access import Role, Roles, readable_documents
from knowledge.answers.rendering import render_text

TERMINAL_USER = 0
PROMPT = "Dig: "


def chat(services: Services, role: Role, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Answer lines from stdin until end of input, /stop or Ctrl-D; return the exit code."""
    # The terminal is a private chat with its one user, who has the role asked for.
    role = Roles.for_terminal(TERMINAL_USER, role).role_in_chat(TERMINAL_USER, TERMINAL_USER,
                                                                 private=True)
    interactive = stdin.isatty()
    services.feedback.prune(services.settings.keep_questions_days)
    services.answerer.warm_up()
    welcome = replies.welcome(services.settings.keep_questions_days)
    print(replies.plain_text(welcome), "\nSkriv /stop for at slutte.\n", file=stdout)
    while True:
        if interactive:
            print(PROMPT, end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line or line.strip() in ("/stop", "/quit", "/exit"):
            return 0
        text = terminal_text(line).strip()
        if not text:
            continue
        if text.startswith("/"):
            print(replies.plain_text(_command(services, text, role)), "\n", file=stdout, flush=True)
            continue
        if said := replies.instead_of_answer(text):  # as the bot does
            print(replies.plain_text(said), "\n", file=stdout, flush=True)
            continue
        # Fetched for each question, as the bot does: /glem and the idle time end a topic.
        conversation = services.conversations.get(TERMINAL_USER, TERMINAL_USER)
        answer = services.answerer.answer(text, role, conversation)
        services.feedback.record_question(TERMINAL_USER, text, answer.found, role,
                                          answer.language)
        print(f"Indgang: {render_text(answer)}\n", file=stdout, flush=True)


def _command(services: Services, text: str, role: Role) -> str:
    name = text.split()[0].lstrip("/").lower()
    if name in ("hjaelp", "help", "start"):
        return replies.CHAT_HELP if name != "start" else replies.welcome(
            services.settings.keep_questions_days)
    if name == "kontakt":
        return replies.contact(services.settings.contact)
    if name == "kilder":
        manifest = services.store.current_manifest()
        return replies.documents(manifest, readable_documents(manifest, role))
    if name == "glem":
        services.conversations.forget(TERMINAL_USER)
        return replies.forgotten(services.feedback.forget_user(TERMINAL_USER))
    return replies.unknown_command(text, replies.CHAT_HELP)
