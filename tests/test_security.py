"""Security defaults: parameterised Cypher only, a loopback-only server with auth on, a documented password change."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from movegraph.graph.server import LocalNeo4jServer
from movegraph.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SCANNED = ("graph", "flows", "movegraph", "schema", "extractors", "evaluation", "sources", "training", "bench")
CLAUSES = re.compile(r"\b(MATCH|MERGE|CREATE|UNWIND|RETURN|DELETE|SET|WHERE|WITH|CALL|REMOVE|DROP|LOAD CSV)\b")


def _looks_like_cypher(text: str) -> bool:
    """Two different upper-case Cypher clauses: 'MATCH ... RETURN', not an English sentence."""
    return len(set(CLAUSES.findall(text))) >= 2


def _literal_text(node: ast.AST) -> str:
    """The literal parts of an f-string, a str.format() receiver or a '%' template."""
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ""


def formatted_cypher(source: str) -> list[int]:
    """Line numbers where Cypher is built by string formatting (f-string, .format(), % or + with a variable)."""
    return sorted(set(_formatted_lines(source)))


def _formatted_lines(source: str) -> Iterator[int]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr) and _looks_like_cypher(_literal_text(node)):
            yield node.lineno
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
              and _looks_like_cypher(_literal_text(node.func.value))):
            yield node.lineno
        elif (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod)
              and _looks_like_cypher(_literal_text(node.left))):
            yield node.lineno
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and _adds_variable_to_cypher(node):
            yield node.lineno


def _adds_variable_to_cypher(node: ast.BinOp) -> bool:
    """'MATCH ... ' + name: allowed only when the name is an upper-case module constant."""
    parts = _flatten_add(node)
    if not any(_looks_like_cypher(_literal_text(p)) for p in parts):
        return False
    return not all(isinstance(p, ast.Constant) or (isinstance(p, ast.Name) and p.id.lstrip("_").isupper())
                   for p in parts)


def _flatten_add(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _flatten_add(node.left) + _flatten_add(node.right)
    return [node]


def _python_files() -> Iterator[Path]:
    for folder in SCANNED:
        yield from sorted((REPO / folder).rglob("*.py"))


def test_no_cypher_is_built_by_string_formatting() -> None:
    offenders = [f"{path.relative_to(REPO)}:{line}"
                 for path in _python_files() for line in formatted_cypher(path.read_text(encoding="utf-8"))]
    assert offenders == [], f"string-formatted Cypher (use $parameters): {offenders}"


def test_the_scan_finds_each_kind_of_formatted_query() -> None:
    snippet = '''
name = input()
a = f"MATCH (n {{name: '{name}'}}) RETURN n"
b = "MATCH (n) WHERE n.name = '{}' RETURN n".format(name)
c = "MATCH (n) WHERE n.name = '%s' RETURN n" % name
d = "MATCH (n) WHERE n.name = '" + name + "' RETURN n"
e = "MATCH (n) WHERE n.name = $name RETURN n"
f = "UNWIND $rows AS row MERGE (n {key: row.key})" + SET_CLAUSE
'''
    assert formatted_cypher(snippet) == [3, 4, 5, 6]


def test_scan_covers_the_writer() -> None:
    files = {p.relative_to(REPO).as_posix() for p in _python_files()}
    assert {"graph/writer.py", "graph/connection.py", "graph/server.py"} <= files


def test_local_server_listens_on_loopback_only_with_auth(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, neo4j_bolt_port=17001, neo4j_http_port=17002)
    conf = LocalNeo4jServer(settings.server_config()).write_config().read_text()
    listen = [ln.split("=", 1)[1] for ln in conf.splitlines() if "listen_address=" in ln]
    assert listen and all(value.startswith("127.0.0.1") for value in listen)
    assert "dbms.security.auth_enabled=true" in conf and "server.https.enabled=false" in conf
    assert "0.0.0.0" not in conf


def test_readme_says_how_to_change_the_password() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "MOVEGRAPH_NEO4J_PASSWORD" in readme
    assert "ALTER CURRENT USER SET PASSWORD" in readme
