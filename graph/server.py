"""The local Neo4j 5 community server: jars from Maven Central, run on the installed Java 17.

Data, logs and the generated password live in the user data directory; the jars
in the user cache directory. Nothing here is mocked: this is the real server.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

from movegraph.graph.browser_assets import post_connect_command, prepare_browser_root
from movegraph.graph.target import ServerConfig
from movegraph.schema.errors import MovegraphError

log = logging.getLogger(__name__)

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"


class Neo4jServerError(MovegraphError):
    """The local server could not be resolved, configured or started."""


@dataclass(frozen=True)
class ServerStatus:
    """Whether the local server runs, its pid and its addresses."""

    running: bool
    pid: int | None
    bolt_url: str
    http_url: str

    @property
    def browser_url(self) -> str:
        """Where a user opens the Neo4j Browser."""
        return f"{self.http_url}/browser/"


class LocalNeo4jServer:
    """Resolve, configure, start and stop one Neo4j server bound to 127.0.0.1."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.home = config.home
        self.conf_dir = self.home / "conf"
        self.logs_dir = self.home / "logs"
        self.pid_file = self.home / "run" / "movegraph-neo4j.pid"
        self.password_file = config.password_file

    # -- addresses -------------------------------------------------------------
    @property
    def bolt_url(self) -> str:
        """Bolt address of the local server."""
        return f"bolt://127.0.0.1:{self.config.bolt_port}"

    @property
    def http_url(self) -> str:
        """HTTP address of the local server (the Browser is under /browser/)."""
        return f"http://127.0.0.1:{self.config.http_port}"

    # -- Maven -----------------------------------------------------------------
    def classpath(self) -> str:
        """The server's runtime classpath, resolved once by Maven and cached with its jars."""
        c = self.config
        cp_file = c.cache_dir / f"neo4j-{c.version}-browser-{c.browser_version}.classpath"
        if cp_file.is_file():
            cached = cp_file.read_text().strip()
            if cached and all(Path(jar).is_file() for jar in cached.split(os.pathsep)):
                return cached
        self._resolve_with_maven(cp_file)
        return cp_file.read_text().strip()

    def _resolve_with_maven(self, cp_file: Path) -> None:
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jServerError("Maven (mvn) is not on PATH: it resolves the Neo4j jars from Maven Central")
        pom = resources.files("movegraph.graph").joinpath("neo4j_server/pom.xml")
        cp_file.parent.mkdir(parents=True, exist_ok=True)
        log.info("resolving Neo4j %s and Browser %s from Maven Central into %s (first time only)",
                 self.config.version, self.config.browser_version, self.config.maven_repo)
        with resources.as_file(pom) as pom_path:
            cmd = [
                mvn, "-B", "-q", "-f", str(pom_path),
                f"-Dmaven.repo.local={self.config.maven_repo}",
                f"-Dneo4j.version={self.config.version}",
                f"-Dneo4j.browser.version={self.config.browser_version}",
                "dependency:build-classpath", f"-Dmdep.outputFile={cp_file}",
            ]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not cp_file.is_file():
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
            raise Neo4jServerError(f"Maven could not resolve the Neo4j jars (exit {done.returncode}):\n{tail}")

    # -- configuration ---------------------------------------------------------
    def write_config(self) -> Path:
        """Write conf/neo4j.conf: loopback only, auth on, data and logs under the server home."""
        for sub in ("conf", "data", "logs", "run", "plugins", "import"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        s = self.config
        lines = [
            "# Written by movegraph; edit the settings (MOVEGRAPH_NEO4J_*), not this file.",
            "server.default_listen_address=127.0.0.1",
            f"server.bolt.listen_address=127.0.0.1:{s.bolt_port}",
            f"server.http.listen_address=127.0.0.1:{s.http_port}",
            "server.https.enabled=false",
            "dbms.security.auth_enabled=true",
            *(f"server.directories.{d}={self.home / d}" for d in ("data", "logs", "run", "plugins", "import")),
            f"server.memory.heap.initial_size={s.heap}",
            f"server.memory.heap.max_size={s.heap}",
            f"server.memory.pagecache.size={s.pagecache}",
            "dbms.usage_report.enabled=false",
            # The Browser: movegraph's style and guide on connect, served by this server; no analytics.
            f"browser.post_connect_cmd={post_connect_command(self.http_url)}",
            "browser.remote_content_hostname_whitelist=127.0.0.1,localhost",
            "client.allow_telemetry=false",
        ]
        conf = self.conf_dir / "neo4j.conf"
        conf.write_text("\n".join(lines) + "\n")
        return conf

    def password(self) -> str:
        """The password from settings, else the generated one kept in the server home (mode 600)."""
        known = self.config.configured_password()
        if known is not None:
            return known
        self.home.mkdir(parents=True, exist_ok=True)
        generated = "mg" + secrets.token_urlsafe(18)  # never starts with "-", which the admin tool reads as an option
        fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(generated + "\n")
        return generated

    def _set_initial_password(self, classpath: str) -> None:
        """Before the very first start, give user `neo4j` our password (no default-password window)."""
        data = self.home / "data"
        if (data / "dbms" / "auth.ini").exists() or (data / "databases" / "system").exists():
            return
        env = {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.conf_dir)}
        done = subprocess.run(
            [self._java(), "-cp", classpath, ADMIN_TOOL, "dbms", "set-initial-password", self.password()],
            capture_output=True, text=True, env=env, check=False,
        )
        if done.returncode != 0:
            raise Neo4jServerError(f"could not set the initial password (exit {done.returncode}): "
                                   + _java_error(done.stdout + done.stderr))

    # -- lifecycle -------------------------------------------------------------
    def status(self) -> ServerStatus:
        """Running means: our pid is alive and Bolt accepts connections."""
        pid = self._pid()
        running = pid is not None and _port_open(self.config.bolt_port)
        return ServerStatus(running, pid if running else None, self.bolt_url, self.http_url)

    def start(self) -> ServerStatus:
        """Start the server unless it already runs; wait until Bolt answers. Idempotent."""
        current = self.status()
        if current.running:
            log.info("Neo4j already running (pid %s)", current.pid)
            return current
        if self._pid() is None and _port_open(self.config.bolt_port):
            raise Neo4jServerError(
                f"port {self.config.bolt_port} is taken by another process; stop it or set "
                "MOVEGRAPH_NEO4J_BOLT_PORT")
        classpath = self.classpath()
        self.write_config()
        self._set_initial_password(classpath)
        process = self._spawn(self._with_browser_assets(classpath))
        self.pid_file.write_text(str(process.pid))
        self._wait_for_bolt(process)
        return self.status()

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server gracefully (SIGTERM, then SIGKILL after `timeout`); False if it was not running."""
        pid = self._pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.3)
        if _alive(pid):
            log.warning("Neo4j did not stop within %.0f s; killing pid %d", timeout, pid)
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the server's logs, for error messages."""
        chunks = []
        for name in ("console.log", "neo4j.log"):
            path = self.logs_dir / name
            if path.is_file():
                text = path.read_text(errors="replace").splitlines()[-lines:]
                chunks.append(f"--- {path} ---\n" + "\n".join(text))
        return "\n".join(chunks) or f"(no logs in {self.logs_dir})"

    # -- internals -------------------------------------------------------------
    def _with_browser_assets(self, classpath: str) -> str:
        """The classpath with the Browser-plus-movegraph-assets folder first (see graph/browser_assets.py)."""
        jars = [Path(entry) for entry in classpath.split(os.pathsep) if Path(entry).name.startswith("neo4j-browser-")]
        if not jars:
            log.warning("no Neo4j Browser jar on the classpath: the Browser and its movegraph style are not served")
            return classpath
        root = prepare_browser_root(jars[0], self.config.cache_dir)
        return os.pathsep.join([str(root), classpath])

    def _java(self) -> str:
        java_home = os.environ.get("JAVA_HOME")
        java = Path(java_home, "bin", "java") if java_home else shutil.which("java")
        if not java:
            raise Neo4jServerError("java is not on PATH: Neo4j 5 needs Java 17")
        return str(java)

    def _spawn(self, classpath: str) -> subprocess.Popen[bytes]:
        console = (self.logs_dir / "console.log").open("ab")
        cmd = [
            self._java(), f"-Xmx{self.config.heap}", "-XX:+UseG1GC", "-Dfile.encoding=UTF-8",
            "-cp", classpath, ENTRY_POINT, f"--home-dir={self.home}", f"--config-dir={self.conf_dir}",
        ]
        log.info("starting Neo4j %s (logs in %s)", self.config.version, self.logs_dir)
        return subprocess.Popen(cmd, stdout=console, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, cwd=self.home)

    def _wait_for_bolt(self, process: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + self.config.start_timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise Neo4jServerError(f"Neo4j exited with code {process.returncode} while starting.\n"
                                       + self.log_tail())
            if _port_open(self.config.bolt_port) and self._bolt_answers():
                return
            time.sleep(0.5)
        raise Neo4jServerError(f"Bolt did not answer within {self.config.start_timeout:.0f} s.\n"
                               + self.log_tail())

    def _bolt_answers(self) -> bool:
        """True once the server runs a query for us: an open port alone can precede database start."""
        try:
            with GraphDatabase.driver(self.bolt_url, auth=(self.config.user, self.password())) as driver:
                driver.execute_query("RETURN 1", database_=self.config.database)
            return True
        except (ServiceUnavailable, SessionExpired, TransientError, OSError):
            return False

    def _pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if _alive(pid) else None


def _java_error(output: str) -> str:
    """The message lines of a Java failure, without its stack frames."""
    lines = [ln for ln in output.splitlines() if ln.strip() and not ln.lstrip().startswith(("at ", "..."))]
    return "\n".join(lines[-5:])



def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _not_zombie(pid)


def _not_zombie(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return True
    return state != "Z"


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0
