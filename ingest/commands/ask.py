"""`indgang ask`: answer one question, or one per line of standard input."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ingest.cli import terminal_text
from ingest.commands.ingest import add_store_argument, settings_from
from knowledge.access import role_for_audience
from knowledge.answers.answer import Answer
from knowledge.answers.answering import Answerer
from knowledge.answers.rendering import render_text
from knowledge.errors import IndgangError


def register(commands: Any) -> None:
    """Add the ask subcommand."""
    parser = commands.add_parser(
        "ask", help="stil et spørgsmål til kommunens dokumenter",
        description="Svar med citater fra kommunens dokumenter. Med - læses ét spørgsmål "
        "pr. linje fra standard input (modellen indlæses kun én gang).",
    )
    parser.add_argument("question", metavar="SPØRGSMÅL", help="spørgsmålet, eller - for stdin")
    parser.add_argument("--audience", choices=["public", "internal"], default="public",
                        help="public: som partner (standard); internal: som medarbejder")
    add_store_argument(parser)
    parser.add_argument("--json", action="store_true", help="skriv ét JSON-objekt pr. svar")
    parser.set_defaults(run=run_ask)


def run_ask(args: argparse.Namespace) -> int:
    """Answer and print; exit 0 (not found is an answer too)."""
    if args.question != "-" and not args.question.strip():
        raise IndgangError("Skriv et spørgsmål, fx indgang ask \"hvornår er fristen?\" "
                           "(empty question)")
    answerer = Answerer.from_settings(settings_from(args))
    role = role_for_audience(args.audience)
    questions = sys.stdin if args.question == "-" else iter([args.question])
    first = True
    for question in questions:
        if not question.strip():
            continue
        answer = answerer.answer(terminal_text(question), role)
        if args.json:
            print(json.dumps(answer_json(answer), ensure_ascii=False), flush=True)
        else:
            print(("" if first else "\n") + render_text(answer), flush=True)
        first = False
    return 0


def answer_json(answer: Answer) -> dict[str, Any]:
    """Return the answer in the documented JSON shape."""
    return {
        "question": answer.question,
        "answer": render_text(answer),
        "found": answer.found,
        "sources": [
            {
                "title": s.passage.title, "file": s.passage.file, "section": s.passage.section,
                "page": s.passage.page,
                "updated": s.passage.updated.isoformat() if s.passage.updated else None,
                "url": s.passage.url, "score": round(s.passage.score, 4),
            }
            for s in answer.citations
        ],
    }
