"""docker/compose.yaml cannot run here, so check what it promises: services, ports, volumes, settings names."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from movegraph.settings import Settings

DOCKER = Path(__file__).resolve().parents[1] / "docker"


def _compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text())


def test_services_and_health_checks() -> None:
    services = _compose()["services"]
    assert set(services) == {"neo4j", "prefect", "movegraph", "worker"}
    assert services["neo4j"]["image"].startswith("neo4j:5")
    assert "community" in services["neo4j"]["image"]
    for name in ("neo4j", "prefect", "worker"):
        assert "healthcheck" in services[name]
    for name in ("movegraph", "worker"):
        assert services[name]["depends_on"]["neo4j"]["condition"] == "service_healthy"
        assert services[name]["depends_on"]["prefect"]["condition"] == "service_healthy"


def test_ports_are_bound_to_loopback_and_data_persists() -> None:
    compose = _compose()
    ports = compose["services"]["neo4j"]["ports"]
    assert "127.0.0.1:7474:7474" in ports and "127.0.0.1:7687:7687" in ports
    assert any(v.startswith("neo4j-data:/data") for v in compose["services"]["neo4j"]["volumes"])
    assert "neo4j-data" in compose["volumes"]


def test_worker_env_names_are_real_settings() -> None:
    fields = {f"MOVEGRAPH_{name.upper()}" for name in Settings.model_fields}
    for name in ("movegraph", "worker"):
        env = _compose()["services"][name]["environment"]
        used = {k for k in env if k.startswith("MOVEGRAPH_")}
        assert used and used <= fields, used - fields
        assert env["MOVEGRAPH_NEO4J_URI"] == "bolt://neo4j:7687"
        assert env["PREFECT_API_URL"] == "http://prefect:4200/api"


def test_worker_runs_the_prefect_yaml_pool() -> None:
    worker = _compose()["services"]["worker"]
    command = " ".join(worker["entrypoint"])
    deployments = yaml.safe_load((DOCKER.parent / "prefect.yaml").read_text())["deployments"]
    pools = {d["work_pool"]["name"] for d in deployments}
    assert pools == {"movegraph"} and "prefect worker start --pool movegraph" in command
    assert "COPY prefect.yaml ./" in (DOCKER / "Dockerfile").read_text()


def test_no_password_is_hard_coded() -> None:
    text = (DOCKER / "compose.yaml").read_text()
    assert re.search(r"NEO4J_AUTH: neo4j/\$\{NEO4J_PASSWORD:\?", text)
    assert "MOVEGRAPH_NEO4J_PASSWORD: ${NEO4J_PASSWORD:?" in text


def test_dockerfile_copies_every_package_folder() -> None:
    """movegraph/ and every layer folder its symlinks point at (movegraph/schema -> ../schema, ...)."""
    dockerfile = (DOCKER / "Dockerfile").read_text()
    package = DOCKER.parent / "movegraph"
    layers = [link.readlink().name for link in package.iterdir() if link.is_symlink()]
    assert {"schema", "extractors", "graph", "flows"} <= set(layers)
    for folder in ["movegraph", *layers]:
        assert f"COPY {folder} ./{folder}" in dockerfile, folder


def test_every_layer_is_a_symlink_in_movegraph_and_a_listed_package() -> None:
    """A new top-level layer needs its symlink (so tools and wheels see it) and its entry in pyproject."""
    import tomllib

    root = DOCKER.parent
    packages = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    for name in packages:
        if name == "movegraph":
            continue
        link = root / "movegraph" / name.split(".", 1)[1]
        assert link.is_symlink() and link.readlink() == Path("..") / link.name, name
        assert (link / "__init__.py").is_file(), name
