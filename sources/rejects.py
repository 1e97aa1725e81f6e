"""Rejects of the source stage: what could not become an article, where, and why."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class SourceReject:
    """A feed, page, file or line that yielded no article, with the stage that failed and the reason."""

    source: str
    url: str
    stage: str
    reason: str
    transient: bool = False
    at: str = field(default_factory=_now)

    def to_json(self) -> str:
        """One JSON line of the rejects file."""
        return json.dumps(asdict(self), ensure_ascii=False)


def write_source_rejects(rejects: Iterable[SourceReject], path: str | Path) -> int:
    """Append rejects to a JSONL file (created with its folder); returns how many were written."""
    items = list(rejects)
    if not items:
        return 0
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="utf-8") as handle:
        for reject in items:
            handle.write(reject.to_json() + "\n")
    return len(items)
