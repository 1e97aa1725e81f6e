"""bench/e2e: 1,000 articles through the Prefect `ingest` flow into a fresh real Neo4j, wall time split by stage.

Stage times are measured in the flow's process around the functions it calls
(reading, the extraction stage with every chunk on the task runner, graph load)
as the union of their intervals; the rest of the wall time is orchestration
(Prefect's temporary server, task bookkeeping, the run report). Extraction runs
on the task runner `--runner` names (default: Prefect's process pool, one
process per core), so it includes starting the workers and loading the model
in each. Memory: the flow process's peak RSS, and the peak of its RSS plus its
pool workers' sampled every 0.2 s (the Neo4j and Prefect servers not counted).
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
from movegraph.flows.runners import usable_cores

log = logging.getLogger("bench.e2e")
STAGES = ("read", "extract", "load")
# (start, end) of each call per stage. No lock: list.append is atomic, and the wrappers must pickle (the
# process pool pickles by value what refers to this __main__ module; a lock does not pickle).
INTERVALS: dict[str, list[tuple[float, float]]] = {stage: [] for stage in STAGES}


def timed(stage: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """`func`, recording each call's (start, end) under `stage`."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            INTERVALS[stage].append((start, time.perf_counter()))

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
    from movegraph.flows import ingest, tasks

    ingest.read_jsonl = timed("read", ingest.read_jsonl)
    ingest.run_extraction = timed("extract", ingest.run_extraction)
    tasks.load_events = timed("load", tasks.load_events)


class WorkerMemory:
    """Samples the RSS of this process plus its Python worker processes (`peak_mib`), and of those plus every
    Prefect server any of them started (`peak_with_servers_mib`); the Neo4j server is in neither."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval, self.peak_mib, self.peak_with_servers_mib = interval, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> WorkerMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(self.interval):
            workers = servers = 0
            for child in me.children(recursive=True):
                try:
                    command = " ".join(child.cmdline())
                    if "spawn_main" in command:  # multiprocessing workers
                        workers += child.memory_info().rss
                    elif "prefect.server" in command:  # a temporary Prefect API server (uvicorn)
                        servers += child.memory_info().rss
                except psutil.Error:
                    continue
            total = me.memory_info().rss + workers
            self.peak_mib = max(self.peak_mib, round(total / 2**20, 1))
            self.peak_with_servers_mib = max(self.peak_with_servers_mib, round((total + servers) / 2**20, 1))


def main() -> None:
    """Start a fresh server, write the articles, run the flow once, write bench/results/e2e.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--runner", choices=["default", "process", "dask"], default="process",
                        help="task runner of the extraction stage (MOVEGRAPH_TASK_RUNNER)")
    parser.add_argument("--workers", type=int, default=None, help="processes of the process runner "
                        "(default: one per usable core)")
    parser.add_argument("--out", type=Path, default=None, help="results file (default bench/results/e2e.json)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory(prefix="movegraph-e2e-") as tmp, bench_server() as settings:
        os.environ.update({
            "PREFECT_HOME": str(Path(tmp) / "prefect"),  # no extraction cache from earlier runs
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300",
            "MOVEGRAPH_NEO4J_URI": settings.neo4j_uri, "MOVEGRAPH_NEO4J_PASSWORD": settings.neo4j_password
            .get_secret_value(), "MOVEGRAPH_DATA_DIR": str(settings.data_dir),
            "MOVEGRAPH_NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port),
            "MOVEGRAPH_SETTINGS_FILE": str(Path(tmp) / "absent.toml"), "MOVEGRAPH_TASK_RUNNER": args.runner})
        if args.workers:
            os.environ["MOVEGRAPH_PROCESS_WORKERS"] = str(args.workers)
        path = Path(tmp) / "articles.jsonl"
        articles = long_articles(args.articles, args.words)
        path.write_text("".join(a.model_dump_json() + "\n" for a in articles), encoding="utf-8")
        from movegraph.flows.ingest import ingest
        from movegraph.settings import load_settings

        instrument()
        start = time.perf_counter()
        with WorkerMemory() as memory:
            summary = ingest(str(path), rejects_path=str(Path(tmp) / "rejects.jsonl"))
        wall = time.perf_counter() - start
        current = load_settings()
        extractor, options = current.extractor, current.extractor_options(current.extractor)
    stages = {stage: round(union_seconds(v), 1) for stage, v in INTERVALS.items()}
    stages["orchestration_and_report"] = round(wall - sum(stages.values()), 1)
    result = {"command": "bench/e2e", "articles": args.articles,
              "mean_words": round(sum(len(a.text.split()) for a in articles) / len(articles)),
              "extractor": extractor, "extractor_options": options, "runner": args.runner,
              "workers": (args.workers or usable_cores()) if args.runner == "process" else None,
              "wall_s": round(wall, 1), "articles_per_s": round(args.articles / wall, 2),
              "stages_s": stages, "summary": summary.__dict__, "target_s": 180, "peak_rss_mib": peak_rss_mib(),
              "peak_rss_with_workers_mib": memory.peak_mib,
              "peak_rss_with_workers_and_prefect_servers_mib": memory.peak_with_servers_mib,
              "load_average_1_5_15_at_end": os.getloadavg(),
              "corpus": "consecutive ../shared/data/train texts joined to >= 600 words, ids and dates varied"}
    out = write_results("e2e", result, out=args.out)
    print(f"{args.articles} articles (~{result['mean_words']} words) in {wall:.0f} s "
          f"({result['articles_per_s']} articles/s); stages: {stages}")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
