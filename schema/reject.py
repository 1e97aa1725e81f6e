"""Rejects: whatever yielded no article (a line, file, feed, page or article), where it was and why.

One model and one writer for every rejects.jsonl, whether `extract`, the `ingest`
flow or the `ingest-feeds` flow writes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

RAW_CHARS = 2000


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Reject(BaseModel):
    """One thing that yielded no article: the input it came from, the stage that refused it and the reason."""

    model_config = ConfigDict(frozen=True)

    input: str = Field(description="the file path or URL that was read")
    line: int | None = Field(default=None, description="1-based line of `input`, when one line was refused")
    stage: str = Field(description="read-line, duplicate-id, fetch-feed, parse-feed, fetch-page, ..., extract")
    reason: str
    source: str | None = Field(default=None, description="the sources-file entry it came from, if any")
    article_id: str | None = Field(default=None, description="the article refused, when it had an id")
    transient: bool = Field(default=False, description="a timeout or network error: tried again next run")
    raw: str | None = Field(default=None, description="the refused text, cut to keep the file readable")
    at: str = Field(default_factory=_now, description="when it was refused (UTC, ISO 8601)")

    @field_validator("raw")
    @classmethod
    def _cut(cls, value: str | None) -> str | None:
        return value if value is None or len(value) <= RAW_CHARS else value[:RAW_CHARS] + "…"


def write_rejects(rejects: Iterable[Reject], path: str | Path) -> int:
    """Append rejects to a JSONL file (created with its folder), one object a line; returns how many."""
    items = list(rejects)
    if not items:
        return 0
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="utf-8") as handle:
        for reject in items:
            handle.write(reject.model_dump_json() + "\n")
    return len(items)
