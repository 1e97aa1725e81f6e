"""`movegraph load --bulk` against the real server: the bulk import makes exactly the online writer's graph.

The checksum covers every node (labels, key, each property with its stored Neo4j type and value), every
relationship (type, endpoint labels and keys, properties with types) and the schema rules. The corpus is
real annotated articles (bench/corpus.py over ../shared/data/train) plus hand-made ones whose text is
hostile to CSV: quotes, commas, ';', line breaks, backslashes, the importer's first array delimiter, empty
sentences and titles, missing values, non-ASCII.

The bulk import stops and restarts the session's shared server (community edition has one user database).
Tests that restart it use `restored_server`, which makes sure it runs afterwards with its own settings, its
data emptied and movegraph's schema in place, so the tests after them see the server as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver, ManagedTransaction
from neo4j.time import Date

from movegraph.graph.bulk import (
    FIX_QUERIES,
    BulkImportError,
    BulkRefusedError,
    Fix,
    ImportFiles,
    Table,
    apply_fixes,
    bulk_load,
    check_local,
    import_error,
    reported_seconds,
    tables_from_rows,
    write_csv,
)
from movegraph.graph.rows import build_rows
from movegraph.graph.server import LocalNeo4jServer
from movegraph.graph.target import Neo4jTarget
from movegraph.graph.writer import GraphWriter, graph_counts
from movegraph.schema import Article, MovementEvent, Place, TextSpan, read_jsonl, write_jsonl
from movegraph.settings import Settings
from tests import factories as f
from tests.conftest import SHARED
from tests.helpers import run_movegraph

TRAIN = SHARED / "data" / "train"
REAL_EDGES = 400

NODES = "MATCH (n) RETURN labels(n) AS labels, [k IN keys(n) | [k, valueType(n[k]), n[k]]] AS props"
RELATIONSHIPS = """
MATCH (s)-[r]->(t)
RETURN type(r) AS type, labels(s) AS source_labels, coalesce(s.id, s.key) AS source, labels(t) AS target_labels,
       coalesce(t.id, t.key) AS target, [k IN keys(r) | [k, valueType(r[k]), r[k]]] AS props
