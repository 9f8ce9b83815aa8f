"""The feedback database, on real SQLite files: what is kept, what never is."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from knowledge.feedback.store import FeedbackStats, FeedbackStore, Unanswered, VoteOutcome
from knowledge.settings import Settings

ANNE, BO = 987654321012, 555000111222


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 20, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db(tmp_path: Path, clock: Clock) -> Iterator[FeedbackStore]:
    store = FeedbackStore(tmp_path / "data" / "indgang.sqlite3", clock=clock)
    yield store
    store.close()


def raw_bytes(path: Path) -> bytes:
    """Return the database file and its write-ahead log, as stored on disk."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_from_settings_creates_the_folder_and_file(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "ny" / "data")
    store = FeedbackStore.from_settings(settings)
    store.close()
    assert settings.database_path == tmp_path / "ny" / "data" / "indgang.sqlite3"
    assert settings.database_path.is_file()


def test_only_unanswered_questions_keep_their_scrubbed_text(db: FeedbackStore) -> None:
    db.record_question(ANNE, "Hvornår er fristen for § 18 midler?", True, "partner", "da")
    db.record_question(ANNE, "Min CPR er 010190-1234, må jeg  søge 75.000 kr?", False,
                       "partner", "da")
    assert db.top_unanswered() == [
        Unanswered("Min CPR er [CPR], må jeg søge 75.000 kr?", 1, "2026-01-20")]
    stored = raw_bytes(db.path)
    assert b"fristen" not in stored
    assert b"010190" not in stored and b"1234, m" not in stored
    assert b"75.000 kr" in stored


def test_no_identifier_reaches_the_file_even_after_a_checkpoint(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "indgang.sqlite3")
    question = "ring 22 33 44 55 eller cpr 0101901234"
    qid = store.record_question(ANNE, question, False, "partner", "da")
    store.record_feedback(ANNE, qid, False, "send til anne@example.dk, cpr 010190 1234")
    store.close()  # closing checkpoints the WAL into the main file
    stored = raw_bytes(tmp_path / "indgang.sqlite3")
    for secret in (b"0101901234", b"010190 1234", b"22 33 44 55", b"anne@example.dk"):
        assert secret not in stored
    assert b"[CPR]" in stored and b"[e-mail]" in stored


def test_raw_user_ids_are_never_stored(db: FeedbackStore) -> None:
    qid = db.record_question(ANNE, "hvad koster hallen", False, "partner", "da")
    db.record_feedback(ANNE, qid, True, "hvad koster hallen")
    db.record_question(BO, "hvornår åbner hallen", True, "staff", "en")
    stored = raw_bytes(db.path)
    for user in (ANNE, BO):
        assert str(user).encode() not in stored
        assert user.to_bytes(8, "big") not in stored and user.to_bytes(8, "little") not in stored


def test_a_vote_counts_once_from_the_asker_only(db: FeedbackStore, clock: Clock) -> None:
    qid = db.record_question(ANNE, "hvornår skal regnskabet afleveres", True, "partner", "da")
    assert db.record_feedback(BO, qid, True, "forfalsket") is VoteOutcome.NOT_ASKER
    assert db.record_feedback(ANNE, qid, False, "hvornår skal regnskabet afleveres") \
        is VoteOutcome.RECORDED
    clock.advance(minutes=1)
    assert db.record_feedback(ANNE, qid, True, "igen") is VoteOutcome.ALREADY
    for missing in (qid + 1, 0, -1, 2**63, 10**100):
        assert db.record_feedback(ANNE, missing, True, "findes ikke") is VoteOutcome.UNKNOWN
    assert db.stats() == FeedbackStats(questions=1, not_found=0, helpful=0, unhelpful=1)
    assert [(v.question, v.helpful, v.at) for v in db.recent_feedback()] == [
        ("hvornår skal regnskabet afleveres", False, "2026-01-20T09:00:00+00:00")]


def test_feedback_text_of_an_answered_question_is_scrubbed(db: FeedbackStore) -> None:
    question = "må jeg oplyse tlf 12345678 i ansøgningen"
    qid = db.record_question(ANNE, question, True, "partner", "da")
    db.record_feedback(ANNE, qid, False, question)
    assert db.recent_feedback()[0].question == "må jeg oplyse tlf [telefon] i ansøgningen"
    assert b"12345678" not in raw_bytes(db.path)


def test_forget_user_deletes_that_users_rows_only(db: FeedbackStore) -> None:
    for user in (ANNE, BO):
        qid = db.record_question(user, "hvad er fristen", False, "partner", "da")
        db.record_question(user, "hvad koster det", True, "partner", "da")
        db.record_feedback(user, qid, False, "hvad er fristen")
    assert db.forget_user(ANNE) == 3
    assert db.forget_user(ANNE) == 0
    assert db.stats() == FeedbackStats(questions=2, not_found=1, helpful=0, unhelpful=1)
    assert db.top_unanswered() == [Unanswered("hvad er fristen", 1, "2026-01-20")]


