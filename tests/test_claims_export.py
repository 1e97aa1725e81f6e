"""`movegraph claims` and `movegraph export` on a small graph with known numbers, against the real server."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from neo4j import Driver

from movegraph.graph.claims import EdgeFilter, claims
from movegraph.graph.export import COLUMNS
from movegraph.graph.writer import GraphWriter
from movegraph.schema import Article, MovementEvent
from movegraph.settings import Settings
from tests import factories as f
from tests.conftest import REPO
from tests.helpers import run_movegraph as movegraph

UA = "UA/military"
RU = "RU/military"
D = dt.date.fromisoformat
SECOND = "A second battalion was sent to Poland."


def _article(article_id: str, source: str) -> Article:
    return f.article(article_id).model_copy(update={"source": source})


def _event(article_id: str, modality: str, day: str, last: str | None = None, **place: object) -> MovementEvent:
    kwargs: dict[str, object] = {"country": "UA", "subdivision": "UA-46", "locality": "Lviv"} | place
    return f.event(article_id, modality=modality, time=(day, last or day), **kwargs)  # type: ignore[arg-type]


def known_graph() -> tuple[list[Article], list[MovementEvent]]:
    """UA/military: 3 articles assert (a2 twice), 1 denies, 1 expects; a move to Poland; one RU/military move."""
    articles = [_article("a1", "Alpha Wire"), _article("a2", "Beta Post"), _article("a3", "Alpha Wire"),
                _article("a4", "Gamma Daily"), _article("a5", "Delta Times"), _article("a6", "Beta Post"),
                _article("a7", "Epsilon News")]
    events = [
        _event("a1", "asserted", "2024-03-01"),
        _event("a2", "asserted", "2024-03-05", locality=None),
        f.event("a2", trigger=(80, 87), locality=None, time=("2024-03-06", "2024-03-06"), sentence=SECOND,
                quantity=None, source="the ministry"),
        _event("a3", "asserted", "2024-03-11"),
        _event("a4", "denied", "2024-03-04"),
        _event("a5", "expected", "2024-03-20", "2024-03-25", subdivision=None, locality=None),
        _event("a6", "asserted", "2024-03-02", country="PL", subdivision=None, locality=None),
        f.event("a7", affiliation="RU", time=("2024-04-01", "2024-04-01"), locality=None, quantity=None,
                source=None),
    ]
    return articles, events


@pytest.fixture()
def graph(empty_graph: Driver, neo4j_settings: Settings) -> Driver:
    """The known graph written by the real writer."""
    GraphWriter(empty_graph, database=neo4j_settings.neo4j_database).write(*known_graph())
    return empty_graph



# -- claims ------------------------------------------------------------------------
def test_claims_counts_sources_and_dates_into_a_country(graph: Driver, neo4j_settings: Settings) -> None:
    found = claims(graph, EdgeFilter(actor=UA, place="UA"), neo4j_settings.neo4j_database)
    assert len(found) == 1
    claim = found[0]
    assert (claim.actor_key, claim.actor_name, claim.place_key, claim.place_name) == (UA, "UA military", "UA",
                                                                                      "Ukraine")
    assert {m: claim.articles(m) for m in ("asserted", "expected", "hypothetical", "negated", "denied")} == {
        "asserted": 3, "expected": 1, "hypothetical": 0, "negated": 0, "denied": 1}
    assert list(claim.by_modality) == ["asserted", "expected", "denied"]
    asserted, expected, denied = claim.by_modality.values()
    assert asserted.sources == ("Alpha Wire", "Beta Post")
    assert (asserted.first, asserted.last) == (D("2024-03-01"), D("2024-03-11"))
    assert asserted.article_ids == ("a1", "a2", "a3")
    assert (expected.sources, expected.first, expected.last) == (("Delta Times",), D("2024-03-20"), D("2024-03-25"))
    assert (denied.sources, denied.first, denied.last) == (("Gamma Daily",), D("2024-03-04"), D("2024-03-04"))
    assert (claim.total_articles, claim.first, claim.last) == (5, D("2024-03-01"), D("2024-03-25"))
    a2 = next(e for e in asserted.evidence if e.article_id == "a2")
    assert a2.place_key == "UA-46" and a2.url == "https://example.org/a2" and a2.source == "Beta Post"
    assert a2.sentences == (f.event().sentence, SECOND) and a2.claimants == ("officials", "the ministry")
    assert {e.place_key for e in asserted.evidence} == {"UA-46/lviv", "UA-46"}


def test_claims_region_and_window_filter(graph: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    region = claims(graph, EdgeFilter(actor=UA, place="UA-46"), db)[0]
    assert (region.articles("asserted"), region.articles("expected"), region.articles("denied")) == (3, 0, 1)
    window = claims(graph, EdgeFilter(actor=UA, place="UA", since=D("2024-03-05"), until=D("2024-03-10")), db)[0]
    assert list(window.by_modality) == ["asserted"]
    assert window.by_modality["asserted"].article_ids == ("a2",)
    assert (window.first, window.last) == (D("2024-03-05"), D("2024-03-06"))
    everyone = claims(graph, EdgeFilter(place="UA-46"), db)
    assert [(c.actor_key, c.total_articles) for c in everyone] == [(RU, 1), (UA, 4)]
    own_places = claims(graph, EdgeFilter(actor=UA), db)
    assert [(c.place_key, c.total_articles) for c in own_places] == [
        ("PL", 1), ("UA", 1), ("UA-46", 1), ("UA-46/lviv", 3)]


def test_browser_claims_query_gives_the_same_numbers(graph: Driver, neo4j_settings: Settings) -> None:
    text = (REPO / "browser" / "queries.cypher").read_text(encoding="utf-8")
    block = next(b for b in text.split(";") if "Claims against denials" in b)
    cypher = "\n".join(line for line in block.splitlines() if not line.lstrip().startswith("//"))
    params = {"actor": UA, "region": "UA", "from": None, "to": None}
    records, _, _ = graph.execute_query(cypher, parameters_=params, database_=neo4j_settings.neo4j_database)
    assert [(r["modality"], r["articles"], r["sources"]) for r in records] == [
        ("asserted", 3, ["Alpha Wire", "Beta Post"]), ("expected", 1, ["Delta Times"]),
        ("denied", 1, ["Gamma Daily"])]
    assert [(r["first"].to_native(), r["last"].to_native()) for r in records] == [
        (D("2024-03-01"), D("2024-03-11")), (D("2024-03-20"), D("2024-03-25")), (D("2024-03-04"), D("2024-03-04"))]


def _columns(header: str, line: str) -> list[str]:
    """The cells of an aligned table line, cut at the header's column starts."""
    starts = [i for i, ch in enumerate(header) if ch != " " and (i == 0 or header[i - 1] == " ")]
    return [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]


