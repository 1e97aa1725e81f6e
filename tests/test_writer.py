"""GraphWriter against the real server: idempotent loads, PART_OF chains, provenance on every edge."""

from __future__ import annotations

from neo4j import Driver

from movegraph.graph.load import GraphCounts, load_events
from movegraph.graph.writer import GraphWriter, graph_counts
from movegraph.settings import Settings
from tests import factories as f

CHECKSUM = """
MATCH (a:Actor)-[r:MOVED_TO]->(l:Location)
WITH a.key + '>' + l.key + '#' + r.key + '@' + coalesce(toString(r.start), '') + '..' +
     coalesce(toString(r.end), '') + '/' + toString(r.mentions) AS row ORDER BY row
RETURN collect(row) AS rows
"""


def _writer(driver: Driver) -> GraphWriter:
    writer = GraphWriter(driver, batch_size=2)
    writer.ensure_schema()
    return writer


def _events():
    return [
        f.event(),
        f.event(trigger=(80, 84), locality=None, subdivision=None, country="PL", quantity=None,
                sentence="A second battalion was sent to Poland."),
        f.event(trigger=(100, 104), affiliation="XS", actor_type="civilians", country="MD", subdivision=None,
                locality=None, quantity=None, sentence="Sylvanian refugees fled to Moldova."),
        # same fact as the first one, another mention: collapses into the same edge
        f.event(trigger=(200, 207), time=(None, "2024-03-13"), quantity=500),
    ]


def test_loading_twice_leaves_the_graph_identical(empty_graph: Driver) -> None:
    writer = _writer(empty_graph)
    writer.write([f.article()], _events())
    first_counts = graph_counts(empty_graph)
    first_rows = empty_graph.execute_query(CHECKSUM).records[0]["rows"]
    writer.ensure_schema()
    writer.write([f.article()], _events())
    assert graph_counts(empty_graph) == first_counts
    assert empty_graph.execute_query(CHECKSUM).records[0]["rows"] == first_rows
    assert first_counts["articles"] == 1
    assert first_counts["moved_to"] == 3
    assert first_counts["actors"] == 2


def test_edge_carries_time_quantity_modality_and_evidence(empty_graph: Driver) -> None:
    _writer(empty_graph).write([f.article()], _events())
    records, _, _ = empty_graph.execute_query(
        "MATCH (:Actor {key: 'UA/military'})-[r:MOVED_TO]->(l:Location) RETURN r, l.key AS target")
    assert len(records) == 2
    lviv = next(rec for rec in records if rec["target"] == "UA-46/lviv")["r"]
    assert lviv["article_id"] == "test-1"
    assert lviv["factual"] is True and lviv["modality"] == "asserted"
    assert lviv["start"] is None  # one mention has an open start: the union stays open
    assert str(lviv["end"]) == "2024-03-13"
    assert lviv["quantities"] == [400, 500] and lviv["quantity"] == 500
    assert lviv["mentions"] == 2
    assert lviv["sentences"][0].startswith("Some 400 Freedonian soldiers")
    assert lviv["trigger_starts"] == [29, 200]
    assert lviv["sources"] == ["officials"]


def test_locality_is_part_of_region_and_country(empty_graph: Driver) -> None:
    _writer(empty_graph).write([f.article()], _events())
    records, _, _ = empty_graph.execute_query(
        "MATCH p = (:Location {key: 'UA-46/lviv'})-[:PART_OF*]->(top:Location) "
        "RETURN [n IN nodes(p) | n.key] AS chain ORDER BY length(p) DESC LIMIT 1")
    assert records[0]["chain"] == ["UA-46/lviv", "UA-46", "UA"]
    lviv = empty_graph.execute_query("MATCH (l:Location {key: 'UA-46/lviv'}) RETURN l").records[0]["l"]
    assert lviv["geonames_id"] == 702550 and abs(lviv["lat"] - 49.84) < 1e-6


def test_locations_are_named_in_english_and_keyed_by_code(empty_graph: Driver) -> None:
    _writer(empty_graph).write([f.article()], _events())
    names = {rec["key"]: rec["name"] for rec in empty_graph.execute_query(
        "MATCH (l:Location) RETURN l.key AS key, l.name AS name").records}
    assert names["UA"] == "Ukraine" and names["UA-46"] == "Lviv Oblast" and names["UA-46/lviv"] == "Lviv"
    assert names["PL"] == "Poland"
    assert names["MD"] == "MD"  # a place without an English name keeps its code, never an empty name


def test_reloading_an_article_replaces_its_edges(empty_graph: Driver) -> None:
    writer = _writer(empty_graph)
    writer.write([f.article()], _events())
    writer.write([f.article()], _events()[:1])
    assert graph_counts(empty_graph)["moved_to"] == 1


REPORTED = """
MATCH (art:Article)-[:REPORTS]->(n) RETURN art.id AS article, labels(n)[0] + ' ' + n.key AS node ORDER BY node, article
"""


