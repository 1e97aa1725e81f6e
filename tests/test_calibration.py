"""Fact-level confidence: fitting the map, applying it in the extractors, the reliability figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from movegraph.cli import main
from movegraph.evaluation.calibration import expected_calibration_error, outcomes_on
from movegraph.extractors.base import create_extractor, extractor_version
from movegraph.extractors.calibration import (
    IDENTITY,
    MIN_FACTS,
    RULES_CALIBRATION,
    ConfidenceMap,
    fit_confidence_map,
    logit,
    sigmoid,
)
from movegraph.schema import Article, GoldArticle
from movegraph.training.examples import corpus_hash

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "train"
TEXT = ("About 300 Dutch soldiers arrived in Tallinn on Monday. "
        "Some 40 Latvian officers arrived in Tartu on Tuesday.")


def _gold() -> GoldArticle:
    """Gold names only the Dutch arrival, so the rules' Latvian fact is scored as wrong."""
    return GoldArticle.model_validate({
        "id": "nl-lv", "title": "t", "published": "2024-10-28", "text": TEXT,
        "facts": [{"mover": {"affiliation": "NL", "type": "military"},
                   "destination": {"country": "EE", "subdivision": "EE-37"}, "factual": True}],
    })


@pytest.fixture(scope="module")
def raw_rules():
    return create_extractor("rules", calibration=IDENTITY)


def _outcomes(curve: ConfidenceMap) -> list[tuple[float, bool]]:
    """100 facts at each of four raw scores, right in exactly the share `curve` gives."""
    outcomes = []
    for raw in (0.3, 0.5, 0.7, 0.9):
        right = round(100 * curve.apply(raw))
        outcomes += [(raw, True)] * right + [(raw, False)] * (100 - right)
    return outcomes


def test_fit_recovers_the_curve_behind_the_outcomes() -> None:
    truth = ConfidenceMap(slope=0.6, intercept=-1.2)
    fitted = fit_confidence_map(_outcomes(truth), fitted_on="synthetic")
    assert fitted.slope == pytest.approx(0.6, abs=0.08)
    assert fitted.intercept == pytest.approx(-1.2, abs=0.1)
    assert (fitted.facts, fitted.fitted_on) == (400, "synthetic")
    assert fitted.correct == sum(1 for _, ok in _outcomes(truth) if ok)
    calibrated = [(fitted.apply(raw), ok) for raw, ok in _outcomes(truth)]
    assert expected_calibration_error(calibrated) < 0.02 < expected_calibration_error(_outcomes(truth))


def test_too_few_facts_leave_the_identity() -> None:
    few = [(0.9, False)] * (MIN_FACTS - 1)
    fitted = fit_confidence_map(few)
    assert fitted.is_identity and fitted.facts == MIN_FACTS - 1 and fitted.correct == 0
    assert fitted.apply(0.9) == 0.9


def test_one_sided_sample_stays_finite_and_monotone() -> None:
    fitted = fit_confidence_map([(0.9, True)] * 30 + [(0.6, True)] * 30)  # never wrong: no finite MLE
    values = [fitted.apply(x / 20) for x in range(21)]
    assert all(0.0 < v < 1.0 for v in values)
    assert values == sorted(values)


def test_scores_that_rank_facts_backwards_give_the_rate_of_right_facts_not_a_falling_curve() -> None:
    backwards = [(0.9, False)] * 30 + [(0.5, True)] * 30 + [(0.5, False)] * 10  # the higher score, the worse
    fitted = fit_confidence_map(backwards)
    assert fitted.slope == 0.0
    assert fitted.apply(0.9) == fitted.apply(0.5) == pytest.approx(31 / 72, abs=1e-4)  # 4 places


def test_map_round_trips_and_bad_files_name_themselves(tmp_path: Path) -> None:
    curve = ConfidenceMap(slope=0.7, intercept=-0.9, facts=12, correct=5, fitted_on="x")
    assert ConfidenceMap.load(curve.save(tmp_path / "m.json")) == curve
    assert sigmoid(logit(0.3)) == pytest.approx(0.3)
    (tmp_path / "bad.json").write_text(json.dumps({"slope": 1, "tilt": 2}))
    with pytest.raises(ValueError, match=r"bad\.json.*tilt"):
        ConfidenceMap.load(tmp_path / "bad.json")


def test_rules_confidence_is_the_heuristic_through_the_map(raw_rules) -> None:
    article = Article(id="a", text=TEXT, published="2024-10-28")
    curve = ConfidenceMap(slope=2.0, intercept=-1.0)
    raw = raw_rules.extract(article)
    mapped = create_extractor("rules", calibration=curve).extract(article)
    assert len(raw) == len(mapped) == 2
    for r, m in zip(raw, mapped, strict=True):
        assert m.confidence == curve.apply(r.confidence) != r.confidence


def test_scored_facts_carry_their_confidence_and_outcome(raw_rules) -> None:
    outcomes = outcomes_on([_gold()], raw_rules)
    assert sorted(ok for _, ok in outcomes) == [False, True]  # the Latvian fact is not in gold
    assert all(0.0 < value <= 1.0 for value, _ in outcomes)


def test_packaged_rules_map_was_fitted_on_this_corpus() -> None:
    packaged = ConfidenceMap.load(RULES_CALIBRATION)
    assert packaged.facts >= 100 and not packaged.is_identity
    refit = "movegraph calibrate corpus/train --extractor rules --output extractors/data/rules-calibration.json"
    assert corpus_hash(CORPUS) in packaged.fitted_on, f"corpus changed: run `{refit}`"


def test_calibrate_command_writes_a_map(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(_gold().model_dump_json() + "\n", encoding="utf-8")
    output = tmp_path / "map.json"
    assert main(["calibrate", str(gold), "--extractor", "rules", "--output", str(output)]) == 0
    written = ConfidenceMap.load(output)
    assert (written.facts, written.correct) == (2, 1) and written.is_identity  # too few facts to fit
    assert "gold.jsonl" in written.fitted_on


def test_calibrate_writes_the_users_map_never_the_packaged_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from movegraph.settings import load_settings

    monkeypatch.setenv("MOVEGRAPH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MOVEGRAPH_SETTINGS_FILE", str(tmp_path / "absent.toml"))
    gold = tmp_path / "gold.jsonl"
    gold.write_text(_gold().model_dump_json() + "\n", encoding="utf-8")
    packaged = RULES_CALIBRATION.read_bytes()
    assert main(["calibrate", str(gold), "--extractor", "rules"]) == 0
    assert RULES_CALIBRATION.read_bytes() == packaged
    user_file = load_settings().rules_calibration
    assert user_file.is_relative_to(tmp_path) and ConfidenceMap.load(user_file).facts == 2

    # the rules extractor prefers the user's map when the settings name it, else keeps the shipped one
    mine = ConfidenceMap(slope=0.5, intercept=-1.0, facts=200, correct=120, fitted_on="mine")
    mine.save(user_file)
    options = load_settings().extractor_options("rules")
    assert create_extractor("rules", **options).reader.calibration == mine
    assert create_extractor("rules").reader.calibration == ConfidenceMap.load(RULES_CALIBRATION)
    assert create_extractor("rules", **options).version != create_extractor("rules").version
    assert extractor_version("rules", **options) == create_extractor("rules", **options).version  # unloaded
    assert extractor_version("rules") == create_extractor("rules").version
