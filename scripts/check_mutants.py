"""Check that the tests fail when a behaviour they name breaks.

Each entry of scripts/mutants.json names a behaviour a user relies on, the edit that
breaks it (one exact piece of code replaced), and the tests that should then fail. The
script makes each edit in turn, runs those tests, and puts the file back, also when
interrupted. A mutant the tests let through (MISSED) is a test that cannot fail; an entry
whose code is no longer found (STALE) must be updated with the code; ERROR is an edit
that stops the tests from running at all (a syntax or import error), not a behaviour.

Run: .venv/bin/python scripts/check_mutants.py [WORD ...]
(WORD keeps the entries whose behaviour holds it; about 30 minutes for all of them on this machine.)

Written by hand rather than with a mutation tool (mutmut, cosmic-ray): those mutate
every operator of the code, thousands of runs of a suite that loads a model, and do not
say which behaviour a surviving mutant stands for.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "scripts" / "mutants.json"
PYTEST = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]


def check(mutant: dict[str, Any]) -> str:
    """Return CAUGHT, MISSED, STALE or ERROR for one mutant, leaving its file as it was."""
    path = ROOT / mutant["file"]
    original = path.read_text(encoding="utf-8")
    if original.count(mutant["old"]) != 1:
        return "STALE"
    path.write_text(original.replace(mutant["old"], mutant["new"]), encoding="utf-8")
    try:
        run = subprocess.run([*PYTEST, *mutant["tests"]], cwd=ROOT, capture_output=True, text=True)
    finally:
        path.write_text(original, encoding="utf-8")
    return "CAUGHT" if run.returncode == 1 else "MISSED" if run.returncode == 0 else "ERROR"


def main(words: list[str]) -> int:
    mutants = json.loads(MUTANTS.read_text(encoding="utf-8"))
    chosen = [m for m in mutants if all(w.lower() in m["behaviour"].lower() for w in words)]
    verdicts = []
    for mutant in chosen:
        verdict = check(mutant)
        verdicts.append(verdict)
        print(f"{verdict:6}  {mutant['behaviour']}", flush=True)
    caught = verdicts.count("CAUGHT")
    print(f"{caught} of {len(chosen)} broken behaviours made their tests fail")
    return 0 if caught == len(chosen) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
