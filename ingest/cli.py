"""The `indgang` command line: validate arguments, call the core, print the result.

Subcommands come from the entry-point group `indgang.commands`, so this module never
imports the bot: each package registers its own commands (see pyproject.toml).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn
from importlib.metadata import entry_points

from pydantic import ValidationError

from ingest.loaders.text import decode_text
from knowledge.errors import DocumentError, IndgangError
from knowledge.settings import describe_settings_error

log = logging.getLogger("indgang")


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors Danish first (subcommands' parsers are of this class)."""

    def error(self, message: str) -> NoReturn:
        for english, danish in _USAGE_ERRORS:
            message = message.replace(english, f"{danish} ({english})")
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fejl: {message}\n")


_USAGE_ERRORS = (
    ("the following arguments are required", "mangler"),
    ("unrecognized arguments", "ukendte argumenter"),
    ("invalid choice", "ugyldigt valg"),
    ("expected one argument", "mangler en værdi"),
    ("ignored explicit argument", "tager ingen værdi"),
)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with every registered subcommand."""
    parser = _Parser(
        prog="indgang",
        description="Indgang: kommunens ene indgang for foreninger og virksomheder.",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="vis mere logning: -v info, -vv debug (show more logging)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    for entry in sorted(entry_points(group="indgang.commands"), key=lambda e: e.name):
        entry.load()(commands)
    return parser


def terminal_text(text: str) -> str:
    """Return text typed in a terminal (an argument, a line of input) as it was meant.

    A terminal or file not in UTF-8 (Latin-1, Windows-1252) gives bytes that Python keeps
    as escapes ("mentorst\\udcf8tte"), which the model cannot read: they are decoded as a
    document's bytes are, UTF-8 first, then the encodings of older systems.
    """
    if not any("\udc80" <= char <= "\udcff" for char in text):
        return text
    raw = text.encode("utf-8", "surrogateescape")
    try:
        return decode_text(raw)
    except DocumentError:  # control characters: keep what can be read
        return raw.decode("utf-8", "replace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand and return its exit code."""
    # Quiet the model libraries: their progress output is noise in a terminal chat.
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    if isinstance(sys.stdin, io.TextIOWrapper):  # keep bytes that are not UTF-8: see terminal_text
        sys.stdin.reconfigure(errors="surrogateescape")
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=[logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)],
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs request URLs at INFO, and a Telegram URL holds the bot token.
    for noisy in ("httpx", "bm25s", "chromadb"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # pypdf notes every oddity of a PDF in English; a PDF it cannot read is reported anyway.
    logging.getLogger("pypdf").setLevel(logging.WARNING if args.verbose else logging.ERROR)
    try:
        return int(args.run(args))
    except IndgangError as error:
        print(f"Fejl: {error}", file=sys.stderr)
        return 2
    except ValidationError as error:
        print(describe_settings_error(error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # an interrupted sync leaves the index as it was, or done
        print("Afbrudt. (Interrupted.)", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away ("indgang ask - < q.txt | head")
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
        return 141


if __name__ == "__main__":
    sys.exit(main())