"""
CONSTRAINTS = "SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties"
INDEXES = "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, owningConstraint, state"


# -- the canonical checksum -----------------------------------------------------------------------------
def _canon(value: Any) -> Any:
    """A value as JSON that keeps its Python type apart (1 and 1.0 and '1' and a date differ)."""
    if isinstance(value, list):
        return [_canon(v) for v in value]
    if isinstance(value, Date):
        return ["Date", value.iso_format()]
    if isinstance(value, float):
        return ["float", repr(value)]
    return [type(value).__name__, value]


def _props(pairs: list[list[Any]]) -> list[Any]:
    return sorted([name, kind, _canon(value)] for name, kind, value in pairs)


def graph_lines(driver: Driver) -> list[str]:
    """The whole graph and its schema as sorted canonical lines."""
    lines = [json.dumps(["node", sorted(r["labels"]), _props(r["props"])]) for r in driver.execute_query(NODES).records]
    lines += [json.dumps(["rel", r["type"], sorted(r["source_labels"]), r["source"], sorted(r["target_labels"]),
                          r["target"], _props(r["props"])]) for r in driver.execute_query(RELATIONSHIPS).records]
    for query in (CONSTRAINTS, INDEXES):
        lines += [json.dumps(["schema", sorted(r.data().items())], default=str)
                  for r in driver.execute_query(query).records]
    return sorted(lines)


def checksum(lines: list[str]) -> str:
    """SHA-256 over the canonical lines."""
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def assert_same_graph(online: list[str], bulk: list[str]) -> None:
    """Equal checksums; else the first lines only one side has, which say what differs."""
    if checksum(online) != checksum(bulk):
        only_online = sorted(set(online) - set(bulk))[:3]
        only_bulk = sorted(set(bulk) - set(online))[:3]
        pytest.fail(f"graphs differ\nonline only: {only_online}\nbulk only: {only_bulk}")


def error_line(stderr: str) -> str:
    """The one `movegraph: error:` line of a failed command (log lines may come before it)."""
    errors = [line for line in stderr.splitlines() if line.startswith("movegraph: error:")]
    assert len(errors) == 1 and stderr.rstrip().endswith(errors[0]), stderr
    return errors[0]


# -- the corpus -----------------------------------------------------------------------------------------
HOSTILE_SENTENCE = ('Troops of the "5th", with 2 tanks; moved\nto Lviv \\ at dawn, said "the officer" '
                    "\x1f\u0412\u043e\u0439\u0441\u043a\u0430 \u043f\u0440\u0438\u0431\u044b\u043b\u0438 \U0001f680")


def hostile_corpus() -> tuple[list[Article], list[MovementEvent]]:
    """Hand-made articles and events with everything a CSV file can get wrong."""
    articles = [
        f.article("bulk-quotes", title='He said "go", then; left\r\nthe room \\ back'),
        Article(id="bulk-bare", text=f.TEXT),  # no title, url, source, date or language: no such properties
        f.article("bulk-empty-title", title=""),
    ]
    no_trigger_text = f.event("bulk-empty-title", trigger=(5, 9), country="MD", subdivision=None, locality=None)
    no_coordinates = f.event("bulk-bare", trigger=(40, 44), country="PL", subdivision="PL-14", locality="Nowhere")
    events = [
        f.event("bulk-quotes", sentence=HOSTILE_SENTENCE, confidence=0.1 + 0.2, quantity=10**12),
        # two mentions of one fact, both without a sentence: sentences ['', '']
        f.event("bulk-quotes", trigger=(80, 84), country="PL", subdivision=None, locality=None, sentence="",
                quantity=None, source=None, time=(None, None)),
        f.event("bulk-quotes", trigger=(90, 95), country="PL", subdivision=None, locality=None, sentence="",
                quantity=None, source=None),
        # one mention without a sentence: sentences [''] (the importer cannot store it; fixed after)
        f.event("bulk-bare", affiliation=None, country="MD", subdivision=None, locality=None, sentence="",
                modality="expected", quantity=None),
        no_trigger_text.model_copy(update={"trigger": TextSpan(text=None, start=5, end=9)}),
        no_coordinates.model_copy(update={"destination": Place(country="PL", country_name="Poland",
                                                               subdivision="PL-14", locality="Nowhere")}),
        f.event("bulk-empty-title", trigger=(60, 66), country="UA", quantity=0, time=("2024-02-29", None)),
    ]
    return articles, events


def corpus() -> tuple[list[Article], list[MovementEvent]]:
    """Real annotated training articles (copies, as bench/load makes them) and the hostile ones."""
    if not TRAIN.is_dir():
        pytest.skip(f"{TRAIN} is missing: the training corpus the bulk test loads")
    from bench.corpus import edge_corpus, train_rows

    rows = [row for row in train_rows(TRAIN) if row.data.get("events")]
    articles, events = edge_corpus(REAL_EDGES, rows)
    extra_articles, extra_events = hostile_corpus()
    return articles + extra_articles, events + extra_events


def _write_inputs(folder: Path) -> tuple[Path, Path]:
    articles, events = corpus()
    paths = folder / "articles.jsonl", folder / "events.jsonl"
    write_jsonl(articles, paths[0])
    write_jsonl(events, paths[1])
    return paths


# -- the shared server ------------------------------------------------------------------------------------
def _local_server(settings: Settings) -> LocalNeo4jServer:
    return LocalNeo4jServer(settings.server_config())


def _empty(driver: Driver) -> None:
    """Every node and relationship removed, in chunks (CALL ... IN TRANSACTIONS needs an auto-commit query)."""
    with driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


def forget_the_replaced_database(driver: Driver, database: str) -> None:
    """Point the shared driver's `execute_query` bookmarks at the new database instead of the replaced one.

    The import makes a new database whose transaction ids start again, so a bookmark of the old one names a
    transaction the new one may never reach, and every `execute_query` would wait for it until it times out.
    A fresh session (outside that bookmark manager) gets a bookmark of the new database, which then replaces
    the old ones through the manager's public API. Any long-lived client has to do the same (or reconnect).
    """
    with driver.session(database=database) as session:
        session.execute_read(_read_one)
        fresh = session.last_bookmarks().raw_values
    manager = driver.execute_query_bookmark_manager
    manager.update_bookmarks(manager.get_bookmarks(), fresh)


def _read_one(tx: ManagedTransaction) -> None:
    tx.run("RETURN 1").consume()


@pytest.fixture()
def restored_server(neo4j_settings: Settings, neo4j_driver: Driver) -> Iterator[LocalNeo4jServer]:
    """The session's server, running again after the test with its own settings, emptied, schema in place.

    The session driver's pooled connections die with the restart; its next managed query retries on a new
    one (the driver drops the dead ones). Its bookmarks name the replaced database: they are swapped for one
    of the new database.
    """
    server = _local_server(neo4j_settings)
    yield server
    server.start()  # idempotent: a no-op unless the test left it stopped
    forget_the_replaced_database(neo4j_driver, neo4j_settings.neo4j_database)
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n", database_=neo4j_settings.neo4j_database)
    GraphWriter(neo4j_driver, neo4j_settings.neo4j_database).ensure_schema()


@pytest.fixture()
def bulk_env(cli_env: dict[str, str], neo4j_settings: Settings) -> dict[str, str]:
    """The CLI's environment with the session server's memory settings, so a restart by the CLI keeps them."""
    return {**cli_env, "MOVEGRAPH_NEO4J_HEAP": neo4j_settings.neo4j_heap,
            "MOVEGRAPH_NEO4J_PAGECACHE": neo4j_settings.neo4j_pagecache}


# -- against the real server ----------------------------------------------------------------------------
def test_bulk_import_makes_the_online_writers_graph(restored_server: LocalNeo4jServer, neo4j_driver: Driver,
                                                    bulk_env: dict[str, str], tmp_path: Path) -> None:
    articles_path, events_path = _write_inputs(tmp_path)
    articles = read_jsonl(articles_path, Article).records
    events = read_jsonl(events_path, MovementEvent).records
    _empty(neo4j_driver)
    writer = GraphWriter(neo4j_driver, batch_size=100)
    writer.ensure_schema()
    writer.write(articles, events)
    online = graph_lines(neo4j_driver)
    counts = graph_counts(neo4j_driver)
    assert counts["moved_to"] == REAL_EDGES + 6 and counts["reports"] > 0 and counts["part_of"] > 0

    refused = run_movegraph("load", str(articles_path), str(events_path), "--bulk", env=bulk_env)
    assert refused.returncode == 2
    message = error_line(refused.stderr)
    assert message.startswith("movegraph: error: database 'neo4j'")
    assert "--overwrite" in message and "holds" in message
    assert checksum(graph_lines(neo4j_driver)) == checksum(online)  # refused before anything changed

    done = run_movegraph("load", str(articles_path), str(events_path), "--bulk", "--overwrite", env=bulk_env)
    assert done.returncode == 0, done.stderr
    assert f"-> {REAL_EDGES + 6} MOVED_TO edges" in done.stdout and "import" in done.stdout
    assert restored_server.status().running
    forget_the_replaced_database(neo4j_driver, "neo4j")
    bulk = graph_lines(neo4j_driver)
    assert_same_graph(online, bulk)
    assert graph_counts(neo4j_driver) == counts


def test_hostile_values_keep_their_types(restored_server: LocalNeo4jServer, neo4j_driver: Driver,
                                         neo4j_settings: Settings) -> None:
    """The hostile corpus alone, bulk-imported over a database with data: each tricky value as stored."""
    GraphWriter(neo4j_driver).write(*hostile_corpus())  # data in the way: --overwrite replaces it
    result = bulk_load(restored_server, neo4j_settings.neo4j_target(), *hostile_corpus(), overwrite=True)
    forget_the_replaced_database(neo4j_driver, neo4j_settings.neo4j_database)
    assert result.graph["moved_to"] == 6 and result.total_seconds > 0
    assert list(result.seconds) == ["check", "rows", "csv", "stop", "import", "start", "schema", "fix"]
    hostile = neo4j_driver.execute_query(
        "MATCH ()-[r:MOVED_TO]->() WHERE r.article_id = 'bulk-quotes' AND r.country = 'UA' "
        "RETURN r.sentences AS s, r.confidence AS c, r.quantities AS q, valueType(r.start) AS start").records[0]
    assert hostile["s"] == [HOSTILE_SENTENCE] and hostile["c"] == 0.1 + 0.2 and hostile["q"] == [10**12]
    assert hostile["start"] == "DATE NOT NULL"
    blanks = {r["a"]: r["s"] for r in neo4j_driver.execute_query(
        "MATCH ()-[r:MOVED_TO]->() WHERE all(s IN r.sentences WHERE s = '') "
        "RETURN r.article_id + '/' + r.country AS a, r.sentences AS s").records}
    assert blanks == {"bulk-quotes/PL": ["", ""], "bulk-bare/MD": [""]}
    titles = {r["id"]: (r["t"], r["p"]) for r in neo4j_driver.execute_query(
        "MATCH (a:Article) RETURN a.id AS id, a.title AS t, valueType(a.published) AS p").records}
    assert titles == {"bulk-quotes": ('He said "go", then; left\r\nthe room \\ back', "DATE NOT NULL"),
                      "bulk-bare": (None, "NULL"), "bulk-empty-title": ("", "DATE NOT NULL")}


def test_a_bad_csv_file_fails_with_the_importers_reason_and_the_old_database_comes_back(
        restored_server: LocalNeo4jServer, neo4j_driver: Driver, neo4j_settings: Settings) -> None:
    _empty(neo4j_driver)
    GraphWriter(neo4j_driver).write(*hostile_corpus())
    before = graph_lines(neo4j_driver)

    def damage(files: ImportFiles) -> None:
        path = next(p for label, p in files.relationships if label == "MOVED_TO")
        with path.open("a", encoding="utf-8") as out:
            out.write('"nobody/none","UA","bad-edge","bulk-quotes",true\n')

    with pytest.raises(BulkImportError) as info:
        bulk_load(restored_server, neo4j_settings.neo4j_target(), *hostile_corpus(), overwrite=True,
                  files_hook=damage)
    message = str(info.value)
    assert "\n" not in message and message.startswith("neo4j-admin database import failed")
    assert "nobody/none" in message, message
    assert restored_server.status().running
    assert checksum(graph_lines(neo4j_driver)) == checksum(before)  # the import failed: nothing was replaced
    assert not (neo4j_settings.neo4j_home / "data" / "movegraph-bulk-previous").exists()


def test_a_database_left_aside_by_an_interrupted_load_is_never_touched(neo4j_settings: Settings) -> None:
    server = _local_server(neo4j_settings)
    pid = server.status().pid
    aside = neo4j_settings.neo4j_home / "data" / "movegraph-bulk-previous"
    (aside / "databases" / "neo4j").mkdir(parents=True)
    try:
        with pytest.raises(BulkImportError, match="interrupted bulk load"):
            bulk_load(server, neo4j_settings.neo4j_target(), *hostile_corpus(), overwrite=True)
        assert (aside / "databases" / "neo4j").is_dir() and server.status().pid == pid  # refused before the stop
    finally:
        shutil.rmtree(aside)


def test_fixes_by_key_set_each_records_own_list(neo4j_driver: Driver, empty_graph: Driver,
                                                neo4j_settings: Settings, tmp_path: Path) -> None:
    """Where a list column's empty fields stand for different values ([], [''], null), each record gets its own."""
    table = Table("moved_to", "MOVED_TO", ends=("Actor", "Location"), key="key", records=[
        ("A", "L", {"key": "k-empty", "texts": []}), ("A", "L", {"key": "k-blank", "texts": [""]}),
        ("A", "L", {"key": "k-null", "texts": None}), ("A", "L", {"key": "k-full", "texts": ["x\x1fy", ""]})])
    files = write_csv([table], tmp_path)
    assert files.delimiter != "\x1f"  # an element holds the first candidate: the files use the next one
    assert sorted((fix.value, tuple(fix.keys or ())) for fix in files.fixes) == [([], ("k-empty",)),
                                                                                  ([""], ("k-blank",))]
    empty_graph.execute_query("CREATE (a:Actor {key: 'A'}), (l:Location {key: 'L'}) WITH a, l "
                              "UNWIND ['k-empty', 'k-blank', 'k-null'] AS key CREATE (a)-[:MOVED_TO {key: key}]->(l)")
    apply_fixes(empty_graph, neo4j_settings.neo4j_database, [table], files)
    stored = {r["key"]: (r["texts"], r["kind"]) for r in empty_graph.execute_query(
        "MATCH ()-[r:MOVED_TO]->() RETURN r.key AS key, r.texts AS texts, valueType(r.texts) AS kind").records}
    assert stored == {"k-empty": ([], "LIST<NOTHING> NOT NULL"), "k-blank": ([""], "LIST<STRING NOT NULL> NOT NULL"),
                      "k-null": (None, "NULL")}


