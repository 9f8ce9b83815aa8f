"""Load and chunk documents in a child process, each file within a size and time budget.

A parser can take very long on a hostile or broken file (a huge text, a PDF whose content
streams never end), and Python cannot stop a thread that is stuck in a library call. So
each file is loaded in a worker process: a file over INDGANG_MAX_LOAD_S gets its worker
killed and is reported as failed, and a fresh worker takes the next file. A file over
INDGANG_MAX_FILE_MB is reported without being read at all. A PDF or DOCX that a web page
links to is downloaded to a temporary folder and loaded here too: it can be as hostile.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import subprocess
import sys
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from ingest.chunking import split_into_chunks, stable_id
from ingest.documents import load_document
from ingest.files import unreadable_file
from ingest.models import DocumentFile, DocumentMeta
from knowledge.errors import DocumentError
from knowledge.models import Chunk
from knowledge.settings import Settings

log = logging.getLogger(__name__)

_START_TIMEOUT_S = 300.0  # importing the parsers, on a busy machine


@dataclass(frozen=True)
class LoadedFile:
    """A document's metadata and chunks, ready to embed."""

    meta: DocumentMeta
    chunks: list[Chunk]


class LoaderProcess:
    """A worker process that loads one file at a time; use it as a context manager."""

    def __init__(self, settings: Settings) -> None:
        self.max_bytes = int(settings.max_file_mb * 1_000_000)
        self.max_load_s = settings.max_load_s
        self.chunking = (settings.chunk_size_chars, settings.chunk_overlap_chars)
        self._process: subprocess.Popen[bytes] | None = None
        self._connection: Connection | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def load(self, source: DocumentFile) -> LoadedFile:
        """Return the file's metadata and chunks.

        Raises:
            DocumentError: the file is over a budget, or cannot be read; the message says why.
        """
        try:
            size = Path(source.path).stat().st_size
        except OSError as error:  # moved or deleted since the files were listed
            raise DocumentError(unreadable_file(error)) from error
        if size > self.max_bytes:
            raise DocumentError(
                f"filen er for stor: {size / 1_000_000:.0f} MB, grænsen er "
                f"{self.max_bytes / 1_000_000:g} MB (INDGANG_MAX_FILE_MB) (file too large)")
        connection = self._worker()
        connection.send((source.path, source.meta, stable_id(source.key), source.content_hash,
                         *self.chunking))
        if not connection.poll(self.max_load_s):
            self.close()
            raise DocumentError(
                f"indlæsningen tog mere end {self.max_load_s:g} s og blev stoppet "
                "(INDGANG_MAX_LOAD_S) (took too long to load)")
        try:
            status, value, records = connection.recv()
        except (EOFError, OSError) as error:
            self.close()
            raise DocumentError(
                "læseprocessen stoppede uventet (the loader process died)") from error
        for name, level, message in records:  # warnings about the file, e.g. a bad date
            logging.getLogger(name).log(level, "%s", message)
        if status == "ok":
            return LoadedFile(*value)
        if status == "unexpected":
            log.warning("%s: unexpected error\n%s", source.name, value[1])
            raise DocumentError(f"kunne ikke læses (could not be read): {value[0]}")
        raise DocumentError(value)

    def close(self) -> None:
        """Stop the worker (killing it if it is busy)."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()
        if self._connection is not None:
            self._connection.close()
        self._process = self._connection = None

    def _worker(self) -> Connection:
        if self._connection is not None:
            return self._connection
        # A fresh interpreter (`python -m`), not fork: the bot's process has threads (answering,
        # the model) that a fork would copy mid-flight; and not multiprocessing's spawn, which
        # re-runs the caller's main script in the child unless it is guarded.
        ours, theirs = multiprocessing.Pipe()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(theirs.fileno())], pass_fds=[theirs.fileno()],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        theirs.close()
        self._connection = ours
        try:
            ready = ours.poll(_START_TIMEOUT_S) and ours.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.close()
            raise DocumentError(
                "læseprocessen kunne ikke starte (the loader process did not start)")
        return ours


class _Collect(logging.Handler):
    """Keep the worker's log records of one file, to be logged again by the parent."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _serve(connection: Connection) -> None:
    """Load files sent by the parent until it closes the pipe (runs in the worker)."""
    collect = _Collect()
    logging.getLogger().addHandler(collect)
    logging.getLogger().setLevel(logging.WARNING)
    connection.send("ready")
    while True:
        try:
            path, known, doc_id, content_hash, size, overlap = connection.recv()
        except EOFError:
            return
        collect.records = []
        try:
            document = load_document(Path(path), known)
            chunks = split_into_chunks(document, doc_id, content_hash, size, overlap)
            reply: tuple[str, Any] = ("ok", (document.meta, chunks))
        except DocumentError as error:
            reply = ("failed", str(error))
        except OSError as error:  # not allowed to read it, or gone since it was listed
            reply = ("failed", unreadable_file(error))
        except Exception as error:  # one unreadable file must not stop the others
            reply = ("unexpected", (repr(error), traceback.format_exc()))
        connection.send((*reply, collect.records))


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1])))
