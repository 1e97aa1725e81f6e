"""What every benchmark shares: the machine's description, a dedicated Neo4j server, JSON results."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import platform
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

from movegraph.graph.server import LocalNeo4jServer
from movegraph.settings import Settings

log = logging.getLogger("bench")
REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
APOC_POM = REPO / "bench" / "apoc" / "pom.xml"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _first_line(cmd: list[str]) -> str | None:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return None
    lines = (done.stdout + done.stderr).strip().splitlines()
    return lines[0] if lines else None


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    return None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    """Cores, memory, CPU, OS and the versions of everything the figures depend on."""
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": _cpu_model(),
        "memory_gib": _memory_gib(),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "java": _first_line(["java", "-version"]),
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "git_commit": _first_line(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
        "packages": {p: _version(p) for p in ("movegraph", "neo4j", "neo4j-graphrag", "prefect", "spacy",
                                              "pydantic")},
    }


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def write_results(name: str, payload: dict[str, Any], out: Path | None = None) -> Path:
    """Write `payload` plus the machine's description as JSON; returns the path."""
    path = out or RESULTS / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"benchmark": name, "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "machine": machine(), **payload}
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
    return path


def install_apoc(plugins: Path, settings: Settings) -> None:
    """Copy APOC core and its dependencies from Maven Central into the server's plugins folder."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise RuntimeError("Maven (mvn) is not on PATH")
    plugins.mkdir(parents=True, exist_ok=True)
    cmd = [mvn, "-B", "-q", "-f", str(APOC_POM), f"-Dmaven.repo.local={settings.maven_repo}",
           "dependency:copy-dependencies", f"-DoutputDirectory={plugins}", "-DincludeScope=runtime"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"Maven could not fetch APOC: {(done.stdout + done.stderr)[-2000:]}")


class PluginServer(LocalNeo4jServer):
    """The local server with its plugins folder on the classpath (the neo4j launcher script does the same)."""

    def classpath(self) -> str:
        """The server's classpath plus every jar in plugins/ (APOC registers extensions at boot)."""
        jars = sorted(str(p) for p in (self.home / "plugins").glob("*.jar"))
        return os.pathsep.join([super().classpath(), *jars])


@contextlib.contextmanager
def bench_server(heap: str = "2g", pagecache: str = "1g", apoc: bool = False) -> Iterator[Settings]:
    """A fresh local Neo4j server in a temporary data dir on free loopback ports; stopped and removed after."""
    with tempfile.TemporaryDirectory(prefix="movegraph-bench-") as tmp:
        bolt, http = _free_port(), _free_port()
        settings = Settings(data_dir=Path(tmp), neo4j_bolt_port=bolt, neo4j_http_port=http,
                            neo4j_uri=f"bolt://127.0.0.1:{bolt}", neo4j_heap=heap, neo4j_pagecache=pagecache,
                            neo4j_start_timeout=300, neo4j_password=secrets.token_hex(16))
        if apoc:
            install_apoc(settings.neo4j_home / "plugins", settings)
        config = settings.server_config()
        server = PluginServer(config) if apoc else LocalNeo4jServer(config)
        server.start()
        try:
            yield settings
        finally:
            server.stop()
