"""Questions and feedback in SQLite: counted for admins, with as little personal data as possible.

Users are stored only as `user_key`, a salted SHA-256 of their Telegram id; the salt is
random, made once per database and kept in the `meta` table. Question text is scrubbed
(see knowledge.feedback.privacy) and kept in two places only:

- on the question row, when no answer was found: admins need those to fill the gaps,
  while answered questions are only counted;
- on the feedback row, when a user votes 👍/👎: the caller passes the question with the
  vote, so `indgang report` can show what an unhelpful answer was about even when the
  question was answered. Keeping the text on the vote (rather than back-filling the
  question row) makes each feedback row self-contained: it survives pruning of its
  question, and reading it needs no join.

A vote counts only from the user who asked, once, on a question that exists: the
question row's user_key says who asked, so nobody can add votes to other people's
answers or to made-up question ids.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from knowledge.errors import IndgangError
from knowledge.feedback.privacy import scrub
from knowledge.folders import DATA_FOLDER, writable_folder
from knowledge.models import MAX_QUESTION_CHARS
from knowledge.settings import Settings

# SQLite integers are signed 64-bit; a larger id cannot name a question.
MAX_ROW_ID = 2**63 - 1
# How long a /glem keeps a question asked before it from being stored (see forget_user).
FORGOTTEN_MARK_KEPT = timedelta(hours=1)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    asked_at TEXT NOT NULL,
    user_key TEXT NOT NULL,
    role TEXT NOT NULL,
    language TEXT NOT NULL,
    found INTEGER NOT NULL,
    question TEXT,
    question_key TEXT
);
CREATE INDEX IF NOT EXISTS questions_user ON questions (user_key);
CREATE INDEX IF NOT EXISTS questions_unanswered ON questions (found, question_key);
CREATE TABLE IF NOT EXISTS feedback (
    user_key TEXT NOT NULL,
    question_id INTEGER NOT NULL,
    helpful INTEGER NOT NULL,
    question TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (user_key, question_id)
);
CREATE INDEX IF NOT EXISTS feedback_at ON feedback (at);
"""


@dataclass(frozen=True)
class FeedbackStats:
    """Totals for the admin report."""

    questions: int
    not_found: int
    helpful: int
    unhelpful: int


class Unanswered(NamedTuple):
    """A question asked without an answer found: text, times asked, last ISO date."""

    question: str
    times_asked: int
    last_asked: str


class VoteOutcome(StrEnum):
    """What became of a vote."""

    RECORDED = "recorded"
    ALREADY = "already"  # the asker voted on this answer before
    NOT_ASKER = "not_asker"  # only the user who asked may vote
    UNKNOWN = "unknown"  # no such question (never asked, forgotten or pruned)


class Vote(NamedTuple):
    """One user's verdict on an answer: question text, 👍 or 👎, ISO timestamp (UTC)."""

    question: str
    helpful: bool
    at: str


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


