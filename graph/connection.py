"""Opening a driver to the configured Neo4j, with one clear error line when it cannot."""

from __future__ import annotations

from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, ClientError, ConfigurationError, ServiceUnavailable

from movegraph.graph.target import Neo4jTarget
from movegraph.schema.errors import MovegraphError


class GraphConnectionError(MovegraphError):
    """Neo4j could not be reached or refused us; the message says which and what to do.

    `transient` is True only when the server did not answer (it may come back), never for a
    wrong password or URI, so that callers retry the one and fail fast on the other.
    """

    exit_code = 2

    def __init__(self, message: str, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


def open_driver(target: Neo4jTarget) -> Driver:
    """A verified driver for `target.uri`; raises GraphConnectionError (never with the password)."""
    password = target.resolved_password()
    if password is None:
        raise GraphConnectionError(
            "no Neo4j password: set MOVEGRAPH_NEO4J_PASSWORD (or neo4j_password in the settings file), "
            "or start the local server once with `movegraph neo4j start`")
    uri = target.uri
    try:
        driver = GraphDatabase.driver(uri, auth=(target.user, password),
                                      connection_timeout=10, max_transaction_retry_time=30,
                                      # "label does not exist" on a new graph is noise
                                      notifications_min_severity="OFF")
    except (ValueError, ConfigurationError) as exc:
        raise GraphConnectionError(f"bad Neo4j URI {uri!r}: {exc}") from None
    try:
        driver.verify_connectivity()
        driver.execute_query("RETURN 1", database_=target.database)
    except AuthError:
        driver.close()
        raise GraphConnectionError(
            f"Neo4j at {uri} refused user {target.user!r}: wrong password "
            "(check MOVEGRAPH_NEO4J_PASSWORD or the settings file)") from None
    except ServiceUnavailable:
        driver.close()
        raise GraphConnectionError(
            f"no Neo4j answers at {uri}; start the local one with `movegraph neo4j start` "
            "or set MOVEGRAPH_NEO4J_URI", transient=True) from None
    except ClientError as exc:
        driver.close()
        raise GraphConnectionError(f"Neo4j at {uri} refused the connection: {exc.message}") from None
    return driver


def server_version(driver: Driver) -> str:
    """The Neo4j server's version string, e.g. '5.26.30'."""
    records, _, _ = driver.execute_query("CALL dbms.components() YIELD versions RETURN versions[0] AS v")
    return str(records[0]["v"])
