"""`movegraph evaluate`: run an extractor over a gold set, score it and measure its calibration."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from movegraph.evaluation.annotated import read_gold
from movegraph.evaluation.calibration import expected_calibration_error, fact_outcomes
from movegraph.evaluation.report import ScoreReport
from movegraph.evaluation.scoring import format_report, score
from movegraph.extractors.base import Extractor
from movegraph.extractors.pipeline import extract_all
from movegraph.schema import InputError


class ReliabilityBin(BaseModel):
    """Predicted facts whose confidence falls in [low, high) and how many of them were right."""

    low: float
    high: float
    facts: int = 0
    correct: int = 0
    mean_confidence: float = 0.0

    @property
    def accuracy(self) -> float:
        """Share of the bin's facts that matched a gold fact."""
        return self.correct / self.facts if self.facts else 0.0


class EvaluationReport(BaseModel):
    """Score, calibration and speed of one extractor on one gold set."""

    gold: str
    extractor: str
    version: str
    articles: int
    events: int
    seconds: float
    failed_articles: dict[str, str] = Field(default_factory=dict)
    score: ScoreReport
    reliability: list[ReliabilityBin]
    calibration_error: float = 0.0  # expected calibration error over the reliability bins

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form with the score's derived figures written out."""
        data = self.model_dump(exclude={"score", "reliability"})
        data["score"] = self.score.to_dict()
        data["reliability"] = [b.model_dump() | {"accuracy": round(b.accuracy, 4)} for b in self.reliability]
        return data


def evaluate(gold_path: Path, extractor: Extractor, keep: Callable[[str], bool] | None = None) -> EvaluationReport:
    """Extract every gold article (or those whose id `keep` accepts), score against its facts, and bin
    facts by confidence."""
    gold = [a for a in read_gold(gold_path) if keep is None or keep(a.id)]
    if not gold:
        raise InputError(f"{gold_path}: no gold articles to evaluate on")
    started = time.perf_counter()
    result = extract_all(extractor, gold)
    seconds = time.perf_counter() - started
    report = score(gold, result.events)
    outcomes = fact_outcomes(report, result.events)
    return EvaluationReport(gold=str(gold_path), extractor=extractor.name, version=extractor.version,
                            articles=len(gold), events=len(result.events), seconds=round(seconds, 3),
                            failed_articles=result.failed, score=report,
                            reliability=reliability_table(outcomes),
                            calibration_error=expected_calibration_error(outcomes))


def reliability_table(outcomes: list[tuple[float, bool]], bins: int = 5) -> list[ReliabilityBin]:
    """Scored predicted facts (confidence, right) binned by confidence (see `fact_outcomes`)."""
    table = [ReliabilityBin(low=i / bins, high=(i + 1) / bins) for i in range(bins)]
    sums = [0.0] * bins
    for value, right in outcomes:
        index = min(bins - 1, int(value * bins))
        table[index].facts += 1
        table[index].correct += right
        sums[index] += value
    for index, entry in enumerate(table):
        entry.mean_confidence = round(sums[index] / entry.facts, 4) if entry.facts else 0.0
    return table


def format_evaluation(report: EvaluationReport) -> str:
    """The score report, then speed and the reliability table, as text."""
    rate = report.articles / report.seconds if report.seconds else 0.0
    lines = [f"extractor {report.extractor} {report.version} on {report.gold}: {report.articles} articles, "
             f"{report.events} events in {report.seconds:.1f} s ({rate:.1f} articles/s)",
             format_report(report.score), "Reliability (predicted facts by confidence):",
             "  confidence    facts  correct  accuracy  mean conf"]
    for b in report.reliability:
        lines.append(f"  {b.low:.1f}-{b.high:.1f}     {b.facts:5d}  {b.correct:7d}  {b.accuracy:8.3f}  "
                     f"{b.mean_confidence:9.3f}")
    lines.append(f"  expected calibration error {report.calibration_error:.3f}")
    return "\n".join(lines)
