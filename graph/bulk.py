"""Bulk mode for backfills into a new database: the writer's rows as CSV files, then `neo4j-admin database import`.

The online writer (graph/writer.py) MERGEs every node and edge in transactions
and can load into a graph that is in use. A backfill of a new database does not
need that: `neo4j-admin database import full` builds the store files directly
from CSV, much faster, but only offline and only by replacing the whole
database. So the bulk mode is for the local server movegraph manages (it stops
it, imports, starts it again) and refuses a database that holds data unless
told to overwrite it.

The CSV rows come from graph/rows.py, the same rows the online writer sends,
so both make the same graph; tests/test_bulk.py checks that with a checksum
over every node, edge, property type and schema rule. Two things the importer
cannot express are put right after it, in Cypher: an empty list and the
one-element list `['']` (both are an empty CSV field, which the importer reads
as "no property").
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import Neo4jError

from movegraph.graph.connection import open_driver
from movegraph.graph.rows import GraphRows, build_rows
from movegraph.graph.server import ADMIN_TOOL, LocalNeo4jServer
from movegraph.graph.target import Neo4jTarget
from movegraph.graph.writer import GraphWriter, WriteSummary, batched, graph_counts
from movegraph.schema import Article, MovementEvent
from movegraph.schema.errors import MovegraphError

log = logging.getLogger(__name__)

# Separators of list elements inside one CSV field, tried in this order: the first that no list element
# contains is used (text may hold ';', the importer's default, and in principle any character).
ARRAY_DELIMITERS = ("\x1f", "\x1e", "\x1d", "\x1c", "\ue000", "\ue001", "\ufdd0", "\ufdd1")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
LOCAL_SCHEMES = frozenset({"bolt", "neo4j"})
# Memory of the importer: off-heap caches (its own estimate for 100k edges is about 200 MiB).
IMPORT_OFF_HEAP = "1g"
FIX_BATCH_ROWS = 20_000
# Where the old database waits in the server's data folder while the new one is imported.
PREVIOUS_DATABASE = "movegraph-bulk-previous"

ANY_NODE = "MATCH (n) RETURN count(n) AS nodes"
IMPORT_DONE = re.compile(r"IMPORT DONE in ([0-9hms ]+)")
DURATION_PART = re.compile(r"(\d+)(ms|s|m|h)\b")
# What `--verbose` says of bad input: "data source: BufferedCharSeeker[source:/x/moved_to.csv, position:9, line:3]"
IMPORT_SOURCE = re.compile(r"source:(?P<path>[^,\]]+), position:\d+, line:(?P<line>\d+)")
IMPORT_ORIGINAL = re.compile(r"original error: (.+)")


class BulkRefusedError(MovegraphError):
    """The bulk mode will not run here: a database that holds data, or a server movegraph does not manage."""

    exit_code = 2


class BulkImportError(MovegraphError):
    """`neo4j-admin database import` failed; the message carries its own reason."""


# -- what goes into the files ------------------------------------------------------------------------------
@dataclass
class Table:
    """One CSV file: nodes of a label (`ends` None) or relationships of a type between two id spaces.

    `records` are (id, properties) for nodes and (start id, end id, properties) for relationships.
    `key` names the property that finds a record again after the import (for the fix-ups), if any.
    """

    name: str
    label: str
    id_property: str | None = None
    ends: tuple[str, str] | None = None
    key: str | None = None
    records: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def is_nodes(self) -> bool:
        """Nodes, not relationships."""
        return self.ends is None


def tables_from_rows(rows: GraphRows) -> list[Table]:
    """Every node and relationship the online writer would write for `rows`, as import tables."""
    articles = Table("articles", "Article", id_property="id",
                     records=[(r["id"], _without(r, "id")) for r in rows.articles])
    actors = Table("actors", "Actor", id_property="key", records=[(r["key"], _without(r, "key")) for r in rows.actors])
    locations = Table("locations", "Location", id_property="key",
                      records=[(r["key"], r["props"]) for r in rows.locations])
    part_of = Table("part_of", "PART_OF", ends=("Location", "Location"),
                    records=[(r["key"], r["parent"], {}) for r in rows.locations if r["parent"] is not None])
    edges = [fact.to_param() for fact in rows.facts]
    moved_to = Table("moved_to", "MOVED_TO", ends=("Actor", "Location"), key="key",
                     records=[(p["actor_key"], p["location_key"], p["props"]) for p in edges])
    reported = rows.reported_by_article()
    reports_actor = Table("reports_actor", "REPORTS", ends=("Article", "Actor"),
                          records=[(r["id"], key, {}) for r in reported for key in r["actors"]])
    reports_location = Table("reports_location", "REPORTS", ends=("Article", "Location"),
                             records=[(r["id"], key, {}) for r in reported for key in r["locations"]])
    return [articles, actors, locations, part_of, moved_to, reports_actor, reports_location]


def _without(row: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != key}


# -- CSV encoding -------------------------------------------------------------------------------------------
class DelimiterInText(Exception):
    """A list element contains the array delimiter being tried: the files are written again with the next one."""


def _scalar_type(value: object) -> str:
    """The importer's type of a Python value (bool before int: a bool is an int in Python)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, dt.datetime):
        raise TypeError("datetime properties are not written by the graph rows")
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, str):
        return "string"
    raise TypeError(f"no CSV import type for {type(value).__name__}")


