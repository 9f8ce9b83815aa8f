"""Bad settings and unusable folders: every command says so in one line and exits 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import run_cli
from tests.sample_files import write_markdown

ALL = ("ingest", "ask", "bot", "chat", "report", "eval")
INDEX = ("ingest", "ask", "bot", "chat", "eval")  # the commands that open the index

# Settings are validated by the same Settings() in every command: the first case runs
# them all, the others the commands that use the setting.
CASES = {
    "no answer threads": ({"INDGANG_ANSWER_THREADS": "0"}, ALL,
                          "INDGANG_ANSWER_THREADS=0: skal være større end 0"),
    "no chunk size": ({"INDGANG_CHUNK_SIZE_CHARS": "0"}, ("ingest",), "INDGANG_CHUNK_SIZE_CHARS=0"),
    "overlap as large as a chunk": ({"INDGANG_CHUNK_SIZE_CHARS": "300",
                                     "INDGANG_CHUNK_OVERLAP_CHARS": "300"}, ("ingest", "eval"),
                                    "INDGANG_CHUNK_OVERLAP_CHARS (300) skal være mindre end"),
    "empty store folder name": ({"INDGANG_STORE_DIR": ""}, ("ask", "report"),
                                "INDGANG_STORE_DIR=: må ikke være tom"),
    "negative torch threads": ({"INDGANG_TORCH_THREADS": "-1"}, ("chat",),
                               "INDGANG_TORCH_THREADS=-1: skal være mindst 0"),
    "no questions a minute": ({"INDGANG_QUESTIONS_PER_MINUTE": "0"}, ("bot",),
                              "INDGANG_QUESTIONS_PER_MINUTE=0"),
    "store folder is a file": ({"INDGANG_STORE_DIR": "{file}"}, INDEX,
                               "Indeksets mappe (INDGANG_STORE_DIR eller --store) kan ikke bruges"),
    "data folder inside a file": ({"INDGANG_DATA_DIR": "{file}/data"}, ALL,
                                  "er en fil, ikke en mappe"),
    "a collection prefix Chroma refuses": ({"INDGANG_COLLECTION_PREFIX": "køge"}, ("ask",),
                                           "INDGANG_COLLECTION_PREFIX=køge: må kun have"),
    "a token that is no token": ({"INDGANG_TELEGRAM_TOKEN": "hemmelig token"}, ("bot",),
                                 "INDGANG_TELEGRAM_TOKEN: ligner ikke et bot-token"),
    "questions kept for ever": ({"INDGANG_KEEP_QUESTIONS_DAYS": "800000"}, ("chat",),
                                "INDGANG_KEEP_QUESTIONS_DAYS=800000: skal være højst 36500"),
    "no limit as infinity": ({"INDGANG_MAX_LOAD_S": "inf"}, ("ingest",),
                             "INDGANG_MAX_LOAD_S=inf: skal være et endeligt tal"),
    "a pause that overflows": ({"INDGANG_CRAWL_REQUESTS_PER_S": "1e-300"}, ("ingest",),
                               "INDGANG_CRAWL_REQUESTS_PER_S=1e-300: skal være 0"),
    "a town's name in the user agent": ({"INDGANG_CRAWL_USER_AGENT": "Indgang (Køge Kommune)"},
                                        ("ingest",), "skriv æ, ø, å som ae, oe, aa"),
    "a time of day that is none": ({"INDGANG_SYNC_AT": "25:99"}, ("bot",),
                                   "INDGANG_SYNC_AT=25:99: skal være et klokkeslæt TT:MM"),
    "no contact": ({"INDGANG_CONTACT": " "}, ("ask",), "INDGANG_CONTACT=: må ikke være tom"),
    "unwritable data folder": ({"INDGANG_DATA_DIR": "/sys/indgang-test-data"},
                               ("ingest", "bot", "chat"), "Der kan ikke skrives i"),
}


def _commands(tmp_path: Path) -> dict[str, list[str]]:
    docs = tmp_path / "docs"
    docs.mkdir()
    write_markdown(docs / "a.md", "Foreningen skal sende regnskabet senest 1. april.\n")
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"q": "hvornår er fristen", "docs": ["a.md"]}\n', "utf-8")
    return {"ingest": ["ingest", str(docs)], "ask": ["ask", "hvornår er fristen"],
            "bot": ["bot"], "chat": ["chat"], "report": ["report"],
            "eval": ["eval", str(questions)]}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_settings_are_one_line_and_exit_2_for_every_command(tmp_path: Path, case: str) -> None:
    overrides, commands, expected = CASES[case]
    a_file = tmp_path / "fil.txt"
    a_file.write_text("ikke en mappe\n", "utf-8")
    env = {"INDGANG_DATA_DIR": str(tmp_path / "data"),
           "INDGANG_TELEGRAM_API_URL": "http://127.0.0.1:9/bot"}  # never the real Bot API
    env.update({key: value.format(file=a_file) for key, value in overrides.items()})
    arguments = _commands(tmp_path)
    for command in commands:
        ran = run_cli(*arguments[command], env=env, clear_env_prefix="INDGANG_")
        assert ran.returncode == 2, (command, ran.stderr)
        assert expected in ran.stderr, (command, ran.stderr)
        assert len(ran.stderr.strip().splitlines()) == 1 and "Traceback" not in ran.stderr, (
            command, ran.stderr)
