"""`indgang eval`: retrieval and abstention figures on a question set, per mode and kind."""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.commands.ingest import add_store_argument, settings_from
from knowledge.access import role_for_audience
from knowledge.answers.answer import Answer
from knowledge.answers.answering import Answerer
from knowledge.answers.retrieval import Mode
from knowledge.errors import IndgangError
from knowledge.models import Passage

MODES: tuple[Mode, ...] = ("dense", "keyword", "hybrid")
METRICS = ("hit@1", "hit@5", "MRR@10", "evidence@5", "abstention")


def register(commands: Any) -> None:
    """Add the eval subcommand."""
    parser = commands.add_parser(
        "eval", help="mål svarkvaliteten på et spørgsmålssæt",
        description="Læser linjer {\"q\", \"docs\", \"must\", \"kind\"?, \"audience\"?} og skriver "
        "hit@1, hit@5, MRR@10, evidence@5 og abstention accuracy pr. søgemetode og type.",
    )
    parser.add_argument("questions", type=Path, metavar="SPØRGSMÅL.jsonl")
    add_store_argument(parser)
    parser.add_argument("--modes", default=",".join(MODES),
                        help="søgemetoder, kommasepareret (dense, keyword, hybrid)")
    parser.add_argument("--show-misses", action="store_true",
                        help="vis spørgsmål som fusionen rammer forkert")
    parser.set_defaults(run=run_eval)


@dataclass(frozen=True)
class Case:
    """One line of the question set."""

    q: str
    docs: list[str]
    must: list[str]
    kind: str
    audience: str


def run_eval(args: argparse.Namespace) -> int:
    """Evaluate every mode and print one table."""
    cases = load_cases(args.questions)
    answerer = Answerer.from_settings(settings_from(args))
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    print(f"{'mode':8} {'kind':16} {'n':>4} " + " ".join(f"{m:>10}" for m in METRICS))
    for mode in modes:
        rows: dict[str, list[dict[str, float]]] = defaultdict(list)
        for case in cases:
            answer = answerer.answer(case.q, role_for_audience(case.audience), mode=mode)  # type: ignore[arg-type]
            scores = score_case(case, answer)
            rows["all"].append(scores)
            rows[case.kind].append(scores)
            if args.show_misses and mode == "hybrid":
                _print_miss(case, answer, scores)
        for kind in ["all", *sorted(k for k in rows if k != "all")]:
            print(f"{mode:8} {kind:16} {len(rows[kind]):4} " + " ".join(
                f"{_mean(rows[kind], m):>10}" for m in METRICS))
    return 0


def load_cases(path: Path) -> list[Case]:
    """Read the question set; a malformed line is an error naming the line."""
    if not path.is_file():
        raise IndgangError(f"Spørgsmålsfilen findes ikke (file not found): {path}")
    cases = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            cases.append(Case(data["q"], list(data.get("docs", [])), list(data.get("must", [])),
                              data.get("kind", "all"), data.get("audience", "public")))
        except (ValueError, KeyError, TypeError) as error:
            raise IndgangError(f"{path.name}, linje {number}: ugyldig linje ({error})") from error
    return cases


def score_case(case: Case, answer: Answer) -> dict[str, float]:
    """Return the case's metrics; retrieval metrics only for answerable questions."""
    scores = {"abstention": float(answer.found == bool(case.docs))}
    if not case.docs:
        return scores
    files = [p.file for p in answer.candidates]
    rank = next((i for i, f in enumerate(files[:10], start=1) if f in case.docs), None)
    scores["hit@1"] = float(rank == 1)
    scores["hit@5"] = float(rank is not None and rank <= 5)
    scores["MRR@10"] = 1.0 / rank if rank else 0.0
    scores["evidence@5"] = float(any(contains_all(p, case.must) for p in answer.candidates[:5]))
    return scores


def contains_all(passage: Passage, phrases: list[str]) -> bool:
    """Return whether the passage (with its heading) contains every phrase.

    Case and spacing are ignored; the heading counts because it is shown with the text.
    """
    text = " ".join(f"{passage.title} {passage.section} {passage.text}".lower().split())
    return all(" ".join(phrase.lower().split()) in text for phrase in phrases)


def _mean(rows: list[dict[str, float]], metric: str) -> str:
    values = [row[metric] for row in rows if metric in row]
    return f"{sum(values) / len(values):.3f}" if values else "-"


def _print_miss(case: Case, answer: Answer, scores: dict[str, float]) -> None:
    if scores.get("hit@5", 1.0) and scores.get("evidence@5", 1.0) and scores["abstention"]:
        return
    evidence = answer.evidence
    print(f"  MISS [{case.kind}] {case.q!r} found={answer.found} "
          f"top={[p.file for p in answer.candidates[:3]]} "
          f"{scores} {evidence.reason if evidence else ''}")
