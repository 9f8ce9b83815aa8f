"""Find the documents in source folders and fingerprint their content."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from ingest.documents import SUPPORTED_SUFFIXES, sidecar_path
from ingest.models import DocumentFile, LoadedDocument
from knowledge.errors import DocumentError, IndgangError

# The content hash of a file that could not be read: never a real hash, so never unchanged.
UNREADABLE = "unreadable"
NOT_REGULAR = "ikke en almindelig fil eller mappe, fx en FIFO (not a regular file or folder)"
# Office formats an admin would expect indexed from a folder: reported, not passed over.
UNREAD_OFFICE_FORMATS = frozenset({".doc", ".rtf", ".odt", ".pages", ".wpd"})

# Bumped when loading or chunking changes what a file becomes (its text, sections,
# title or chunks), so an ingest reads every file again instead of keeping old chunks.
READ_VERSION = 11


def find_document_files(paths: Iterable[Path]) -> tuple[list[DocumentFile], list[tuple[str, str]]]:
    """Return the supported files under the given files and folders, and those skipped.

    A folder is searched recursively; hidden files and Office lock files are passed
    over. A file named directly with an unsupported type is reported as failed.
    """
    found: dict[str, DocumentFile] = {}
    failed: list[tuple[str, str]] = []
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
            candidates, special, unread = _scan_folder(path)
            failed += [(p.name, NOT_REGULAR) for p in special]
            failed += [(p.name, unsupported(p)) for p in unread]
        else:  # a FIFO, socket or device: reading it could wait for ever
            failed.append((path.name, NOT_REGULAR))
            continue
        for candidate in candidates:
            resolved = candidate.resolve()
            key = str(resolved)
            if key not in found:
                found[key] = _fingerprinted(key, resolved)
    return sorted(found.values(), key=lambda f: f.key), failed


def _fingerprinted(key: str, path: Path) -> DocumentFile:
    """Return the file with its content hash, or one that fails to load when it cannot be read.

    A file the ingest may not read (permissions, a network share's error) or that was
    deleted since the folder was listed is reported as failed, and its last indexed
    version is kept: it counts as changed, and loading it fails.
    """
    try:
        return DocumentFile(key, key, path.name, content_hash(path))
    except OSError as error:
        reason = unreadable_file(error)

        def fail() -> LoadedDocument:
            raise DocumentError(reason)

        return DocumentFile(key, key, path.name, UNREADABLE, load=fail)


def unsupported(path: Path) -> str:
    """Return why a file of a type Indgang does not read is not indexed, and what to do."""
    return (f"filtypen {path.suffix or '(ingen)'} understøttes ikke; gem den som PDF eller "
            "DOCX (unsupported file type)")


def unreadable_file(error: OSError) -> str:
    """Return the reason a file that the system would not read failed, for the admin."""
    return f"filen kunne ikke læses: {error.strerror or error} (the file could not be read)"


def content_hash(path: Path) -> str:
    """Return a hash of the file and its metadata sidecar: a change to either counts.

    So does a new READ_VERSION: what a file becomes in the index changed.
    """
    digest = hashlib.sha256(f"indgang-read-{READ_VERSION}\x00".encode())
    with path.open("rb") as handle:
        hashlib.file_digest(handle, lambda: digest)  # in blocks: a huge file is not read whole
    try:
        sidecar = sidecar_path(path)
    except DocumentError:  # two sidecars: read again, where the file fails and says why
        digest.update(b"\x00several sidecars\x00")
        return digest.hexdigest()
    if sidecar is not None and sidecar.is_file():
        digest.update(b"\x00sidecar\x00")
        digest.update(sidecar.read_bytes())
    return digest.hexdigest()


def _scan_folder(root: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """Return the documents under a folder, document-named entries that are no file, and
    office files of a type that is not read (UNREAD_OFFICE_FORMATS)."""
    documents: list[Path] = []
    special: list[Path] = []
    unread: list[Path] = []
    for path in sorted(root.rglob("*")):
        if not _is_visible(path, root):
            continue
        suffix = path.suffix.lower()
        if suffix in UNREAD_OFFICE_FORMATS and path.is_file():
            unread.append(path)
        elif suffix not in SUPPORTED_SUFFIXES:
            continue
        elif path.is_file():
            documents.append(path)
        elif path.exists() and not path.is_dir():  # a FIFO, socket or device
            special.append(path)
    return documents, special, unread


def _is_visible(path: Path, root: Path) -> bool:
    """Return whether a path is not hidden, nor an Office lock file ("~$rapport.docx")."""
    relative = path.relative_to(root).parts
    return not any(part.startswith(".") for part in relative) and not path.name.startswith("~$")