def test_every_table_with_list_properties_has_fix_queries_for_its_own_label() -> None:
    """The fix-up statements are written out per table: each table that can need them has them, on its label."""
    for table in tables_from_rows(build_rows(*hostile_corpus())):
        lists = {name for record in table.records for name, value in record[-1].items() if isinstance(value, list)}
        if not lists:
            continue
        queries = FIX_QUERIES[table.name]
        start, end = table.ends or (table.label, table.label)
        for query in (queries.fill, queries.by_key):
            assert f"x:{table.label}" in query and f":{start}" in query and f":{end}" in query


# -- refusals that never touch the server -----------------------------------------------------------------
@pytest.mark.parametrize("uri", ["bolt://db.example.org:7687", "neo4j+s://127.0.0.1:{port}", "bolt://127.0.0.1:1"])
def test_a_server_movegraph_does_not_manage_is_refused(neo4j_settings: Settings, uri: str) -> None:
    server = _local_server(neo4j_settings)
    target = Neo4jTarget(uri=uri.format(port=neo4j_settings.neo4j_bolt_port))
    with pytest.raises(BulkRefusedError, match="only imports into the local server movegraph manages"):
        check_local(target, server)


def test_cli_refuses_a_remote_server_in_one_line(bulk_env: dict[str, str], tmp_path: Path) -> None:
    articles, events = hostile_corpus()
    write_jsonl(articles, tmp_path / "a.jsonl")
    write_jsonl(events, tmp_path / "e.jsonl")
    env = {**bulk_env, "MOVEGRAPH_NEO4J_URI": "bolt://neo4j.example.org:7687"}
    done = run_movegraph("load", str(tmp_path / "a.jsonl"), str(tmp_path / "e.jsonl"), "--bulk", env=env)
    assert done.returncode == 2
    message = error_line(done.stderr)
    assert "without --bulk" in message and "bolt://neo4j.example.org:7687" in message


