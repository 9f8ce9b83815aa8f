"""`indgang chat`: the same conversation in the terminal, with no Telegram token."""

from __future__ import annotations

import re
import sys
from html import unescape
from typing import TextIO

from bot import replies
from bot.services import Services
from knowledge.retrieval import audiences_for

TERMINAL_USER = 0
PROMPT = "Dig: "


def plain(html: str) -> str:
    """Return reply HTML as terminal text."""
    text = re.sub(r'<a href="([^"]*)">([^<]*)</a>', r"\2 (\1)", html)
    text = re.sub(r"</?blockquote>", "", text)
    return unescape(re.sub(r"<[^>]+>", "", text))


def chat(services: Services, role: str, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Answer lines from stdin until end of input, /stop or Ctrl-D; return the exit code."""
    interactive = stdin.isatty()
    retrieval_role = "staff" if role == "staff" else "partner"
    conversation = services.conversations.get(TERMINAL_USER)
    services.answerer.warm_up()
    print(plain(replies.START), "\nSkriv /stop for at slutte.\n", file=stdout)
    while True:
        if interactive:
            print(PROMPT, end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line or line.strip() in ("/stop", "/quit", "/exit"):
            return 0
        text = line.strip()
        if not text:
            continue
        if text.startswith("/"):
            print(plain(_command(services, text, retrieval_role)), "\n", file=stdout, flush=True)
            continue
        answer = services.answerer.answer(text, retrieval_role, conversation)  # type: ignore[arg-type]
        services.feedback.record_question(TERMINAL_USER, text, answer.found, retrieval_role,
                                          answer.language)
        print(f"Indgang: {answer.text}\n", file=stdout, flush=True)


def _command(services: Services, text: str, role: str) -> str:
    name = text.split()[0].lstrip("/").lower()
    if name in ("hjaelp", "help", "start"):
        return replies.HELP if name != "start" else replies.START
    if name == "kontakt":
        return replies.contact(services.settings.contact)
    if name == "kilder":
        manifest = services.store.current_manifest()
        audiences = audiences_for(role)  # type: ignore[arg-type]
        records = [r for r in (manifest.documents.values() if manifest else [])
                   if r.audience in audiences]
        return replies.documents(manifest, records)
    if name == "glem":
        services.conversations.forget(TERMINAL_USER)
        return replies.forgotten(services.feedback.forget_user(TERMINAL_USER))
    return replies.HELP
