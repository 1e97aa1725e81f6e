"""The `rescore` flow: run the configured extractor over a gold file and score it (spec section 6)."""

from __future__ import annotations

import json
from pathlib import Path

from prefect import flow, get_run_logger, task

from movegraph.evaluation.scoring import format_report, score
from movegraph.flows.extraction import run_extraction
from movegraph.flows.tasks import publish
from movegraph.schema import Article, GoldArticle, read_jsonl
from movegraph.settings import load_settings


@task(name="read-gold")
def read_gold(path: str) -> list[GoldArticle]:
    """Gold articles with their facts; bad lines go to GOLD.rejects.jsonl."""
    return read_jsonl(Path(path), GoldArticle, Path(path).with_name(Path(path).name + ".rejects.jsonl")).records


@flow(name="rescore", log_prints=False)
def rescore(gold_path: str, extractor: str | None = None, report_path: str | None = None) -> dict[str, float]:
    """Extract every gold article (cached by article, text and extractor version) and score it."""
    logger = get_run_logger()
    settings = load_settings()
    gold = read_gold(gold_path)
    articles = [Article.model_validate(g.model_dump()) for g in gold]
    name = extractor or settings.extractor
    result = run_extraction(articles, name, settings)
    report = score(gold, result.events)
    text = format_report(report)
    logger.info("%s", text)
    if report_path:
        Path(report_path).write_text(json.dumps(report.to_dict(), indent=2, default=str) + "\n")
    headline = {"precision": report.strict.precision, "recall": report.strict.recall, "f1": report.strict.f1}
    publish("rescore", f"# rescore: extractor `{name}` on `{Path(gold_path).name}`\n\n"
            f"strict F1 **{report.strict.f1:.3f}** (P {report.strict.precision:.3f}, "
            f"R {report.strict.recall:.3f})\n\n```\n{text}\n```\n", f"strict F1 {report.strict.f1:.3f}")
    return headline
