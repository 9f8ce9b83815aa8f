"""`indgang eval`: retrieval, abstention and answer figures on a question set, per mode and kind."""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path
from typing import Any

from ingest.commands.ingest import add_store_argument, settings_from
from ingest.evaluation import (
    ANSWER_METRICS,
    RETRIEVAL_METRICS,
    Case,
    load_cases,
    mean,
    median_length,
    score_case,
)
from knowledge.access import role_for_audience
from knowledge.answers.answer import Answer
from knowledge.answers.answering import Answerer
from knowledge.answers.rendering import render_text
from knowledge.answers.retrieval import Mode
from knowledge.errors import IndgangError

MODES: tuple[Mode, ...] = ("dense", "keyword", "hybrid")
METRICS = (*RETRIEVAL_METRICS, *ANSWER_METRICS)


def register(commands: Any) -> None:
    """Add the eval subcommand."""
    parser = commands.add_parser(
        "eval", help="mål svarkvaliteten på et spørgsmålssæt",
        description="Læser linjer {\"q\", \"docs\", \"must\", \"kind\"?, \"audience\"?, \"split\"?} "
        "og skriver pr. søgemetode og type: hit@1, hit@5, MRR@10, evidence@5, abstention "
        "accuracy, svar med faktum (has_fact), besvarbare afvist (refused), ubesvarbare "
        "besvaret og medianlængden af svaret.",
    )
    parser.add_argument("questions", type=Path, metavar="SPØRGSMÅL.jsonl")
    add_store_argument(parser)
    parser.add_argument("--modes", default="hybrid",
                        help="søgemetoder, kommasepareret (dense, keyword, hybrid; standard hybrid)")
    parser.add_argument("--split", help="kun spørgsmål med dette split (fx fit eller report)")
    parser.add_argument("--show-misses", action="store_true",
                        help="vis de spørgsmål, der besvares forkert, med svaret")
    parser.set_defaults(run=run_eval)


def run_eval(args: argparse.Namespace) -> int:
    """Evaluate every mode and print one table."""
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not modes or set(modes) - set(MODES):
        raise IndgangError(f"--modes skal være en eller flere af {', '.join(MODES)}, "
                           f"kommasepareret, ikke {args.modes!r} (unknown search mode)")
    cases = load_cases(args.questions, args.split)
    answerer = Answerer.from_settings(settings_from(args))
    names = [m.replace("answered_unanswerable", "ans_unans") for m in METRICS]
    print(f"{'mode':8} {'kind':14} {'n':>4} " + " ".join(f"{m:>10}" for m in names) + "  median_len")
    for mode in modes:
        rows: dict[str, list[dict[str, float]]] = defaultdict(list)
        for case in cases:
            answer = answerer.answer(case.q, role_for_audience(case.audience), mode=mode)  # type: ignore[arg-type]
            rendered = render_text(answer)
            scores = score_case(case, answer, rendered)
            rows["all"].append(scores)
            if case.kind and case.kind != "all":
                rows[case.kind].append(scores)
            if args.show_misses and mode == modes[-1]:
                _print_miss(case, answer, rendered, scores)
        for kind in ["all", *sorted(k for k in rows if k != "all")]:
            print(f"{mode:8} {kind:14} {len(rows[kind]):4} " + " ".join(
                f"{mean(rows[kind], m):>10}" for m in METRICS) + f"  {median_length(rows[kind]):>10}")
    return 0


def _print_miss(case: Case, answer: Answer, rendered: str, scores: dict[str, float]) -> None:
    if scores.get("has_fact", 1.0) and scores["abstention"]:
        return
    evidence = answer.evidence
    print(f"MISS [{case.kind}] {case.q!r} must={case.must} docs={case.docs}\n"
          f"  top={[p.file for p in answer.candidates[:3]]} "
          f"{evidence.reason if evidence else ''}\n  " + rendered[:900].replace("\n", "\n  "))