def test_claims_cli_prints_the_table_and_evidence(graph: Driver, cli_env: dict[str, str]) -> None:
    done = movegraph("claims", "--actor", UA, "--place", "UA", "--evidence", env=cli_env)
    assert done.returncode == 0, done.stderr[-3000:]
    table, evidence = done.stdout.split("\n\n", 1)
    header, rule, *rows = table.splitlines()
    assert header.split() == ["actor", "place", "modality", "articles", "first", "last", "sources"]
    assert set(rule.replace(" ", "")) == {"-"}
    assert [_columns(header, row) for row in rows] == [
        ["UA/military (UA military)", "UA (Ukraine)", "asserted", "3", "2024-03-01", "2024-03-11",
         "Alpha Wire, Beta Post"],
        ["", "", "expected", "1", "2024-03-20", "2024-03-25", "Delta Times"],
        ["", "", "hypothetical", "0", "-", "-", "-"],
        ["", "", "negated", "0", "-", "-", "-"],
        ["", "", "denied", "1", "2024-03-04", "2024-03-04", "Gamma Daily"],
    ]
    assert "UA/military -> UA, denied:" in evidence and "https://example.org/a4" in evidence
    assert f'"{SECOND}"' in evidence and "claimed by officials, the ministry" in evidence


def test_claims_cli_bad_input_is_one_line(graph: Driver, cli_env: dict[str, str]) -> None:
    unknown = movegraph("claims", "--actor", UA, "--place", "XX-NOPE", env=cli_env)
    assert unknown.returncode == 2
    assert unknown.stderr.strip().splitlines() == [
        "movegraph: error: --place 'XX-NOPE': no such Location key in the graph"]
    bad_date = movegraph("claims", "--since", "2024-02-30", env=cli_env)
    assert bad_date.returncode == 2 and len(bad_date.stderr.strip().splitlines()) == 1
    assert "--since" in bad_date.stderr and "'2024-02-30'" in bad_date.stderr
    reversed_window = movegraph("claims", "--since", "2024-03-10", "--until", "2024-03-01", env=cli_env)
    assert reversed_window.returncode == 2
    assert "--since 2024-03-10 is after --until 2024-03-01" in reversed_window.stderr
    nothing = movegraph("claims", "--actor", RU, "--place", "PL", env=cli_env)
    assert nothing.returncode == 0 and nothing.stdout.strip() == "no MOVED_TO edges match"


