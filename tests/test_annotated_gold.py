"""Span-annotated articles scored as gold facts (`movegraph evaluate corpus/train`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from movegraph.evaluation.annotated import gold_article, read_gold
from movegraph.evaluation.evaluate import evaluate
from movegraph.extractors.base import create_extractor
from movegraph.schema.annotation import AnnotatedArticle

TEXT = "About 300 Dutch soldiers arrived in Tallinn on Monday. The ministry denied that troops went to Narva."


def _row() -> dict:
    def span(text: str, **resolved: object) -> dict:
        start = TEXT.index(text)
        return {"start": start, "end": start + len(text), "text": text, **resolved}

    return {
        "id": "nl-estonia", "title": "t", "published": "2024-10-28", "licence": "written for this test", "text": TEXT,
        "events": [
            {"trigger": span("arrived"), "modality": "asserted",
             "mover": span("About 300 Dutch soldiers", affiliation="NL", type="military", name="Dutch military"),
             "destination": span("Tallinn", country="EE", subdivision="EE-37", locality="Tallinn"),
             "quantity": span("300", value=300, approximate=True)},
            {"trigger": span("went"), "modality": "denied",
             "mover": span("troops", affiliation="NL", type="military", name="Dutch military"),
             "destination": span("Narva", country="EE", subdivision="EE-45", locality="Narva")},
            {"trigger": span("arrived"), "modality": "asserted", "mover": span("About 300 Dutch soldiers"),
             "destination": {"start": None, "end": None, "text": None, "country": None}},
        ],
    }


def test_each_event_with_a_country_becomes_a_fact() -> None:
    gold = gold_article(AnnotatedArticle.model_validate(_row()))
    facts = [(f.mover.affiliation, f.mover.type, f.destination.subdivision, f.factual, f.quantities)
             for f in gold.facts]
    assert facts == [("NL", "military", "EE-37", True, [300]), ("NL", "military", "EE-45", False, [])]


def test_folder_and_file_of_annotations_are_read_as_gold(tmp_path: Path) -> None:
    (tmp_path / "part.jsonl").write_text(json.dumps(_row()) + "\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    assert [a.id for a in read_gold(tmp_path)] == ["nl-estonia"]
    assert len(read_gold(tmp_path / "part.jsonl")[0].facts) == 2
    with pytest.raises(FileNotFoundError, match="no \\*.jsonl"):
        read_gold(tmp_path / "empty")


def test_rules_extractor_scores_on_annotations(tmp_path: Path) -> None:
    (tmp_path / "part.jsonl").write_text(json.dumps(_row()) + "\n", encoding="utf-8")
    report = evaluate(tmp_path, create_extractor("rules"))
    assert report.articles == 1
    assert report.score.strict.tp >= 1  # "About 300 Dutch soldiers arrived in Tallinn" is found


def test_heldout_flag_scores_only_the_split_training_holds_out(tmp_path: Path) -> None:
    from movegraph.cli import main
    from movegraph.training.split import HELDOUT_SHARE, is_heldout

    ids = [f"nl-estonia-{i}" for i in range(60)]
    held = [i for i in ids if is_heldout(i, HELDOUT_SHARE)]
    assert 0 < len(held) < len(ids)
    (tmp_path / "part.jsonl").write_text("".join(json.dumps(_row() | {"id": i}) + "\n" for i in ids), encoding="utf-8")
    report = tmp_path / "report.json"
    assert main(["evaluate", str(tmp_path), "--extractor", "rules", "--heldout", "--report", str(report)]) == 0
    assert json.loads(report.read_text())["articles"] == len(held)


def test_calibration_split_is_apart_from_the_held_out_one_which_it_never_moves() -> None:
    from movegraph.training.split import CALIBRATION_SHARE, HELDOUT_SHARE, is_calibration, is_heldout

    ids = [f"article-{i}" for i in range(2000)]
    held = {i for i in ids if is_heldout(i, HELDOUT_SHARE)}
    calibration = {i for i in ids if is_calibration(i, HELDOUT_SHARE, CALIBRATION_SHARE)}
    assert not held & calibration
    assert 150 < len(held) < 250 and 150 < len(calibration) < 250  # about a tenth each
    assert not {i for i in ids if is_calibration(i, HELDOUT_SHARE, 0.0)}
