"""`indgang ask` and `indgang eval` as people run them; in processes of their own where
only a process shows the behaviour (Ctrl-C, a closed pipe, bytes that are not UTF-8)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.settings import Settings
from tests.cli import Ran, run_cli


def indgang(*args: str, settings: Settings, stdin: str = "", **env: str) -> Ran:
    """Run the real command line in this process (see tests/cli.py) with settings' store."""
    return run_cli(*args, env={"INDGANG_STORE_DIR": str(settings.resolved_store_dir), **env},
                   stdin=stdin)


def test_ask_json_batch_contract(corpus_settings: Settings) -> None:
    questions = "hvornår skal regnskabet for 18 midlerne afleveres\n\nhvornår skal jeg betale hundeskat\n"
    result = indgang("ask", "-", "--json", settings=corpus_settings, stdin=questions)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == [
        "hvornår skal regnskabet for 18 midlerne afleveres", "hvornår skal jeg betale hundeskat"]
    found, missing = lines
    assert set(found) == {"question", "answer", "found", "sources"}
    assert found["found"] is True and "1. april" in found["answer"]
    source = found["sources"][0]
    assert set(source) == {"title", "file", "section", "page", "updated", "url", "score"}
    assert source["file"].endswith((".md", ".pdf", ".docx")) and source["updated"][:2] == "20"
    assert isinstance(source["score"], float)
    assert missing["found"] is False and missing["sources"] == []
    assert "indgang@eksempel-kommune.dk" in missing["answer"]


def test_questions_typed_in_latin_1_are_read_as_meant(corpus_settings: Settings) -> None:
    # A terminal or a question file not in UTF-8: the batch goes on and "ø" stays "ø".
    env = {**os.environ, "INDGANG_STORE_DIR": str(corpus_settings.resolved_store_dir)}
    questions = "hvornår skal regnskabet for 18 midlerne afleveres\nhvad er mentorstøtte\n"
    batch = subprocess.run([sys.executable, "-m", "ingest", "ask", "-", "--json"],
                           input=questions.encode("latin-1"), env=env, capture_output=True,
                           timeout=300)
    assert batch.returncode == 0, batch.stderr.decode()
    lines = [json.loads(line) for line in batch.stdout.decode().splitlines()]
    assert [line["question"] for line in lines] == questions.splitlines()
    assert all(line["found"] for line in lines)
    one = subprocess.run([sys.executable, "-m", "ingest", "ask", "mentorstøtte".encode("latin-1")],
                         env=env, capture_output=True, timeout=300)
    assert one.returncode == 0 and "Mentorstøtte" in one.stdout.decode(), one.stderr.decode()


def test_ctrl_c_says_the_command_was_interrupted(corpus_settings: Settings) -> None:
    env = {**os.environ, "INDGANG_STORE_DIR": str(corpus_settings.resolved_store_dir)}
    batch = subprocess.Popen([sys.executable, "-m", "ingest", "ask", "-"], env=env, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert batch.stdin is not None and batch.stdout is not None
    batch.stdin.write("hvad er mentorstøtte\n\n")
    batch.stdin.flush()
    assert batch.stdout.readline()  # answering, then waiting for the next question
    batch.send_signal(signal.SIGINT)
    _, err = batch.communicate(timeout=120)
    assert batch.returncode == 130 and err.strip().endswith("Afbrudt. (Interrupted.)"), err


def test_a_reader_that_stops_reading_ends_the_batch_quietly(corpus_settings: Settings) -> None:
    # "indgang ask - < spørgsmål.txt | head": the pipe closes after the first lines.
    env = {**os.environ, "INDGANG_STORE_DIR": str(corpus_settings.resolved_store_dir)}
    batch = subprocess.Popen([sys.executable, "-m", "ingest", "ask", "-"], env=env, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert batch.stdin is not None and batch.stdout is not None and batch.stderr is not None
    batch.stdin.write("hvad er mentorstøtte\n")
    batch.stdin.flush()
    assert batch.stdout.readline()
    batch.stdout.close()
    batch.stdin.write("hvad er løntilskud\n" * 50)
    batch.stdin.close()
    err = batch.stderr.read()
    assert batch.wait(timeout=120) == 141 and "Traceback" not in err, err


@pytest.mark.parametrize(("arguments", "said"), [
    (["frobnicate"], "ugyldigt valg"),
    (["ask"], "mangler"),
    (["ask", "hej", "--bogus"], "ukendte argumenter"),
    (["report", "--limit", "abc"], "er ikke et helt tal >= 1"),
])
def test_usage_errors_are_danish_first(corpus_settings: Settings, arguments: list[str],
                                       said: str) -> None:
    result = indgang(*arguments, settings=corpus_settings)
    assert result.returncode == 2 and said in result.stderr.splitlines()[-1], result.stderr


def test_ask_as_staff_and_as_partner(corpus_settings: Settings) -> None:
    question = "hvad skriver vi i emnefeltet når en sag eskaleres"
    staff = indgang("ask", question, "--audience", "internal", settings=corpus_settings)
    partner = indgang("ask", question, settings=corpus_settings)
    assert "BLÅ BÆNK" in staff.stdout
    assert "BLÅ BÆNK" not in partner.stdout and "ikke finde" in partner.stdout


def test_ask_on_an_empty_store_says_what_to_do(tmp_path: Path, base_settings: Settings) -> None:
    empty = base_settings.model_copy(update={"store_dir": tmp_path / "tom"})
    result = indgang("ask", "hvad er fristen", settings=empty)
    assert result.returncode == 2 and "indgang ingest" in result.stderr
    assert "Traceback" not in result.stderr


def test_eval_prints_every_metric_per_mode_and_kind(tmp_path: Path, corpus_settings: Settings) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in [
        {"q": "hvornår er fristen for paragraf 18", "docs": ["paragraf-18-puljen.md"],
         "must": ["1. marts"], "kind": "informal"},
        {"q": "hvornår skal jeg betale hundeskat", "docs": [], "must": [], "kind": "unanswerable"},
    ]), "utf-8")
    result = indgang("eval", str(questions), "--modes", "dense,keyword,hybrid",
                     settings=corpus_settings)
    assert result.returncode == 0, result.stderr
    rows = {tuple(line.split()[:2]): line.split()[2:] for line in result.stdout.splitlines()[1:]}
    assert result.stdout.split("\n")[0].split()[3:] == [
        "hit@1", "hit@5", "MRR@10", "evidence@5", "abstention", "has_fact", "refused",
        "ans_unans", "median_len"]
    # The answer holds "1. marts" in its first 900 characters; hundeskat is not answered.
    assert rows[("hybrid", "all")][:9] == ["2", "1.000", "1.000", "1.000", "1.000", "1.000",
                                          "1.000", "0.000", "0.000"]
    assert rows[("hybrid", "unanswerable")][:9] == ["1", "-", "-", "-", "-", "1.000", "-", "-",
                                                   "0.000"]
    assert {mode for mode, _ in rows} == {"dense", "keyword", "hybrid"}


