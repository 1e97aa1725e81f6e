"""RSS and Atom feeds (feedparser): entries with a stable key and a fingerprint of their content."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from dataclasses import dataclass

import feedparser

from movegraph.sources.fetch import Document
from movegraph.sources.ids import canonical_url
from movegraph.sources.pages import html_to_text


class NotAFeedError(ValueError):
    """The document is not an RSS or Atom feed."""


@dataclass(frozen=True)
class FeedEntry:
    """One feed item: its link, title, date, summary text and a fingerprint that changes when it is updated."""

    key: str
    link: str | None
    title: str | None
    published: dt.date | None
    summary: str
    fingerprint: str


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its title, declared language and entries, newest first as published."""

    title: str | None
    language: str | None
    entries: list[FeedEntry]


def _date(parsed: object) -> dt.date | None:
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC).date()  # type: ignore[arg-type]


def _entry(raw: feedparser.FeedParserDict) -> FeedEntry | None:
    link = raw.get("link") or None
    key = canonical_url(link) if link else (raw.get("id") or raw.get("title"))
    if not key:
        return None
    content = " ".join(c.get("value", "") for c in raw.get("content", []) or [])
    summary = html_to_text(content or raw.get("summary", "") or "")
    stamp = dict.get(raw, "updated") or dict.get(raw, "published") or ""  # no feedparser key aliasing
    fingerprint = hashlib.sha256(f"{key}|{stamp}|{summary}".encode()).hexdigest()[:20]
    return FeedEntry(key=key, link=link, title=raw.get("title") or None,
                     published=_date(dict.get(raw, "published_parsed") or dict.get(raw, "updated_parsed")),
                     summary=summary, fingerprint=fingerprint)


def parse_feed(document: Document) -> Feed:
    """Entries of an RSS/Atom document; raises NotAFeedError when it is neither."""
    parsed = feedparser.parse(document.body)
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise NotAFeedError(f"not an RSS/Atom feed (content-type {document.content_type or 'unknown'}"
                            + (f"; {type(problem).__name__}" if problem else "") + ")")
    entries = [e for e in (_entry(raw) for raw in parsed.entries) if e is not None]
    return Feed(title=parsed.feed.get("title") or None, language=parsed.feed.get("language") or None,
                entries=entries)
