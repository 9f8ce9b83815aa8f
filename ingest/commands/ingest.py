"""`indgang ingest`: sync source folders into the index and print a summary."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ingest.models import Removal, SyncSummary
from ingest.sources import configured_sources
from ingest.sync import RemovalRefusedError, sync_documents
from ingest.web.crawl import CrawlOptions
from knowledge.errors import IndgangError
from knowledge.index.embeddings import Embedder
from knowledge.index.store import Store
from knowledge.settings import Settings, describe_settings_error

ALLOW_REMOVAL_HINT = (
    "Tjek stierne og webadresserne: en tom eller forkert mappe, en forkert adresse eller en "
    "hjemmeside, der ikke svarer som før? Skal dokumenterne virkelig fjernes, så kør igen med "
    "--allow-removal. (Check the paths and addresses; to remove them anyway, add "
    "--allow-removal.)"
)
UNREADABLE_HINT = (
    "Dokumenterne kunne ikke læses og kan ikke beholde vektorer fra den gamle sprogmodel. Ret "
    "filerne, eller kør igen med --allow-removal for at fjerne dem. (They could not be read for "
    "the new model; fix them, or add --allow-removal to remove them.)"
)


def register(commands: Any) -> None:
    """Add the ingest subcommand."""
    parser = commands.add_parser(
        "ingest",
        help="indlæs dokumenter i indekset (nye, ændrede og slettede)",
        description="Bring indekset i takt med mapperne og hjemmesiderne: nye og ændrede "
        "dokumenter indlæses, dokumenter der er væk fjernes. Uden KILDE: INDGANG_SOURCE_DIRS "
        "og INDGANG_SOURCE_URLS (ellers kommunens standarddokumenter). Ville den fjerne mere "
        "end halvdelen af dokumenterne i indekset, eller efterlade en mappe eller "
        "hjemmeside med mindre end halvdelen af dens, stopper den uden at ændre noget "
        "(se --allow-removal).",
    )
    parser.add_argument("paths", nargs="*", metavar="KILDE",
                        help="filer og mapper (PDF, DOCX, HTML, Markdown, tekst) og webadresser: "
                        "et sitemap (https://www.kommune.dk/sitemap.xml) eller en startside")
    parser.add_argument("--depth", type=_count, metavar="N",
                        help="følg links N klik fra en startside (ellers INDGANG_CRAWL_DEPTH)")
    parser.add_argument("--max-pages", type=at_least_one, metavar="N",
                        help="hent højst N sider og filer pr. hjemmeside "
                        "(ellers INDGANG_CRAWL_MAX_PAGES)")
    add_store_argument(parser)
    parser.add_argument("--dry-run", action="store_true", help="vis kun hvad der ville ske")
    parser.add_argument("--rebuild", action="store_true",
                        help="indlæs alt forfra (fx efter skift af sprogmodel)")
    parser.add_argument("--allow-removal", action="store_true",
                        help="fjern dokumenter, selv om det er mere end halvdelen af indekset "
                        "eller af en mappes eller hjemmesides (ellers stopper indlæsningen med "
                        "afslutningskode 2)")
    parser.add_argument("--json", action="store_true", help="skriv opsummeringen som JSON")
    parser.set_defaults(run=run_ingest)


def add_store_argument(parser: argparse.ArgumentParser) -> None:
    """Add --store, shared by every command that opens the index."""
    parser.add_argument("--store", type=_folder, metavar="MAPPE",
                        help="indeksets mappe (ellers INDGANG_STORE_DIR eller datamappen)")


def settings_from(args: argparse.Namespace) -> Settings:
    """Return Settings with command-line overrides applied."""
    settings = Settings()
    if getattr(args, "store", None):
        settings = settings.model_copy(update={"store_dir": args.store})
    return settings


def run_ingest(args: argparse.Namespace) -> int:
    """Sync, print the summary; exit 1 when some file failed, 2 when removal was refused."""
    progress = _progress(args)
    try:
        summary = _synced(args, progress)
    except RemovalRefusedError as error:
        unreadable = _failure_lines(error.removal.unreadable) if error.removal.unreadable else []
        print("\n".join([f"Fejl: {error}", *unreadable, _refusal_hint(error.removal)]),
              file=sys.stderr)
        if args.json:  # a script still gets one object, saying why nothing changed
            print(json.dumps({"error": str(error), "removal_refused": _removal_json(error.removal)},
                             ensure_ascii=False))
        return 2
    except (IndgangError, ValidationError) as error:  # said on stderr by the command line
        if args.json:  # a bad path or setting, the lock, another model, no Chroma server
            said = describe_settings_error(error) if isinstance(error, ValidationError) else error
            print(json.dumps({"error": str(said), "removal_refused": None}, ensure_ascii=False))
        raise
    finally:
        if progress:
            progress.close()  # before the summary: a bar left open is drawn again after it
    if args.json:
        print(json.dumps(summary_json(summary), ensure_ascii=False))
    else:
        print(summary_text(summary))
    if summary.refused:
        # the files that would fail are listed in the summary above
        print(f"Advarsel: {refusal_text(summary.refused)}\n{_refusal_hint(summary.refused)}",
              file=sys.stderr)
        return 2
    return 1 if summary.failed else 0


def _synced(args: argparse.Namespace, progress: _Progress | None) -> SyncSummary:
    settings = settings_from(args)
    crawl = CrawlOptions(args.depth, args.max_pages, progress.visited if progress else None)
    return sync_documents(
        args.paths or configured_sources(settings), Store.from_settings(settings),
        Embedder(settings), settings, dry_run=args.dry_run, rebuild=args.rebuild,
        allow_removal=args.allow_removal,
        on_progress=progress.embedded if progress else None, crawl=crawl,
    )


def _refusal_hint(removal: Removal) -> str:
    """Return what to do about a refused sync: documents missing, or unreadable for a rebuild."""
    return UNREADABLE_HINT if removal.unreadable else ALLOW_REMOVAL_HINT  # else a wrong folder


def refusal_text(removal: Removal) -> str:
    """Return the dry run's warning that the real sync would stop."""
    return (f"Indlæsningen ville fjerne {removal.extent()} ({removal.describe()}) og ville "
            "derfor stoppe. (The sync would remove more than half of the documents in the "
            "index or from one source and would stop.)")


