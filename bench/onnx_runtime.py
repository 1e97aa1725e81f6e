"""bench/onnx_runtime: the event model on torch vs ONNX Runtime fp32 vs int8, in one process, on this machine.

For each runtime of `EventModel.load(path, runtime=...)`, over the same inputs:

- raw outputs against torch on the real marked items the trained extractor
  reads in the dev and held-out articles: max abs difference of p_event, the
  modality probabilities and the role-link probabilities, label agreement;
- encoder speed: `EventModel.predict` on those items, predictions/s;
- whole-extractor speed: the trained extractor (spaCy, pre-filter, model,
  rules) over the ~600-word articles of bench/extract, articles/s;
- quality: `movegraph evaluate`'s scores on the dev gold set and on the
  held-out split of corpus/train (same `evaluate` function, extractor built
  around the loaded model).

Speed rounds alternate the runtimes (torch, onnx, int8, torch, ...) so machine
load hits each alike; the load average is recorded before and after. Run:
`MOVEGRAPH_MODEL_PATH=/tmp/models/final python -m bench.onnx_runtime`.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import time
from pathlib import Path
from typing import Any

from bench.common import REPO, write_results
from bench.corpus import SHARED, long_articles

log = logging.getLogger("bench.onnx_runtime")
DEV_GOLD = SHARED / "data" / "dev" / "dev.gold.jsonl"
TRAIN_CORPUS = REPO / "corpus" / "train"


class RecordingModel:
    """An event model that keeps every item it is asked to read (to replay them to each runtime)."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.items: list[Any] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.model, name)

    def predict(self, items: list[Any], batch_size: int = 32) -> list[Any]:
        """Record, then read with the wrapped model."""
        self.items.extend(items)
        return self.model.predict(items, batch_size)


def real_items(model: Any, limit: int) -> list[Any]:
    """The marked items the trained extractor reads in the dev and held-out articles (first `limit`)."""
    from movegraph.evaluation.annotated import read_gold
    from movegraph.extractors.pipeline import extract_all
    from movegraph.extractors.trained import TrainedExtractor
    from movegraph.training.split import HELDOUT_SHARE, is_heldout

    recorder = RecordingModel(model)
    extractor = TrainedExtractor(event_model=recorder)  # type: ignore[arg-type]
    articles = read_gold(DEV_GOLD) + [a for a in read_gold(TRAIN_CORPUS) if is_heldout(a.id, HELDOUT_SHARE)]
    for article in articles:
        extract_all(extractor, [article])
        if len(recorder.items) >= limit:
            break
    return recorder.items[:limit]


def compare(reference: list[Any], other: list[Any]) -> dict[str, Any]:
    """Max abs differences of the raw outputs and agreement of the decisions, `other` against `reference`."""
    p_event = modality = link = 0.0
    labels = arguments = link_sets = 0
    for a, b in zip(reference, other, strict=True):
        p_event = max(p_event, abs(a.p_event - b.p_event))
        modality = max([modality, *(abs(a.modality_probs[k] - b.modality_probs[k]) for k in a.modality_probs)])
        link_sets += a.links.keys() == b.links.keys()
        for span, probs in a.links.items():
            if span in b.links:
                link = max([link, *(abs(probs[k] - b.links[span][k]) for k in probs)])
        labels += a.label == b.label
        arguments += a.arguments == b.arguments
    n = len(reference)
    return {"items": n, "max_abs_diff_p_event": p_event, "max_abs_diff_modality_probs": modality,
            "max_abs_diff_link_probs": link, "same_label": labels, "same_arguments": arguments,
            "same_link_mentions": link_sets, "same_label_share": round(labels / n, 4)}


def quality(model: Any) -> dict[str, Any]:
    """Strict P/R/F1 on the held-out split of corpus/train and on the dev gold set."""
    from movegraph.evaluation.evaluate import evaluate
    from movegraph.extractors.trained import TrainedExtractor
    from movegraph.training.split import HELDOUT_SHARE, is_heldout

    extractor = TrainedExtractor(event_model=model)
    out = {}
    for name, path, keep in (("heldout", TRAIN_CORPUS, lambda i: is_heldout(i, HELDOUT_SHARE)),
                             ("dev", DEV_GOLD, None)):
        report = evaluate(path, extractor, keep=keep)
        strict = report.score.strict
        out[name] = {"precision": round(strict.precision, 4), "recall": round(strict.recall, 4),
                     "f1": round(strict.f1, 4), "tp": strict.tp, "fp": strict.fp, "fn": strict.fn,
                     "events": report.events, "seconds": report.seconds}
        log.info("%s %s: P %.3f R %.3f F1 %.4f", model.runtime, name, strict.precision, strict.recall, strict.f1)
    return out


