"""The candidate screen: a logistic model over parse features that spares the encoder candidates it would read
as no event. Real spaCy parses, a real (tiny) trained model, a real scikit-learn fit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from movegraph.extractors.base import create_extractor
from movegraph.extractors.event_model import CONFIG_FILE, EventModel
from movegraph.extractors.nlp import load_pipeline
from movegraph.extractors.screen import CandidateScreen, screen_features
from movegraph.schema import Article
from movegraph.training.screen import ScreenedCandidates, fit_screen

TEXT = "About 300 Russian soldiers moved to Belarus on Monday. Ukrainian refugees arrived in Poland."
NO_MOVE = CandidateScreen({"lemma=move": -5.0}, bias=0.0, threshold=-1.0)  # every candidate but "move" passes


def token(sentence: str, word: str):  # noqa: ANN201 - a spaCy Token
    return next(t for t in load_pipeline()(sentence) if t.text == word)


def test_the_screen_weighs_the_candidates_parse_features() -> None:
    moved, arrived = token(TEXT, "moved"), token(TEXT, "arrived")
    assert {"lemma=move", "pos=VERB", "child=prep:to", "sentence_ent=GPE"} <= set(screen_features(moved))
    assert not NO_MOVE.keeps(moved) and NO_MOVE.keeps(arrived)
    assert NO_MOVE.logit(screen_features(moved)) == -5.0
    assert CandidateScreen.from_dict(NO_MOVE.to_dict()) == NO_MOVE
    assert CandidateScreen.from_dict({}) is None  # a model saved without a screen reads every candidate


def test_a_fitted_screen_keeps_the_asked_share_of_triggers() -> None:
    triggers = [["lemma=arrive", f"head=w{i % 7}"] for i in range(60)]
    others = [["lemma=border", f"head=w{i % 7}"] for i in range(140)]
    candidates = ScreenedCandidates(triggers + others, [True] * 60 + [False] * 140)
    screen = fit_screen(candidates, recall=0.99)
    assert screen is not None
    assert all(screen.keeps_features(row) for row in triggers)
    assert not any(screen.keeps_features(row) for row in others)
    assert fit_screen(ScreenedCandidates(triggers[:5] + others, [True] * 5 + [False] * 140), recall=0.99) is None


def test_screened_out_candidates_never_reach_the_encoder(eager_model: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    screened = tmp_path / "screened"
    shutil.copytree(eager_model, screened)
    config = json.loads((screened / CONFIG_FILE).read_text())
    config["screen"] = NO_MOVE.to_dict()
    (screened / CONFIG_FILE).write_text(json.dumps(config))
    read: list[int] = []
    predict = EventModel.predict

    def counting(self: EventModel, items: list, batch_size: int = 32) -> list:
        read.append(len(items))
        return predict(self, items, batch_size)

    monkeypatch.setattr(EventModel, "predict", counting)
    article = Article(id="screen-1", text=TEXT, published="2024-03-04")
    events = {}
    for name, model in (("all", eager_model), ("screened", screened)):
        extractor = create_extractor("trained", model_path=str(model), runtime="torch")
        events[name] = {e.trigger.text for e in extractor.extract(article)}
    assert "moved" in events["all"] and "arrived" in events["all"]  # the eager model reads both as events
    assert "moved" not in events["screened"] and "arrived" in events["screened"]
    assert read[1] == read[0] - 1  # one candidate fewer for the encoder
