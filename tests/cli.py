"""The real command line, run in the test's own process: what it prints, returns and changes.

Starting `python -m ingest` costs about 14 s of CPU here, most of it sentence-transformers'
imports, and was most of the suite's time. Tests of what a command prints, what it exits
with and what it does to the index call its `main` here, with the environment, working
folder, standard streams and logging a process of its own would have. Tests of what only a
process shows still start one: kill -9, Ctrl-C, a reader that closes the pipe, bytes on
standard input that are not UTF-8, root's permissions dropped, the bot process's log.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import logging
import os
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ingest.cli import main
from knowledge.settings import Settings


@dataclass(frozen=True)
class Ran:
    """What a command returned and printed."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, env: Mapping[str, str] | None = None, stdin: str = "",
            cwd: Path | None = None, clear_env_prefix: str = "", timeout: float = 600) -> Ran:
    """Run `indgang ARGS` in this process and return its exit code and output.

    Args:
        env: variables set for the command, on top of this process's environment.
        stdin: the command's standard input (empty: at its end at once).
        cwd: the working folder to run it in.
        clear_env_prefix: variables with this prefix ("INDGANG_") are unset first.
        timeout: seconds after which the test process ends (see _deadline).
    """
    out, err, children = io.StringIO(), io.StringIO(), io.StringIO()
    try:
        with (_deadline(timeout), _environment(env or {}, clear_env_prefix),
              contextlib.chdir(cwd or Path.cwd()), _own_logging(), _stdin(stdin),
              _stderr_of_children(children), contextlib.redirect_stdout(out),
              contextlib.redirect_stderr(err)):
            try:
                code = main(list(args))
            except SystemExit as exit_:  # argparse's usage errors and --help
                code = exit_.code if isinstance(exit_.code, int) else 1 if exit_.code else 0
    except Exception as error:  # what the command printed belongs in the failure's report
        error.add_note(f"stdout:\n{out.getvalue()}\nstderr:\n{err.getvalue()}{children.getvalue()}")
        raise
    return Ran(code, out.getvalue(), err.getvalue() + children.getvalue())


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """End the test process with every thread's stack after seconds: a command that hangs
    cannot be stopped otherwise, and the test runner then names the test that did."""
    with os.fdopen(os.dup(2), "w") as stderr:  # the test runner's, not the command's
        faulthandler.dump_traceback_later(seconds, exit=True, file=stderr)
        try:
            yield
        finally:
            faulthandler.cancel_dump_traceback_later()


def store_env(settings: Settings) -> dict[str, str]:
    """Return the variables that point a command at a test's store and data folder."""
    env = {"INDGANG_STORE_DIR": str(settings.resolved_store_dir),
           "INDGANG_DATA_DIR": str(settings.data_dir)}
    if settings.chroma_url:
        env.update(INDGANG_CHROMA_URL=settings.chroma_url,
                   INDGANG_COLLECTION_PREFIX=settings.collection_prefix)
    return env


@contextlib.contextmanager
def _environment(overrides: Mapping[str, str], clear_prefix: str) -> Iterator[None]:
    saved = dict(os.environ)
    try:
        for key in [key for key in os.environ if clear_prefix and key.startswith(clear_prefix)]:
            del os.environ[key]
        os.environ.update(overrides)
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _own_logging() -> Iterator[None]:
    """Let the command configure logging as in a process of its own, then restore it.

    With the test runner's handlers on the root logger, the command's logging.basicConfig
    would do nothing, and its warnings would not reach its standard error. The levels it
    sets ("httpx" to WARNING) must not hold for the tests after it.
    """
    root = logging.getLogger()
    handlers = root.handlers[:]
    levels = {logger: logger.level for logger in _loggers()}
    root.handlers = []
    try:
        yield
    finally:
        root.handlers = handlers
        for logger in _loggers():  # one created meanwhile ("pypdf") had no level of its own
            logger.setLevel(levels.get(logger, logging.NOTSET))


def _loggers() -> list[logging.Logger]:
    known = logging.root.manager.loggerDict.values()
    return [logging.getLogger(),
            *(logger for logger in known if isinstance(logger, logging.Logger))]


@contextlib.contextmanager
def _stderr_of_children(into: io.StringIO) -> Iterator[None]:
    """Add what is written to file descriptor 2 (the loader process, C libraries) to into:
    the command's standard error, as in a process of its own."""
    with tempfile.TemporaryFile() as file:
        saved = os.dup(2)
        os.dup2(file.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            file.seek(0)
            into.write(file.read().decode("utf-8", "replace"))


@contextlib.contextmanager
def _stdin(text: str) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved
