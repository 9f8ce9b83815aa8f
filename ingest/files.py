"""Find the documents in source folders and fingerprint their content."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from ingest.documents import SUPPORTED_SUFFIXES, sidecar_path
from ingest.models import DocumentFile
from knowledge.errors import IndgangError


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
                failed.append((path.name, f"filtypen {path.suffix or '(ingen)'} understøttes ikke"))
                continue
            candidates = [path]
        else:
            candidates = sorted(p for p in path.rglob("*") if _is_document(p, path))
        for candidate in candidates:
            resolved = candidate.resolve()
            key = str(resolved)
            if key not in found:
                found[key] = DocumentFile(key, key, resolved.name, content_hash(resolved))
    return sorted(found.values(), key=lambda f: f.key), failed


def content_hash(path: Path) -> str:
    """Return a hash of the file and its metadata sidecar: a change to either counts."""
    digest = hashlib.sha256()
    digest.update(path.read_bytes())
    sidecar = sidecar_path(path)
    if sidecar.is_file():
        digest.update(b"\x00sidecar\x00")
        digest.update(sidecar.read_bytes())
    return digest.hexdigest()


def _is_document(path: Path, root: Path) -> bool:
    relative = path.relative_to(root).parts
    if any(part.startswith(".") for part in relative) or path.name.startswith("~$"):
        return False
    return path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES
