"""Find the documents in source folders and fingerprint their content."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.documents import SUPPORTED_SUFFIXES, sidecar_paths
from ingest.metadata import SIDECAR_SUFFIXES, read_sidecar_bytes
from ingest.models import DocumentFile, LoadedDocument
from knowledge.errors import DocumentError, IndgangError

# The content hash of a file that could not be read: never a real hash, so never unchanged.
UNREADABLE = "unreadable"
NOT_REGULAR = "ikke en almindelig fil eller mappe, fx en FIFO (not a regular file or folder)"
BROKEN_LINK = ("linket peger på noget, der ikke kan nås; det, der blev indlæst derfra, beholdes "
               "(a link to something that cannot be reached; its documents are kept)")
ORPHAN_SIDECAR = ("sidefil uden dokument: dokumentet er omdøbt, flyttet eller slettet, så dens "
                  "audience gælder ikke længere; flyt den med, eller slet den (a sidecar without "
                  "its document)")
# Office formats an admin would expect indexed from a folder: reported, not passed over.
UNREAD_OFFICE_FORMATS = frozenset({".doc", ".rtf", ".odt", ".pages", ".wpd"})

# Bumped when loading or chunking changes what a file becomes (its text, sections,
# title or chunks), so an ingest reads every file again instead of keeping old chunks.
READ_VERSION = 13


@dataclass(frozen=True)
class FoundFiles:
    """The documents under the sources, what was skipped and why, and what could not be
    looked into: the documents indexed from an unreadable folder are kept, not removed."""

    files: list[DocumentFile]
    failed: list[tuple[str, str]]
    unread: list[str]  # keys of documents, or of folders whose documents, are to be kept
    # Each given path, and the real folders it led into (linked ones too): a document
    # whose key lies in one of them came from that path.
    folders: dict[str, list[str]] = field(default_factory=dict)


def find_document_files(paths: Iterable[Path]) -> FoundFiles:
    """Return the supported files under the given files and folders, and those skipped.

    A folder is searched recursively, into linked folders too (each folder once); hidden
    files and Office lock files are passed over. A file named directly with an
    unsupported type is reported as failed, and so are a folder that cannot be listed and
    a link that leads nowhere.
    """
    found: dict[str, DocumentFile] = {}
    failed: list[tuple[str, str]] = []
    unread: list[str] = []
    folders: dict[str, list[str]] = {}
    for given in paths:
        path = Path(given).expanduser()
        if not path.exists():
            raise IndgangError(f"Stien findes ikke (path not found): {path}")
        if path.is_file():
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                failed.append((path.name, unsupported(path)))
                continue
            candidates = [path]
        elif path.is_dir():
            folder = _scan_folder(path)
            candidates = folder.documents
            failed += [(p.name, NOT_REGULAR) for p in folder.special]
            failed += [(p.name, unsupported(p)) for p in folder.unsupported]
            failed += [(p.name, ORPHAN_SIDECAR) for p in folder.orphans]
            for unreadable, error in folder.unreadable:
                failed.append((f"{unreadable.name or unreadable.resolve().name}/",
                               unreadable_folder(error)))
                unread.append(os.path.realpath(unreadable))
            for link in folder.broken_links:
                failed.append((link.name, BROKEN_LINK))
                unread += [os.path.realpath(link), document_key(link)]
            # What it could not look into is its own too (a share that cannot be listed).
            out_of_reach = [*(path for path, _ in folder.unreadable), *folder.broken_links]
            folders[str(given)] = [*folder.entered, *map(os.path.realpath, out_of_reach)]
        else:  # a FIFO, socket or device: reading it could wait for ever
            failed.append((path.name, NOT_REGULAR))
            continue
        for candidate in candidates:
            key = document_key(candidate)
            if key not in found:
                found[key] = _fingerprinted(key, candidate.absolute())
    return FoundFiles(sorted(found.values(), key=lambda f: f.key), failed, unread, folders)


def document_key(path: Path) -> str:
    """Return a file's key: where it lies, its folders resolved but not the file itself.

    A folder named twice, or by a link, gives one key; a linked file is a document of the
    place it is linked into, judged by the sidecars there (see sidecar_paths), so two
    links to one file in two folders are two documents, each with its own audience.
    """
    return str(path.absolute().parent.resolve() / path.name)


def _fingerprinted(key: str, path: Path) -> DocumentFile:
    """Return the file with its content hash, or one that fails to load when it cannot be read.

    A file the ingest may not read (permissions, a network share's error) or that was
    deleted since the folder was listed is reported as failed, and its last indexed
    version is kept: it counts as changed, and loading it fails.
    """
    try:
        return DocumentFile(key, str(path), path.name, content_hash(path))
    except (OSError, DocumentError) as error:
        reason = unreadable_file(error) if isinstance(error, OSError) else str(error)

        def fail() -> LoadedDocument:
            raise DocumentError(reason)

        return DocumentFile(key, str(path), path.name, UNREADABLE, load=fail)


def unsupported(path: Path) -> str:
    """Return why a file of a type Indgang does not read is not indexed, and what to do."""
    return (f"filtypen {path.suffix or '(ingen)'} understøttes ikke; gem den som PDF eller "
            "DOCX (unsupported file type)")


def unreadable_file(error: OSError) -> str:
    """Return the reason a file that the system would not read failed, for the admin."""
    return f"filen kunne ikke læses: {error.strerror or error} (the file could not be read)"


def unreadable_folder(error: OSError) -> str:
    """Return the reason a folder could not be searched; its indexed documents stay."""
    return (f"mappen kunne ikke læses: {error.strerror or error}; dokumenterne fra den beholdes "
            "i indekset (the folder could not be read; its documents are kept)")


def content_hash(path: Path) -> str:
    """Return a hash of the file and its metadata sidecar: a change to either counts.

    So does a new READ_VERSION: what a file becomes in the index changed.

    Raises:
        OSError: the file cannot be read.
        DocumentError: a sidecar cannot be read (the reason names it).
    """
    digest = hashlib.sha256(f"indgang-read-{READ_VERSION}\x00".encode())
    with path.open("rb") as handle:
        hashlib.file_digest(handle, lambda: digest)  # in blocks: a huge file is not read whole
    try:
        sidecars = sidecar_paths(path)
    except DocumentError:  # two sidecars: read again, where the file fails and says why
        digest.update(b"\x00several sidecars\x00")
        return digest.hexdigest()
    for sidecar in sidecars:
        if sidecar.is_file():
            digest.update(b"\x00sidecar\x00")
            digest.update(read_sidecar_bytes(sidecar))
    return digest.hexdigest()


@dataclass
class _Folder:
    documents: list[Path] = field(default_factory=list)
    special: list[Path] = field(default_factory=list)  # document-named, but no regular file
    unsupported: list[Path] = field(default_factory=list)  # UNREAD_OFFICE_FORMATS
    unreadable: list[tuple[Path, OSError]] = field(default_factory=list)  # not listed
    orphans: list[Path] = field(default_factory=list)  # sidecars beside no document
    broken_links: list[Path] = field(default_factory=list)  # to nothing that can be reached
    entered: list[str] = field(default_factory=list)  # real paths of the folders walked


def _scan_folder(root: Path) -> _Folder:
    """Return what is under a folder, following linked folders, each real folder once."""
    found = _Folder()
    seen: set[str] = set()

    def not_listed(error: OSError) -> None:
        found.unreadable.append((Path(error.filename), error))

    for folder, subfolders, names in os.walk(root, onerror=not_listed, followlinks=True):
        here = Path(folder)
        real = os.path.realpath(here)
        if real in seen:  # a link back up, or a folder linked twice
            subfolders.clear()
            continue
        seen.add(real)
        found.entered.append(real)
        subfolders[:] = sorted(name for name in subfolders if _is_visible(here / name, root))
        found.orphans += _orphan_sidecars(here, names)
        for name in sorted(names):
            path = here / name
            if not _is_visible(path, root):
                continue
            if path.is_symlink() and not path.exists():  # to something gone or out of reach
                found.broken_links.append(path)
                continue
            suffix = path.suffix.lower()
            if suffix in UNREAD_OFFICE_FORMATS and path.is_file():
                found.unsupported.append(path)
            elif suffix not in SUPPORTED_SUFFIXES:
                continue
            elif path.is_file():
                found.documents.append(path)
            elif path.exists():  # a FIFO, socket or device
                found.special.append(path)
    return found


def _orphan_sidecars(folder: Path, names: list[str]) -> list[Path]:
    """Return the sidecars of documents that are not there (renamed, moved, deleted).

    Its document renamed, a staff document's sidecar no longer applies and the document is
    public: the admin must hear of it.
    """
    present = {name.lower() for name in names}
    orphans = []
    for name in sorted(names):
        lower = name.lower()
        described = next((lower[: -len(suffix)] for suffix in SIDECAR_SUFFIXES
                          if lower.endswith(suffix)), None)
        if (described and not name.startswith(".")
                and Path(described).suffix in SUPPORTED_SUFFIXES and described not in present):
            orphans.append(folder / name)
    return orphans


def _is_visible(path: Path, root: Path) -> bool:
    """Return whether a path is not hidden, nor an Office lock file ("~$rapport.docx")."""
    relative = path.relative_to(root).parts
    return not any(part.startswith(".") for part in relative) and not path.name.startswith("~$")