def test_cli_bad_input_files_and_options_fail_before_the_server_is_touched(bulk_env: dict[str, str],
                                                                          tmp_path: Path) -> None:
    write_jsonl([f.article()], tmp_path / "a.jsonl")
    write_jsonl([f.event("not-loaded")], tmp_path / "orphans.jsonl")
    cases = {
        ("load", str(tmp_path / "a.jsonl"), str(tmp_path / "missing.jsonl"), "--bulk"): "missing.jsonl: no such file",
        ("load", str(tmp_path / "a.jsonl"), str(tmp_path / "orphans.jsonl"), "--bulk"): "refer to articles missing",
        ("load", str(tmp_path / "a.jsonl"), str(tmp_path / "orphans.jsonl"), "--overwrite"): "--overwrite goes with",
    }
    for args, expected in cases.items():
        done = run_movegraph(*args, env=bulk_env)
        assert done.returncode == 2, done.stderr
        assert expected in error_line(done.stderr)


# -- pure functions ---------------------------------------------------------------------------------------
def test_csv_fields_quote_text_and_keep_null_apart_from_empty_text(tmp_path: Path) -> None:
    table = Table("articles", "Article", id_property="id", records=[
        ("a,1", {"title": 'say "hi"', "n": 3, "x": 0.5, "ok": True, "day": dt.date(2024, 2, 29), "tags": ["p;q"]}),
        ("a2", {"title": "", "n": None, "x": None, "ok": False, "day": None, "tags": ["r", "s"]})])
    files = write_csv([table], tmp_path)
    lines = (tmp_path / "articles.csv").read_text(encoding="utf-8").splitlines()
    assert lines == ["id:ID(Article),title,n:long,x:double,ok:boolean,day:date,tags:string[]",
                     '"a,1","say ""hi""",3,0.5,true,2024-02-29,"p;q"',
                     '"a2","",,,false,,"r\x1fs"']
    assert files.delimiter == "\x1f" and not files.multiline and files.fixes == []


