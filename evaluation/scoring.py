"""The scorer of spec section 6: predicted movement events against gold facts, per article, micro-averaged.

A fact is the tuple (mover key, destination country, destination subdivision or
None, factual); every predicted event maps to its tuple (`MovementEvent.fact_key`)
and duplicates collapse, so a system is scored on distinct facts, not mentions.
Per article, predicted facts are matched one-to-one to gold facts by a maximum
bipartite matching (deterministic: facts are sorted first) in which a pair is
compatible when the movers match (see `movers_match`) and the rest of the tuple is
equal. Required gold facts are matched first; a predicted fact left over that
matches an `optional` gold fact is ignored (neither TP nor FP); an optional gold
fact never counts as FN. The lenient score repeats this on (mover, country).
"""

from __future__ import annotations

import datetime as dt
import logging
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from movegraph.evaluation.report import (
    PRF,
    ArticleScore,
    MatchedFact,
    ScoreReport,
    format_report,
)
from movegraph.schema import FactKey, GoldArticle, GoldFact, InputError, MovementEvent

__all__ = ["NAME_PARTICLES", "TITLES", "ScoreReport", "format_report", "name_tokens", "score"]

log = logging.getLogger(__name__)

# Words that are dropped from a person's name before comparing tokens: titles and
# ranks (spec section 5 "leaving titles aside"), lower case without the dot.
# Tokens under three letters (Mr, Ms, Dr, MP, Lt, al, da) never count anyway.
TITLES: frozenset[str] = frozenset({
    "president", "vice", "prime", "minister", "premier", "chancellor", "secretary", "general",
    "gen", "colonel", "col", "lieutenant", "major", "maj", "captain", "capt", "commander",
    "admiral", "adm", "sergeant", "sgt", "marshal", "brigadier", "mrs", "miss", "sir", "dame",
    "lord", "lady", "king", "queen", "prince", "princess", "emir", "sheikh", "sultan", "pope",
    "cardinal", "archbishop", "bishop", "rev", "reverend", "director", "senator", "sen",
    "representative", "rep", "congressman", "congresswoman", "governor", "gov", "mayor",
    "ambassador", "envoy", "deputy", "foreign", "defence", "defense", "interior", "state",
    "chief", "chairman", "chairwoman", "chair", "speaker", "commissioner", "spokesman",
    "spokeswoman", "spokesperson", "his", "her", "excellency", "majesty", "highness", "holiness",
})

# Name particles shared by unrelated people ("Mohammed bin Salman", "Faisal bin Farhan"),
# dropped for the same reason as titles: they do not identify anyone.
NAME_PARTICLES: frozenset[str] = frozenset({
    "bin", "ibn", "bint", "van", "von", "der", "den", "del", "della", "des", "dos", "das",
})

MIN_TOKEN_LETTERS = 3
_LETTER_RUN = re.compile(r"[^\W\d_]+")

Interval = tuple[dt.date | None, dt.date | None]
Origin = tuple[str, str | None]
T = TypeVar("T")
# How much of a fact must agree: all of it, mover and country (lenient F1), or mover and place.
Level = Literal["strict", "lenient", "place"]


def fold(text: str) -> str:
    """Lower case without diacritics (NFKD, combining marks dropped), spaces collapsed: for lenient string equality."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def name_tokens(name: str) -> frozenset[str]:
    """The identifying tokens of a person's name: folded letter runs of 3+ letters, titles and particles left out."""
    return frozenset(
        token for token in _LETTER_RUN.findall(fold(name))
        if len(token) >= MIN_TOKEN_LETTERS and token not in TITLES and token not in NAME_PARTICLES
    )


def _affiliation(value: str | None) -> str | None:
    """An affiliation compared case-insensitively; blank means none."""
    return value.strip().casefold() if value and value.strip() else None


def _code(value: str | None) -> str | None:
    """An ISO code from gold, upper case; blank means none."""
    return value.strip().upper() if value and value.strip() else None


