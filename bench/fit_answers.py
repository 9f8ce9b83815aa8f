"""Fit the answer step's calibration on one half of a question set, report on the other.

    .venv/bin/python bench/fit_answers.py bench/realpages/questions.jsonl --store .realpages-store \
        --guard bench/questions.jsonl --guard-store .eval-store

Retrieval does not depend on the calibrated weights, so each question is retrieved once
and the answer step (evidence check, quotes, rendering) is run again for every setting
of a small grid. The grid point with the best score on the `fit` splits is printed with
its figures there and on `report` (document-disjoint), and the figures of the current
calibration beside it. With --guard, a point is taken only if it leaves no figure of that
question set (our own) worse than the current calibration does: the issue's goals allow
no loss there. --features prints each question's evidence signals instead.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.evaluation import Case, load_cases, mean, score_case  # noqa: E402
from knowledge.access import Role, role_for_audience  # noqa: E402
from knowledge.answers.answering import Answerer  # noqa: E402
from knowledge.answers.calibration import CALIBRATION, Calibration  # noqa: E402
from knowledge.answers.rendering import render_text  # noqa: E402
from knowledge.answers.retrieval import Mode, Retrieval, Retriever  # noqa: E402
from knowledge.errors import IndgangError  # noqa: E402
from knowledge.settings import Settings  # noqa: E402

# The splits fitted on: the first fit half, then fit2, fit3 and fit4, pages gathered later
# (each measured once before it was read: bench/realpages/README.md). "report" is never
# fitted on.
FIT_SPLITS = ("fit", "fit2", "fit3", "fit4")
# Two stages: which units are quoted (given an answer), then when to answer at all.
QUOTE_GRID: dict[str, list[Any]] = {
    "quote_passages": [3, 4, 5, 6],
    "answer_type_bonus": [0.3, 0.6, 1.0],
    "quote_margin": [0.5, 0.8, 1.2],
    "max_quotes": [3, 4, 5],
    "passage_rank_penalty": [0.05, 0.2],
}
EVIDENCE_GRID: dict[str, list[Any]] = {
    "min_similarity": [{"da": d, "en": d - e} for d in (0.83, 0.845, 0.86, 0.875)
                       for e in (0.0, 0.025, 0.05)],
    "unfamiliar_word_margin": [0.0, 0.015, 0.02, 0.025, 0.03, 0.05],
}


class CachedRetriever(Retriever):
    """Retrieves each question once; the calibration under test only changes what follows."""

    def __init__(self, inner: Retriever) -> None:
        super().__init__(inner.store, inner.embedder)
        self._cache: dict[tuple[str, str, str], Retrieval] = {}

    def search(self, question: str, role: Role, k: int = 8, mode: Mode = "hybrid") -> Retrieval:
        key = (question, role, mode)
        if key not in self._cache:
            self._cache[key] = super().search(question, role, k, mode)
        return self._cache[key]


def evaluate(answerer: Answerer, cases: list[Case]) -> dict[str, str]:
    """Return the answer figures of one calibration on the cases."""
    rows = []
    for case in cases:
        answer = answerer.answer(case.q, role_for_audience(case.audience))
        rows.append(score_case(case, answer, render_text(answer)))
    return {m: mean(rows, m) for m in ("has_fact", "refused", "answered_unanswerable", "abstention")}


def _changed(calibration: Calibration, current: Calibration) -> int:
    """Return how many settings differ between two calibrations."""
    return sum(getattr(calibration, name) != getattr(current, name)
               for name in [*QUOTE_GRID, *EVIDENCE_GRID])


def objective(figures: dict[str, str]) -> float:
    """Return what the fit maximises: facts delivered, refusals and wrong answers punished."""
    value = {k: float(v) if v != "-" else 0.0 for k, v in figures.items()}
    return value["has_fact"] + value["abstention"] - 2 * max(0.0, value["refused"] - 0.05)


class Guard:
    """A question set whose figures a calibration may not make worse (our own set)."""

    def __init__(self, settings: Settings, cases: list[Case]) -> None:
        base = Answerer.from_settings(settings)
        self._retriever = CachedRetriever(base.retriever)
        self._embedder = base.embedder
        self._settings = settings
        self._cases = cases
        self.baseline = self.figures(CALIBRATION)

    def figures(self, calibration: Calibration) -> dict[str, str]:
        """Return the set's figures with the calibration."""
        answerer = Answerer(self._retriever, self._embedder, self._settings, calibration)
        return evaluate(answerer, self._cases)