def test_articles_report_the_actors_and_places_of_their_edges(empty_graph: Driver) -> None:
    writer = _writer(empty_graph)
    writer.write([f.article(), f.article("test-2")], [*_events(), f.event("test-2", country="PL", subdivision=None,
                                                                          locality=None)])
    reported = [(r["article"], r["node"]) for r in empty_graph.execute_query(REPORTED).records]
    assert reported == [("test-1", "Actor UA/military"), ("test-2", "Actor UA/military"),
                        ("test-1", "Actor XS/civilians"), ("test-1", "Location MD"), ("test-1", "Location PL"),
                        ("test-2", "Location PL"), ("test-1", "Location UA-46/lviv")]
    # From a place, the Browser's expand reaches the article and the sentence behind the movement.
    records, _, _ = empty_graph.execute_query(
        "MATCH (:Location {key: 'MD'})<-[:REPORTS]-(art:Article)-[:REPORTS]->(a:Actor)"
        "-[m:MOVED_TO]->(:Location {key: 'MD'}) "
        "RETURN art.id AS article, a.key AS actor, m.sentences[0] AS sentence")
    assert [(r["article"], r["actor"], r["sentence"]) for r in records] == [
        ("test-1", "XS/civilians", "Sylvanian refugees fled to Moldova.")]
    counts = graph_counts(empty_graph)
    writer.write([f.article(), f.article("test-2")], [*_events(), f.event("test-2", country="PL", subdivision=None,
                                                                          locality=None)])
    assert graph_counts(empty_graph) == counts and counts["reports"] == 7  # re-running adds nothing
    writer.write([f.article()], _events()[:1])  # test-1 now reports only its first fact: the rest of its links go
    reported = [(r["article"], r["node"]) for r in empty_graph.execute_query(REPORTED).records]
    assert reported == [("test-1", "Actor UA/military"), ("test-2", "Actor UA/military"), ("test-2", "Location PL"),
                        ("test-1", "Location UA-46/lviv")]


def test_non_factual_fact_is_a_separate_edge(empty_graph: Driver) -> None:
    events = [f.event(), f.event(trigger=(300, 305), modality="expected", time=(None, "2024-12-31"))]
    _writer(empty_graph).write([f.article()], events)
    records, _, _ = empty_graph.execute_query(
        "MATCH ()-[r:MOVED_TO]->() RETURN r.factual AS factual, r.modality AS modality ORDER BY factual")
    assert [(r["factual"], r["modality"]) for r in records] == [(False, "expected"), (True, "asserted")]


def test_event_without_destination_country_makes_no_edge(empty_graph: Driver) -> None:
    unplaced = f.event().model_copy(update={"destination": None})
    summary = _writer(empty_graph).write([f.article()], [unplaced])
    assert summary.unplaced_events == 1 and summary.facts == 0
    counts = graph_counts(empty_graph)
    assert counts["moved_to"] == 0 and counts["articles"] == 1


def test_hostile_title_is_stored_as_data(empty_graph: Driver) -> None:
    hostile = '"}) DETACH DELETE n //'
    _writer(empty_graph).write([f.article(title=hostile)], _events())
    title = empty_graph.execute_query("MATCH (a:Article {id: 'test-1'}) RETURN a.title AS t").records[0]["t"]
    assert title == hostile
    assert graph_counts(empty_graph)["moved_to"] == 3


def test_schema_constraints_exist(empty_graph: Driver) -> None:
    _writer(empty_graph)
    names = {r["name"] for r in empty_graph.execute_query("SHOW CONSTRAINTS YIELD name").records}
    assert {"article_id", "actor_key", "location_key", "moved_to_key"} <= names


def test_load_events_names_what_it_wrote_and_the_graph_totals(empty_graph: Driver, neo4j_settings: Settings) -> None:
    events = [f.event(), f.event(trigger=(80, 87), country="PL", subdivision=None, locality=None)]
    loaded = load_events(neo4j_settings.neo4j_target(), [f.article()], events)
    assert (loaded.written.articles, loaded.written.events, loaded.written.facts) == (1, 2, 2)
    assert loaded.graph == GraphCounts.model_validate(graph_counts(empty_graph))
    assert (loaded.graph.articles, loaded.graph.moved_to) == (1, 2)


def test_parallel_sessions_write_the_graph_one_session_writes(empty_graph: Driver) -> None:
    # Real training articles in batches of 20 edges: many transactions, taken by 3 sessions at once.
    from tests.test_bulk import assert_same_graph, corpus, graph_lines

    articles, events = corpus()
    one = GraphWriter(empty_graph, batch_size=20)
    one.ensure_schema()
    one.write(articles, events)
    in_order = graph_lines(empty_graph)
    empty_graph.execute_query("MATCH (n) DETACH DELETE n")
    parallel = GraphWriter(empty_graph, batch_size=20, workers=3)
    seen: list[tuple[int, int]] = []
    parallel.write(articles, events, progress=lambda done, total: seen.append((done, total)))
    assert_same_graph(in_order, graph_lines(empty_graph))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen) and seen[-1][0] == seen[-1][1] > 100
    parallel.write(articles, events)  # and reloading in parallel replaces, never duplicates
    assert_same_graph(in_order, graph_lines(empty_graph))
