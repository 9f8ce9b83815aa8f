"""Check rebuilt pages: every must phrase of a question on one page occurs in that page.

A rebuilt page (fetched fresh, or copied from a stored copy) may be another version
than the one the questions were written from. Phrases are compared case- and
space-insensitively, by the function `indgang eval` compares them with answers.

Usage: .venv/bin/python bench/realpages/check_pages.py [FILE ...]   (no files: every page)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ingest.evaluation import holds_all  # noqa: E402

HERE = Path(__file__).resolve().parent


def problems(file: str, questions: list[dict]) -> list[str]:
    page = HERE / "pages" / file
    if not page.exists():
        return [f"{file}: missing"]
    text = page.read_text("utf-8")
    return [f"{file}: {phrase!r} not found (question: {question['q']})"
            for question in questions if question.get("docs") == [file]
            for phrase in question.get("must", []) if not holds_all(text, [phrase])]


def main(argv: list[str]) -> int:
    manifest, questions = (
        [json.loads(line) for line in (HERE / name).read_text("utf-8").splitlines()]
        for name in ("manifest.jsonl", "questions.jsonl"))
    found = [p for file in argv or [e["file"] for e in manifest] for p in problems(file, questions)]
    print("\n".join(found) or "every must phrase found")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
