"""The benchmark corpus, built at run time from the redistributable training corpus (never the dev set).

Source: `../shared/data/train/*.jsonl` (public-domain US government works,
Wikinews CC BY 2.5, Wikipedia CC BY-SA 4.0; licence and url on every row).
Each copy of a training article gets a new id (`<id>~b<copy>`) and its
publication date and every event date shifted by `copy` days, so copies are
distinct articles with distinct edges. Events come from the span annotations
of that corpus, turned into MovementEvents with their sentence as provenance.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from movegraph.schema import Article, MovementEvent

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MOVEGRAPH_SHARED", REPO.parent / "shared"))
TRAIN_DIR = SHARED / "data" / "train"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class TrainRow:
    """One training article with its span-annotated events."""

    data: dict[str, Any]

    @property
    def id(self) -> str:
        """The article id of the training corpus."""
        return str(self.data["id"])


def train_rows(train_dir: Path = TRAIN_DIR) -> list[TrainRow]:
    """Every training article, in a fixed order (file name, then line)."""
    if not train_dir.is_dir():
        raise FileNotFoundError(f"{train_dir}: the training corpus is missing (set MOVEGRAPH_SHARED)")
    rows = []
    for path in sorted(train_dir.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            rows.extend(TrainRow(json.loads(line)) for line in handle if line.strip())
    return rows


def _shift(value: str | None, days: int) -> str | None:
    return None if value is None else (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()


def sentence_bounds(text: str, start: int) -> tuple[int, int]:
    """Offsets of the sentence holding character `start` (split on . ! ? and newlines)."""
    begin, end = 0, len(text)
    for match in SENTENCE_END.finditer(text):
        if match.end() <= start:
            begin = match.end()
        elif match.start() >= start:
            end = match.start()
            break
    return begin, end


def _time(ann: dict[str, Any] | None, days: int) -> dict[str, Any] | None:
    if not ann:
        return None
    interval = ann.get("interval") or {}
    return {"text": ann.get("text"), "start": _shift(interval.get("start"), days),
            "end": _shift(interval.get("end"), days), "span_start": ann.get("start"), "span_end": ann.get("end")}


def to_event(article_id: str, text: str, ann: dict[str, Any], days: int) -> MovementEvent:
    """A span annotation of the training corpus as a MovementEvent of `article_id`, dates shifted by `days`."""
    begin, end = sentence_bounds(text, ann["trigger"]["start"])
    quantity = ann.get("quantity") or {}
    source = ann.get("source") or {}
    modality = ann.get("modality") or "asserted"
    return MovementEvent.model_validate({
        "article_id": article_id, "trigger": ann["trigger"], "mover": ann["mover"],
        "destination": ann.get("destination"), "origin": ann.get("origin"), "via": None,
        "vehicle": ann.get("vehicle"), "agent": ann.get("agent"),
        "quantity": quantity.get("value"), "approximate": quantity.get("approximate"),
        "time": _time(ann.get("time"), days), "modality": modality, "factual": modality == "asserted",
        "source": source.get("text"), "sentence": text[begin:end], "sentence_start": begin,
        "sentence_end": end, "confidence": 1.0,
    })


def copy_of(row: TrainRow, copy: int) -> tuple[Article, list[MovementEvent]]:
    """Copy number `copy` of a training article: new id, dates shifted by `copy` days, its events."""
    data = row.data
    article_id = f"{row.id}~b{copy:05d}"
    article = Article.model_validate({**data, "id": article_id, "published": _shift(data.get("published"), copy)})
    events = [to_event(article_id, article.text, ann, copy) for ann in data.get("events", [])]
    return article, events


def copies(rows: list[TrainRow]) -> Iterator[tuple[Article, list[MovementEvent]]]:
    """Endless copies of the training articles: copy 0 of each row, then copy 1 of each, and so on."""
    copy = 0
    while True:
        for row in rows:
            yield copy_of(row, copy)
        copy += 1


def edge_corpus(edges: int, rows: list[TrainRow] | None = None) -> tuple[list[Article], list[MovementEvent]]:
    """Articles and events that make exactly `edges` MOVED_TO edges (distinct facts of spec section 6)."""
    rows = rows if rows is not None else [r for r in train_rows() if r.data.get("events")]
    articles: list[Article] = []
    events: list[MovementEvent] = []
    facts = 0
    for article, article_events in copies(rows):
        keys: list[tuple[Any, ...]] = []
        for event in article_events:
            key = event.fact_key()
            if key is not None and key not in keys:
                keys.append(key)
        keep = set(keys[:edges - facts])
        if not keep:
            continue
        articles.append(article)
        events.extend(e for e in article_events if e.fact_key() in keep)
        facts += len(keep)
        if facts >= edges:
            return articles, events
    raise AssertionError("unreachable")


def long_articles(count: int, words: int = 600, rows: list[TrainRow] | None = None) -> list[Article]:
    """`count` articles of about `words` words: consecutive training texts joined, ids and dates varied."""
    rows = rows if rows is not None else train_rows()
    articles = []
    cursor = 0
    for number in range(count):
        parts: list[str] = []
        first = rows[cursor % len(rows)]
        while sum(len(p.split()) for p in parts) < words:
            parts.append(rows[cursor % len(rows)].data["text"])
            cursor += 1
        published = dt.date(2020, 1, 1) + dt.timedelta(days=number)
        articles.append(Article(id=f"bench-{number:05d}", text="\n\n".join(parts), title=first.data.get("title"),
                                url=first.data.get("url"), source=first.data.get("source"),
                                published=published, language="en"))
    return articles