def test_eval_show_misses_prints_the_answer_given(tmp_path: Path, corpus_settings: Settings) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"q": "hvornår er fristen for paragraf 18",
                                     "docs": ["paragraf-18-puljen.md"], "must": ["31. december"]}),
                         "utf-8")
    result = indgang("eval", str(questions), "--show-misses", settings=corpus_settings)
    assert result.returncode == 0, result.stderr
    assert "MISS" in result.stdout and "1. marts" in result.stdout  # the answer it gave
    # A line without a kind counts once, in "all".
    assert [line.split()[:3] for line in result.stdout.splitlines()
            if line.startswith("hybrid")] == [["hybrid", "all", "1"]]


@pytest.mark.parametrize(("line", "said"), [
    ("{not json", "linje 2"),
    ('{"q": null}', "linje 2: q"),
    ('{"q": "ok", "must": "Kolding"}', "linje 2: must"),  # not seven one-letter phrases
    ('{"q": "ok", "kind": ["a"]}', "linje 2: kind"),
    ('{"q": "ok", "audience": "staff"}', "linje 2: audience"),
])
def test_eval_names_a_malformed_line(tmp_path: Path, corpus_settings: Settings, line: str,
                                     said: str) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(f'{{"q": "ok", "docs": []}}\n{line}\n', "utf-8")
    result = indgang("eval", str(questions), settings=corpus_settings)
    assert result.returncode == 2 and said in result.stderr and "Traceback" not in result.stderr


def test_eval_refuses_an_unknown_mode_and_a_file_not_in_utf8(tmp_path: Path,
                                                            corpus_settings: Settings) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"q": "hvad er mentorstøtte", "docs": []}\n', "latin-1")
    result = indgang("eval", str(questions), settings=corpus_settings)
    assert result.returncode == 2 and "ikke UTF-8" in result.stderr
    for modes in ("foo", "DENSE", ""):
        result = indgang("eval", str(questions), "--modes", modes, settings=corpus_settings)
        assert result.returncode == 2 and "--modes" in result.stderr, modes


def test_eval_names_a_split_the_file_does_not_have(tmp_path: Path,
                                                  corpus_settings: Settings) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"q": "ok", "docs": [], "split": "fit"}\n'
                         '{"q": "ok", "docs": [], "split": "report"}\n', "utf-8")
    result = indgang("eval", str(questions), "--split", "fti", settings=corpus_settings)
    assert result.returncode == 2 and "'fti'" in result.stderr
    assert "der er: fit, report" in result.stderr and "Traceback" not in result.stderr


def test_missing_question_file_and_bad_settings_are_clear_messages(
    tmp_path: Path, corpus_settings: Settings
) -> None:
    missing = indgang("eval", str(tmp_path / "findes-ikke.jsonl"), settings=corpus_settings)
    assert missing.returncode == 2 and "Spørgsmålsfilen findes ikke" in missing.stderr
    bad = indgang("ask", "hej", settings=corpus_settings, INDGANG_ADMIN_IDS="ikke-et-tal")
    assert bad.returncode == 2 and "INDGANG_ADMIN_IDS" in bad.stderr
    for result in (missing, bad):
        assert "Traceback" not in result.stderr
