"""`indgang report`: print what partners asked, what went unanswered and how answers were rated."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ingest.commands.ingest import at_least_one, settings_from
from knowledge.feedback.store import FeedbackStats, FeedbackStore, Unanswered, Vote
from knowledge.folders import DATA_FOLDER, readable_folder


def register(commands: Any) -> None:
    """Add the report subcommand."""
    parser = commands.add_parser(
        "report", help="vis spørgsmål uden svar og brugernes feedback",
        description="Opsummér databasen over spørgsmål og feedback: antal spørgsmål, de "
        "hyppigste spørgsmål uden svar og den seneste feedback.",
    )
    parser.add_argument("--limit", type=at_least_one, default=10, metavar="N",
                        help="højst N linjer pr. liste (standard 10)")
    parser.add_argument("--data-dir", type=Path, metavar="MAPPE",
                        help="datamappen med indgang.sqlite3 (ellers INDGANG_DATA_DIR)")
    parser.add_argument("--json", action="store_true", help="skriv rapporten som ét JSON-objekt")
    parser.set_defaults(run=run_report)


def run_report(args: argparse.Namespace) -> int:
    """Read the database and print the report; a missing database reports zeros."""
    settings = settings_from(args)
    if args.data_dir:
        settings = settings.model_copy(update={"data_dir": args.data_dir})
    readable_folder(settings.data_dir, DATA_FOLDER)
    stats, unanswered, votes = FeedbackStats(0, 0, 0, 0), [], []
    # Reading must not create a database where the bot has never written one.
    if settings.database_path.exists():
        store = FeedbackStore.from_settings(settings)
        try:
            stats = store.stats()
            unanswered = store.top_unanswered(args.limit)
            votes = store.recent_feedback(args.limit)
        finally:
            store.close()
    else:
        print(f"Bemærk: der er ingen database i {settings.data_dir} endnu: ingen har spurgt, "
              "eller også er det den forkerte datamappe. (No database in that folder yet.)",
              file=sys.stderr)
    if args.json:
        print(json.dumps(report_json(stats, unanswered, votes), ensure_ascii=False))
    else:
        print(report_text(stats, unanswered, votes))
    return 0


def report_json(
    stats: FeedbackStats, unanswered: list[Unanswered], votes: list[Vote]
) -> dict[str, Any]:
    """Return the report in the documented JSON shape."""
    return {
        "questions": stats.questions, "not_found": stats.not_found,
        "helpful": stats.helpful, "unhelpful": stats.unhelpful,
        "unanswered": [
            {"question": q.question, "count": q.times_asked, "last_asked": q.last_asked}
            for q in unanswered
        ],
        "feedback": [{"question": v.question, "helpful": v.helpful, "at": v.at} for v in votes],
    }


def report_text(stats: FeedbackStats, unanswered: list[Unanswered], votes: list[Vote]) -> str:
    """Return the report as lines for a person, in Danish."""
    lines = [
        f"Spørgsmål: {stats.questions}",
        f"Ikke fundet: {stats.not_found}",
        f"👍: {stats.helpful}",
        f"👎: {stats.unhelpful}",
        "",
        "De hyppigste spørgsmål uden svar:",
        *[f"  {q.times_asked:>4}  {q.question} (senest {q.last_asked})" for q in unanswered],
        *([] if unanswered else ["  (ingen)"]),
        "",
        "Seneste feedback:",
        *[f"  {'👍' if v.helpful else '👎'} {v.at[:10]} {v.question or '(uden tekst)'}"
          for v in votes],
        *([] if votes else ["  (ingen)"]),
    ]
    return "\n".join(lines)
