"""The `indgang` command line: validate arguments, call the core, print the result.

Subcommands come from the entry-point group `indgang.commands`, so this module never
imports the bot: each package registers its own commands (see pyproject.toml).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points

from pydantic import ValidationError

from knowledge.errors import IndgangError
from knowledge.settings import describe_settings_error

log = logging.getLogger("indgang")


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="indgang",
        description="Indgang: kommunens ene indgang for foreninger og virksomheder.",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="vis mere logning: -v info, -vv debug (show more logging)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    for entry in sorted(entry_points(group="indgang.commands"), key=lambda e: e.name):
        entry.load()(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand and return its exit code."""
    # Quiet the model libraries: their progress output is noise in a terminal chat.
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=[logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)],
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs request URLs at INFO, and a Telegram URL holds the bot token.
    for noisy in ("httpx", "bm25s", "chromadb"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return int(args.run(args))
    except IndgangError as error:
        print(f"Fejl: {error}", file=sys.stderr)
        return 2
    except ValidationError as error:
        print(describe_settings_error(error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