@dataclass
class _Fact:
    """A scored tuple with its mover details and every attribute value of the mentions that collapsed into it."""

    key: FactKey
    mover_type: str
    name: str | None
    affiliations: set[str | None]
    optional: bool = False
    times: list[Interval] = field(default_factory=list)
    quantities: set[int] = field(default_factory=set)
    localities: set[str] = field(default_factory=set)
    origins: set[Origin] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)

    def slot(self, level: Level) -> tuple[str | bool | None, ...]:
        """The non-mover part compared exactly at `level`: strict (country, subdivision, factual),
        lenient (country,), place (country, subdivision: where factual agreement is measured)."""
        if level == "place":
            return (self.key.country, self.key.subdivision)
        if level == "lenient":
            return (self.key.country,)
        return (self.key.country, self.key.subdivision, self.key.factual)

    def identity(self, level: Level) -> tuple[str | bool | None, ...]:
        """What duplicates share: the mover key (affiliation case-folded) and the slot."""
        return (self.key.mover.casefold(), *self.slot(level))

    def sort_key(self) -> tuple[str, str, str, bool]:
        """A total order over facts, so that matching is deterministic."""
        return (self.key.mover.casefold(), self.key.country, self.key.subdivision or "", self.key.factual)

    def merge(self, other: _Fact) -> None:
        """Absorb a duplicate: union of attribute values; optional only if both are optional."""
        self.affiliations |= other.affiliations
        self.optional = self.optional and other.optional
        self.times += other.times
        self.quantities |= other.quantities
        self.localities |= other.localities
        self.origins |= other.origins
        self.sources |= other.sources


def _event_fact(event: MovementEvent) -> _Fact | None:
    """The fact of a predicted event, or None when its destination has no country (not scored)."""
    key = event.fact_key()
    if key is None or event.destination is None:
        return None
    fact = _Fact(key, event.mover.type, event.mover.name, {_affiliation(event.mover.affiliation)})
    if event.time is not None:
        fact.times.append((event.time.start, event.time.end))
    if event.quantity is not None:
        fact.quantities.add(event.quantity)
    if event.destination.locality and event.destination.locality.strip():
        fact.localities.add(fold(event.destination.locality))
    if event.origin is not None and event.origin.country:
        fact.origins.add((event.origin.country, event.origin.subdivision))
    if event.source and event.source.strip():
        fact.sources.add(fold(event.source))
    return fact


def _gold_fact(gold: GoldFact) -> _Fact | None:
    """The fact of a gold entry, or None when its destination has no country (it cannot be matched)."""
    country = _code(gold.destination.country)
    if country is None:
        return None
    key = FactKey(gold.mover.key, country, _code(gold.destination.subdivision), gold.factual)
    fact = _Fact(key, gold.mover.type, gold.mover.name, {_affiliation(gold.mover.affiliation)}, gold.optional)
    fact.times = [(interval.start, interval.end) for interval in gold.times]
    fact.quantities = set(gold.quantities)
    if gold.destination.locality and gold.destination.locality.strip():
        fact.localities.add(fold(gold.destination.locality))
    origin_country = _code(gold.origin.country) if gold.origin else None
    if gold.origin is not None and origin_country is not None:
        fact.origins.add((origin_country, _code(gold.origin.subdivision)))
    fact.sources = {fold(source) for source in gold.sources if source.strip()}
    return fact


def _collapse(facts: Iterable[_Fact], level: Level) -> list[_Fact]:
    """Distinct facts (duplicates merged into copies, inputs untouched), in a deterministic order."""
    distinct: dict[tuple[str | bool | None, ...], _Fact] = {}
    for fact in facts:
        identity = fact.identity(level)
        if identity in distinct:
            distinct[identity].merge(fact)
        else:
            distinct[identity] = _copy(fact)
    return sorted(distinct.values(), key=_Fact.sort_key)


def _factual_values(facts: Iterable[_Fact]) -> dict[tuple[str | bool | None, ...], set[bool]]:
    """The `factual` values stated for each (mover, country, subdivision)."""
    values: dict[tuple[str | bool | None, ...], set[bool]] = {}
    for fact in facts:
        values.setdefault(fact.identity("place"), set()).add(fact.key.factual)
    return values