# -- export ------------------------------------------------------------------------
GRAPH_EDGES = """
MATCH (a:Actor)-[m:MOVED_TO]->(l:Location)
OPTIONAL MATCH (art:Article {id: m.article_id})
RETURN m.key AS edge_key, a.key AS actor_key, a.name AS actor_name, l.key AS place_key, l.name AS place_name,
       l.country AS country, l.subdivision AS subdivision, m.start AS start, m.end AS end, m.modality AS modality,
       m.factual AS factual, m.quantity AS quantity, art.source AS source, m.sources AS claimants,
       m.article_id AS article_id, art.url AS article_url, m.sentences AS sentences, m.confidence AS confidence
"""


def graph_edges(driver: Driver, database: str) -> dict[str, dict[str, object]]:
    """What the graph holds for every edge, in the export's terms, keyed by edge key."""
    expected: dict[str, dict[str, object]] = {}
    for record in driver.execute_query(GRAPH_EDGES, database_=database).records:
        row = dict(record)
        row["start"] = row["start"].to_native() if row["start"] else None
        row["end"] = row["end"].to_native() if row["end"] else None
        row["claimed_by"] = "; ".join(row.pop("claimants"))
        row["evidence"] = "\n".join(row.pop("sentences"))
        expected[str(row["edge_key"])] = row
    return expected


TEXT_COLUMNS = {"claimed_by", "evidence"}  # joined lists: empty is "", never None


def _typed_csv(row: dict[str, str]) -> dict[str, object]:
    """A CSV row back in Python types: empty is None, dates, true/false, numbers."""
    typed: dict[str, object] = {k: (v if v != "" or k in TEXT_COLUMNS else None) for k, v in row.items()}
    for name in ("start", "end"):
        typed[name] = D(row[name]) if row[name] else None
    typed["factual"] = {"true": True, "false": False}[row["factual"]]
    typed["quantity"] = int(row["quantity"]) if row["quantity"] else None
    typed["confidence"] = float(row["confidence"])
    return typed


def test_export_round_trip_csv_and_parquet(graph: Driver, cli_env: dict[str, str], neo4j_settings: Settings,
                                           tmp_path: Path) -> None:
    expected = graph_edges(graph, neo4j_settings.neo4j_database)
    assert len(expected) == 7 and all(set(row) == set(COLUMNS) for row in expected.values())
    for name, fmt in (("edges.csv", []), ("edges.parquet", []), ("edges.data", ["--format", "csv"])):
        done = movegraph("export", str(tmp_path / name), *fmt, env=cli_env)
        assert done.returncode == 0, done.stderr[-3000:]
        assert "7 MOVED_TO edges written" in done.stdout
    with (tmp_path / "edges.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        from_csv = [_typed_csv(row) for row in reader]
    table = pq.read_table(tmp_path / "edges.parquet")
    assert tuple(table.column_names) == COLUMNS
    assert str(table.schema.field("start").type) == "date32[day]"
    assert str(table.schema.field("quantity").type) == "int64"
    from_parquet = table.to_pylist()
    assert (tmp_path / "edges.data").read_text(encoding="utf-8") == (tmp_path / "edges.csv").read_text(encoding="utf-8")
    for rows in (from_csv, from_parquet):
        assert {str(r["edge_key"]): r for r in rows} == expected
    a2 = next(r for r in from_parquet if r["article_id"] == "a2")
    assert a2["evidence"] == f.event().sentence + "\n" + SECOND and a2["claimed_by"] == "officials; the ministry"


def test_export_filters_like_claims(graph: Driver, cli_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "ua.csv"
    done = movegraph("export", str(out), "--actor", UA, "--place", "UA-46", "--since", "2024-03-03", env=cli_env)
    assert done.returncode == 0, done.stderr[-3000:]
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["article_id"], r["place_key"], r["modality"]) for r in rows] == [
        ("a4", "UA-46/lviv", "denied"), ("a2", "UA-46", "asserted"), ("a3", "UA-46/lviv", "asserted")]
    assert rows[1]["start"] == "2024-03-05" and rows[1]["end"] == "2024-03-06" and rows[1]["quantity"] == "400"


def test_export_bad_input_is_one_line(graph: Driver, cli_env: dict[str, str], tmp_path: Path) -> None:
    cases = {
        (str(tmp_path / "edges.xlsx"),): "edges.xlsx",
        (str(tmp_path / "e.csv"), "--format", "xlsx"): "'xlsx'",
        (str(tmp_path / "no" / "such" / "e.csv"),): f"folder {tmp_path / 'no' / 'such'} does not exist",
        (str(tmp_path / "e.csv"), "--until", "yesterday"): "'yesterday'",
        (str(tmp_path / "e.csv"), "--actor", "nobody/none"): "--actor 'nobody/none'",
    }
    for args, named in cases.items():
        done = movegraph("export", *args, env=cli_env)
        assert done.returncode == 2, args
        assert len(done.stderr.strip().splitlines()) == 1 and named in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == []
