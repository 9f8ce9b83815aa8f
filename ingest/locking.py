"""One ingestion at a time per store: an OS file lock, released even by kill -9."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from knowledge.errors import IngestBusyError
from knowledge.folders import STORE_FOLDER, writable_folder


@contextlib.contextmanager
def ingest_lock(store_dir: Path) -> Iterator[None]:
    """Hold the store's ingestion lock, or raise IngestBusyError at once."""
    path = writable_folder(store_dir, STORE_FOLDER) / "ingest.lock"
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            handle.seek(0)
            holder = handle.read().strip() or "ukendt"
            raise IngestBusyError(
                f"En anden indlæsning kører allerede på dette indeks (proces {holder}). "
                "Vent til den er færdig, og prøv igen. "
                "(Another ingestion is running on this index; try again when it has finished.)"
            ) from error
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