def _copy(fact: _Fact) -> _Fact:
    """A copy whose sets and lists can be merged into without touching the original."""
    return _Fact(fact.key, fact.mover_type, fact.name, set(fact.affiliations), fact.optional,
                 list(fact.times), set(fact.quantities), set(fact.localities), set(fact.origins),
                 set(fact.sources))


def movers_match(predicted: _Fact, gold: _Fact) -> bool:
    """Spec section 5/6 mover rule: same type and affiliation; named people also share a name token."""
    if predicted.mover_type != gold.mover_type or not predicted.affiliations & gold.affiliations:
        return False
    if predicted.mover_type == "person" and predicted.name and gold.name:
        return bool(name_tokens(predicted.name) & name_tokens(gold.name))
    return predicted.key.mover.casefold() == gold.key.mover.casefold()


def _max_matching(left: list[_Fact], right: list[_Fact],
                  compatible: Callable[[_Fact, _Fact], bool]) -> dict[int, int]:
    """Maximum one-to-one matching (Kuhn's augmenting paths), as {left index: right index}."""
    edges = [[j for j, r in enumerate(right) if compatible(fact, r)] for fact in left]
    owner: dict[int, int] = {}

    def assign(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or assign(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(left)):
        assign(i, set())
    return {i: j for j, i in owner.items()}


@dataclass
class _Matching:
    """The outcome of matching one article's facts at one level (strict or lenient)."""

    pairs: list[tuple[_Fact, _Fact]]
    false_positives: list[_Fact]
    false_negatives: list[_Fact]
    ignored: list[_Fact]

    @property
    def prf(self) -> PRF:
        """The counts of this matching."""
        return PRF(tp=len(self.pairs), fp=len(self.false_positives), fn=len(self.false_negatives))


def _match(predicted: list[_Fact], gold: list[_Fact], level: Level) -> _Matching:
    """Match required gold first, then absorb leftovers that match optional gold; the rest are FP and FN."""
    def compatible(p: _Fact, g: _Fact) -> bool:
        return p.slot(level) == g.slot(level) and movers_match(p, g)

    required = [g for g in gold if not g.optional]
    optional = [g for g in gold if g.optional]
    found = _max_matching(predicted, required, compatible)
    leftover = [p for i, p in enumerate(predicted) if i not in found]
    absorbed = _max_matching(leftover, optional, compatible)
    matched_gold = set(found.values())
    return _Matching(
        pairs=[(predicted[i], required[j]) for i, j in sorted(found.items())],
        false_positives=[p for i, p in enumerate(leftover) if i not in absorbed],
        false_negatives=[g for j, g in enumerate(required) if j not in matched_gold],
        ignored=[p for i, p in enumerate(leftover) if i in absorbed],
    )


def _overlaps(a: Interval, b: Interval) -> bool:
    """Inclusive date intervals overlap; an open end overlaps anything."""
    a_start, a_end = a
    b_start, b_end = b
    return ((a_start is None or b_end is None or a_start <= b_end)
            and (b_start is None or a_end is None or b_start <= a_end))


def _origin_agrees(predicted: Origin, gold: Origin) -> bool:
    """Same origin country, and the same subdivision when gold names one."""
    return predicted[0] == gold[0] and (gold[1] is None or predicted[1] == gold[1])


def _contains_either(predicted: str, gold: str) -> bool:
    """Source agreement: one folded source contains the other."""
    return predicted in gold or gold in predicted


def _agree(predicted: Iterable[T], gold: Collection[T], same: Callable[[T, T], bool]) -> bool | None:
    """None when gold names no value (not scored), else whether some predicted value agrees with some gold value."""
    if not gold:
        return None
    return any(same(p, g) for p in predicted for g in gold)


def _agreements(predicted: _Fact, gold: _Fact) -> dict[str, bool | None]:
    """Per attribute of a matched fact: agreed, disagreed, or None when gold does not name it."""
    return {
        "time": _agree(predicted.times, gold.times, _overlaps),
        "quantity": _agree(predicted.quantities, gold.quantities, operator.eq),
        "locality": _agree(predicted.localities, gold.localities, operator.eq),
        "origin": _agree(predicted.origins, gold.origins, _origin_agrees),
        "source": _agree(predicted.sources, gold.sources, _contains_either),
    }


def _score_article(article: GoldArticle, events: list[MovementEvent], report: ScoreReport) -> ArticleScore:
    """Score one gold article, adding its counts to `report`."""
    predicted_raw = [fact for fact in map(_event_fact, events) if fact is not None]
    gold_raw = [fact for fact in map(_gold_fact, article.facts) if fact is not None]
    result = ArticleScore(article_id=article.id, unscored_events=len(events) - len(predicted_raw))
    report.unscored_gold_facts += len(article.facts) - len(gold_raw)

    strict = _match(_collapse(predicted_raw, "strict"), _collapse(gold_raw, "strict"), "strict")
    for predicted, gold in strict.pairs:
        agreements = _agreements(predicted, gold)
        result.tp.append(MatchedFact(predicted=predicted.key, gold=gold.key, agreements=agreements))
        for name, agreed in agreements.items():
            if agreed is not None:
                report.agreements[name].scored += 1
                report.agreements[name].agreed += int(agreed)
    result.fp = [fact.key for fact in strict.false_positives]
    result.fn = [fact.key for fact in strict.false_negatives]
    result.ignored = [fact.key for fact in strict.ignored]
    result.lenient = _match(_collapse(predicted_raw, "lenient"), _collapse(gold_raw, "lenient"), "lenient").prf
    # factual agreement: of the facts that match on mover and place whatever `factual` says, how many
    # also match strictly (the spec's modality target is stated on these)
    placed = _match(_collapse(predicted_raw, "place"), _collapse(gold_raw, "place"), "place")
    said, truth = _factual_values(predicted_raw), _factual_values([g for g in gold_raw if not g.optional])
    for predicted, gold in placed.pairs:
        report.factual.scored += 1
        report.factual.agreed += said[predicted.identity("place")] == truth[gold.identity("place")]

    report.strict.add(strict.prf)
    report.lenient.add(result.lenient)
    report.unscored_events += result.unscored_events
    report.ignored_predictions += len(result.ignored)
    return result


def _group_by_article(events: Iterable[MovementEvent]) -> dict[str, list[MovementEvent]]:
    """Predicted events by article id, in input order."""
    grouped: dict[str, list[MovementEvent]] = {}
    for event in events:
        grouped.setdefault(event.article_id, []).append(event)
    return grouped


def score(gold: list[GoldArticle], predicted: list[MovementEvent]) -> ScoreReport:
    """Score predicted events against gold articles (spec section 6); micro P/R/F1 is the headline.

    Events whose destination has no country are not scored (counted in
    `unscored_events`). Events of an article that is not in the gold set are not
    false positives: gold says nothing about that article, so they are counted in
    `articles_not_in_gold` / `events_not_in_gold` and logged. Raises ValueError
    when two gold articles share an id, since their facts could not be told apart.
    """
    ids = Counter(article.id for article in gold)
    duplicates = sorted(article_id for article_id, count in ids.items() if count > 1)
    if duplicates:
        raise InputError(f"gold has duplicate article ids: {', '.join(duplicates)}")

    by_article = _group_by_article(predicted)
    report = ScoreReport(gold_articles=len(gold), predicted_events=len(predicted))
    report.articles = [_score_article(article, by_article.get(article.id, []), report) for article in gold]

    outside = sorted(set(by_article) - set(ids))
    report.article_ids_not_in_gold = outside
    report.articles_not_in_gold = len(outside)
    report.events_not_in_gold = sum(len(by_article[article_id]) for article_id in outside)
    if outside:
        log.warning("%d predicted events belong to %d articles not in gold; they are not scored",
                    report.events_not_in_gold, len(outside))
    log.info("strict P %.3f R %.3f F1 %.3f; lenient F1 %.3f",
             report.strict.precision, report.strict.recall, report.strict.f1, report.lenient.f1)
    return report