def test_a_question_still_being_answered_at_glem_is_not_stored(db: FeedbackStore,
                                                               clock: Clock) -> None:
    asked = db.now()
    clock.advance(seconds=2)  # the answer takes a while; meanwhile the user says /glem
    db.forget_user(ANNE)
    clock.advance(seconds=2)
    assert db.record_question(ANNE, "mit cpr er 010203-1234, hvad nu", False, "partner", "da",
                              asked_at=asked) == 0
    assert db.record_question(BO, "hvad er fristen", False, "partner", "da", asked_at=asked) > 0
    later = db.now()
    assert db.record_question(ANNE, "hvad er fristen", False, "partner", "da", asked_at=later) > 0
    assert db.stats().questions == 2


def test_forgotten_text_leaves_the_file(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "indgang.sqlite3")
    qid = store.record_question(ANNE, "Foreningen Solsikkens formand spørger", False,
                                "partner", "da")
    store.record_feedback(ANNE, qid, False, "Foreningen Solsikkens formand spørger")
    store.record_question(BO, "hvad er fristen", False, "partner", "da")
    assert store.forget_user(ANNE) == 2
    store.close()
    stored = raw_bytes(tmp_path / "indgang.sqlite3")
    assert b"Solsikken" not in stored and b"hvad er fristen" in stored


def test_forget_user_leaves_nothing_on_disk_while_open(tmp_path: Path) -> None:
    path = tmp_path / "indgang.sqlite3"
    store = FeedbackStore(path)
    qid = store.record_question(ANNE, "Foreningen Solsikkens formand spørger", False,
                                "partner", "da")
    store.record_feedback(ANNE, qid, False, "Foreningen Solsikkens formand spørger")
    # A vote someone else left on Anne's question, written before votes were asker-only.
    other = sqlite3.connect(path)
    with other:
        other.execute("INSERT INTO feedback VALUES (?, ?, 1, ?, '2026-01-19T10:00:00+00:00')",
                      ("f" * 64, qid, "Solsikkens formand igen"))
    other.close()
    store.record_question(BO, "hvad er fristen", False, "partner", "da")
    key = store._user_key(ANNE).encode()
    assert key in raw_bytes(path) and b"Solsikke" in raw_bytes(path)
    assert store.forget_user(ANNE) == 3
    stored = raw_bytes(path)  # the bot keeps running: no close, no checkpoint on exit
    assert b"Solsikke" not in stored and key not in stored
    assert b"hvad er fristen" in stored
    assert store.stats().helpful + store.stats().unhelpful == 0
    store.close()


def test_forget_user_works_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "indgang.sqlite3"
    first = FeedbackStore(path)
    first.record_question(ANNE, "hvad er fristen", False, "partner", "da")
    first.close()
    again = FeedbackStore(path)  # the salt is kept, so the same user gets the same key
    assert again.forget_user(ANNE) == 1
    again.close()


def test_top_unanswered_groups_wording_and_orders_by_count(db: FeedbackStore, clock: Clock) -> None:
    asked = [
        "Hvornår betaler jeg hundeskat?",
        "hvornår skal vi søge om lokaler",
        "HVORNÅR  BETALER   jeg hundeskat?",
        "Hvornår skal vi søge om lokaler",
        "hvor parkerer bussen",
        "  hvornår betaler jeg HUNDESKAT? ",
    ]
    for day, question in enumerate(asked):
        clock.advance(days=1)
        db.record_question(ANNE if day % 2 else BO, question, False, "partner", "da")
    db.record_question(ANNE, "hvor parkerer bussen", True, "partner", "da")  # answered: not counted
    assert db.top_unanswered() == [
        Unanswered("hvornår betaler jeg HUNDESKAT?", 3, "2026-01-26"),
        Unanswered("Hvornår skal vi søge om lokaler", 2, "2026-01-24"),
        Unanswered("hvor parkerer bussen", 1, "2026-01-25"),
    ]
    assert db.top_unanswered(limit=1)[0].times_asked == 3
    assert db.stats() == FeedbackStats(questions=7, not_found=6, helpful=0, unhelpful=0)


def test_prune_deletes_old_rows(db: FeedbackStore, clock: Clock) -> None:
    old = db.record_question(ANNE, "gammelt spørgsmål", False, "partner", "da")
    db.record_feedback(ANNE, old, True, "gammelt spørgsmål")
    clock.advance(days=400)
    db.record_question(ANNE, "nyt spørgsmål", False, "partner", "da")
    assert db.prune(older_than_days=365) == 2
    assert db.stats() == FeedbackStats(questions=1, not_found=1, helpful=0, unhelpful=0)
    assert db.prune() == 0


def test_eight_threads_share_one_store(db: FeedbackStore) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def partner(user: int) -> None:
        try:
            start.wait()
            for n in range(25):
                qid = db.record_question(user, f"spørgsmål {n % 5}", n % 2 == 0, "partner", "da")
                db.record_feedback(user, qid, n % 3 == 0, f"spørgsmål {n % 5}")
                db.stats()
                db.top_unanswered(3)
        except Exception as error:  # noqa: BLE001 - handed to the main thread to assert on
            errors.append(error)

    threads = [threading.Thread(target=partner, args=(1000 + i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    stats = db.stats()
    assert stats.questions == 200 and stats.not_found == 96
    assert stats.helpful + stats.unhelpful == 200
    assert sum(item.times_asked for item in db.top_unanswered()) == 96
