"""bench/load: MOVED_TO edges per second into a real Neo4j 5, movegraph's GraphWriter next to neo4j-graphrag's
Neo4jWriter, and movegraph's bulk mode (`movegraph load --bulk`).

The online writers load the same nodes (Article, Actor, Location) and relationships
(PART_OF, MOVED_TO with full provenance) into the same fresh server, one after
the other, for each size; the database is emptied between runs. Before any
timing each writer makes one untimed warm-up load (the server compiles its
queries then), and each size is timed in rounds whose order alternates, so
neither writer profits from the other's warm-up; the fastest round counts.

The bulk mode runs after every online run, on the same server: it restarts the
server (stop, import, start), which would throw away the warm-up the online
writers got. Its time is everything the user waits: rows, CSV writing, stop,
import, start, the writer's schema and the fix-up of the lists the importer
cannot store, each stage reported.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import time
from pathlib import Path
from typing import Any

from neo4j import Driver

from bench.common import PluginServer, bench_server, peak_rss_mib, write_results
from bench.corpus import edge_corpus
from movegraph.graph.bulk import bulk_load
from movegraph.graph.connection import open_driver, server_version
from movegraph.graph.rows import GraphRows, build_rows
from movegraph.graph.writer import GraphWriter, graph_counts
from movegraph.schema import Article, MovementEvent
from movegraph.settings import Settings

log = logging.getLogger("bench.load")

EMPTY = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"
DROP_MOVEGRAPH_SCHEMA = (
    "DROP CONSTRAINT article_id IF EXISTS", "DROP CONSTRAINT actor_key IF EXISTS",
    "DROP CONSTRAINT location_key IF EXISTS", "DROP CONSTRAINT moved_to_key IF EXISTS",
    "DROP INDEX moved_to_article IF EXISTS", "DROP INDEX moved_to_end IF EXISTS",
    "DROP INDEX location_country IF EXISTS", "DROP INDEX actor_affiliation IF EXISTS",
)
PEER_EDGES = "MATCH (:Actor)-[r:MOVED_TO]->(:Location) RETURN count(r) AS n"


def empty(driver: Driver) -> None:
    """Remove every node and relationship (in chunks, so a 100k graph fits the heap)."""
    with driver.session() as session:
        session.run(EMPTY).consume()


def run_movegraph(driver: Driver, articles: list[Article], events: list[MovementEvent],
                  batch_size: int, workers: int) -> dict[str, Any]:
    """Time GraphWriter.write (rows built from events included) into an empty graph with movegraph's schema."""
    empty(driver)
    writer = GraphWriter(driver, batch_size=batch_size, workers=workers)
    writer.ensure_schema()
    start = time.perf_counter()
    summary = writer.write(articles, events)
    seconds = time.perf_counter() - start
    counts = graph_counts(driver)
    return {"seconds": round(seconds, 3), "edges_per_s": round(summary.facts / seconds),
            "batch_size": batch_size, "workers": workers, "graph": counts}


def _set(props: dict[str, Any]) -> dict[str, Any]:
    """Properties without nulls (Neo4jGraph accepts none; Neo4j stores none either)."""
    return {k: v for k, v in props.items() if v is not None}


def peer_graph(rows: GraphRows) -> Any:
    """The same nodes and relationships as neo4j-graphrag's Neo4jGraph."""
    from neo4j_graphrag.experimental.components.types import Neo4jGraph, Neo4jNode, Neo4jRelationship

    nodes = [Neo4jNode(id=f"Article:{r['id']}", label="Article", properties=_set(r)) for r in rows.articles]
    nodes += [Neo4jNode(id=f"Actor:{r['key']}", label="Actor", properties=_set(r)) for r in rows.actors]
    nodes += [Neo4jNode(id=f"Location:{r['key']}", label="Location", properties=_set({"key": r["key"], **r["props"]}))
              for r in rows.locations]
    rels = [Neo4jRelationship(start_node_id=f"Location:{r['key']}", end_node_id=f"Location:{r['parent']}",
                              type="PART_OF") for r in rows.locations if r["parent"]]
    for fact in rows.facts:
        param = fact.to_param()
        rels.append(Neo4jRelationship(start_node_id=f"Actor:{param['actor_key']}",
                                      end_node_id=f"Location:{param['location_key']}", type="MOVED_TO",
                                      properties=_set(param["props"])))
    return Neo4jGraph(nodes=nodes, relationships=rels)


