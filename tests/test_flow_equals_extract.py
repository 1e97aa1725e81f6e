"""Every registered extractor loads the same facts through the Prefect flow as `extract` finds on its own.

The flow runs chunks on a thread pool that shares one extractor instance, so an
extractor keeping per-article state on `self` loses or mixes articles here.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from neo4j import Driver

from movegraph.extractors.base import available_extractors, create_extractor
from movegraph.extractors.pipeline import extract_all
from movegraph.schema import Article, read_jsonl
from movegraph.schema.annotation import AnnotatedArticle
from movegraph.settings import load_settings

REPO = Path(__file__).resolve().parents[1]
CORPUS_PART = REPO / "corpus" / "train" / "part-voa-conflict.jsonl"
ARTICLES = 16  # one chunk each: sixteen tasks on the flow's threads
Fact = tuple[str, str, str, str | None, bool]


@pytest.fixture(scope="module")
def articles_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real news of the committed corpus, as plain articles."""
    path = tmp_path_factory.mktemp("articles") / "articles.jsonl"
    rows = [AnnotatedArticle.model_validate_json(line) for line in CORPUS_PART.read_text().splitlines()[:ARTICLES]]
    path.write_text("".join(json.dumps({"id": r.id, "text": r.text, "published": str(r.published)}) + "\n"
                            for r in rows))
    return path


def graph_facts(driver: Driver) -> set[Fact]:
    """The facts the graph holds, one per MOVED_TO edge."""
    records, _, _ = driver.execute_query(
        "MATCH (a:Actor)-[m:MOVED_TO]->(:Location) "
        "RETURN m.article_id AS article, a.key AS mover, m.country AS country, m.subdivision AS sub, "
        "m.factual AS factual")
    return {(r["article"], r["mover"], r["country"], r["sub"], r["factual"]) for r in records}


def extracted_facts(name: str, path: Path) -> set[Fact]:
    """The facts of `extract` on its own: one process, one article after another."""
    articles = read_jsonl(path, Article).records
    result = extract_all(create_extractor(name, **load_settings().extractor_options(name)), articles)
    assert not result.failed, result.failed
    return {(e.article_id, *key) for e in result.events if (key := e.fact_key()) is not None}


# Every extractor on the flow's threads; the model also on the process pool, where each worker loads its own
# copy with its share of the cores (flows.runners.threads_per_worker).
@pytest.mark.parametrize(("name", "runner"), [*((name, "default") for name in available_extractors()),
                                              ("trained", "process")])
def test_flow_loads_what_extract_finds(name: str, runner: str, cli_env: dict[str, str],
                                       monkeypatch: pytest.MonkeyPatch, empty_graph: Driver, articles_file: Path,
                                       eager_model: Path) -> None:
    from prefect.testing.utilities import prefect_test_harness

    from movegraph.flows import extraction
    from movegraph.flows.ingest import ingest

    for key, value in cli_env.items():
        if key.startswith("MOVEGRAPH_"):
            monkeypatch.setenv(key, value)
    monkeypatch.setenv("MOVEGRAPH_MODEL_PATH", str(eager_model))
    monkeypatch.setenv("MOVEGRAPH_TASK_RUNNER", runner)
    monkeypatch.setenv("MOVEGRAPH_PROCESS_WORKERS", "2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(extraction, "CHUNK_SIZE", 1)
    extraction._load_extractor.cache_clear()
    # A fresh version salt: the flow must really extract, never reuse a cached chunk of an earlier run.
    # The real version comes from the registry without loading the extractor (process-pool workers load
    # their own); the flow's threads then share the one cached_extractor loads, as in `movegraph run`.
    options = tuple(load_settings().extractor_options(name).items())
    version = f"{extraction.extractor_version(name, options)}-{uuid.uuid4().hex}"
    assert extraction._load_extractor.cache_info().currsize == 0
    monkeypatch.setattr(extraction, "extractor_version", lambda *_: version)

    expected = extracted_facts(name, articles_file)
    with prefect_test_harness(server_startup_timeout=120):
        summary = ingest(str(articles_file), extractor=name)
    extraction._load_extractor.cache_clear()

    assert summary.failed_articles == 0
    assert summary.articles == ARTICLES
    assert len({fact[0] for fact in expected}) >= 3, "too few articles with facts to show a race"
    assert graph_facts(empty_graph) == expected
