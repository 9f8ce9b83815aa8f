"""`indgang bot` and `indgang chat`: the Telegram bot, or the same conversation in a terminal."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ingest.commands.ingest import add_store_argument, settings_from
from knowledge.access import role_for_audience


def register(commands: Any) -> None:
    """Add the bot and chat subcommands."""
    bot = commands.add_parser("bot", help="kør Telegram-botten (long polling eller webhook)")
    bot.add_argument("--webhook", metavar="URL", help="offentlig HTTPS-adresse til webhook")
    bot.add_argument("--listen", default="127.0.0.1", help="adresse webhook-serveren lytter på")
    bot.add_argument("--port", type=int, default=8443, help="port webhook-serveren lytter på")
    add_store_argument(bot)
    bot.set_defaults(run=run_bot)
    chat = commands.add_parser("chat", help="samme samtale i terminalen, uden Telegram")
    chat.add_argument("--audience", choices=["public", "internal"], default="public",
                      help="public: som partner (standard); internal: som medarbejder")
    add_store_argument(chat)
    chat.set_defaults(run=run_chat)


def run_bot(args: argparse.Namespace) -> int:
    """Run the Telegram bot until interrupted."""
    from bot.app import run
    from bot.services import Services

    run(Services.from_settings(settings_from(args)), args.webhook, args.listen, args.port)
    return 0


def run_chat(args: argparse.Namespace) -> int:
    """Chat in the terminal; ends at end of input, so it also works with no terminal."""
    from bot.chat import chat
    from bot.services import Services

    return chat(Services.from_settings(settings_from(args)), role_for_audience(args.audience),
                sys.stdin, sys.stdout)
