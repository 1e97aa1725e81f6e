"""The `movegraph` command line: neo4j start|stop|status, extract, load, run, score, claims, export, map, settings."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from movegraph.schema.errors import InputError, MovegraphError
from movegraph.settings import Settings, default_settings_file, load_settings

if TYPE_CHECKING:
    from neo4j import Driver

    from movegraph.graph.claims import EdgeFilter
    from movegraph.schema import Article, MovementEvent

log = logging.getLogger("movegraph")


class UsageError(InputError):
    """Bad use of a command (options that contradict each other or the graph): one line, exit code 2."""


class OneLineErrorParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, like every other error of the CLI, with exit code 2."""

    def error(self, message: str) -> NoReturn:
        """Print `PROG: error: MESSAGE (see PROG --help)` and exit 2, without the usage block."""
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def installed_version() -> str:
    """The version of the installed distribution, for `movegraph --version`."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("movegraph")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _rejects_path_for(output: Path) -> Path:
    return output.with_name(output.name + ".rejects.jsonl")


# -- neo4j ---------------------------------------------------------------------
def cmd_neo4j(args: argparse.Namespace, settings: Settings) -> int:
    """Start, stop or report the local Neo4j server."""
    from movegraph.graph.server import LocalNeo4jServer

    server = LocalNeo4jServer(settings.server_config())
    if args.action == "start":
        status = server.start()
        print(f"Neo4j {settings.neo4j_version} running (pid {status.pid})\n"
              f"  Bolt:    {status.bolt_url}\n  HTTP:    {status.http_url}\n"
              f"  Browser: {status.browser_url}  (user {settings.neo4j_user}; password: "
              f"{'MOVEGRAPH_NEO4J_PASSWORD' if settings.neo4j_password else server.password_file})")
        return 0
    if args.action == "stop":
        print("Neo4j stopped" if server.stop() else "Neo4j was not running")
        return 0
    status = server.status()
    state = f"running (pid {status.pid})" if status.running else "not running"
    print(f"Neo4j {state}; "
          f"Bolt {status.bolt_url}; Browser {status.browser_url}; home {server.home}")
    return 0 if status.running else 3


# -- extract / load / score ----------------------------------------------------
def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    """Articles JSONL (a gold file works too) -> predicted events JSONL."""
    from movegraph.extractors.base import create_extractor
    from movegraph.extractors.pipeline import extract_all
    from movegraph.schema import Article, read_jsonl, write_jsonl
    from movegraph.schema.jsonl import write_rejects

    rejects = Path(args.rejects) if args.rejects else _rejects_path_for(Path(args.output))
    report = read_jsonl(Path(args.articles), Article, rejects)
    name = args.extractor or settings.extractor
    _keep_torch_out(name, settings)
    extractor = create_extractor(name, **settings.extractor_options(name))
    result = extract_all(extractor, report.records, progress=_progress("extracted"))
    if result.failed:
        write_rejects(result.rejects(args.articles), rejects)
    count = write_jsonl(result.events, args.output)
    print(f"{len(report.records)} articles -> {count} events in {args.output}"
          + (f"; {len(report.rejects) + len(result.failed)} rejected, see {rejects}"
             if report.rejects or result.failed else ""))
    return 0


def cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    """Load articles and their extracted events into Neo4j (idempotent), or bulk-import them (--bulk)."""
    from movegraph.graph.load import load_events
    from movegraph.schema import Article, MovementEvent, read_jsonl

    _check_load_options(args)
    articles = read_jsonl(Path(args.articles), Article, _rejects_path_for(Path(args.articles))).records
    events = read_jsonl(Path(args.events), MovementEvent, _rejects_path_for(Path(args.events))).records
    known = {a.id for a in articles}
    orphans = [e for e in events if e.article_id not in known]
    if orphans:
        raise UsageError(f"{args.events}: {len(orphans)} event(s) refer to articles missing from {args.articles}, "
                         f"e.g. {orphans[0].article_id!r}")
    if args.bulk:
        return _bulk_load(articles, events, settings, overwrite=args.overwrite)
    loaded = load_events(settings.neo4j_target(), articles, events, batch_size=settings.batch_size,
                         progress=_progress("written edges"), workers=settings.write_workers)
    summary, graph = loaded.written, loaded.graph
    print(f"loaded {summary.articles} articles, {summary.events} events -> {summary.facts} MOVED_TO edges "
          f"({summary.unplaced_events} events without a resolvable destination); graph now has "
          f"{graph.moved_to} MOVED_TO edges, {graph.actors} actors, {graph.locations} locations")
    return 0


def _check_load_options(args: argparse.Namespace) -> None:
    if args.overwrite and not args.bulk:
        raise UsageError("--overwrite goes with --bulk (the online load never replaces a database)")


def _bulk_load(articles: Sequence[Article], events: Sequence[MovementEvent], settings: Settings,
               overwrite: bool) -> int:
    """`load --bulk`: replace the local server's database by a bulk import of these articles and events."""
    from movegraph.graph.bulk import bulk_load
    from movegraph.graph.server import LocalNeo4jServer

    server = LocalNeo4jServer(settings.server_config())
    result = bulk_load(server, settings.neo4j_target(), articles, events, overwrite=overwrite)
    summary, graph = result.written, result.graph
    stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.seconds.items())
    print(f"bulk-imported {summary.articles} articles, {summary.events} events -> {summary.facts} MOVED_TO edges "
          f"({summary.unplaced_events} events without a resolvable destination) into database "
          f"{settings.neo4j_database!r}; graph now has {graph['moved_to']} MOVED_TO edges, {graph['actors']} actors, "
          f"{graph['locations']} locations\n{result.total_seconds:.1f} s: {stages}")
    return 0


