"""The extraction stage: articles in chunks, each a cached, retried task, on the configured task runner.

A chunk's cache key is its articles' ids and text hashes plus the extractor's
name and version (its declared version and a fingerprint of its code and data),
so a retried or repeated run never redoes an extraction it already has. The
flow reads the settings once: the extractor's options from them (the trained
extractor's model path) travel to the tasks as a parameter.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from datetime import timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

from prefect import get_run_logger, task
from prefect.context import TaskRunContext
from prefect.futures import PrefectFuture
from prefect.task_runners import TaskRunner

from movegraph.extractors.base import Extractor, create_extractor, extractor_needs_torch
from movegraph.extractors.base import extractor_version as registered_version
from movegraph.extractors.pipeline import ExtractionResult, extract_all
from movegraph.flows.runners import build_task_runner, starts_its_workers, threads_per_worker, workers_share_api
from movegraph.schema import Article, text_hash
from movegraph.settings import Settings

CHUNK_SIZE = 16

# An extractor's options from the settings (e.g. the trained extractor's model_path), hashable for the cache.
ExtractorOptions = tuple[tuple[str, object], ...]

_EXTRACTOR_LOCK = threading.Lock()


def cached_extractor(name: str, options: ExtractorOptions = ()) -> Extractor:
    """One extractor per process, name and options, shared by the flow's threads (models load once per worker).

    The lock keeps threads that start together from each loading a model of their own.
    """
    hashable = tuple((str(key), value) for key, value in options)  # a list of pairs if it went through JSON
    with _EXTRACTOR_LOCK:
        return _load_extractor(name, hashable)


@lru_cache(maxsize=4)
def _load_extractor(name: str, options: ExtractorOptions) -> Extractor:
    return create_extractor(name, **dict(options))


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    root = resources.files("movegraph.extractors")
    digest = hashlib.sha256()
    for item in sorted(_walk(root), key=lambda t: t.name):
        digest.update(item.name.encode())
        digest.update(item.read_bytes())
    return digest.hexdigest()[:12]


def _walk(node: Any) -> list[Any]:
    out = []
    for child in node.iterdir():
        if child.is_dir():
            if child.name != "__pycache__":
                out.extend(_walk(child))
        elif not child.name.endswith(".pyc"):
            out.append(child)
    return out


def extractor_version(name: str, options: ExtractorOptions = ()) -> str:
    """The extractor's declared version plus a fingerprint of the extractor code and data; asked of the
    registry, so the flow's process loads no model its process-pool workers load again."""
    return f"{registered_version(name, **dict(options))}+{_code_fingerprint()}"


def chunk_cache_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    """Cache key of a chunk: article ids + text hashes + extractor name + version."""
    digest = hashlib.sha256()
    for article in parameters["articles"]:
        digest.update(f"{article.id}\0{text_hash(article.text)}\n".encode())
    return f"extract-{parameters['extractor_name']}-{parameters['version']}-{digest.hexdigest()[:32]}"


@task(name="extract-chunk", cache_key_fn=chunk_cache_key, cache_expiration=timedelta(days=30),
      persist_result=True, retries=2, retry_delay_seconds=[1, 5])
def extract_chunk(articles: list[Article], extractor_name: str, version: str,
                  options: ExtractorOptions = ()) -> ExtractionResult:
    """Extract one chunk of articles (cached; one article's failure is recorded, not raised)."""
    return extract_all(cached_extractor(extractor_name, options), articles)


def chunks(articles: Sequence[Article], size: int | None = None) -> list[list[Article]]:
    """Consecutive chunks of at most `size` articles (default CHUNK_SIZE, read at call time)."""
    size = CHUNK_SIZE if size is None else size
    return [list(articles[i:i + size]) for i in range(0, len(articles), size)]


def merge(results: Sequence[ExtractionResult]) -> ExtractionResult:
    """One result from the chunks' results, in chunk order."""
    merged = ExtractionResult()
    for result in results:
        merged.events.extend(result.events)
        merged.failed.update(result.failed)
    return merged


def submit_chunks(articles: list[Article], extractor_name: str, version: str, options: ExtractorOptions = (),
                  runner: TaskRunner[Any] | None = None) -> ExtractionResult:
    """Submit every chunk to `runner` (a started pool of the stage's own), else to the calling flow's task
    runner, and gather the events in article order."""
    logger = get_run_logger()
    parts = chunks(articles)
    futures = [_submit(runner, chunk, extractor_name, version, options) for chunk in parts]
    results, done = [], 0
    for part, future in zip(parts, futures, strict=True):
        results.append(future.result())
        done += len(part)
        logger.info("extracted articles: %d/%d (%.0f%%)", done, len(articles), 100.0 * done / len(articles))
    merged = merge(results)
    logger.info("extracted %d articles -> %d events (%d failed)", len(articles), len(merged.events),
                len(merged.failed))
    return merged


def _submit(runner: TaskRunner[Any] | None, chunk: list[Article], extractor_name: str, version: str,
            options: ExtractorOptions) -> PrefectFuture[ExtractionResult]:
    if runner is None:
        return extract_chunk.submit(chunk, extractor_name, version, options)
    return runner.submit(extract_chunk, {"articles": chunk, "extractor_name": extractor_name, "version": version,
                                         "options": options})


def run_extraction(articles: list[Article], extractor_name: str, settings: Settings) -> ExtractionResult:
    """The extraction stage in the calling flow, its chunks on the task runner the settings name (started
    here for the stage: no subflow, whose parameters, the articles, must serialise under 512 KB), the
    extractor built with the options the settings give it and, in a pool of processes, its share of the cores."""
    if not articles:
        return ExtractionResult()
    given = settings.extractor_options(extractor_name, threads=threads_per_worker(settings))
    options: ExtractorOptions = tuple(sorted(given.items()))
    version = extractor_version(extractor_name, options)
    starts = starts_its_workers(settings)  # only workers started here can be started without torch
    runner = build_task_runner(settings, torch_free=starts and not extractor_needs_torch(extractor_name, **given))
    if runner is None:
        return submit_chunks(articles, extractor_name, version, options)
    with runner, workers_share_api():  # workers start (and load the extractor) once for the whole stage
        return submit_chunks(articles, extractor_name, version, options, runner)
