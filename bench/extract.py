"""bench/extract: articles/s, peak RSS and quality of the extraction stage on ~600-word articles, next to spaCy.

Each engine runs in its own fresh process over the same texts, so its peak RSS
is its own:

- `default`: the extractor the settings name (`MOVEGRAPH_EXTRACTOR`, `trained`
  unless changed; its model from `MOVEGRAPH_MODEL_PATH` or the user cache),
  through `extract_all` as `movegraph extract` and the flows run it;
- `rules`: the rule extractor, the same way;
- `spacy`: `spacy.load` of the pipeline the extractors use, alone over the same
  texts (`nlp.pipe`), the floor any spaCy-based extractor pays before its rules.

`NAME:unbatched` (e.g. `default:unbatched`) runs an extractor article by article
(`extract`), without the batched parse and model pass of `extract_batch`, to
measure that lever in the same run.

Quality beside speed: after timing, each extractor's process scores the very
configuration it timed on the dev gold set and on the split of corpus/train that
`movegraph train` holds out (`evaluate`, in process; strict F1 of spec section 6).
The ratio of the default extractor's speed to spaCy's is the target of issue 13
(>= 1.5). The load average is recorded around every engine: on a shared machine,
compare only engines of one run.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import REPO, peak_rss_mib, write_results
from bench.corpus import SHARED, long_articles

log = logging.getLogger("bench.extract")
DEV_GOLD = SHARED / "data" / "dev" / "dev.gold.jsonl"
TRAIN_CORPUS = REPO / "corpus" / "train"
DEFAULT_ENGINES = ["default", "rules", "spacy"]


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def extractor_name(engine: str) -> str:
    """The registered extractor an engine runs (`default` is the one the settings name)."""
    from movegraph.settings import load_settings

    name = engine.split(":")[0]
    return load_settings().extractor if name == "default" else name


def quality(extractor: Any) -> dict[str, Any]:
    """Strict P/R/F1 of `extractor` on the dev gold set and on the held-out split of corpus/train."""
    from movegraph.evaluation.evaluate import evaluate
    from movegraph.training.split import HELDOUT_SHARE, is_heldout

    sets = {"dev": (DEV_GOLD, None),
            "heldout": (TRAIN_CORPUS, lambda article_id: is_heldout(article_id, HELDOUT_SHARE))}
    out: dict[str, Any] = {}
    for key, (path, keep) in sets.items():
        if not Path(path).exists():
            log.warning("%s: missing, no %s score", path, key)
            continue
        strict = evaluate(Path(path), extractor, keep=keep).score.strict
        out[key] = {"gold": str(path), "precision": round(strict.precision, 4), "recall": round(strict.recall, 4),
                    "f1": round(strict.f1, 4), "tp": strict.tp, "fp": strict.fp, "fn": strict.fn}
    return out


def run_engine(engine: str, count: int, words: int, with_quality: bool) -> dict[str, Any]:
    """Load the engine, then time it over `count` articles (in this process), then score it."""
    articles = long_articles(count, words)
    rss_before = peak_rss_mib()
    load_before = _load()
    start = time.perf_counter()
    row: dict[str, Any] = {"engine": engine}
    extractor = None
    if engine == "spacy":
        from movegraph.extractors.nlp import load_pipeline

        nlp = load_pipeline()
        loaded, cpu_loaded = time.perf_counter(), time.process_time()
        docs = sum(1 for _ in nlp.pipe((a.text for a in articles), batch_size=16))
        events, failed = 0, count - docs
        row["pipeline"] = nlp.meta.get("name")
    else:
        from movegraph.extractors.base import create_extractor
        from movegraph.extractors.pipeline import ExtractionResult, extract_all
        from movegraph.settings import load_settings

        name = extractor_name(engine)
        options = load_settings().extractor_options(name)
        extractor = create_extractor(name, **options)
        row |= {"extractor": name, "version": extractor.version,
                "options": {k: str(v) for k, v in options.items()}}
        loaded, cpu_loaded = time.perf_counter(), time.process_time()
        if engine.endswith(":unbatched"):
            result = ExtractionResult()
            for article in articles:
                result.events.extend(extractor.extract(article))
        else:
            result = extract_all(extractor, articles)
        events, failed = len(result.events), len(result.failed)
    done, cpu_done = time.perf_counter(), time.process_time()
    row |= {"articles": count, "mean_words": round(sum(len(a.text.split()) for a in articles) / count),
            "load_s": round(loaded - start, 2), "extract_s": round(done - loaded, 2),
            "extract_cpu_s": round(cpu_done - cpu_loaded, 2),
            "articles_per_s": round(count / (done - loaded), 2), "events": events, "failed": failed,
            "peak_rss_mib": peak_rss_mib(), "rss_before_load_mib": rss_before,
            "load_average_before": load_before, "load_average_after": _load()}
    if extractor is not None and with_quality:
        row["quality"] = quality(extractor)
    return row


def _ratio(row: dict[str, Any] | None, base: dict[str, Any] | None) -> float | None:
    return round(row["articles_per_s"] / base["articles_per_s"], 2) if row and base else None


def main() -> None:
    """Run each engine in a child process and write bench/results/extract.json (or --out)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--engines", nargs="+", default=DEFAULT_ENGINES,
                        help="default, rules, spacy, or NAME:unbatched (default: %(default)s)")
    parser.add_argument("--no-quality", action="store_true", help="skip the dev and held-out scores")
    parser.add_argument("--out", type=Path, help="results JSON (default: bench/results/extract.json)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    if args.child:
        print(json.dumps(run_engine(args.child, args.articles, args.words, not args.no_quality)))
        return
    results = []
    for engine in args.engines:
        log.info("%s on %d articles of ~%d words", engine, args.articles, args.words)
        cmd = [sys.executable, "-m", "bench.extract", "--child", engine, "--articles", str(args.articles),
               "--words", str(args.words)] + (["--no-quality"] if args.no_quality else [])
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"bench/extract: engine {engine} failed:\n{done.stderr[-4000:]}")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        log.info("%s", results[-1])
    by_engine = {r["engine"]: r for r in results}
    spacy = by_engine.get("spacy")
    default = by_engine.get("default")
    path = write_results("extract", {
        "command": "bench/extract " + " ".join(sys.argv[1:]),
        "corpus": "consecutive ../shared/data/train texts joined to >= 600 words, ids bench-NNNNN, dates varied "
                  "(bench/corpus.py long_articles)",
        "quality_sets": {"dev": str(DEV_GOLD), "heldout": f"{TRAIN_CORPUS} (the split movegraph train holds out)"},
        "results": results,
        "default_extractor": default.get("extractor") if default else None,
        "default_over_spacy_speed": _ratio(default, spacy),
        "target_default_over_spacy": 1.5,
        "speed_over_spacy": {r["engine"]: _ratio(r, spacy) for r in results if r is not spacy},
    }, out=args.out)
    for r in results:
        scores = r.get("quality", {})
        f1 = "  ".join(f"{k} F1 {v['f1']:.3f}" for k, v in scores.items())
        print(f"{r['engine']:>18}: {r['articles_per_s']:>6} articles/s (~{r['mean_words']} words, "
              f"x{_ratio(r, spacy)} spaCy), peak RSS {r['peak_rss_mib']} MiB, load {r['load_s']} s  {f1}  "
              f"(load average {r['load_average_before'][0]} -> {r['load_average_after'][0]})")
    print(f"results: {path}")


if __name__ == "__main__":
    main()