def summary_json(summary: SyncSummary) -> dict[str, Any]:
    """Return the summary in the documented JSON shape."""
    return {
        "new": summary.new, "changed": summary.changed, "removed": summary.removed,
        "unchanged": summary.unchanged, "chunks": summary.chunks,
        "failed": [{"file": name, "reason": reason} for name, reason in summary.failed],
        "published": summary.published,
        "files": {"new": summary.new_files, "changed": summary.changed_files,
                  "removed": summary.removed_files},
        "dry_run": summary.dry_run,
        "removal_refused": None if summary.refused is None else _removal_json(summary.refused),
        "search_upgraded": summary.search_upgraded,
    }


def _removal_json(removal: Removal) -> dict[str, Any]:
    return {"remove": len(removal.names), "indexed": removal.indexed, "files": removal.names,
            "source": removal.source or None}


def summary_text(summary: SyncSummary) -> str:
    """Return the summary as lines for a person."""
    head = "Tørkørsel - intet er ændret. Ville indlæse:" if summary.dry_run else "Indlæsning færdig:"
    lines = [
        f"{head} {summary.new} nye, {summary.changed} ændrede, {summary.removed} fjernede, "
        f"{summary.unchanged} uændrede dokumenter.",
        f"Indekset har {summary.chunks} tekststykker.",
        *filter(None, [summary.search_note()]),
    ]
    if summary.dry_run:  # what would change, by name, to be checked before the real run
        lines += [line for label, names in (("Nye", summary.new_files),
                                            ("Ændrede", summary.changed_files),
                                            ("Ville blive fjernet", summary.removed_files))
                  if names for line in (f"{label}:", *(f"  - {name}" for name in names))]
    if summary.failed:
        lines += _failure_lines(summary.failed)
    if summary.published:
        lines += [summary.published_warning(), *(f"  - {name}" for name in summary.published)]
    return "\n".join(lines)


def _failure_lines(failed: list[tuple[str, str]]) -> list[str]:
    return [f"{len(failed)} fil(er) eller webadresse(r) kunne ikke indlæses:",
            *(f"  - {name}: {reason}" for name, reason in failed)]


def _count(text: str) -> int:
    """Parse a whole number >= 0 for --depth."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} er ikke et helt tal >= 0 "
                                         "(not a whole number >= 0)")
    return int(text)


def at_least_one(text: str) -> int:
    """Parse a whole number >= 1 (--max-pages, as INDGANG_CRAWL_MAX_PAGES; report --limit)."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} er ikke et helt tal >= 1 "
                                         "(not a whole number >= 1)")
    return int(text)


def _folder(text: str) -> Path:
    """Parse --store: an empty name would silently mean the current folder."""
    if not text.strip():
        raise argparse.ArgumentTypeError("må ikke være tom (must not be empty)")
    return Path(text)


class _Progress:
    """Progress on a terminal: web addresses visited, then chunks embedded."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._kind = ""

    def visited(self, count: int) -> None:
        """Show how many web addresses were visited so far."""
        self._show("fetch", count, None)

    def embedded(self, done: int, total: int) -> None:
        """Show how many chunks of the total are embedded."""
        self._show("embed", done, total)

    def close(self) -> None:
        """End the bar shown last."""
        if self._bar is not None:
            self._bar.close()

    def _show(self, kind: str, count: int, total: int | None) -> None:
        from tqdm import tqdm

        if self._kind != kind:
            if self._bar is not None:
                self._bar.close()
            desc, unit = ("Henter", " adresser") if kind == "fetch" else ("Indlæser", "stykker")
            self._bar = tqdm(total=total, unit=unit, desc=desc, file=sys.stderr)
            self._kind = kind
        self._bar.update(count - self._bar.n)


def _progress(args: argparse.Namespace) -> _Progress | None:
    return None if args.json or not sys.stderr.isatty() else _Progress()