def no_worse(figures: dict[str, str], baseline: dict[str, str]) -> bool:
    """Return whether no figure is worse than the baseline's (refusals and wrong answers
    are worse higher, the others lower)."""
    lower_is_better = {"refused", "answered_unanswerable"}
    for name, value in figures.items():
        if value == "-" or baseline[name] == "-":
            continue
        worse = float(value) > float(baseline[name]) if name in lower_is_better \
            else float(value) < float(baseline[name])
        if worse:
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--guard", type=Path, help="a question set no figure of which may get worse")
    parser.add_argument("--guard-store", type=Path, help="the store the guard set is asked on")
    parser.add_argument("--features", action="store_true")
    args = parser.parse_args()
    if (args.guard is None) != (args.guard_store is None):
        parser.error("--guard and --guard-store go together")
    try:  # a wrong path is told in one line, before the model loads
        fit = [case for split in FIT_SPLITS for case in load_cases(args.questions, split)]
        report = load_cases(args.questions, "report")
        guard_cases = load_cases(args.guard, None) if args.guard is not None else []
    except IndgangError as error:
        parser.error(str(error))
    settings = Settings().model_copy(update={"store_dir": args.store})
    base = Answerer.from_settings(settings)
    retriever = CachedRetriever(base.retriever)
    if args.features:
        print_features(Answerer(retriever, base.embedder, settings), fit)
        return
    guard = Guard(settings.model_copy(update={"store_dir": args.guard_store}), guard_cases) \
        if args.guard is not None else None
    if guard is not None:
        print(f"guard set now: {guard.baseline}")
    best = CALIBRATION
    for grid in (QUOTE_GRID, EVIDENCE_GRID):
        results = []
        for values in itertools.product(*grid.values()):
            calibration = best.model_copy(update=dict(zip(grid, values, strict=True)))
            figures = evaluate(Answerer(retriever, base.embedder, settings, calibration), fit)
            results.append((objective(figures), values, figures, calibration))
        # Ties go to the point that changes fewest of the current values: a value moves
        # only when the fit splits say it should.
        results.sort(key=lambda r: (-round(r[0], 6), _changed(r[3], best)))
        for score, values, figures, _ in results[:3]:
            print(f"{score:.3f} {dict(zip(grid, values, strict=True))} fit={figures}")
        for score, values, _, calibration in results:  # the best the guard allows
            point = dict(zip(grid, values, strict=True))
            if guard is not None:
                guarded = guard.figures(calibration)
                if not no_worse(guarded, guard.baseline):
                    print(f"  guard refuses {point}: {guarded}")
                    continue
                print(f"taken {score:.3f} {point} guard={guarded}")
            best = calibration
            break
    for name, calibration in (("current", CALIBRATION), ("best on fit", best)):
        for split, cases in (("fit", fit), ("report", report)):
            answerer = Answerer(retriever, base.embedder, settings, calibration)
            print(f"{name:12} {split:7} {evaluate(answerer, cases)}")


def print_features(answerer: Answerer, cases: list[Case]) -> None:
    """Print each question's evidence signals and verdict."""
    for case in cases:
        answer = answerer.answer(case.q, role_for_audience(case.audience))
        e = answer.evidence
        assert e is not None
        label = "ANS" if case.docs else "NOT"
        print(f"{label} {case.kind:12} found={answer.found!s:5} dense={e.dense:.3f} "
              f"names={e.missing} unknown={e.unknown} | {e.reason} | {case.q}")


if __name__ == "__main__":
    main()
