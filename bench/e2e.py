"""bench/e2e: 1,000 articles through the Prefect `ingest` flow into a fresh real Neo4j, wall time split by stage.

Stage times are measured around the functions each task calls (reading,
extraction, graph load) as the union of their intervals, so extraction chunks
running side by side count once; the rest of the wall time is orchestration
(Prefect's temporary server, task bookkeeping, the run report).
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import bench_server, peak_rss_mib, write_results
from bench.corpus import long_articles

log = logging.getLogger("bench.e2e")
INTERVALS: dict[str, list[tuple[float, float]]] = {}
_LOCK = threading.Lock()


def timed(stage: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """`func`, recording each call's (start, end) under `stage`."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            with _LOCK:
                INTERVALS.setdefault(stage, []).append((start, time.perf_counter()))

    return wrapper


def union_seconds(intervals: list[tuple[float, float]]) -> float:
    """Total length covered by possibly overlapping intervals."""
    total, end = 0.0, float("-inf")
    for a, b in sorted(intervals):
        if b > end:
            total += b - max(a, end)
            end = b
    return total


def instrument() -> None:
    """Wrap what the flow's tasks call, in the modules that call it."""
    from movegraph.flows import extraction, ingest, tasks

    ingest.read_jsonl = timed("read", ingest.read_jsonl)
    extraction.extract_all = timed("extract", extraction.extract_all)
    tasks.load_events = timed("load", tasks.load_events)


def main() -> None:
    """Start a fresh server, write the articles, run the flow once, write bench/results/e2e.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--words", type=int, default=600)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory(prefix="movegraph-e2e-") as tmp, bench_server() as settings:
        os.environ.update({
            "PREFECT_HOME": str(Path(tmp) / "prefect"),  # no extraction cache from earlier runs
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300",
            "MOVEGRAPH_NEO4J_URI": settings.neo4j_uri, "MOVEGRAPH_NEO4J_PASSWORD": settings.neo4j_password
            .get_secret_value(), "MOVEGRAPH_DATA_DIR": str(settings.data_dir),
            "MOVEGRAPH_NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port),
            "MOVEGRAPH_SETTINGS_FILE": str(Path(tmp) / "absent.toml")})
        path = Path(tmp) / "articles.jsonl"
        articles = long_articles(args.articles, args.words)
        path.write_text("".join(a.model_dump_json() + "\n" for a in articles), encoding="utf-8")
        from movegraph.flows.ingest import ingest
        from movegraph.settings import load_settings

        instrument()
        start = time.perf_counter()
        summary = ingest(str(path), rejects_path=str(Path(tmp) / "rejects.jsonl"))
        wall = time.perf_counter() - start
        extractor = load_settings().extractor
    stages = {stage: round(union_seconds(v), 1) for stage, v in INTERVALS.items()}
    stages["orchestration_and_report"] = round(wall - sum(stages.values()), 1)
    result = {"command": "bench/e2e", "articles": args.articles,
              "mean_words": round(sum(len(a.text.split()) for a in articles) / len(articles)),
              "extractor": extractor, "wall_s": round(wall, 1), "articles_per_s": round(args.articles / wall, 2),
              "stages_s": stages, "summary": summary.__dict__, "target_s": 180, "peak_rss_mib": peak_rss_mib(),
              "corpus": "consecutive ../shared/data/train texts joined to >= 600 words, ids and dates varied"}
    out = write_results("e2e", result)
    print(f"{args.articles} articles (~{result['mean_words']} words) in {wall:.0f} s "
          f"({result['articles_per_s']} articles/s); stages: {stages}")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
