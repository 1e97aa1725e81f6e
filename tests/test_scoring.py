"""Unit tests of the spec section 6 scorer on small hand-made cases; expected figures are worked out in comments."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from movegraph.evaluation.scoring import format_report, name_tokens, score
from movegraph.schema import (
    Actor,
    FactKey,
    GoldActor,
    GoldArticle,
    GoldFact,
    GoldPlace,
    GoldTime,
    MovementEvent,
    Place,
    TextSpan,
    TimeInterval,
)
from movegraph.schema.event import ActorType

DEV_GOLD = Path("/work/shared/data/dev/dev.gold.jsonl")
Mover = tuple[str | None, ActorType, str | None]
GROUP: Mover = ("DE", "military", None)


def event(article_id: str = "a1", mover: Mover = GROUP, country: str | None = "FR",
          subdivision: str | None = None, factual: bool = True, **fields: Any) -> MovementEvent:
    """A predicted event with just the fields the scorer reads; `fields` sets the rest."""
    affiliation, actor_type, name = mover
    destination = Place(country=country, subdivision=subdivision, locality=fields.pop("locality", None))
    return MovementEvent(
        article_id=article_id, trigger=TextSpan(text="moved"),
        mover=Actor(affiliation=affiliation, type=actor_type, name=name),
        destination=destination, factual=factual, modality="asserted" if factual else "expected",
        **fields,
    )


def fact(mover: Mover = GROUP, country: str | None = "FR", subdivision: str | None = None,
         factual: bool = True, **fields: Any) -> GoldFact:
    """A gold fact; `fields` sets times, quantities, sources, origin, optional."""
    affiliation, actor_type, name = mover
    locality = fields.pop("locality", None)
    return GoldFact(mover=GoldActor(affiliation=affiliation, type=actor_type, name=name),
                    destination=GoldPlace(country=country, subdivision=subdivision, locality=locality),
                    factual=factual, **fields)


def article(facts: list[GoldFact], article_id: str = "a1") -> GoldArticle:
    """A gold article whose text is a placeholder (the scorer never reads it)."""
    return GoldArticle(id=article_id, text="Placeholder text for a scorer test.", facts=facts)


def only_match(gold_fact: GoldFact, *events: MovementEvent) -> dict[str, bool | None]:
    """Score one gold fact against events that must match it; return the agreements of that match."""
    report = score([article([gold_fact])], list(events))
    assert report.strict.tp == 1 and report.strict.fp == 0
    return report.articles[0].tp[0].agreements


def test_perfect_match_scores_one() -> None:
    # Gold: DE/military -> FR, DE/military -> FR-IDF (non-factual). Three events give exactly
    # those two tuples (one duplicated): tp 2, fp 0, fn 0 -> P = R = F1 = 1.0.
    gold = [article([fact(), fact(subdivision="FR-IDF", factual=False)])]
    predicted = [event(), event(), event(subdivision="FR-IDF", factual=False)]
    report = score(gold, predicted)
    assert (report.strict.tp, report.strict.fp, report.strict.fn) == (2, 0, 0)
    assert report.strict.precision == report.strict.recall == report.strict.f1 == 1.0
    assert report.lenient.f1 == 1.0


def test_one_false_positive_one_false_negative() -> None:
    # Gold: -> FR, -> BE. Predicted: -> FR, -> NL. tp 1, fp 1 (NL), fn 1 (BE):
    # P = 1/2, R = 1/2, F1 = 0.5.
    report = score([article([fact(), fact(country="BE")])], [event(), event(country="NL")])
    assert (report.strict.tp, report.strict.fp, report.strict.fn) == (1, 1, 1)
    assert report.strict.precision == report.strict.recall == report.strict.f1 == 0.5
    scored = report.articles[0]
    assert scored.fp == [FactKey("DE/military", "NL", None, True)]
    assert scored.fn == [FactKey("DE/military", "BE", None, True)]
    assert scored.tp[0].gold == FactKey("DE/military", "FR", None, True)


def test_optional_gold_counts_neither_way() -> None:
    # Gold: -> FR required, -> BE optional.
    # Predicting both: FR is tp, BE matches the optional fact -> ignored, not fp. P = R = 1.
    gold = [article([fact(), fact(country="BE", optional=True)])]
    both = score(gold, [event(), event(country="BE")])
    assert (both.strict.tp, both.strict.fp, both.strict.fn) == (1, 0, 0)
    assert both.ignored_predictions == 1
    assert both.articles[0].ignored == [FactKey("DE/military", "BE", None, True)]
    # Predicting FR only: the optional BE is not a false negative. P = R = 1.
    one = score(gold, [event()])
    assert (one.strict.tp, one.strict.fp, one.strict.fn) == (1, 0, 0)


def test_required_gold_is_matched_before_optional() -> None:
    # Gold: person "Anna Berg" required and "Anna Lind" optional, both -> FR. The single
    # prediction "Anna" could match either; it must take the required one: tp 1, fn 0.
    gold = [article([fact(mover=("SE", "person", "Anna Lind"), optional=True),
                     fact(mover=("SE", "person", "Anna Berg"))])]
    report = score(gold, [event(mover=("SE", "person", "Anna"))])
    assert (report.strict.tp, report.strict.fp, report.strict.fn) == (1, 0, 0)
    assert report.articles[0].tp[0].gold.mover == "person:anna berg"


def test_duplicates_collapse() -> None:
    # Three events -> FR (one tuple, tp) and two events -> NL (one tuple, fp), gold -> FR:
    # tp 1, fp 1, fn 0 -> P = 1/2, R = 1, F1 = 2 * 0.5 * 1 / 1.5 = 2/3.
    predicted = [event(), event(), event(), event(country="NL"), event(country="NL")]
    report = score([article([fact()])], predicted)
    assert (report.strict.tp, report.strict.fp, report.strict.fn) == (1, 1, 0)
    assert report.strict.f1 == pytest.approx(2 / 3)


def test_group_affiliation_is_case_insensitive() -> None:
    # "wagner group" in gold and "Wagner Group" predicted are one mover: tp 1.
    mover: Mover = ("wagner group", "military", None)
    report = score([article([fact(mover=mover)])], [event(mover=("Wagner Group", "military", None))])
    assert report.strict.tp == 1


def test_group_type_must_agree() -> None:
    # DE/government predicted against DE/military gold: fp 1, fn 1.
    report = score([article([fact()])], [event(mover=("DE", "government", None))])
    assert (report.strict.tp, report.strict.fp, report.strict.fn) == (0, 1, 1)


def test_name_tokens_fold_and_drop_titles() -> None:
    assert name_tokens("Luiz Inácio Lula da Silva") == {"luiz", "inacio", "lula", "silva"}
    assert name_tokens("President Xi Jinping") == {"jinping"}
    assert name_tokens("Prime Minister Gen. Ana Ruiz") == {"ana", "ruiz"}
    assert name_tokens("Xi") == frozenset()


@pytest.mark.parametrize(("predicted", "gold", "matches"), [
    ("Lula", "Luiz Inacio Lula da Silva", True),          # shared token "lula"
    ("President Xi Jinping", "Xi Jinping", True),         # shared token "jinping"
    ("Xi", "Xi Jinping", False),                          # "xi" has two letters
    ("José Ramírez", "Jose Ramirez", True),               # diacritics stripped
    ("Mr Smith", "Ms Jones", False),                      # no shared token
    ("Faisal bin Farhan", "Mohammed bin Salman", False),  # "bin" is a particle
])
def test_person_token_rule(predicted: str, gold: str, matches: bool) -> None:
    # One gold person fact -> CN; the prediction is tp 1 when the names match, else fp 1 and fn 1.
    report = score([article([fact(mover=("CN", "person", gold))])],
                   [event(mover=("CN", "person", predicted))])
    assert report.strict.tp == int(matches)
    assert report.strict.fn == int(not matches)


def test_person_affiliation_must_agree() -> None:
    # Same name, affiliation BR in gold and PT predicted: no match, fp 1, fn 1.
    report = score([article([fact(mover=("BR", "person", "Lula"))])], [event(mover=("PT", "person", "Lula"))])
    assert (report.strict.tp, report.strict.fp, report.strict.fn) == (0, 1, 1)


def test_two_names_for_one_person_give_one_tp_and_one_fp() -> None:
    # "Lula" and "Luiz Inacio Lula da Silva" are distinct predicted tuples; the gold fact
    # can be used once: tp 1, fp 1 (systems should write the fullest name).
    gold = [article([fact(mover=("BR", "person", "Luiz Inacio Lula da Silva"))])]
    predicted = [event(mover=("BR", "person", "Lula")), event(mover=("BR", "person", "Luiz Inacio Lula da Silva"))]
    report = score(gold, predicted)
    assert (report.strict.tp, report.strict.fp, report.strict.fn) == (1, 1, 0)


def test_matching_is_maximal_not_first_come() -> None:
    # Gold: "Anna Berg" and "Carl Lind" -> FR. Predicted (sorted): "Anna Lind" (matches both)
    # then "Berg" (matches Anna Berg only). A first-come match would give "Anna Lind" to
    # Anna Berg and leave "Berg" unmatched; the maximum matching gives tp 2, fp 0, fn 0.
    gold = [article([fact(mover=("SE", "person", "Anna Berg")), fact(mover=("SE", "person", "Carl Lind"))])]
    predicted = [event(mover=("SE", "person", "Anna Lind")), event(mover=("SE", "person", "Berg"))]
    report = score(gold, predicted)
    assert (report.strict.tp, report.strict.fp, report.strict.fn) == (2, 0, 0)


def test_lenient_ignores_subdivision_and_factual() -> None:
    # Gold: -> FR-IDF factual and -> FR-ARA non-factual. Predicted: -> FR non-factual.
    # Strict: no tuple is equal: tp 0, fp 1, fn 2 -> F1 0.
    # Lenient: gold collapses to (DE/military, FR), predicted to the same: tp 1 -> F1 1.0.
    gold = [article([fact(subdivision="FR-IDF"), fact(subdivision="FR-ARA", factual=False)])]
    report = score(gold, [event(factual=False)])
    assert (report.strict.tp, report.strict.fp, report.strict.fn) == (0, 1, 2)
    assert report.strict.f1 == 0.0
    assert (report.lenient.tp, report.lenient.fp, report.lenient.fn) == (1, 0, 0)
    assert report.lenient.f1 == 1.0


def test_factual_agreement_is_counted_on_facts_matched_on_mover_and_place() -> None:
    # FR: both say factual; PL: gold factual, predicted not; ES: predicted only (not matched, not scored);
    # IT: gold says both factual and not, predicted only factual (sets differ: disagree)
    gold = [article([fact(country="FR"), fact(country="PL"), fact(country="IT"), fact(country="IT", factual=False)])]
    predicted = [event(country="FR"), event(country="PL", factual=False), event(country="ES"), event(country="IT")]
    report = score(gold, predicted)
    assert (report.factual.agreed, report.factual.scored) == (1, 3)
    assert report.strict.tp == 2  # FR and IT/factual
    assert "1/3 facts matched on mover and place agree on factual" in format_report(report)


def test_time_agreement() -> None:
    october = [GoldTime(start=dt.date(2030, 10, 1), end=dt.date(2030, 10, 31))]
    # 2030-10-31..2030-11-02 touches the gold interval on its last day: agrees.
    touching = TimeInterval(start=dt.date(2030, 10, 31), end=dt.date(2030, 11, 2))
    assert only_match(fact(times=october), event(time=touching))["time"] is True
    # Entirely in November: disagrees.
    november = TimeInterval(start=dt.date(2030, 11, 1), end=dt.date(2030, 11, 2))
    assert only_match(fact(times=october), event(time=november))["time"] is False
    # Open start, end 2030-10-05: open ends overlap anything, so ..10-05 meets 10-01..10-31.
    assert only_match(fact(times=october), event(time=TimeInterval(end=dt.date(2030, 10, 5))))["time"] is True
    # One of two events of the fact overlaps: agrees (some predicted interval overlaps).
    assert only_match(fact(times=october), event(time=november), event(time=touching))["time"] is True
    # No predicted time at all: nothing overlaps.
    assert only_match(fact(times=october), event())["time"] is False
    # Gold without times: not scored.
    assert only_match(fact(), event(time=november))["time"] is None


def test_quantity_agreement() -> None:
    # Gold accepts 200 or 300.
    assert only_match(fact(quantities=[200, 300]), event(quantity=300))["quantity"] is True
    assert only_match(fact(quantities=[200, 300]), event(quantity=250))["quantity"] is False
    assert only_match(fact(quantities=[200]), event(quantity=250), event(quantity=200))["quantity"] is True
    assert only_match(fact(), event(quantity=250))["quantity"] is None


def test_locality_agreement() -> None:
    # Case and diacritics do not matter.
    assert only_match(fact(locality="Besançon"), event(locality="BESANCON"))["locality"] is True
    assert only_match(fact(locality="Besançon"), event(locality="Dijon"))["locality"] is False
    assert only_match(fact(locality="Besançon"), event())["locality"] is False
    assert only_match(fact(), event(locality="Dijon"))["locality"] is None


def test_origin_agreement() -> None:
    origin_with_region = GoldPlace(country="PL", subdivision="PL-14")
    origin_country_only = GoldPlace(country="PL")
    in_region = Place(country="PL", subdivision="PL-14")
    other_region = Place(country="PL", subdivision="PL-02")
    # Gold names a subdivision: it must agree too.
    assert only_match(fact(origin=origin_with_region), event(origin=in_region))["origin"] is True
    assert only_match(fact(origin=origin_with_region), event(origin=other_region))["origin"] is False
    # Gold names only the country: any subdivision of it agrees.
    assert only_match(fact(origin=origin_country_only), event(origin=other_region))["origin"] is True
    assert only_match(fact(origin=origin_country_only), event(origin=Place(country="CZ")))["origin"] is False
    assert only_match(fact(), event(origin=in_region))["origin"] is None


def test_source_agreement() -> None:
    sources = ["the Defence Ministry of Freedonia"]
    # Predicted inside gold, and gold inside predicted, case-insensitively: both agree.
    assert only_match(fact(sources=sources), event(source="defence ministry"))["source"] is True
    assert only_match(fact(sources=["Ministry"]), event(source="The ministry spokesman"))["source"] is True
    assert only_match(fact(sources=sources), event(source="a local mayor"))["source"] is False
    assert only_match(fact(), event(source="a local mayor"))["source"] is None


def test_agreement_totals_over_matched_facts() -> None:
    # Two matched facts. FR: gold quantity 50, predicted 50 (agrees); gold time given,
    # predicted none (disagrees). BE: gold quantity 70, predicted 60 (disagrees), no gold time.
    # An unmatched NL prediction carries quantity 70 but is not a match, so it is not counted.
    # quantity: scored 2, agreed 1 -> 0.5; time: scored 1, agreed 0 -> 0.0; others scored 0.
    gold = [article([
        fact(quantities=[50], times=[GoldTime(end=dt.date(2030, 1, 1))]),
        fact(country="BE", quantities=[70]),
    ])]
    predicted = [event(quantity=50), event(country="BE", quantity=60), event(country="NL", quantity=70)]
    report = score(gold, predicted)
    assert (report.agreements["quantity"].scored, report.agreements["quantity"].agreed) == (2, 1)
    assert report.agreements["quantity"].rate == 0.5
    assert (report.agreements["time"].scored, report.agreements["time"].agreed) == (1, 0)
    assert report.agreements["time"].rate == 0.0
    assert report.agreements["source"].scored == 0 and report.agreements["source"].rate == 0.0


def test_empty_predictions_give_zero_not_an_error() -> None:
    # Gold has 2 facts, nothing predicted: tp 0, fp 0, fn 2; P is 0 (0/0 defined as 0), R 0, F1 0.
    report = score([article([fact(), fact(country="BE")])], [])
    assert (report.strict.tp, report.strict.fp, report.strict.fn) == (0, 0, 2)
    assert report.strict.precision == report.strict.recall == report.strict.f1 == 0.0
    assert "F1 0.000" in format_report(report)


def test_nothing_at_all_gives_zero() -> None:
    report = score([], [])
    assert report.strict.f1 == report.lenient.f1 == 0.0
    assert report.to_dict()["strict"]["precision"] == 0.0


def test_events_without_destination_country_are_not_scored() -> None:
    # One event with no destination and one whose destination has no country: neither is fp.
    # The FR event is tp 1: P = R = 1.
    no_place = event().model_copy(update={"destination": None})
    report = score([article([fact()])], [event(), no_place, event(country=None)])
    assert (report.strict.tp, report.strict.fp, report.strict.fn) == (1, 0, 0)
    assert report.unscored_events == 2
    assert report.articles[0].unscored_events == 2


def test_gold_fact_without_country_is_not_a_false_negative() -> None:
    report = score([article([fact(), fact(country=None)])], [event()])
    assert (report.strict.tp, report.strict.fp, report.strict.fn) == (1, 0, 0)
    assert report.unscored_gold_facts == 1


def test_articles_not_in_gold_are_reported_not_counted() -> None:
    # Two events of article "zz" (not in gold) and one of "yy": not fp, reported apart.
    predicted = [event(), event(article_id="zz"), event(article_id="zz", country="NL"), event(article_id="yy")]
    report = score([article([fact()])], predicted)
    assert (report.strict.tp, report.strict.fp, report.strict.fn) == (1, 0, 0)
    assert report.articles_not_in_gold == 2
    assert report.events_not_in_gold == 3
    assert report.article_ids_not_in_gold == ["yy", "zz"]
    assert "Not in gold (not counted as FP): 2 articles, 3 events: yy, zz" in format_report(report)


def test_duplicate_gold_article_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate article ids: a1"):
        score([article([fact()]), article([])], [])


def test_micro_average_over_articles() -> None:
    # a1: tp 1 fp 0 fn 0. a2: tp 0 fp 1 fn 3. Micro: tp 1, fp 1, fn 3 -> P 1/2, R 1/4,
    # F1 = 2 * (1/2) * (1/4) / (3/4) = 1/3 (a macro average of F1 would be 0.5).
    gold = [article([fact()]), article([fact(country="BE"), fact(country="NL"), fact(country="LU")], "a2")]
    report = score(gold, [event(), event(article_id="a2", country="AT")])
    assert (report.strict.tp, report.strict.fp, report.strict.fn) == (1, 1, 3)
    assert report.strict.f1 == pytest.approx(1 / 3)


def test_report_serialises_and_reads() -> None:
    # Gold -> FR (quantity 50) and -> BE; predicted -> FR with quantity 40 and -> NL.
    gold = [article([fact(quantities=[50]), fact(country="BE")])]
    report = score(gold, [event(quantity=40), event(country="NL")])
    data = json.loads(json.dumps(report.to_dict()))
    assert data["strict"] == {"tp": 1, "fp": 1, "fn": 1, "precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert data["agreements"]["quantity"] == {"scored": 1, "agreed": 0, "rate": 0.0}
    assert data["articles"][0]["fp"] == [["DE/military", "NL", None, True]]
    text = format_report(report)
    assert "strict   P 0.500  R 0.500  F1 0.500   (tp 1, fp 1, fn 1)" in text
    assert "FP DE/military -> NL (factual)" in text
    assert "FN DE/military -> BE (factual)" in text
    assert "disagrees on quantity" in text


def _gold_as_events(gold: GoldArticle) -> list[MovementEvent]:
    """Each required gold fact of an article as one predicted event carrying its first attribute values."""
    events = []
    for item in gold.facts:
        if item.optional:
            continue
        first_time = item.times[0] if item.times else None
        events.append(MovementEvent(
            article_id=gold.id, trigger=TextSpan(),
            mover=Actor(**item.mover.model_dump()),
            destination=Place(**item.destination.model_dump()),
            origin=Place(**item.origin.model_dump()) if item.origin else None,
            time=TimeInterval(start=first_time.start, end=first_time.end) if first_time else None,
            quantity=item.quantities[0] if item.quantities else None,
            source=item.sources[0] if item.sources else None,
            factual=item.factual, modality="asserted" if item.factual else "expected",
        ))
    return events


@pytest.mark.skipif(not DEV_GOLD.is_file(), reason="dev gold set not available")
def test_dev_gold_against_itself_scores_one() -> None:
    # Every required gold fact predicted once, with its first acceptable values: all match,
    # the optional facts are neither found nor missed, and every scored attribute agrees.
    lines = DEV_GOLD.read_text(encoding="utf-8").splitlines()
    gold = [GoldArticle.model_validate_json(line) for line in lines if line.strip()]
    predicted = [item for entry in gold for item in _gold_as_events(entry)]
    report = score(gold, predicted)
    assert report.strict.fp == report.strict.fn == 0
    assert report.strict.f1 == 1.0
    assert report.lenient.f1 == 1.0
    assert all(agreement.rate == 1.0 for agreement in report.agreements.values() if agreement.scored)