def run_peer(driver: Driver, rows: GraphRows, batch_size: int) -> dict[str, Any]:
    """Time neo4j-graphrag's Neo4jWriter.run on the same graph, in an empty database without movegraph's schema."""
    from neo4j_graphrag.components.kg_writer import Neo4jWriter

    empty(driver)
    for statement in DROP_MOVEGRAPH_SCHEMA:
        driver.execute_query(statement)
    graph = peer_graph(rows)
    writer = Neo4jWriter(driver, neo4j_database="neo4j", batch_size=batch_size)
    start = time.perf_counter()
    result = asyncio.run(writer.run(graph))
    seconds = time.perf_counter() - start
    if result.status != "SUCCESS":
        raise RuntimeError(f"Neo4jWriter failed: {result.metadata}")
    stored = driver.execute_query(PEER_EDGES).records[0]["n"]
    return {"seconds": round(seconds, 3), "edges_per_s": round(len(rows.facts) / seconds),
            "batch_size": batch_size, "moved_to_in_graph": stored, "graph": graph_counts(driver)}


def run_bulk(server: PluginServer, settings: Settings, articles: list[Article],
             events: list[MovementEvent]) -> dict[str, Any]:
    """Time `load --bulk` over the database the online runs left (so with --overwrite): every stage, split."""
    result = bulk_load(server, settings.neo4j_target(), articles, events, overwrite=True)
    seconds = result.total_seconds
    return {"seconds": seconds, "edges_per_s": round(result.written.facts / seconds),
            "stages_seconds": result.seconds, "importer_reported_seconds": result.imported.importer_seconds,
            "fixed_list_properties": [f"{fix.table}.{fix.column}" for fix in result.imported.fixes],
            "graph": result.graph}


def bench_bulk(server: PluginServer, settings: Settings, edges: int, rounds: int) -> dict[str, Any]:
    """`rounds` bulk loads of the corpus of `edges` edges; the fastest counts, every round's split is kept."""
    load_at_start = round(os.getloadavg()[0], 2)
    articles, events = edge_corpus(edges)
    runs = []
    for _ in range(rounds):
        runs.append(run_bulk(server, settings, articles, events))
        log.info("bulk: %.1f s, %d edges/s (%s)", runs[-1]["seconds"], runs[-1]["edges_per_s"],
                 ", ".join(f"{k} {v:.1f}" for k, v in runs[-1]["stages_seconds"].items()))
    fastest = best(runs)
    return {**fastest, "load_average_1min_at_start": load_at_start,
            "runs_stages_seconds": [r["stages_seconds"] for r in runs]}


def _bulk_text(bulk: dict[str, Any] | None) -> str:
    if bulk is None:
        return ""
    stages = ", ".join(f"{name} {seconds:.1f}" for name, seconds in bulk["stages_seconds"].items())
    return f"; bulk {bulk['edges_per_s']:>7} edges/s, {bulk['seconds']} s ({stages})"


def best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest of a writer's timed rounds, with every round's seconds."""
    fastest = min(runs, key=lambda r: r["seconds"])
    return {**fastest, "runs_seconds": [r["seconds"] for r in runs]}


def warm_up(driver: Driver, edges: int, batch_size: int, peer_batch_size: int, workers: int) -> dict[str, Any]:
    """One untimed load by each writer: the server compiles (and JITs) each writer's queries before timing."""
    articles, events = edge_corpus(edges)
    rows = build_rows(articles, events)
    ours = run_movegraph(driver, articles, events, batch_size, workers)
    peer = run_peer(driver, rows, peer_batch_size)
    log.info("warm-up, %d edges: movegraph %.1f s, neo4j-graphrag %.1f s", edges, ours["seconds"], peer["seconds"])
    return {"edges": edges, "movegraph_seconds": ours["seconds"], "neo4j_graphrag_seconds": peer["seconds"]}


def bench_size(driver: Driver, edges: int, batch_size: int, peer_batch_size: int, rounds: int,
               workers: int) -> dict[str, Any]:
    """Both writers on a corpus of exactly `edges` MOVED_TO edges, `rounds` times each, the order alternating."""
    load_at_start = round(os.getloadavg()[0], 2)
    articles, events = edge_corpus(edges)
    rows = build_rows(articles, events)
    log.info("%d edges: %d articles, %d events, %d actors, %d locations", edges, len(articles), len(events),
             len(rows.actors), len(rows.locations))
    ours_runs: list[dict[str, Any]] = []
    peer_runs: list[dict[str, Any]] = []
    for number in range(rounds):
        order = ("movegraph", "peer") if number % 2 == 0 else ("peer", "movegraph")
        for writer in order:
            if writer == "movegraph":
                ours_runs.append(run_movegraph(driver, articles, events, batch_size, workers))
                log.info("movegraph: %.1f s, %d edges/s", ours_runs[-1]["seconds"], ours_runs[-1]["edges_per_s"])
            else:
                peer_runs.append(run_peer(driver, rows, peer_batch_size))
                log.info("neo4j-graphrag: %.1f s, %d edges/s", peer_runs[-1]["seconds"], peer_runs[-1]["edges_per_s"])
    ours, peer = best(ours_runs), best(peer_runs)
    return {"edges": edges, "load_average_1min_at_start": load_at_start, "articles": len(articles),
            "events": len(events), "actors": len(rows.actors),
            "locations": len(rows.locations), "movegraph": ours, "neo4j_graphrag": peer,
            "ratio_movegraph_over_peer": round(ours["edges_per_s"] / peer["edges_per_s"], 2)}


