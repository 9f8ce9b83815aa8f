"""Check the folders Indgang keeps its data in before using them, with a plain message."""

from __future__ import annotations

import tempfile
from pathlib import Path

from knowledge.errors import IndgangError

STORE_FOLDER = "indeksets mappe (INDGANG_STORE_DIR eller --store)"
DATA_FOLDER = "datamappen (INDGANG_DATA_DIR)"


def readable_folder(path: Path, label: str) -> Path:
    """Return path, or raise IndgangError when it (or a folder above it) is a file.

    A folder that does not exist yet is fine: nothing has been written there.
    """
    for candidate in (path, *path.parents):
        if candidate.exists():
            if not candidate.is_dir():
                raise IndgangError(
                    f"{label[:1].upper()}{label[1:]} kan ikke bruges: {candidate} er en fil, "
                    f"ikke en mappe. (The folder {path} cannot be used: {candidate} is a file, "
                    "not a folder.)")
            break
    return path


def writable_folder(path: Path, label: str) -> Path:
    """Create the folder if needed and check that files can be written in it."""
    readable_folder(path, label)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise IndgangError(
            f"Der kan ikke skrives i {label}, {path}: {reason}. Vælg en anden mappe, eller ret "
            f"rettighederne. (The folder {path} is not writable.)") from error
    return path
