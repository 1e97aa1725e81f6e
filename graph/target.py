"""What graph/ needs to know of the settings: where Neo4j is, and how the local server is set up.

The CLI and the flows build these from `movegraph.settings.Settings` (see
`Settings.neo4j_target` and `Settings.server_config`) and pass them in, so
nothing in graph/ reads settings itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import SecretStr


def _password(password: SecretStr | None, password_file: Path | None) -> str | None:
    """The given password, else the local server's generated one from its file, else None."""
    if password is not None:
        return password.get_secret_value()
    if password_file is not None and password_file.is_file():
        return password_file.read_text().strip()
    return None


@dataclass(frozen=True)
class Neo4jTarget:
    """A Neo4j database to read or write: Bolt URI, user, password (or the local server's password file)."""

    uri: str
    user: str = "neo4j"
    password: SecretStr | None = field(default=None, repr=False)
    database: str = "neo4j"
    password_file: Path | None = None  # read when `password` is None: the local server's generated one

    def resolved_password(self) -> str | None:
        """The password to connect with, or None when neither the settings nor the local server give one."""
        return _password(self.password, self.password_file)


@dataclass(frozen=True)
class ServerConfig:
    """The local Neo4j server: versions, ports, memory, home and cache folders, credentials."""

    home: Path  # conf/, data/, logs/ and the generated password live below it
    cache_dir: Path  # the resolved classpath and the Browser assets
    maven_repo: Path  # Maven's local repository for the Neo4j jars
    version: str = "5.26.30"
    browser_version: str = "5.24.0"
    bolt_port: int = 7687
    http_port: int = 7474
    heap: str = "1g"
    pagecache: str = "512m"
    start_timeout: float = 120.0
    user: str = "neo4j"
    password: SecretStr | None = field(default=None, repr=False)
    database: str = "neo4j"

    @property
    def password_file(self) -> Path:
        """Where the generated password is kept (mode 600) when the settings give none."""
        return self.home / "password"

    def configured_password(self) -> str | None:
        """The password from the settings, else the generated one, else None (not generated yet)."""
        return _password(self.password, self.password_file)
