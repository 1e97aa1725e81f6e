"""Markdown for the flow-run artifacts: counts, rejects, new edges, top destinations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, Field

from movegraph.schema import Reject

MAX_ROWS = 25


class RunReport(BaseModel):
    """What a run's artifact shows from the graph: its articles' edges and their top destinations."""

    edges: list[dict[str, Any]] = Field(default_factory=list)
    destinations: list[dict[str, Any]] = Field(default_factory=list)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")[:160]


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table (at most MAX_ROWS rows, then a line saying how many were left out)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        lines.append(f"\n_{len(rows) - MAX_ROWS} more not shown._")
    return "\n".join(lines)


def run_markdown(title: str, counts: Mapping[str, object], rejects: Sequence[Reject], report: RunReport) -> str:
    """The artifact of one ingestion run."""
    edges, destinations = report.edges, report.destinations
    parts = [f"# {title}", "## Counts", table(["what", "count"], [[k, v] for k, v in counts.items()])]
    parts += ["## Rejects", table(["source", "stage", "input", "line", "article", "reason"],
                                  [[r.source, r.stage, r.input, r.line, r.article_id, r.reason] for r in rejects])
              if rejects else "None."]
    parts += ["## New edges", table(["actor", "location", "modality", "start", "end", "quantity", "article"],
                                    [[e["actor"], e["location_key"], e["modality"], e["start"], e["end"],
                                      e["quantity"], e["article_id"]] for e in edges]) if edges else "None."]
    parts += ["## Top destinations", table(["location", "key", "edges"],
                                           [[d["location"], d["location_key"], d["edges"]] for d in destinations])
              if destinations else "None."]
    return "\n\n".join(parts) + "\n"