def main() -> None:
    """Run every size against one fresh server with APOC (the peer needs it) and write bench/results/load.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--batch-size", type=int, default=500, help="movegraph's default MOVEGRAPH_BATCH_SIZE")
    parser.add_argument("--peer-batch-size", type=int, default=1000, help="Neo4jWriter's default")
    parser.add_argument("--workers", type=int, default=Settings().write_workers,
                        help="sessions writing edges at once (movegraph's MOVEGRAPH_WRITE_WORKERS)")
    parser.add_argument("--warmup-edges", type=int, default=10_000,
                        help="edges of the untimed warm-up load each writer makes first (0: none)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="timed runs of each writer per size, the order alternating; the fastest counts")
    parser.add_argument("--out", type=Path, default=None, help="results file (default bench/results/load.json)")
    parser.add_argument("--no-bulk", dest="bulk", action="store_false",
                        help="leave out the bulk mode (movegraph load --bulk)")
    parser.add_argument("--heap", default="2g")
    parser.add_argument("--pagecache", default="1g")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    with bench_server(args.heap, args.pagecache, apoc=True) as settings, open_driver(settings.neo4j_target()) as driver:
        version = server_version(driver)
        warmup = (warm_up(driver, args.warmup_edges, args.batch_size, args.peer_batch_size, args.workers)
                  if args.warmup_edges else None)
        results = [bench_size(driver, n, args.batch_size, args.peer_batch_size, args.rounds, args.workers)
                   for n in args.sizes]
        if args.bulk:  # after every online run: each bulk load restarts the server (see the module's docstring)
            server = PluginServer(settings.server_config())
            for result in results:
                bulk = bench_bulk(server, settings, result["edges"], args.rounds)
                result["movegraph_bulk"] = bulk
                result["ratio_bulk_over_movegraph"] = round(
                    bulk["edges_per_s"] / result["movegraph"]["edges_per_s"], 2)
    path = write_results("load", {
        "command": "bench/load", "neo4j_server": version, "heap": args.heap, "pagecache": args.pagecache,
        "corpus": "copies of ../shared/data/train annotated articles, ids and dates varied (bench/corpus.py)",
        "timed": "movegraph: GraphWriter.write from events (rows built inside); neo4j-graphrag: "
                 "Neo4jWriter.run on a prebuilt Neo4jGraph; movegraph_bulk: graph.bulk.bulk_load from events "
                 "(what `movegraph load --bulk --overwrite` does), every stage: check, rows, csv, stop, import, "
                 "start, schema, fix (stages_seconds; importer_reported_seconds is the importer's own figure "
                 "inside the import stage, without its JVM start)",
        "method": "one server for everything; first an untimed warm-up load by each writer (warmup), so that "
                  "neither is timed while the server compiles its queries; then for each size "
                  f"{args.rounds} timed round(s) per writer, movegraph first in odd rounds and the peer first in "
                  "even ones, the database emptied before every run; edges_per_s is each writer's fastest "
                  "round, runs_seconds lists every round; the bulk mode after all online runs (it restarts the "
                  "server), the same number of rounds per size, over the database the runs before it left",
        "load_average_1_5_15_at_start": load_at_start, "warmup": warmup, "rounds": args.rounds,
        "results": results,
        "peak_rss_mib": peak_rss_mib()}, out=args.out)
    for r in results:
        print(f"{r['edges']:>7} edges: movegraph {r['movegraph']['edges_per_s']:>7} edges/s, neo4j-graphrag "
              f"{r['neo4j_graphrag']['edges_per_s']:>7} edges/s, ratio {r['ratio_movegraph_over_peer']}"
              + _bulk_text(r.get("movegraph_bulk")))
    print(f"results: {path}")


if __name__ == "__main__":
    main()