class FeedbackStore:
    """The SQLite file of questions and votes; one connection, shared under a lock."""

    def __init__(self, path: Path, clock: Callable[[], datetime] = utc_now) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._clock = clock
        self._lock = threading.Lock()
        # When users last said /glem: a question asked before and answered after that
        # moment (the answer was still being worked out) must not be stored.
        self._forgotten: dict[str, datetime] = {}
        # The bot calls from worker threads; the lock makes one connection safe for all.
        self._db = sqlite3.connect(path, timeout=10, check_same_thread=False)
        try:
            self._salt = self._open()
        except sqlite3.DatabaseError as error:  # not a database, or a damaged one
            self._db.close()
            raise IndgangError(f"Spørgsmålsdatabasen {path} kan ikke læses ({error}); flyt den "
                               "væk, så begynder en ny (feedback database unreadable)") from error

    def _open(self) -> str:
        """Set the database up (WAL, its tables) and return its salt."""
        with self._lock, self._db:
            self._db.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL is safe from corruption and syncs at checkpoints only; FULL
            # synced every question (4.6 ms each here), and the bot records one per answer,
            # in turn under the lock: the 100th of 100 users waited 0.46 s for it. A power
            # cut may lose the last counts; forget_user and prune checkpoint, so deletions
            # are durable at once.
            self._db.execute("PRAGMA synchronous=NORMAL")
            # Overwrite deleted rows, so a forgotten user's text does not linger in free pages.
            self._db.execute("PRAGMA secure_delete=ON")
            self._db.executescript(_SCHEMA)
            self._db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('salt', ?)",
                (secrets.token_hex(16),),
            )
            salt = self._db.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
        return str(salt[0])

    @classmethod
    def from_settings(cls, settings: Settings) -> FeedbackStore:
        """Open the database in the data folder (DATA_DIR/indgang.sqlite3)."""
        writable_folder(settings.data_dir, DATA_FOLDER)
        return cls(settings.database_path)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def now(self) -> datetime:
        """Return the store's time: when a question is asked, for record_question."""
        return self._clock()

    def record_question(self, user_id: int, question: str, found: bool, role: str,
                        language: str, asked_at: datetime | None = None) -> int:
        """Count a question, keep its scrubbed text if unanswered; return its id.

        A question asked before the user's last /glem is not stored at all (id 0).
        """
        text = _clean(question) if not found else None
        key = text.casefold() if text is not None else None
        user_key = self._user_key(user_id)
        with self._lock, self._db:
            forgotten = self._forgotten.get(user_key)
            if asked_at is not None and forgotten is not None and asked_at <= forgotten:
                return 0
            cursor = self._db.execute(
                "INSERT INTO questions (asked_at, user_key, role, language, found, question, "
                "question_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (self._now(), user_key, role, language, int(found), text, key),
            )
        return int(cursor.lastrowid or 0)

    def record_feedback(self, user_id: int, question_id: int, helpful: bool,
                        question: str) -> VoteOutcome:
        """Store the asker's vote on an answer, once; refuse anyone else's."""
        if not 0 < question_id <= MAX_ROW_ID:
            return VoteOutcome.UNKNOWN
        key = self._user_key(user_id)
        with self._lock, self._db:
            asker = self._db.execute("SELECT user_key FROM questions WHERE id = ?",
                                     (question_id,)).fetchone()
            if asker is None:
                return VoteOutcome.UNKNOWN
            if asker[0] != key:
                return VoteOutcome.NOT_ASKER
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO feedback (user_key, question_id, helpful, question, at) "
                "VALUES (?, ?, ?, ?, ?)",
                (key, question_id, int(helpful), _clean(question), self._now()),
            )
        return VoteOutcome.RECORDED if cursor.rowcount else VoteOutcome.ALREADY

    def forget_user(self, user_id: int) -> int:
        """Delete the user's questions, their votes and any vote on their questions.

        The write-ahead log is checkpointed and truncated afterwards, and secure_delete
        overwrites the freed pages, so the text leaves the files on disk at once.
        """
        key = self._user_key(user_id)
        with self._lock:
            now = self._clock()
            # No answer takes an hour: older marks can go, so the dict stays small.
            self._forgotten = {k: t for k, t in self._forgotten.items()
                               if now - t < FORGOTTEN_MARK_KEPT}
            self._forgotten[key] = now
            with self._db:
                on_theirs = self._db.execute(
                    "DELETE FROM feedback WHERE question_id IN "
                    "(SELECT id FROM questions WHERE user_key = ?)", (key,))
                votes = self._db.execute("DELETE FROM feedback WHERE user_key = ?", (key,))
                questions = self._db.execute("DELETE FROM questions WHERE user_key = ?", (key,))
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return on_theirs.rowcount + votes.rowcount + questions.rowcount

    def prune(self, older_than_days: int = 180) -> int:
        """Delete questions and votes older than the given age; return how many rows went."""
        cutoff = _iso(self._clock() - timedelta(days=older_than_days))
        with self._lock:
            with self._db:
                questions = self._db.execute("DELETE FROM questions WHERE asked_at < ?",
                                             (cutoff,))
                votes = self._db.execute("DELETE FROM feedback WHERE at < ?", (cutoff,))
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return questions.rowcount + votes.rowcount

    def stats(self) -> FeedbackStats:
        """Return the totals of questions, unanswered questions and votes."""
        with self._lock:
            questions, not_found = self._db.execute(
                "SELECT COUNT(*), COALESCE(SUM(found = 0), 0) FROM questions"
            ).fetchone()
            helpful, unhelpful = self._db.execute(
                "SELECT COALESCE(SUM(helpful = 1), 0), COALESCE(SUM(helpful = 0), 0) FROM feedback"
            ).fetchone()
        return FeedbackStats(questions, not_found, helpful, unhelpful)

    def top_unanswered(self, limit: int = 10) -> list[Unanswered]:
        """Return the most often asked unanswered questions, most frequent first."""
        # With MAX(), SQLite takes the bare column `question` from the latest row,
        # so each group shows its most recent wording.
        with self._lock:
            rows = self._db.execute(
                "SELECT question, COUNT(*), MAX(asked_at) AS last FROM questions "
                "WHERE found = 0 AND question_key IS NOT NULL GROUP BY question_key "
                "ORDER BY COUNT(*) DESC, last DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [Unanswered(text, count, last[:10]) for text, count, last in rows]

    def recent_feedback(self, limit: int = 10, helpful: bool | None = None) -> list[Vote]:
        """Return the latest votes, newest first, optionally only 👍 or only 👎."""
        where, params = ("", ()) if helpful is None else ("WHERE helpful = ?", (int(helpful),))
        with self._lock:
            rows = self._db.execute(
                f"SELECT question, helpful, at FROM feedback {where} "
                "ORDER BY at DESC, rowid DESC LIMIT ?",
                (*params, limit),
            ).fetchall()
        return [Vote(text, bool(verdict), at) for text, verdict, at in rows]

    def _user_key(self, user_id: int) -> str:
        return hashlib.sha256(f"{self._salt}{user_id}".encode()).hexdigest()

    def _now(self) -> str:
        return _iso(self._clock())


def _iso(moment: datetime) -> str:
    """Return the moment as an ISO timestamp in UTC, which sorts as text."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _clean(question: str) -> str:
    """Return the question on one line, scrubbed and cut to a bounded length."""
    # Whitespace is collapsed first so "12  34 56 78" is still seen as a phone number.
    return scrub(" ".join(question.split()))[:MAX_QUESTION_CHARS]