def test_a_column_of_two_types_is_refused(tmp_path: Path) -> None:
    table = Table("t", "T", id_property="id", records=[("1", {"v": 1}), ("2", {"v": 1.5})])
    with pytest.raises(TypeError, match="'v' is long in one record and double"):
        write_csv([table], tmp_path)


def test_fix_over_the_whole_type_when_every_empty_field_means_the_same(tmp_path: Path) -> None:
    table = Table("m", "MOVED_TO", ends=("Actor", "Location"), key="key", records=[
        ("A", "L", {"key": "1", "q": []}), ("A", "L", {"key": "2", "q": [5]}), ("A", "L", {"key": "3", "q": []})])
    assert write_csv([table], tmp_path).fixes == [Fix("m", "q", [], None)]


def test_importer_output_is_read_for_its_time_and_its_reason() -> None:
    assert reported_seconds("...\nIMPORT DONE in 1m 2s 163ms. \nImported:") == 62.163
    assert reported_seconds("nothing") is None
    verbose = ("Error in input data\nCaused by: org.neo4j.InputException: ERROR in input\n"
               "  data source: BufferedCharSeeker[source:/tmp/x/moved_to.csv, position:705381, line:1407]\n"
               "  original error: a (Actor)-[MOVED_TO]->UA (Location) referring to missing node a\n"
               "\tat org.neo4j.Foo(Foo.java:1)\n")
    assert import_error(verbose) == ("moved_to.csv line 1407: a (Actor)-[MOVED_TO]->UA (Location) "
                                     "referring to missing node a")
    other = "Import starting\n.......... 5%\nfailed\nCaused by: java.io.IOException: No space left on device\n\tat x\n"
    assert import_error(other) == "Caused by: java.io.IOException: No space left on device"
