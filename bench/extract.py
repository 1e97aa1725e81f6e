"""bench/extract: articles/s and peak RSS of the extraction stage on ~600-word articles, next to spaCy alone.

Each engine runs in its own fresh process over the same texts, so its peak RSS
is its own: `rules` is movegraph's extractor (`movegraph.extractors`), `spacy` is
`spacy.load(en_core_web_sm)` with its full pipeline over the same texts, the
floor any spaCy-based extractor pays before its own rules.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
from typing import Any

from bench.common import peak_rss_mib, write_results
from bench.corpus import long_articles

log = logging.getLogger("bench.extract")


def run_engine(engine: str, count: int, words: int) -> dict[str, Any]:
    """Load the engine, then time it over `count` articles (in this process)."""
    articles = long_articles(count, words)
    rss_before = peak_rss_mib()
    start = time.perf_counter()
    if engine == "spacy":
        from movegraph.extractors.nlp import load_pipeline

        nlp = load_pipeline()
        loaded = time.perf_counter()
        docs = sum(1 for _ in nlp.pipe((a.text for a in articles), batch_size=16))
        events, failed = 0, count - docs
    else:
        from movegraph.extractors.base import create_extractor
        from movegraph.extractors.pipeline import extract_all
        from movegraph.settings import load_settings

        extractor = create_extractor(engine, **load_settings().extractor_options(engine))
        loaded = time.perf_counter()
        result = extract_all(extractor, articles)
        events, failed = len(result.events), len(result.failed)
    done = time.perf_counter()
    return {"engine": engine, "articles": count,
            "mean_words": round(sum(len(a.text.split()) for a in articles) / count),
            "load_s": round(loaded - start, 2), "extract_s": round(done - loaded, 2),
            "articles_per_s": round(count / (done - loaded), 2), "events": events, "failed": failed,
            "peak_rss_mib": peak_rss_mib(), "rss_before_load_mib": rss_before}


def main() -> None:
    """Run each engine in a child process and write bench/results/extract.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--engines", nargs="+", default=["rules", "spacy"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    if args.child:
        print(json.dumps(run_engine(args.child, args.articles, args.words)))
        return
    results = []
    for engine in args.engines:
        log.info("%s on %d articles of ~%d words", engine, args.articles, args.words)
        done = subprocess.run([sys.executable, "-m", "bench.extract", "--child", engine, "--articles",
                               str(args.articles), "--words", str(args.words)], capture_output=True, text=True,
                              check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        log.info("%s", results[-1])
    rules = next((r for r in results if r["engine"] == "rules"), None)
    spacy = next((r for r in results if r["engine"] == "spacy"), None)
    path = write_results("extract", {
        "command": "bench/extract",
        "corpus": "consecutive ../shared/data/train texts joined to >= 600 words, ids bench-NNNNN, dates varied "
                  "(bench/corpus.py long_articles)",
        "results": results,
        "rules_over_spacy_speed": round(rules["articles_per_s"] / spacy["articles_per_s"], 2) if rules and spacy
        else None})
    for r in results:
        print(f"{r['engine']:>6}: {r['articles_per_s']:>6} articles/s (~{r['mean_words']} words), "
              f"peak RSS {r['peak_rss_mib']} MiB, load {r['load_s']} s")
    print(f"results: {path}")


if __name__ == "__main__":
    main()
