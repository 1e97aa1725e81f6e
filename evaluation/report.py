"""The score report of spec section 6: counts, P/R/F1, agreements, per-article errors, and its text form."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from movegraph.schema import FactKey

ATTRIBUTES: tuple[str, ...] = ("time", "quantity", "locality", "origin", "source")


def ratio(numerator: int, denominator: int) -> float:
    """A share that is 0.0, not a ZeroDivisionError, when nothing was counted."""
    return numerator / denominator if denominator else 0.0


class PRF(BaseModel):
    """True/false positives, false negatives and the precision, recall and F1 they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp), 0.0 when nothing was predicted."""
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        """tp / (tp + fn), 0.0 when gold has nothing to find."""
        return ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall, 0.0 when both are 0."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        """Accumulate another count into this one (micro-averaging over articles)."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, float | int]:
        """Counts plus the derived figures, for JSON output."""
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


class Agreement(BaseModel):
    """How many matched facts had the attribute in gold (`scored`) and how many of those agreed."""

    scored: int = 0
    agreed: int = 0

    @property
    def rate(self) -> float:
        """agreed / scored, 0.0 when gold named the attribute on no matched fact."""
        return ratio(self.agreed, self.scored)

    def to_dict(self) -> dict[str, float | int]:
        """Counts plus the rate, for JSON output."""
        return {"scored": self.scored, "agreed": self.agreed, "rate": self.rate}


class MatchedFact(BaseModel):
    """A strict true positive: the predicted and gold tuples, and per attribute agreed / disagreed / not scored."""

    predicted: FactKey
    gold: FactKey
    agreements: dict[str, bool | None] = Field(default_factory=dict)


class ArticleScore(BaseModel):
    """One gold article's strict matches and errors, so they can be read fact by fact."""

    article_id: str
    tp: list[MatchedFact] = Field(default_factory=list)
    fp: list[FactKey] = Field(default_factory=list)
    fn: list[FactKey] = Field(default_factory=list)
    ignored: list[FactKey] = Field(default_factory=list)
    lenient: PRF = Field(default_factory=PRF)
    unscored_events: int = 0

    @property
    def strict(self) -> PRF:
        """This article's strict counts."""
        return PRF(tp=len(self.tp), fp=len(self.fp), fn=len(self.fn))


class ScoreReport(BaseModel):
    """Everything `score` measured; `strict.f1` is the headline figure."""

    strict: PRF = Field(default_factory=PRF)
    lenient: PRF = Field(default_factory=PRF)
    factual: Agreement = Field(default_factory=Agreement)  # facts matched on mover and place: factual agrees
    agreements: dict[str, Agreement] = Field(
        default_factory=lambda: {name: Agreement() for name in ATTRIBUTES})
    articles: list[ArticleScore] = Field(default_factory=list)
    gold_articles: int = 0
    predicted_events: int = 0
    unscored_events: int = 0
    unscored_gold_facts: int = 0
    ignored_predictions: int = 0
    articles_not_in_gold: int = 0
    events_not_in_gold: int = 0
    article_ids_not_in_gold: list[str] = Field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict, with the derived P/R/F1 and rates written out."""
        data = self.model_dump(mode="json")
        data["strict"] = self.strict.to_dict()
        data["lenient"] = self.lenient.to_dict()
        data["factual"] = self.factual.to_dict()
        data["agreements"] = {name: agreement.to_dict() for name, agreement in self.agreements.items()}
        for article, dumped in zip(self.articles, data["articles"], strict=True):
            dumped["lenient"] = article.lenient.to_dict()
        return data


def format_fact(key: FactKey) -> str:
    """One tuple as `KP/military -> RU-KRS (factual)`."""
    place = key.subdivision or key.country
    return f"{key.mover} -> {place} ({'factual' if key.factual else 'non-factual'})"


def _prf_line(label: str, prf: PRF) -> str:
    """One line of P/R/F1 with the counts behind it."""
    return (f"  {label:<8} P {prf.precision:.3f}  R {prf.recall:.3f}  F1 {prf.f1:.3f}"
            f"   (tp {prf.tp}, fp {prf.fp}, fn {prf.fn})")


def _agreement_lines(report: ScoreReport) -> list[str]:
    """The agreement block: agreed/scored and rate per attribute."""
    lines = [f"Agreement on {report.strict.tp} matched facts (agreed/scored where gold names it):"]
    for name, agreement in report.agreements.items():
        lines.append(f"  {name:<9} {agreement.agreed:>4}/{agreement.scored:<4} {agreement.rate:.3f}")
    return lines


def _count_lines(report: ScoreReport) -> list[str]:
    """What was left out of the figures, and why."""
    lines = [
        f"Not scored: {report.unscored_events} predicted events without a destination country, "
        f"{report.unscored_gold_facts} gold facts without a destination country.",
        f"Ignored: {report.ignored_predictions} predicted facts that match optional gold facts.",
    ]
    if report.articles_not_in_gold:
        ids = ", ".join(report.article_ids_not_in_gold)
        lines.append(f"Not in gold (not counted as FP): {report.articles_not_in_gold} articles, "
                     f"{report.events_not_in_gold} events: {ids}")
    return lines


def _article_lines(article: ArticleScore) -> list[str]:
    """An article's errors: FPs, FNs and matched facts with a disagreeing attribute."""
    strict = article.strict
    lines = [f"  {article.article_id}: tp {strict.tp}, fp {strict.fp}, fn {strict.fn}"]
    lines += [f"    FP {format_fact(key)}" for key in article.fp]
    lines += [f"    FN {format_fact(key)}" for key in article.fn]
    for match in article.tp:
        wrong = [name for name, agreed in match.agreements.items() if agreed is False]
        if wrong:
            lines.append(f"    TP {format_fact(match.predicted)} ~ {format_fact(match.gold)}; "
                         f"disagrees on {', '.join(wrong)}")
    return lines


def _has_errors(article: ArticleScore) -> bool:
    """True when the article has an FP, an FN or a matched fact with a disagreeing attribute."""
    return bool(article.fp or article.fn
                or any(agreed is False for match in article.tp for agreed in match.agreements.values()))


def format_report(report: ScoreReport) -> str:
    """Human-readable text: headline P/R/F1, lenient F1, agreements, counts and per-article errors."""
    lines = [
        f"Movement-event scoring: {report.gold_articles} gold articles, "
        f"{report.predicted_events} predicted events",
        _prf_line("strict", report.strict),
        _prf_line("lenient", report.lenient),
        f"  factual  {report.factual.agreed}/{report.factual.scored} facts matched on mover and place agree on "
        f"factual ({report.factual.rate:.3f})",
        *_agreement_lines(report),
        *_count_lines(report),
    ]
    with_errors = [article for article in report.articles if _has_errors(article)]
    lines.append(f"Articles with errors: {len(with_errors)} of {len(report.articles)}")
    for article in with_errors:
        lines += _article_lines(article)
    return "\n".join(lines)
