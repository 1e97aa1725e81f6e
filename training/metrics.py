"""Held-out measurements of the event model: trigger P/R/F1, modality accuracy, argument F1, calibration."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from movegraph.extractors.event_model import LINKS, Prediction
from movegraph.extractors.mentions import picked_role
from movegraph.training.examples import Example


def calibrate_temperature(logits: torch.Tensor, labels: Sequence[int]) -> float:
    """The softmax temperature that minimises held-out negative log-likelihood (temperature scaling)."""
    if len(labels) == 0:
        return 1.0
    target = torch.tensor(list(labels), dtype=torch.long)
    grid = [0.5 + 0.1 * i for i in range(46)]
    losses = [float(torch.nn.functional.cross_entropy(logits / t, target)) for t in grid]
    return round(grid[losses.index(min(losses))], 2)


def pick_threshold(predictions: Sequence[Prediction], examples: Sequence[Example]) -> float:
    """The event-probability cut with the best held-out F1 among those with precision >= 0.85, else best F1."""
    best, best_f1, fallback, fallback_f1 = 0.5, -1.0, 0.5, -1.0
    for cut in [0.3 + 0.05 * i for i in range(13)]:
        p, r, f = _prf(predictions, examples, cut)
        if f > fallback_f1:
            fallback, fallback_f1 = cut, f
        if p >= 0.85 and f > best_f1:
            best, best_f1 = cut, f
    return round(best if best_f1 >= 0 else fallback, 2)


def _prf(predictions: Sequence[Prediction], examples: Sequence[Example], cut: float) -> tuple[float, float, float]:
    tp = sum(1 for p, e in zip(predictions, examples, strict=True) if p.p_event >= cut and e.label != "none")
    fp = sum(1 for p, e in zip(predictions, examples, strict=True) if p.p_event >= cut and e.label == "none")
    fn = sum(1 for p, e in zip(predictions, examples, strict=True) if p.p_event < cut and e.label != "none")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate_examples(predictions: Sequence[Prediction], examples: Sequence[Example], cut: float) -> dict[str, float]:
    """Trigger P/R/F1 at `cut`, modality accuracy on true triggers found, exact-span argument F1."""
    p, r, f = _prf(predictions, examples, cut)
    found = [(pr, ex) for pr, ex in zip(predictions, examples, strict=True) if ex.label != "none" and pr.p_event >= cut]
    modality_ok = sum(1 for pr, ex in found if max(pr.modality_probs, key=pr.modality_probs.__getitem__) == ex.label)
    factual_ok = sum(1 for pr, ex in found
                     if (max(pr.modality_probs, key=pr.modality_probs.__getitem__) == "asserted")
                     == (ex.label == "asserted"))
    gold_args = {(i, a) for i, ex in enumerate(examples) if ex.label != "none" for a in ex.arguments}
    pred_args = {(i, a) for i, pr in enumerate(predictions) if examples[i].label != "none" for a in pr.arguments}
    arg_tp = len(gold_args & pred_args)
    arg_p = arg_tp / len(pred_args) if pred_args else 0.0
    arg_r = arg_tp / len(gold_args) if gold_args else 0.0
    return {
        **link_scores(predictions, examples),
        "trigger_precision": round(p, 4), "trigger_recall": round(r, 4), "trigger_f1": round(f, 4),
        "modality_accuracy": round(modality_ok / len(found), 4) if found else 0.0,
        "factual_accuracy": round(factual_ok / len(found), 4) if found else 0.0,
        "argument_f1": round(2 * arg_p * arg_r / (arg_p + arg_r), 4) if arg_p + arg_r else 0.0,
        "event_threshold": cut,
    }


def link_scores(predictions: Sequence[Prediction], examples: Sequence[Example],
                threshold: float = 0.5) -> dict[str, float]:
    """Role-linker F1 per role on the true triggers: a mention counts when its most probable role is it."""
    scores = {}
    for role in LINKS[1:]:
        tp = fp = fn = 0
        for pr, ex in zip(predictions, examples, strict=True):
            if ex.label == "none":
                continue
            for start, end, gold in ex.mentions:
                picked = picked_role(pr.links.get((start, end), {}), threshold) == role
                tp += picked and gold == role
                fp += picked and gold != role
                fn += (not picked) and gold == role
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[f"link_{role.lower()}_f1"] = round(f1, 4)
    return scores
