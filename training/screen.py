"""Fitting the CandidateScreen: logistic regression (scikit-learn) over the candidates of the training split."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc

from movegraph.extractors.screen import CandidateScreen, screen_features
from movegraph.schema.annotation import AnnotatedArticle
from movegraph.training.examples import labelled_candidates


@dataclass(frozen=True)
class ScreenedCandidates:
    """The pre-filter candidates of some articles: their feature names and whether each is an annotated trigger."""

    features: list[list[str]]
    triggers: list[bool]


def screened_candidates(articles: Sequence[AnnotatedArticle], docs: Sequence[Doc],
                        lexicon: frozenset[str]) -> ScreenedCandidates:
    """Every pre-filter candidate with its screen features and label (inside an annotated trigger span)."""
    features, triggers = [], []
    for token, is_trigger in labelled_candidates(articles, docs, lexicon):
        features.append(screen_features(token))
        triggers.append(is_trigger)
    return ScreenedCandidates(features, triggers)


def fit_screen(candidates: ScreenedCandidates, recall: float, seed: int = 13) -> CandidateScreen | None:
    """A screen that keeps `recall` of the triggers' candidates it is fitted on (its threshold is the logit of
    the trigger candidate at that rank); None when there are too few of either kind to fit one."""
    labels = np.array(candidates.triggers)
    if labels.sum() < 10 or (~labels).sum() < 10:
        return None
    vectorizer = DictVectorizer(dtype=np.float32)  # sparse: one column per feature name
    rows = vectorizer.fit_transform([dict.fromkeys(row, 1.0) for row in candidates.features])
    names = vectorizer.get_feature_names_out()
    model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced", random_state=seed).fit(rows, labels)
    weights = {name: float(w) for name, w in zip(names, model.coef_[0], strict=True) if abs(w) > 1e-6}
    bias = float(model.intercept_[0])
    logits = np.sort(model.decision_function(rows[labels]))
    # a hair under that logit: the screen sums float64 weights in its own order
    threshold = float(logits[min(len(logits) - 1, math.floor((1.0 - recall) * len(logits)))]) - 1e-6
    return CandidateScreen(weights, bias, threshold)