def cmd_score(args: argparse.Namespace, settings: Settings) -> int:
    """Score predicted events against gold facts (spec section 6)."""
    from movegraph.evaluation.scoring import format_report, score
    from movegraph.schema import GoldArticle, MovementEvent, read_jsonl

    gold = read_jsonl(Path(args.gold), GoldArticle, _rejects_path_for(Path(args.gold)))
    pred = read_jsonl(Path(args.pred), MovementEvent, _rejects_path_for(Path(args.pred)))
    report = score(gold.records, pred.records)
    print(format_report(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report.to_dict(), indent=2, default=str) + "\n")
        print(f"report written to {args.json}")
    return 0


def _keep_torch_out(name: str, settings: Settings) -> None:
    """A command that reads with an extractor that needs no torch keeps it out of its process, as the flow's
    workers do: spaCy's thinc would load it (~490 MiB) without using it."""
    from movegraph.extractors.base import extractor_needs_torch, without_torch

    if "torch" not in sys.modules and not extractor_needs_torch(name, **settings.extractor_options(name)):
        without_torch()
        log.debug("the %s extractor reads without torch: torch is kept out of this process", name)


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """The main job: the ingest flow on a JSONL file, then a summary with the Browser URL."""
    from movegraph.flows.ingest import ingest
    from movegraph.graph.connection import open_driver
    from movegraph.graph.server import LocalNeo4jServer

    open_driver(settings.neo4j_target()).close()  # one clear line, before Prefect starts, when Neo4j refuses us
    rejects = Path(args.rejects) if args.rejects else _rejects_path_for(Path(args.articles))
    _keep_torch_out(args.extractor or settings.extractor, settings)
    summary = ingest(str(args.articles), extractor=args.extractor, rejects_path=str(rejects))
    print(f"loaded {summary.articles} articles, {summary.events} events, {summary.edges_written} MOVED_TO edges "
          f"({summary.rejected_lines} lines rejected, {summary.failed_articles} articles failed)\n"
          f"graph totals: {summary.graph}")
    if settings.neo4j_uri.endswith(f"127.0.0.1:{settings.neo4j_bolt_port}"):
        print(f"Neo4j Browser: {LocalNeo4jServer(settings.server_config()).status().browser_url}")
    return 0


def parse_options(pairs: list[str]) -> dict[str, object]:
    """Extractor options given as KEY=VALUE on the command line; true/false and numbers are typed."""
    options: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.isidentifier():
            raise UsageError(f"--option {pair!r}: expected KEY=VALUE, e.g. link_first=false")
        lowered = value.lower()
        if lowered in ("true", "false"):
            options[key] = lowered == "true"
        else:
            try:
                options[key] = float(value) if "." in value else int(value)
            except ValueError:
                options[key] = value
    return options


def _file_safe(value: object) -> str:
    """An option value as part of a file name: path separators and the like become '_'."""
    return re.sub(r"[^\w.-]", "_", str(value))


