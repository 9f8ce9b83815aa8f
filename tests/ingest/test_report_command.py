"""`indgang report` as admins run it, over a real database."""

from __future__ import annotations

import json
import re
from pathlib import Path

from knowledge.feedback.store import FeedbackStore
from tests.cli import Ran, run_cli


def indgang(*args: str) -> Ran:
    # INDGANG_DATA_DIR points elsewhere, so only --data-dir can find the test database.
    return run_cli(*args, env={"INDGANG_DATA_DIR": "/nonexistent/indgang-data"})


def fill(data_dir: Path) -> None:
    """Record what a morning of partner questions might leave behind."""
    store = FeedbackStore(data_dir / "indgang.sqlite3")
    for user in (11, 12, 13):
        store.record_question(user, "Hvornår betaler jeg hundeskat?", False, "partner", "da")
    store.record_question(11, "må vi grille i hallen, ring 22 33 44 55", False, "partner", "da")
    answered = store.record_question(12, "hvornår skal regnskabet for § 18 afleveres", True,
                                     "partner", "da")
    store.record_feedback(12, answered, False, "hvornår skal regnskabet for § 18 afleveres")
    again = store.record_question(13, "hvornår skal regnskabet for § 18 afleveres", True,
                                  "partner", "da")
    store.record_feedback(13, again, True, "hvornår skal regnskabet for § 18 afleveres")
    store.close()


def test_report_text_in_danish(tmp_path: Path) -> None:
    fill(tmp_path)
    result = indgang("report", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:4] == ["Spørgsmål: 6", "Ikke fundet: 4", "👍: 1", "👎: 1"]
    unanswered = lines[lines.index("De hyppigste spørgsmål uden svar:") + 1:]
    assert re.fullmatch(r" +3  Hvornår betaler jeg hundeskat\? \(senest \d{4}-\d\d-\d\d\)",
                        unanswered[0])
    assert "må vi grille i hallen, ring [telefon]" in unanswered[1]
    feedback = lines[lines.index("Seneste feedback:") + 1:]
    assert len(feedback) == 2
    assert {line.split()[0] for line in feedback} == {"👍", "👎"}
    assert all("hvornår skal regnskabet for § 18 afleveres" in line for line in feedback)
    assert "22 33 44 55" not in result.stdout


def test_report_json_shape(tmp_path: Path) -> None:
    fill(tmp_path)
    result = indgang("report", "--data-dir", str(tmp_path), "--json", "--limit", "1")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"questions", "not_found", "helpful", "unhelpful", "unanswered",
                           "feedback"}
    assert (report["questions"], report["not_found"], report["helpful"],
            report["unhelpful"]) == (6, 4, 1, 1)
    [top] = report["unanswered"]
    assert set(top) == {"question", "count", "last_asked"}
    assert (top["question"], top["count"]) == ("Hvornår betaler jeg hundeskat?", 3)
    assert len(top["last_asked"]) == 10 and top["last_asked"][:2] == "20"
    [vote] = report["feedback"]
    assert set(vote) == {"question", "helpful", "at"}
    assert vote["question"] == "hvornår skal regnskabet for § 18 afleveres"
    assert isinstance(vote["helpful"], bool) and vote["at"].endswith("+00:00")


def test_report_on_an_empty_data_dir_prints_zeros(tmp_path: Path) -> None:
    empty = tmp_path / "tom"
    text = indgang("report", "--data-dir", str(empty))
    assert text.returncode == 0, text.stderr
    zeros = ["Spørgsmål: 0", "Ikke fundet: 0", "👍: 0", "👎: 0"]
    assert text.stdout.splitlines()[:4] == zeros
    assert "ingen database i" in text.stderr and "forkerte datamappe" in text.stderr  # a typo?
    assert "Traceback" not in text.stderr
    data = indgang("report", "--data-dir", str(empty), "--json")
    assert json.loads(data.stdout) == {"questions": 0, "not_found": 0, "helpful": 0,
                                       "unhelpful": 0, "unanswered": [], "feedback": []}
    assert not empty.exists()  # reading a report creates no database


def test_report_on_an_empty_database_prints_zeros(tmp_path: Path) -> None:
    FeedbackStore(tmp_path / "indgang.sqlite3").close()
    result = indgang("report", "--data-dir", str(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["questions"] == 0 and "ingen database" not in result.stderr
