"""Settings come from the environment first, then the TOML settings file, then defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from movegraph.settings import load_settings


@pytest.fixture()
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("MOVEGRAPH_NEO4J_URI", "MOVEGRAPH_NEO4J_PASSWORD", "MOVEGRAPH_BATCH_SIZE"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "movegraph.toml"
    path.write_text('neo4j_uri = "bolt://db.example:7687"\nneo4j_password = "from-file"\nbatch_size = 50\n')
    monkeypatch.setenv("MOVEGRAPH_SETTINGS_FILE", str(path))
    return path


def test_file_values_apply(settings_file: Path) -> None:
    settings = load_settings()
    assert settings.neo4j_uri == "bolt://db.example:7687"
    assert settings.batch_size == 50
    assert settings.neo4j_password is not None
    assert settings.neo4j_password.get_secret_value() == "from-file"
    assert "from-file" not in repr(settings)


def test_environment_overrides_file(settings_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOVEGRAPH_NEO4J_URI", "bolt://127.0.0.1:9999")
    assert load_settings().neo4j_uri == "bolt://127.0.0.1:9999"
    assert load_settings().batch_size == 50


def test_bad_value_names_the_setting(settings_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOVEGRAPH_BATCH_SIZE", "zero")
    with pytest.raises(Exception, match="batch_size"):
        load_settings()


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"task_runner": "default"}, None),  # one process: the model keeps torch's thread per core
    ({"task_runner": "process"}, 1),  # a worker per core, a thread each
    ({"task_runner": "process", "process_workers": 2}, 4),
    ({"task_runner": "process", "process_workers": 16}, 1),
    ({"task_runner": "dask", "dask_workers": 4}, 2),
    ({"task_runner": "dask", "dask_address": "tcp://elsewhere:8786"}, None),  # its cores are not ours to count
])
def test_a_pool_of_processes_shares_the_cores_among_its_workers(monkeypatch: pytest.MonkeyPatch,
                                                                 overrides: dict[str, object],
                                                                 expected: int | None) -> None:
    from movegraph.flows import runners

    monkeypatch.setattr(runners, "usable_cores", lambda: 8)
    settings = load_settings(**overrides)
    assert runners.threads_per_worker(settings) == expected
    options = settings.extractor_options("trained", threads=runners.threads_per_worker(settings))
    assert options.get("threads") == expected
    assert "threads" not in settings.extractor_options("rules", threads=2)  # spaCy's rules run on one thread
