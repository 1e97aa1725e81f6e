"""bench/prefect_overhead: what Prefect adds to the extraction stage, per chunk and in all.

The same ~600-word articles are extracted twice per chunk size, each run in a fresh
process on the same number of worker processes, with the extractor and options
the settings give (`MOVEGRAPH_EXTRACTOR`, its model from `MOVEGRAPH_MODEL_PATH`):

- `plain`: a `concurrent.futures` process pool over the chunks, each worker
  calling what a chunk task calls (`cached_extractor`, `extract_all`);
- `prefect`: `run_extraction` inside a Prefect flow, as `movegraph run` does
  (the process task runner, cached and persisted chunk results, a fresh
  PREFECT_HOME so no chunk comes from an earlier run's cache).

Both start their workers and load the extractor in each, so the difference of the
two walls is Prefect's part: task runs and their states, result persistence,
the run logger, the flow's temporary API server (`flow_s` against `stage_s`).
With two chunk sizes or more, the slope of that difference over the number of
chunks is the cost of one chunk, the rest a fixed cost per stage.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import REPO, write_results

log = logging.getLogger("bench.prefect_overhead")
Options = tuple[tuple[str, object], ...]


def plain_chunk(name: str, options: Options, articles: list[Any]) -> tuple[int, float]:
    """One chunk as an extract-chunk task computes it, without Prefect: (events, seconds extracting)."""
    from movegraph.extractors.pipeline import extract_all
    from movegraph.flows.extraction import cached_extractor

    extractor = cached_extractor(name, options)
    start = time.perf_counter()
    result = extract_all(extractor, articles)
    return len(result.events), time.perf_counter() - start


def run_plain(articles: list[Any], chunk: int, workers: int) -> dict[str, Any]:
    """The chunks on a plain process pool (spawned workers, torch kept out where the extractor allows)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from movegraph.extractors.base import extractor_needs_torch, without_torch
    from movegraph.flows.extraction import chunks
    from movegraph.flows.runners import threads_per_worker
    from movegraph.settings import load_settings

    settings = load_settings().model_copy(update={"task_runner": "process", "process_workers": workers})
    name = settings.extractor
    given = settings.extractor_options(name, threads=threads_per_worker(settings))
    options: Options = tuple(sorted(given.items()))
    torch_free = not extractor_needs_torch(name, **given)
    parts = chunks(articles, chunk)
    start = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=without_torch if torch_free else None) as pool:
        done = list(pool.map(plain_chunk, [name] * len(parts), [options] * len(parts), parts))
    wall = time.perf_counter() - start
    return {"wall_s": round(wall, 2), "events": sum(events for events, _ in done),
            "extracting_s": round(sum(seconds for _, seconds in done), 2)}


def run_prefect(articles: list[Any], chunk: int, workers: int) -> dict[str, Any]:
    """The chunks through `run_extraction` in a flow on the process task runner."""
    from prefect import flow

    from movegraph.flows import extraction
    from movegraph.settings import load_settings

    settings = load_settings().model_copy(update={"task_runner": "process", "process_workers": workers})
    extraction.CHUNK_SIZE = chunk  # chunks() reads it at call time
    stage: dict[str, float] = {}

    @flow(name="bench-prefect-overhead", log_prints=False)
    def extraction_stage() -> int:
        begin = time.perf_counter()
        result = extraction.run_extraction(articles, settings.extractor, settings)
        stage["stage_s"] = time.perf_counter() - begin
        return len(result.events)

    start = time.perf_counter()
    events = extraction_stage()
    return {"wall_s": round(stage["stage_s"], 2), "flow_s": round(time.perf_counter() - start, 2), "events": events}


def one_run(mode: str, articles_count: int, words: int, chunk: int, workers: int) -> dict[str, Any]:
    """One mode in this (fresh) process."""
    from bench.corpus import long_articles

    articles = long_articles(articles_count, words)
    with tempfile.TemporaryDirectory(prefix="movegraph-overhead-") as tmp:
        os.environ["PREFECT_HOME"] = str(Path(tmp) / "prefect")
        run = run_plain if mode == "plain" else run_prefect
        return {"mode": mode, "chunk_size": chunk, "chunks": -(-articles_count // chunk),
                **run(articles, chunk, workers), "load_average_1min_at_end": round(os.getloadavg()[0], 2)}


def in_fresh_process(mode: str, args: argparse.Namespace, chunk: int, workers: int) -> dict[str, Any]:
    """`one_run` in a new interpreter, so that neither mode inherits the other's imports or workers."""
    command = [sys.executable, "-m", "bench.prefect_overhead", "--one", mode, "--articles", str(args.articles),
               "--words", str(args.words), "--chunk-sizes", str(chunk), "--workers", str(workers)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{mode} run (chunk {chunk}) failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def per_chunk_slope(pairs: list[dict[str, Any]]) -> float | None:
    """Least-squares slope of Prefect's extra seconds over the number of chunks (None with one size)."""
    if len(pairs) < 2:
        return None
    xs = [p["chunks"] for p in pairs]
    ys = [p["prefect_extra_s"] for p in pairs]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return round(sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread, 3) if spread else None


def main() -> None:
    """Run both modes per chunk size, write bench/results/prefect-overhead.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=192)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--chunk-sizes", default="8,16,32", help="comma-separated chunk sizes (the flow's: 16)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: one per usable core)")
    parser.add_argument("--one", choices=["plain", "prefect"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=None, help="results file (default "
                        "bench/results/prefect-overhead.json)")
    args = parser.parse_args()
    from movegraph.flows.runners import usable_cores

    workers = args.workers or usable_cores()
    sizes = [int(size) for size in args.chunk_sizes.split(",") if size.strip()]
    if args.one:
        print(json.dumps(one_run(args.one, args.articles, args.words, sizes[0], workers)))
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    pairs = []
    for size in sizes:
        plain = in_fresh_process("plain", args, size, workers)
        prefect = in_fresh_process("prefect", args, size, workers)
        if plain["events"] != prefect["events"]:
            raise RuntimeError(f"chunk {size}: plain pool found {plain['events']} events, Prefect "
                               f"{prefect['events']}")
        extra = round(prefect["wall_s"] - plain["wall_s"], 2)
        pairs.append({"chunk_size": size, "chunks": plain["chunks"], "plain": plain, "prefect": prefect,
                      "prefect_extra_s": extra, "prefect_extra_per_chunk_s": round(extra / plain["chunks"], 3)})
        log.info("chunk %d: plain %.1f s, Prefect %.1f s (flow %.1f s): +%.1f s", size, plain["wall_s"],
                 prefect["wall_s"], prefect["flow_s"], extra)
    result = {"command": "bench/prefect_overhead", "articles": args.articles, "words": args.words,
              "workers": workers, "runs": pairs, "prefect_seconds_per_chunk": per_chunk_slope(pairs),
              "method": __doc__.split("\n\n", 1)[1].strip()}
    out = write_results("prefect-overhead", result, out=args.out)
    print(f"results: {out}")


if __name__ == "__main__":
    main()