def _value_type(value: object) -> str | None:
    """'long', 'string[]', ...; None for a value that says nothing of its type (null, an empty list)."""
    if value is None:
        return None
    if isinstance(value, list):
        kinds = {_scalar_type(v) for v in value}
        if len(kinds) > 1:
            raise TypeError(f"a list mixes {sorted(kinds)}: the import stores one type per list")
        return f"{kinds.pop()}[]" if kinds else None
    return _scalar_type(value)


def column_types(properties: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Each property's import type over all records, in first-seen order; one type per column."""
    types: dict[str, str | None] = {}
    for props in properties:
        for name, value in props.items():
            kind = _value_type(value)
            known = types.get(name)
            if kind is not None and known is not None and kind != known:
                raise TypeError(f"property {name!r} is {known} in one record and {kind} in another")
            if known is None:
                types[name] = kind
    # a column that is only ever null or [] : its type does not matter, every field is empty
    return {name: kind or "string[]" for name, kind in types.items()}


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _scalar_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same double
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _string_field(value: str | None) -> str:
    """A string quoted RFC 4180 style ('' stays an empty string); null is an empty field."""
    return "" if value is None else _quoted(value)


def _scalar_field(value: object) -> str:
    return "" if value is None else _scalar_text(value)


def _list_field(value: list[Any] | None, delimiter: str, quote: bool) -> str:
    """List elements joined by `delimiter`; null, [] and [''] are all an empty field (no property)."""
    if not value or value == [""]:
        return ""
    joined = delimiter.join(_scalar_text(v) for v in value) if not quote else delimiter.join(value)
    if joined.count(delimiter) != len(value) - 1:
        raise DelimiterInText(delimiter)
    return _quoted(joined) if quote else joined


def field_encoder(kind: str, delimiter: str) -> Callable[[Any], str]:
    """The function that writes a column of import type `kind` ('string', 'long', 'string[]', ...)."""
    if kind == "string":
        return _string_field
    if kind.endswith("[]"):
        quote = kind == "string[]"
        return lambda value: _list_field(value, delimiter, quote)
    return _scalar_field


EMPTY_LISTS = {"empty": [], "blank": [""]}


def _empty_kind(value: object) -> str:
    """What an empty field stood for: 'null', 'empty' ([]) or 'blank' ([''])."""
    if value is None:
        return "null"
    return "empty" if value == [] else "blank"


@dataclass(frozen=True)
class Fix:
    """A list property the importer left out (its field was empty), to set after the import.

    `keys` None: every node or relationship of the table that lacks the property gets `value` (no record
    of that column was null); else only the records with these key values do.
    """

    table: str
    column: str
    value: list[Any]
    keys: list[Any] | None


@dataclass
class ImportFiles:
    """The written CSV files and what the import and the fix-ups after it need to know of them."""

    folder: Path
    delimiter: str
    nodes: list[tuple[str, Path]] = field(default_factory=list)  # (label, file)
    relationships: list[tuple[str, Path]] = field(default_factory=list)  # (type, file)
    multiline: bool = False  # some field holds a line break
    fixes: list[Fix] = field(default_factory=list)


def write_csv(tables: Sequence[Table], folder: Path) -> ImportFiles:
    """Write one CSV file per table into `folder`, with the first array delimiter no list element contains."""
    for delimiter in ARRAY_DELIMITERS:
        try:
            return _write_all(tables, folder, delimiter)
        except DelimiterInText:
            log.info("a list element contains U+%04X; writing the files again with another array delimiter",
                     ord(delimiter))
    raise BulkImportError("every candidate array delimiter occurs in the text of some list property; "
                          "use `movegraph load` without --bulk")


def _write_all(tables: Sequence[Table], folder: Path, delimiter: str) -> ImportFiles:
    files = ImportFiles(folder, delimiter)
    folder.mkdir(parents=True, exist_ok=True)
    for table in tables:
        path = folder / f"{table.name}.csv"
        multiline, fixes = _write_table(table, path, delimiter)
        files.multiline |= multiline
        files.fixes += fixes
        (files.nodes if table.is_nodes else files.relationships).append((table.label, path))
    return files


def _header(table: Table, types: dict[str, str]) -> str:
    if table.ends is None:
        ids = [f"{table.id_property}:ID({table.label})"]
    else:
        ids = [f":START_ID({table.ends[0]})", f":END_ID({table.ends[1]})"]
    return ",".join(ids + [name if kind == "string" else f"{name}:{kind}" for name, kind in types.items()])


def _write_table(table: Table, path: Path, delimiter: str) -> tuple[bool, list[Fix]]:
    """Write the table's file; returns whether a field spans lines, and the fix-ups of its empty list fields."""
    types = column_types([record[-1] for record in table.records])
    encoders = [(name, field_encoder(kind, delimiter)) for name, kind in types.items()]
    lists = [name for name, kind in types.items() if kind.endswith("[]")]
    empties: dict[str, dict[str, list[Any]]] = {name: {} for name in lists}
    ids = 1 if table.is_nodes else 2
    multiline = False
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(_header(table, types) + "\n")
        for record in table.records:
            props = record[-1]
            line = ",".join([*(_quoted(str(part)) for part in record[:ids]),
                             *(encode(props.get(name)) for name, encode in encoders)])
            multiline = multiline or "\n" in line or "\r" in line
            out.write(line + "\n")
            for name in lists:
                value = props.get(name)
                if not value or value == [""]:
                    empties[name].setdefault(_empty_kind(value), []).append(_record_key(table, record))
    return multiline, [fix for name in lists for fix in _fixes(table, name, empties[name])]


def _fixes(table: Table, column: str, empties: dict[str, list[Any]]) -> list[Fix]:
    """Fix-ups of one list column: by label or type where its empty fields all meant one list, else by key."""
    kinds = [kind for kind in EMPTY_LISTS if kind in empties]
    if len(kinds) == 1 and "null" not in empties:
        return [Fix(table.name, column, EMPTY_LISTS[kinds[0]], None)]
    for kind in kinds:
        if any(key is None for key in empties[kind]):
            raise TypeError(f"{table.label}.{column} needs fixing by key, but {table.label} has no key property")
    return [Fix(table.name, column, EMPTY_LISTS[kind], empties[kind]) for kind in kinds]


def _record_key(table: Table, record: tuple[Any, ...]) -> Any:
    """The value that finds the record again in the graph: its node id or its key property (None: no key)."""
    if table.is_nodes:
        return record[0]
    return record[-1].get(table.key) if table.key else None


# -- the local server and the import -------------------------------------------------------------------
def check_local(target: Neo4jTarget, server: LocalNeo4jServer) -> None:
    """Refuse a target other than the local server movegraph manages: the import replaces its store files."""
    local = f"bolt://127.0.0.1:{server.config.bolt_port}"
    try:
        parts = urlsplit(target.uri)
        port = parts.port or 7687
    except ValueError:
        raise BulkRefusedError(f"load --bulk: bad Neo4j URI {target.uri!r}") from None
    if parts.scheme not in LOCAL_SCHEMES or parts.hostname not in LOOPBACK_HOSTS or port != server.config.bolt_port:
        raise BulkRefusedError(
            f"load --bulk only imports into the local server movegraph manages ({local}); {target.uri} is "
            "another server (it cannot be stopped and its files replaced from here): use `movegraph load` without "
            "--bulk")
    if target.database == "system":
        raise BulkRefusedError("load --bulk cannot import into the system database")


def refuse_unless_empty(target: Neo4jTarget, overwrite: bool) -> int:
    """The number of nodes in the target database; refuses a database with data unless `overwrite`."""
    with open_driver(target) as driver:
        try:
            nodes = int(driver.execute_query(ANY_NODE, database_=target.database).records[0]["nodes"])
        except Neo4jError as exc:
            raise BulkRefusedError(f"load --bulk: database {target.database!r} at {target.uri}: "
                                   f"{exc.message}") from None
    if nodes and not overwrite:
        raise BulkRefusedError(
            f"database {target.database!r} at {target.uri} already holds {nodes} nodes and load --bulk replaces "
            "the whole database: pass --overwrite to replace them, or use `movegraph load` without --bulk")
    if nodes:
        log.warning("replacing database %r and its %d nodes (--overwrite)", target.database, nodes)
    return nodes


def import_command(server: LocalNeo4jServer, files: ImportFiles, database: str) -> list[str]:
    """`neo4j-admin database import full` on the server's own jars and configuration."""
    cmd = [
        server._java(), f"-Xmx{server.config.heap}", "-cp", server.classpath(), ADMIN_TOOL,
        # the database first: --nodes and --relationships take every later word that is not an option
        "database", "import", "full", database, "--overwrite-destination=true", "--strict=true", "--verbose",
        f"--array-delimiter=U+{ord(files.delimiter):04X}", f"--max-off-heap-memory={IMPORT_OFF_HEAP}",
        f"--report-file={files.folder / 'import.report'}",
        *(f"--nodes={label}={path}" for label, path in files.nodes),
        *(f"--relationships={kind}={path}" for kind, path in files.relationships),
    ]
    if files.multiline:
        cmd.append("--multiline-fields=true")
    return cmd


def run_import(server: LocalNeo4jServer, files: ImportFiles, database: str) -> float | None:
    """Run the importer (the server must be stopped); returns the seconds it reports for its own work (without
    starting its JVM), raises BulkImportError with its reason."""
    env = {**os.environ, "NEO4J_HOME": str(server.home), "NEO4J_CONF": str(server.conf_dir)}
    done = subprocess.run(import_command(server, files, database), capture_output=True, text=True, env=env,
                          cwd=files.folder, check=False)
    log.debug("import output:\n%s", done.stdout[-5000:])
    if done.returncode != 0:
        raise BulkImportError(f"neo4j-admin database import failed (exit {done.returncode}): "
                              + import_error(done.stdout + "\n" + done.stderr))
    return reported_seconds(done.stdout)


def reported_seconds(output: str) -> float | None:
    """The importer's own time from its last line, `IMPORT DONE in 1m 2s 163ms.`; None if it has none."""
    found = IMPORT_DONE.search(output)
    if found is None:
        return None
    units = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
    return round(sum(int(n) * units[u] for n, u in DURATION_PART.findall(found.group(1))), 3)


def import_error(output: str) -> str:
    """The importer's reason in one line: file, line and error for bad input, else its last cause."""
    source = IMPORT_SOURCE.search(output)
    original = IMPORT_ORIGINAL.findall(output)
    if source and original:
        return f"{Path(source.group('path')).name} line {source.group('line')}: {original[-1].strip()}"
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    lines = [ln for ln in lines if not ln.startswith(("at ", "...", ".")) and "%" not in ln]
    causes = [ln for ln in lines if ln.startswith("Caused by:")]
    if causes:
        return causes[-1][:1000]
    wanted = [ln for ln in lines if any(w in ln for w in ("rror", "xception", "nvalid", "ailed"))]
    return " | ".join((wanted or lines)[-3:])[:1000] or "no output"


class Stages:
    """Seconds per stage of a bulk load, in the order they ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        """Time the block as stage `name` (added to what the stage already has)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def replace_database(server: LocalNeo4jServer, files: ImportFiles, database: str,
                     stages: Stages) -> float | None:
    """Stop the server, import the files as `database`, start it again (also when the import fails).

    The old database stays aside until the import has succeeded: a failed import (a bad file, a full disk)
    puts it back, so the server comes back with the data it had. Returns the importer's own seconds.
    """
    _refuse_an_interrupted_load(server.home / "data")  # before the server stops
    with stages("stop"):
        server.stop()
    try:
        with stages("import"), _old_database_aside(server.home / "data", database):
            return run_import(server, files, database)
    finally:
        with stages("start"):
            server.start()


def _refuse_an_interrupted_load(data: Path) -> None:
    aside = data / PREVIOUS_DATABASE
    if aside.exists():
        raise BulkImportError(f"{aside} holds the database an interrupted bulk load set aside: move its folders "
                              f"back to {data}/databases and {data}/transactions, or delete it, then run again")


@contextmanager
def _old_database_aside(data: Path, database: str) -> Iterator[None]:
    """Move the database's store and transaction folders aside for the block; back if it fails, gone if not.

    Renames within the server's data folder (no copy). A folder left aside by an interrupted bulk load is
    never deleted here: it may be the only copy of that database.
    """
    _refuse_an_interrupted_load(data)
    aside = data / PREVIOUS_DATABASE
    moved = []
    for folder in (data / "databases" / database, data / "transactions" / database):
        if folder.exists():
            target = aside / folder.parent.name / folder.name
            target.parent.mkdir(parents=True, exist_ok=True)
            folder.rename(target)
            moved.append((folder, target))
    try:
        yield
    except BaseException:
        for folder, target in moved:
            shutil.rmtree(folder, ignore_errors=True)  # what the failed import wrote
            target.rename(folder)
        shutil.rmtree(aside, ignore_errors=True)
        log.warning("the import failed; database %r is back as it was", database)
        raise
    shutil.rmtree(aside)


@dataclass(frozen=True)
class FixQueries:
    """The two fix-up statements of one table, written out in full: a label or type as a parameter
    ($(...)) would cost the label scan and the key index, and formatting them in is what Cypher
    injection is made of. The fixed column is a parameter ($column, fix.column)."""

    fill: str  # every record that lacks a fix's column gets its value ($fixes: [{column, value}])
    by_key: str  # the records with these keys get the value ($keys, $column, $value)


# Only MOVED_TO has list properties today; a table that gains one fails loudly in fix_queries (and in
# test_bulk) until its statements are written here.
FIX_QUERIES: dict[str, FixQueries] = {
    "moved_to": FixQueries(
        fill="MATCH (:Actor)-[x:MOVED_TO]->(:Location) WHERE any(fix IN $fixes WHERE x[fix.column] IS NULL) "
             "CALL (x) { UNWIND $fixes AS fix WITH x, fix WHERE x[fix.column] IS NULL "
             "SET x[fix.column] = fix.value } IN TRANSACTIONS OF $rows ROWS",
        by_key="UNWIND $keys AS key MATCH (:Actor)-[x:MOVED_TO {key: key}]->(:Location) SET x[$column] = $value"),
}


def fix_queries(table: Table) -> FixQueries:
    """The fix-up statements of a table; only tables with list properties can need them."""
    try:
        return FIX_QUERIES[table.name]
    except KeyError:
        raise TypeError(f"table {table.name!r} ({table.label}) has list properties to fix but no fix-up "
                        f"statements in FIX_QUERIES") from None


def apply_fixes(driver: Driver, database: str, tables: Sequence[Table], files: ImportFiles) -> None:
    """Set the list properties the importer could not store (empty fields that stood for [] or [''])."""
    with driver.session(database=database) as session:
        for table in tables:
            fixes = [fix for fix in files.fixes if fix.table == table.name]
            fills = [fix for fix in fixes if fix.keys is None]
            if not fixes:
                continue
            queries = fix_queries(table)
            if fills:  # CALL ... IN TRANSACTIONS runs only in an auto-commit transaction
                session.run(queries.fill, fixes=[{"column": fix.column, "value": fix.value} for fix in fills],
                            rows=FIX_BATCH_ROWS).consume()
            for fix in fixes:
                for batch in batched(fix.keys or [], FIX_BATCH_ROWS):
                    session.execute_write(_run_fix, queries.by_key, list(batch), fix.column, fix.value)


def _run_fix(tx: ManagedTransaction, query: str, keys: list[Any], column: str, value: list[Any]) -> None:
    tx.run(query, keys=keys, column=column, value=value).consume()


@dataclass(frozen=True)
class ImportResult:
    """What an import of tables left: the graph's totals, the fix-ups made, the importer's own seconds."""

    graph: dict[str, int]
    fixes: list[Fix]
    importer_seconds: float | None  # inside the import stage; the start of its JVM is not in it


@dataclass(frozen=True)
class BulkResult:
    """What a bulk load wrote, what the import left, and the seconds of each stage in the order they ran."""

    written: WriteSummary
    imported: ImportResult
    seconds: dict[str, float]

    @property
    def graph(self) -> dict[str, int]:
        """Node and edge totals of the database after the load."""
        return self.imported.graph

    @property
    def total_seconds(self) -> float:
        """Every stage together: what the user waits."""
        return round(sum(self.seconds.values()), 3)


@contextmanager
def _folder(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="movegraph-bulk-") as tmp:
        yield Path(tmp)


def bulk_load(server: LocalNeo4jServer, target: Neo4jTarget, articles: Sequence[Article],
              events: Sequence[MovementEvent], overwrite: bool = False, csv_folder: Path | None = None,
              files_hook: Callable[[ImportFiles], None] | None = None) -> BulkResult:
    """Replace `target`'s database on the local `server` with these articles and events, by bulk import.

    Stages: check (start the server if needed; refuse a remote server, and a database with data unless
    `overwrite`), rows (graph/rows.py, as the online writer builds them), then those of `import_tables`.
    """
    check_local(target, server)
    stages = Stages()
    with stages("check"):
        server.start()
        refuse_unless_empty(target, overwrite)
    with stages("rows"):
        rows = build_rows(articles, events)
        tables = tables_from_rows(rows)
    imported = import_tables(server, target, tables, stages, csv_folder, files_hook)
    written = WriteSummary(articles=len(rows.articles), events=len(events), facts=len(rows.facts),
                           actors=len(rows.actors), locations=len(rows.locations),
                           unplaced_events=rows.unplaced_events)
    return BulkResult(written, imported, {k: round(v, 3) for k, v in stages.seconds.items()})


def import_tables(server: LocalNeo4jServer, target: Neo4jTarget, tables: Sequence[Table], stages: Stages,
                  csv_folder: Path | None = None,
                  files_hook: Callable[[ImportFiles], None] | None = None) -> ImportResult:
    """Replace the database by `tables`; the caller has checked the target (`check_local`, `refuse_unless_empty`).

    Stages: csv, stop, import, start (also after a failed import), schema (the writer's constraints and
    indexes), fix (the lists the importer cannot store). The CSV files go to a temporary folder unless
    `csv_folder` is given; `files_hook` sees them before the server stops (tests damage one with it).
    """
    with _folder(csv_folder) as folder:
        with stages("csv"):
            files = write_csv(tables, folder)
        if files_hook is not None:
            files_hook(files)
        importer_seconds = replace_database(server, files, target.database, stages)
    with open_driver(target) as driver:
        with stages("schema"):
            GraphWriter(driver, target.database).ensure_schema()
        with stages("fix"):
            apply_fixes(driver, target.database, tables, files)
        counts = graph_counts(driver, target.database)
    return ImportResult(counts, files.fixes, importer_seconds)
