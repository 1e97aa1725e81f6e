"""Fact-level calibration: which predicted facts were right, at what confidence, and the map that fits them.

A fact's confidence is the highest confidence of the events that state it, as in the
reliability table; a fact is right when it matches a gold fact (optional gold facts
and events without a destination country are not scored, so they do not count).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from movegraph.evaluation.annotated import read_gold
from movegraph.evaluation.report import ScoreReport
from movegraph.evaluation.scoring import score
from movegraph.extractors.base import Extractor
from movegraph.extractors.calibration import ConfidenceMap, fit_confidence_map
from movegraph.extractors.pipeline import extract_all
from movegraph.schema import FactKey, GoldArticle, MovementEvent


def fact_outcomes(report: ScoreReport, events: Sequence[MovementEvent]) -> list[tuple[float, bool]]:
    """(confidence, right) for every scored predicted fact, in a stable order."""
    confidence: dict[tuple[str, FactKey], float] = defaultdict(float)
    for event in events:
        key = event.fact_key()
        if key is not None:
            slot = (event.article_id, key)
            confidence[slot] = max(confidence[slot], event.confidence)
    correct = {(a.article_id, m.predicted) for a in report.articles for m in a.tp}
    scored = {(a.article_id, k) for a in report.articles for k in a.fp} | correct
    return [(confidence.get(slot, 0.0), slot in correct) for slot in sorted(scored, key=repr)]


def expected_calibration_error(outcomes: Sequence[tuple[float, bool]], bins: int = 5) -> float:
    """Mean |accuracy - mean confidence| over equal-width bins, weighted by the facts in each."""
    if not outcomes:
        return 0.0
    totals = [[0, 0.0, 0] for _ in range(bins)]  # facts, confidence sum, right
    for value, right in outcomes:
        entry = totals[min(bins - 1, int(value * bins))]
        entry[0] += 1
        entry[1] += value
        entry[2] += right
    return round(sum(abs(r / n - c / n) * n for n, c, r in totals if n) / len(outcomes), 4)


def outcomes_on(gold: Sequence[GoldArticle], extractor: Extractor) -> list[tuple[float, bool]]:
    """Run `extractor` over gold articles and return its scored facts' outcomes."""
    result = extract_all(extractor, list(gold))
    return fact_outcomes(score(list(gold), result.events), result.events)


def calibrate(gold_path: Path, extractor: Extractor, fitted_on: str = "") -> ConfidenceMap:
    """Fit a ConfidenceMap to `extractor`'s raw scores on a gold set it was not built from."""
    outcomes = outcomes_on(read_gold(gold_path), extractor)
    label = fitted_on or f"{gold_path} with {extractor.name} {extractor.version}"
    return fit_confidence_map(outcomes, fitted_on=label)