def main() -> None:
    """Load each runtime, compare, time and score; write bench/results/onnx-runtime.json."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=os.environ.get("MOVEGRAPH_MODEL_PATH"), help="trained model folder")
    parser.add_argument("--runtimes", nargs="+", default=["torch", "onnx", "onnx-int8"])
    parser.add_argument("--items", type=int, default=400, help="real marked items to compare and time")
    parser.add_argument("--articles", type=int, default=30, help="~600-word articles per extractor round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-quality", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger().setLevel(logging.WARNING)
    log.setLevel(logging.INFO)
    if not args.model:
        parser.error("give --model or MOVEGRAPH_MODEL_PATH")

    import torch

    from movegraph.extractors.event_model import EventModel
    from movegraph.extractors.pipeline import extract_all
    from movegraph.extractors.trained import TrainedExtractor

    load_before = os.getloadavg()
    models, load_s = {}, {}
    for runtime in args.runtimes:
        started = time.perf_counter()
        models[runtime] = EventModel.load(args.model, runtime=runtime)
        load_s[runtime] = round(time.perf_counter() - started, 2)
    reference = args.runtimes[0]
    items = real_items(models[reference], args.items)
    log.info("%d real items; threads %d; load average %s", len(items), torch.get_num_threads(), load_before)

    outputs = {runtime: model.predict(items) for runtime, model in models.items()}
    diffs = {runtime: compare(outputs[reference], outputs[runtime]) for runtime in args.runtimes[1:]}
    for runtime, diff in diffs.items():
        log.info("%s vs %s: %s", runtime, reference, diff)

    predict_s: dict[str, list[float]] = {r: [] for r in args.runtimes}
    for _ in range(args.rounds):
        for runtime, model in models.items():
            started = time.perf_counter()
            model.predict(items)
            predict_s[runtime].append(time.perf_counter() - started)
    encoder = {r: {"predictions_per_s": round(len(items) / statistics.median(s), 1),
                   "seconds": [round(x, 2) for x in s]} for r, s in predict_s.items()}
    log.info("encoder predictions/s: %s", {r: e["predictions_per_s"] for r, e in encoder.items()})

    articles = long_articles(args.articles, 600)
    extractors = {runtime: TrainedExtractor(event_model=model) for runtime, model in models.items()}
    for extractor in extractors.values():
        extract_all(extractor, articles[:2])  # warm-up: spaCy and the session's first run
    extract_s: dict[str, list[float]] = {r: [] for r in args.runtimes}
    events: dict[str, int] = {}
    for _ in range(args.rounds):
        for runtime, extractor in extractors.items():
            started = time.perf_counter()
            events[runtime] = len(extract_all(extractor, articles).events)
            extract_s[runtime].append(time.perf_counter() - started)
    whole = {r: {"articles_per_s": round(len(articles) / statistics.median(s), 2),
                 "seconds": [round(x, 2) for x in s], "events": events[r]} for r, s in extract_s.items()}
    log.info("extractor articles/s: %s", {r: w["articles_per_s"] for r, w in whole.items()})

    scores = {} if args.no_quality else {runtime: quality(model) for runtime, model in models.items()}
    payload = {"model": str(args.model), "runtimes": args.runtimes, "torch_threads": torch.get_num_threads(),
               "load_average_before": load_before, "load_average_after": os.getloadavg(), "load_s": load_s,
               "items": len(items), "raw_output_diff_vs_torch": diffs, "encoder": encoder,
               "extractor": {"articles": len(articles), "mean_words": 600, **whole}, "quality": scores,
               "onnx_files": {r: str(getattr(m, "onnx_path", "")) for r, m in models.items()}}
    path = write_results("onnx-runtime", payload, args.out)
    print(f"results written to {path}")


if __name__ == "__main__":
    main()
