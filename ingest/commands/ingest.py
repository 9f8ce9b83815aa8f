"""`indgang ingest`: sync source folders into the index and print a summary."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ingest.models import Removal, SyncSummary
from ingest.sync import RemovalRefusedError, sync_documents
from knowledge.index.embeddings import Embedder
from knowledge.index.store import Store
from knowledge.settings import Settings

ALLOW_REMOVAL_HINT = (
    "Tjek stien (en tom eller forkert mappe?). Skal dokumenterne virkelig fjernes, så kør igen "
    "med --allow-removal. (Check the path; to remove them anyway, add --allow-removal.)"
)


def register(commands: Any) -> None:
    """Add the ingest subcommand."""
    parser = commands.add_parser(
        "ingest",
        help="indlæs dokumenter i indekset (nye, ændrede og slettede)",
        description="Bring indekset i takt med mapperne: nye og ændrede dokumenter indlæses, "
        "dokumenter der er væk fjernes. Uden STI: INDGANG_SOURCE_DIRS (ellers "
        "kommunens standarddokumenter). Ville den fjerne mere end halvdelen af dokumenterne "
        "i indekset, stopper den uden at ændre noget (se --allow-removal).",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="STI",
                        help="filer og mapper (PDF, DOCX, HTML, Markdown, tekst)")
    add_store_argument(parser)
    parser.add_argument("--dry-run", action="store_true", help="vis kun hvad der ville ske")
    parser.add_argument("--rebuild", action="store_true",
                        help="indlæs alt forfra (fx efter skift af sprogmodel)")
    parser.add_argument("--allow-removal", action="store_true",
                        help="fjern dokumenter, selv om det er mere end halvdelen af indekset "
                        "(ellers stopper indlæsningen med afslutningskode 2)")
    parser.add_argument("--json", action="store_true", help="skriv opsummeringen som JSON")
    parser.set_defaults(run=run_ingest)


def add_store_argument(parser: argparse.ArgumentParser) -> None:
    """Add --store, shared by every command that opens the index."""
    parser.add_argument("--store", type=Path, metavar="MAPPE",
                        help="indeksets mappe (ellers INDGANG_STORE_DIR eller datamappen)")


def settings_from(args: argparse.Namespace) -> Settings:
    """Return Settings with command-line overrides applied."""
    settings = Settings()
    if getattr(args, "store", None):
        settings = settings.model_copy(update={"store_dir": args.store})
    return settings


def run_ingest(args: argparse.Namespace) -> int:
    """Sync, print the summary; exit 1 when some file failed, 2 when removal was refused."""
    settings = settings_from(args)
    paths = args.paths or settings.source_dirs
    store = Store.from_settings(settings)
    try:
        summary = sync_documents(
            paths, store, Embedder(settings), settings, dry_run=args.dry_run,
            rebuild=args.rebuild, allow_removal=args.allow_removal,
            on_progress=_progress_bar(args),
        )
    except RemovalRefusedError as error:
        print(f"Fejl: {error}\n{ALLOW_REMOVAL_HINT}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(summary_json(summary), ensure_ascii=False))
    else:
        print(summary_text(summary))
    if summary.refused:
        print(f"Advarsel: {refusal_text(summary.refused)}\n{ALLOW_REMOVAL_HINT}", file=sys.stderr)
        return 2
    return 1 if summary.failed else 0


def refusal_text(removal: Removal) -> str:
    """Return the dry run's warning that the real sync would stop."""
    return (f"Indlæsningen ville fjerne {len(removal.names)} af {removal.indexed} dokumenter i "
            f"indekset ({removal.describe()}) og ville derfor stoppe. (The sync would remove "
            "more than half of the indexed documents and would stop.)")


def summary_json(summary: SyncSummary) -> dict[str, Any]:
    """Return the summary in the documented JSON shape."""
    return {
        "new": summary.new, "changed": summary.changed, "removed": summary.removed,
        "unchanged": summary.unchanged, "chunks": summary.chunks,
        "failed": [{"file": name, "reason": reason} for name, reason in summary.failed],
        "dry_run": summary.dry_run,
        "removal_refused": None if summary.refused is None else {
            "remove": len(summary.refused.names), "indexed": summary.refused.indexed,
            "files": summary.refused.names},
    }


def summary_text(summary: SyncSummary) -> str:
    """Return the summary as lines for a person."""
    head = "Tørkørsel - intet er ændret. Ville indlæse:" if summary.dry_run else "Indlæsning færdig:"
    lines = [
        f"{head} {summary.new} nye, {summary.changed} ændrede, {summary.removed} fjernede, "
        f"{summary.unchanged} uændrede dokumenter.",
        f"Indekset har {summary.chunks} tekststykker.",
    ]
    if summary.failed:
        lines.append(f"{len(summary.failed)} fil(er) kunne ikke indlæses:")
        lines += [f"  - {name}: {reason}" for name, reason in summary.failed]
    return "\n".join(lines)


def _progress_bar(args: argparse.Namespace) -> Any:
    if args.json or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in bar:
            bar["bar"] = tqdm(total=total, unit="stykker", desc="Indlæser", file=sys.stderr)
        bar["bar"].update(done - bar["bar"].n)
        if done >= total:
            bar["bar"].close()

    return update