def cmd_evaluate(args: argparse.Namespace, settings: Settings) -> int:
    """Extract a gold set, score it, and write the full report as JSON."""
    from movegraph.evaluation.evaluate import evaluate, format_evaluation
    from movegraph.extractors.base import create_extractor

    name = args.extractor or settings.extractor
    keep = None
    if args.heldout:
        from movegraph.training.split import HELDOUT_SHARE, is_heldout

        keep = lambda article_id: is_heldout(article_id, HELDOUT_SHARE)  # noqa: E731
    options = parse_options(args.option or [])
    report = evaluate(Path(args.gold), create_extractor(name, **(settings.extractor_options(name) | options)),
                      keep=keep)
    print(format_evaluation(report))
    stem = Path(args.gold).stem + ("-heldout" if args.heldout else "") + "".join(
        f"-{key}={_file_safe(value)}" for key, value in options.items())
    output = Path(args.report or f"reports/evaluate-{stem}-{name}.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report.to_dict(), indent=2, default=str) + "\n")
    print(f"report written to {output}")
    return 0


def cmd_calibrate(args: argparse.Namespace, settings: Settings) -> int:
    """Fit an extractor's fact-level confidence map on a gold set it was not built from, and save it."""
    from movegraph.evaluation.calibration import calibrate
    from movegraph.extractors.base import create_extractor
    from movegraph.extractors.calibration import IDENTITY
    from movegraph.training.examples import corpus_hash

    name = args.extractor or settings.extractor
    gold = Path(args.gold)
    data = f"sha256 {corpus_hash(gold)}" if gold.is_dir() else str(gold)
    extractor = create_extractor(name, **settings.extractor_options(name), calibration=IDENTITY)  # the raw scores
    fitted = calibrate(gold, extractor, fitted_on=f"{gold} ({data}) with {name} {extractor.version}")
    output = Path(args.output or (settings.rules_calibration if name == "rules"
                                  else f"reports/calibration-{name}.json"))
    fitted.save(output)
    print(f"{fitted.facts} scored facts, {fitted.correct} right; p = sigmoid({fitted.slope:.3f} * logit(raw) "
          f"+ {fitted.intercept:.3f}); written to {output}"
          + ("; the rules extractor uses it from now on (delete it to go back to the shipped map)"
             if output == settings.rules_calibration else ""))
    return 0


def cmd_train(args: argparse.Namespace, settings: Settings) -> int:
    """Fine-tune the event model on the span-annotated corpus and save it with its metrics."""
    from movegraph.extractors.event_model import (
        ModelNotFoundError,
        import_torch,
        looks_like_hub_id,
        resolve_model_dir,
    )

    target = args.output or settings.event_model
    if args.if_missing:
        try:
            found = resolve_model_dir(target)
        except ModelNotFoundError:
            found = None
        if found is not None:
            print(f"model already trained at {found} (delete it or drop --if-missing to retrain)")
            return 0
    output = Path(target).expanduser()
    if looks_like_hub_id(target):
        raise UsageError(f"model setting {target!r} looks like a hub id that is not in the local hub cache; "
                         "give a folder with --output to train one here")
    import_torch("movegraph train")  # a clear error on an install without the training extra
    from movegraph.training.train import TrainingConfig, train

    config = TrainingConfig(corpus=Path(args.corpus or settings.train_corpus), output=output,
                            base_encoder=_base_encoder(args.encoder, settings), epochs=args.epochs, seed=args.seed,
                            max_articles=args.max_articles, encoder_layers=args.layers)
    model = train(config, progress=lambda line: log.info("%s", line))
    metrics = model.config.metrics
    print(f"model saved to {output}\nheld-out: trigger P {metrics['trigger_precision']:.3f} "
          f"R {metrics['trigger_recall']:.3f} F1 {metrics['trigger_f1']:.3f}; modality accuracy "
          f"{metrics['modality_accuracy']:.3f}; argument F1 {metrics['argument_f1']:.3f}")
    if settings.model_runtime != "torch":
        _export_for_onnx(output, settings.model_runtime)
    return 0


def _export_for_onnx(model_dir: Path, runtime: str) -> None:
    """Export a new model for the ONNX runtime the settings read it with, now that torch is loaded: readers
    without torch (an install without the extra, the flow's torch-free workers) need its ONNX files."""
    from movegraph.extractors.event_model import EventModel
    from movegraph.extractors.onnx_runtime import OnnxEventModel

    model = EventModel.load(model_dir, runtime=runtime)
    if isinstance(model, OnnxEventModel):
        print(f"exported for ONNX Runtime ({runtime}): {model.onnx_path}")


def _positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def _base_encoder(name: str, settings: Settings) -> str:
    """The encoder `movegraph train --encoder` names: `fast` (settings.base_encoder, else the packaged
    all-MiniLM-L6-v2) or `accurate` (Google's BERT-base cased from Maven Central, converted once)."""
    if name == "accurate":
        from movegraph.training.encoders import prepare_bert_base_cased

        return str(prepare_bert_base_cased(settings.cache_dir))
    return settings.encoder()


def cmd_settings(args: argparse.Namespace, settings: Settings) -> int:
    """Print the effective settings (password hidden) and where they come from."""
    print(f"# settings file: {default_settings_file()} "
          f"({'found' if default_settings_file().is_file() else 'absent'}); env vars: MOVEGRAPH_<NAME>")
    for name, field in Settings.model_fields.items():
        value = getattr(settings, name)
        shown = "(set)" if name == "neo4j_password" and value is not None else value
        print(f"{name} = {shown}    # {field.description}")
    return 0


def cmd_extractors(args: argparse.Namespace, settings: Settings) -> int:
    """List the registered extractors."""
    from movegraph.extractors.base import available_extractors

    print("\n".join(available_extractors()))
    return 0


# -- claims / export -------------------------------------------------------------
def _edge_filter(args: argparse.Namespace, settings: Settings, driver: Driver) -> EdgeFilter:
    """The --actor/--place/--since/--until selection; an unknown key or a reversed window is one clear error."""
    from movegraph.graph.claims import EdgeFilter, unknown_keys

    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")
    edges = EdgeFilter(actor=args.actor, place=args.place, since=args.since, until=args.until)
    missing = unknown_keys(driver, edges, settings.neo4j_database)
    if missing:
        raise UsageError("; ".join(f"--{name} {key!r}: no such {'Actor' if name == 'actor' else 'Location'} key "
                                   "in the graph" for name, key in missing.items()))
    return edges


def cmd_claims(args: argparse.Namespace, settings: Settings) -> int:
    """Print how many articles (and which outlets) assert, expect, hypothesise, negate or deny each move."""
    from movegraph.graph.claims import claims
    from movegraph.graph.connection import open_driver
    from movegraph.tables import format_claims, format_evidence

    with open_driver(settings.neo4j_target()) as driver:
        found = claims(driver, _edge_filter(args, settings, driver), settings.neo4j_database)
    if not found:
        print("no MOVED_TO edges match")
        return 0
    print(format_claims(found))
    if args.evidence:
        print("\n" + format_evidence(found))
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write the selected MOVED_TO edges, one row per edge, as CSV or Parquet."""
    from movegraph.graph.connection import open_driver
    from movegraph.graph.export import export_rows
    from movegraph.views.export import check_output, choose_format, write_edges

    output = Path(args.output)
    fmt = choose_format(output, args.format)
    check_output(output)
    with open_driver(settings.neo4j_target()) as driver:
        edges = _edge_filter(args, settings, driver)
        count = write_edges(export_rows(driver, edges, settings.neo4j_database), output, fmt)
    print(f"{count} MOVED_TO edges written to {output} ({fmt})")
    return 0


def cmd_map(args: argparse.Namespace, settings: Settings) -> int:
    """Write the movement map and timeline as one self-contained HTML page."""
    from movegraph.graph.connection import open_driver
    from movegraph.graph.map_query import map_marks
    from movegraph.views.map_page import check_output, write_page

    output = Path(args.output)
    check_output(output)
    with open_driver(settings.neo4j_target()) as driver:
        selection = map_marks(driver, actor=args.actor, region=args.region, since=args.since, until=args.until,
                              database=settings.neo4j_database)
    write_page(selection, output, world=args.world)
    found = f"{len(selection.marks)} marks" if selection.marks else "no movements match"
    print(f"{found}: map written to {output} (open it in a browser; it needs no network)")
    return 0


def _iso_date(text: str) -> dt.date:
    """An argparse type: YYYY-MM-DD, else an error that names the value."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"bad date {text!r}: expected YYYY-MM-DD") from None


def _add_edge_filter(parser: argparse.ArgumentParser) -> None:
    """The selection options `claims` and `export` share."""
    parser.add_argument("--actor", help="actor key, e.g. 'KP/military' or 'person:vladimir putin' (default: all)")
    parser.add_argument("--place", help="Location key, e.g. 'RU' or 'RU-KRS'; also matches every place PART_OF it "
                        "(default: all, each edge's own place)")
    parser.add_argument("--since", type=_iso_date, metavar="YYYY-MM-DD",
                        help="keep edges whose [start, end] reaches this day or later (undated edges are dropped)")
    parser.add_argument("--until", type=_iso_date, metavar="YYYY-MM-DD",
                        help="keep edges whose [start, end] begins on or before this day (undated edges are dropped)")


def _progress(label: str):
    def report(done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            log.info("%s %d/%d", label, done, total)

    return report


# -- parser ----------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = OneLineErrorParser(prog="movegraph", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument("--version", action="version", version=f"%(prog)s {installed_version()}",
                        help="print the installed movegraph version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", help="one of:")

    neo = sub.add_parser("neo4j", help="manage the local Neo4j 5 server")
    neo.add_argument("action", choices=["start", "stop", "status"],
                     help="start (idempotent, waits for Bolt), stop, or status (exit 3 when not running)")
    neo.set_defaults(func=cmd_neo4j)

    ext = sub.add_parser("extract", help="articles JSONL -> predicted events JSONL")
    ext.add_argument("articles", help="articles JSONL (a gold file works too; its `facts` are ignored)")
    ext.add_argument("-o", "--output", required=True, help="events JSONL to write")
    ext.add_argument("--extractor", help="registered extractor name (default: settings.extractor)")
    ext.add_argument("--rejects", help="where bad lines go (default: OUTPUT.rejects.jsonl)")
    ext.set_defaults(func=cmd_extract)

    load = sub.add_parser("load", help="load articles and their events into Neo4j")
    load.add_argument("articles", help="articles JSONL the events come from")
    load.add_argument("events", help="events JSONL (from `movegraph extract`)")
    load.add_argument("--bulk", action="store_true",
                      help="backfill a new database: write CSV files and run neo4j-admin database import into the "
                      "local server movegraph manages (stopped and started again: downtime); refuses a database "
                      "that holds data unless --overwrite")
    load.add_argument("--overwrite", action="store_true",
                      help="with --bulk: replace the database even though it holds data (all of it is lost)")
    load.set_defaults(func=cmd_load)

    run = sub.add_parser("run", help="ingest flow: read -> extract -> load")
    run.add_argument("articles", help="articles JSONL to read, extract and load")
    run.add_argument("--extractor", help="registered extractor name (default: settings.extractor)")
    run.add_argument("--rejects", help="where bad lines go (default: ARTICLES.rejects.jsonl)")
    run.set_defaults(func=cmd_run)

    sc = sub.add_parser("score", help="score predicted events against gold facts")
    sc.add_argument("--gold", required=True, help="gold facts JSONL")
    sc.add_argument("--pred", required=True, help="predicted events JSONL (from `movegraph extract`)")
    sc.add_argument("--json", help="also write the full report as JSON here")
    sc.set_defaults(func=cmd_score)

    ev = sub.add_parser("evaluate", help="extract a gold set, score it, write a JSON report")
    ev.add_argument("gold", help="gold facts JSONL (e.g. ../shared/data/dev/dev.gold.jsonl), or span-annotated "
                    "JSONL or a folder of it (e.g. corpus/train: score the rules extractor on it)")
    ev.add_argument("--extractor", help="registered extractor name (default: settings.extractor)")
    ev.add_argument("--report", help="JSON report path (default: reports/evaluate-<gold>-<extractor>.json)")
    ev.add_argument("--heldout", action="store_true", help="only the articles `movegraph train` holds out "
                    "(its 10%% split by article id): the fair set for the trained extractor on corpus/train")
    ev.add_argument("--option", action="append", metavar="KEY=VALUE",
                    help="an option of the extractor, repeatable (trained: link_first=false, use_role_linker=false, "
                    "use_argument_head=false)")
    ev.set_defaults(func=cmd_evaluate)

    ca = sub.add_parser("calibrate", help="fit an extractor's fact-level confidence map on a gold set")
    ca.add_argument("gold", help="gold set the extractor was not built from (e.g. corpus/train for rules)")
    ca.add_argument("--extractor", help="registered extractor name (default: settings.extractor)")
    ca.add_argument("--output", help="map JSON (default for rules: <data_dir>/calibration/rules-calibration.json, "
                    "which the rules extractor then prefers to its shipped map; else reports/calibration-NAME.json)")
    ca.set_defaults(func=cmd_calibrate)

    tr = sub.add_parser("train", help="fine-tune the event model (weights go to the user cache)")
    tr.add_argument("--corpus", help="folder of span-annotated *.jsonl (default: settings.train_corpus)")
    tr.add_argument("--output", help="model folder (default: settings.event_model)")
    tr.add_argument("--epochs", type=int, default=3, help="passes over the corpus (default: %(default)s)")
    tr.add_argument("--seed", type=int, default=13,
                    help="random seed of initialisation and shuffling (default: %(default)s)")
    tr.add_argument("--max-articles", type=int, help="train on the first N articles only (smoke runs)")
    tr.add_argument("--encoder", choices=("fast", "accurate"), default="fast",
                    help="base encoder: fast = all-MiniLM-L6-v2 (or settings.base_encoder), accurate = BERT-base "
                         "cased from Maven Central, about 6.5x the training time (default: %(default)s)")
    tr.add_argument("--layers", type=_positive_int, metavar="N",
                    help="keep only the base encoder's first N transformer layers: a faster reader that scores "
                         "a little lower (README, 'Fewer encoder layers'; default: all)")
    tr.add_argument("--if-missing", action="store_true", help="do nothing when the model already exists")
    tr.set_defaults(func=cmd_train)

    cl = sub.add_parser("claims", help="per actor and place: articles and sources that assert, expect, "
                        "hypothesise, negate or deny the move")
    _add_edge_filter(cl)
    cl.add_argument("--evidence", action="store_true",
                    help="also print each article's id, url, outlet, claimants and evidence sentences")
    cl.set_defaults(func=cmd_claims)

    ex = sub.add_parser("export", help="write the MOVED_TO edges as CSV or Parquet, one row per edge")
    ex.add_argument("output", help="file to write (.csv, .parquet or .pq; its folder must exist); the column "
                    "`evidence` holds all the edge's sentences in text order, joined by newlines")
    ex.add_argument("--format", choices=["csv", "parquet"], help="csv or parquet (default: from the output suffix)")
    _add_edge_filter(ex)
    ex.set_defaults(func=cmd_export)

    mp = sub.add_parser("map", help="write a self-contained HTML page: destinations on a world map, origin lines, "
                        "a timeline per actor, evidence sentences and article links")
    mp.add_argument("--actor", help="actor key, e.g. 'KP/military' or 'person:vladimir putin' (default: all)")
    mp.add_argument("--region", "--place", dest="region", metavar="LOCATION_KEY",
                    help="Location key, e.g. 'RU' or 'RU-KRS'; matches the place and every place PART_OF it "
                    "(default: everywhere)")
    mp.add_argument("--since", type=_iso_date, metavar="YYYY-MM-DD",
                    help="keep edges whose [start, end] reaches this day or later (undated edges are dropped)")
    mp.add_argument("--until", type=_iso_date, metavar="YYYY-MM-DD",
                    help="keep edges whose [start, end] begins on or before this day (undated edges are dropped)")
    mp.add_argument("-o", "--output", default="movegraph-map.html",
                    help="HTML file to write; its folder must exist (default: %(default)s)")
    mp.add_argument("--world", action="store_true",
                    help="show the whole world instead of fitting the map around the marks")
    mp.set_defaults(func=cmd_map)

    from movegraph.cli_ingest import add_subcommands as add_ingest

    add_ingest(sub)
    sub.add_parser("settings", help="show the effective settings").set_defaults(func=cmd_settings)
    sub.add_parser("extractors", help="list extractors").set_defaults(func=cmd_extractors)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; known failures print one line and exit non-zero.

    Known failures are MovegraphError (each class says its exit code), bad settings, and a file the OS
    cannot find (a path the user named). Anything else is a bug and keeps its traceback.
    """
    from pydantic import ValidationError

    # Prefect's temporary server must not try to phone home: this machine may have no route out.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    try:
        settings = load_settings()
    except ValidationError as exc:
        print(f"movegraph: error: bad settings: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}", file=sys.stderr)
        return 1
    try:
        return args.func(args, settings)
    except MovegraphError as exc:
        print(f"movegraph: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except FileNotFoundError as exc:  # open() of an input or output path the user named
        print(f"movegraph: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
