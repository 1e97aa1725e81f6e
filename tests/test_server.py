"""The local Neo4j server: real, version 5, Browser served, auth on, loopback only, idempotent start."""

from __future__ import annotations

import socket
import urllib.request

import pytest
from neo4j import Driver

from movegraph.graph.connection import GraphConnectionError, open_driver, server_version
from movegraph.graph.server import LocalNeo4jServer
from movegraph.settings import Settings


def test_server_is_neo4j_5(neo4j_driver: Driver) -> None:
    assert server_version(neo4j_driver).startswith("5.")
    records, _, _ = neo4j_driver.execute_query("CALL dbms.components() YIELD edition RETURN edition")
    assert records[0]["edition"] == "community"


def test_start_is_idempotent(neo4j_settings: Settings) -> None:
    server = LocalNeo4jServer(neo4j_settings.server_config())
    before = server.status()
    again = server.start()
    assert before.running and again.running
    assert again.pid == before.pid


def test_browser_is_served(neo4j_settings: Settings) -> None:
    url = LocalNeo4jServer(neo4j_settings.server_config()).status().browser_url
    with urllib.request.urlopen(url, timeout=10) as response:
        body = response.read().decode("utf-8", errors="replace")
    assert response.status == 200
    assert "Neo4j Browser" in body or "neo4j" in body.lower()


def test_wrong_password_is_refused_without_echoing_it(neo4j_settings: Settings) -> None:
    wrong = Settings(**{**neo4j_settings.model_dump(), "neo4j_password": "not-the-password-123"})
    with pytest.raises(GraphConnectionError) as info:
        open_driver(wrong.neo4j_target())
    assert "wrong password" in str(info.value)
    assert "not-the-password-123" not in str(info.value)


def test_unreachable_server_gives_one_clear_line(neo4j_settings: Settings) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        unused = sock.getsockname()[1]
    settings = Settings(**{**neo4j_settings.model_dump(), "neo4j_uri": f"bolt://127.0.0.1:{unused}"})
    with pytest.raises(GraphConnectionError, match="no Neo4j answers"):
        open_driver(settings.neo4j_target())


def test_server_binds_loopback_only(neo4j_settings: Settings) -> None:
    conf = (neo4j_settings.neo4j_home / "conf" / "neo4j.conf").read_text()
    assert "server.default_listen_address=127.0.0.1" in conf
    assert "dbms.security.auth_enabled=true" in conf
    outward = _non_loopback_address()
    if outward is None:
        pytest.skip("this machine has no non-loopback IPv4 address to probe")
    with socket.socket() as sock:
        sock.settimeout(2)
        assert sock.connect_ex((outward, neo4j_settings.neo4j_bolt_port)) != 0


def test_password_file_is_private(neo4j_settings: Settings) -> None:
    password_file = LocalNeo4jServer(neo4j_settings.server_config()).password_file
    assert password_file.stat().st_mode & 0o077 == 0


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.1", 9))  # TEST-NET-1: no packet is sent for a UDP connect
            address = sock.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address
