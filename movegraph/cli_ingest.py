"""`movegraph ingest SOURCES.yaml`: one run of the ingest-feeds flow from the command line."""

from __future__ import annotations

import argparse
from typing import Any


def cmd_ingest(args: argparse.Namespace, settings: Any) -> int:
    """Poll every source of a sources file once and print the run's counts."""
    from movegraph.flows.feeds import ingest_feeds
    from movegraph.graph.connection import open_driver

    open_driver(settings.neo4j_target()).close()  # one clear line, before Prefect starts, when Neo4j refuses us
    summary = ingest_feeds(args.sources, rejects_path=args.rejects, state_dir=args.state_dir,
                           extractor=args.extractor)
    print(f"{summary.sources} sources: {summary.fetched} fetched, {summary.new} new, {summary.changed} changed, "
          f"{summary.skipped} skipped, {summary.rejected} rejected (see {summary.rejects_path}); "
          f"{summary.events} events -> {summary.edges_written} MOVED_TO edges\ngraph totals: {summary.graph}")
    return 0


def add_subcommands(subparsers: Any) -> None:
    """Register `ingest` on the `movegraph` parser's subparsers."""
    ing = subparsers.add_parser("ingest", help="poll the sources of a YAML sources file once (feeds, pages, files)")
    ing.add_argument("sources", help="YAML sources file (see sources/sources.example.yaml)")
    ing.add_argument("--rejects", help="rejects JSONL (default: the file's `rejects`, else <state_dir>/rejects.jsonl)")
    ing.add_argument("--state-dir", help="cursors folder (default: the file's `state_dir`, else <data_dir>/sources)")
    ing.add_argument("--extractor", help="registered extractor name (default: settings.extractor)")
    ing.set_defaults(func=cmd_ingest)
