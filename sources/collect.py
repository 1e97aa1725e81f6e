"""One source in, its articles, rejects and next cursor out: the plain functions the flows call."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from movegraph.schema import Article, Reject
from movegraph.sources.config import SourceSpec
from movegraph.sources.feeds import Feed, FeedEntry, NotAFeedError, parse_feed
from movegraph.sources.fetch import Document, FetchError, fetch_url
from movegraph.sources.files import changed_files, file_stamp, read_new_lines
from movegraph.sources.ids import article_id_for_url, content_id
from movegraph.sources.language import not_english_reason
from movegraph.sources.pages import PageRejected, extract_page

log = logging.getLogger(__name__)

Fetcher = Callable[[str, float, "str | None", "str | None"], Document]
MAX_SEEN = 5000


@dataclass
class Collected:
    """What one source gave this run."""

    source: str
    articles: list[Article] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    fetched: int = 0
    unchanged: int = 0
    cursor: dict[str, Any] = field(default_factory=dict)


def _reject(spec: SourceSpec, where: str, stage: str, reason: str, transient: bool = False) -> Reject:
    """A reject of source `spec` at `where` (its URL or path)."""
    return Reject(source=spec.name, input=where, stage=stage, reason=reason, transient=transient)


def _plain_fetch(url: str, timeout: float, etag: str | None, last_modified: str | None) -> Document:
    return fetch_url(url, timeout=timeout, etag=etag, last_modified=last_modified)


def collect_source(spec: SourceSpec, cursor: dict[str, Any], fetch: Fetcher | None = None) -> Collected:
    """Read one source from its cursor on; every failure becomes a reject and the rest goes on."""
    fetcher = fetch or _plain_fetch
    readers = {"feed": _collect_feed, "page": _collect_pages, "jsonl": _collect_jsonl, "folder": _collect_folder}
    result = readers[spec.kind](spec, dict(cursor), fetcher)
    kept = []
    for article in result.articles:
        reason = not_english_reason(article.text, article.language)
        if reason:
            result.rejects.append(Reject(source=spec.name, input=article.url or article.id, article_id=article.id,
                                         stage="language", reason=reason))
        else:
            kept.append(article)
    result.articles = kept
    log.info("source %s: %d fetched, %d articles, %d unchanged, %d rejected", spec.name, result.fetched,
             len(result.articles), result.unchanged, len(result.rejects))
    return result


# -- feeds -------------------------------------------------------------------------
def _collect_feed(spec: SourceSpec, cursor: dict[str, Any], fetch: Fetcher) -> Collected:
    out = Collected(spec.name, cursor=cursor)
    assert spec.url is not None
    try:
        doc = fetch(spec.url, spec.timeout, cursor.get("etag"), cursor.get("last_modified"))
    except FetchError as exc:
        out.rejects.append(_reject(spec, spec.url, "fetch-feed", exc.reason, exc.transient))
        return out
    if doc.not_modified:
        return out
    try:
        feed = parse_feed(doc)
    except NotAFeedError as exc:
        out.rejects.append(_reject(spec, spec.url, "parse-feed", str(exc)))
        return out
    seen: dict[str, str] = dict(cursor.get("seen", {}))
    for entry in feed.entries[: spec.max_items]:
        if seen.get(entry.key) == entry.fingerprint:
            out.unchanged += 1
            continue
        out.fetched += 1
        done = _feed_entry(spec, feed, entry, fetch, out)
        if done:
            seen.pop(entry.key, None)
            seen[entry.key] = entry.fingerprint
    out.cursor = {"etag": doc.etag, "last_modified": doc.last_modified,
                  "seen": dict(list(seen.items())[-MAX_SEEN:])}
    return out


def _feed_entry(spec: SourceSpec, feed: Feed, entry: FeedEntry, fetch: Fetcher, out: Collected) -> bool:
    """Turn one entry into an article (or a reject); False when a later run should try it again."""
    url = entry.link or entry.key
    label = spec.label or feed.title or spec.name
    if spec.fetch_pages and entry.link:
        try:
            doc = fetch(entry.link, spec.timeout, None, None)
            page = extract_page(doc, spec.min_chars)
        except FetchError as exc:
            out.rejects.append(_reject(spec, url, "fetch-page", exc.reason, exc.transient))
            return not exc.transient
        except PageRejected as exc:
            out.rejects.append(_reject(spec, url, "extract-page", str(exc)))
            return True
        text, title, published = page.text, page.title or entry.title, entry.published or page.published
        language = page.language or feed.language
    else:
        text, title, published, language = entry.summary, entry.title, entry.published, feed.language
        if len(text) < spec.min_chars:
            out.rejects.append(_reject(spec, url, "feed-entry",
                                       f"empty text: {len(text)} characters in the entry (minimum {spec.min_chars})"))
            return True
    out.articles.append(Article(id=article_id_for_url(entry.link) if entry.link else content_id(text),
                                url=entry.link, title=title, source=label, published=published,
                                language=language, text=text))
    return True


# -- pages -------------------------------------------------------------------------
def _collect_pages(spec: SourceSpec, cursor: dict[str, Any], fetch: Fetcher) -> Collected:
    out = Collected(spec.name, cursor=cursor)
    validators: dict[str, dict[str, str | None]] = dict(cursor.get("pages", {}))
    for url in spec.page_urls:
        known = validators.get(url, {})
        try:
            doc = fetch(url, spec.timeout, known.get("etag"), known.get("last_modified"))
            if doc.not_modified:
                out.unchanged += 1
                continue
            out.fetched += 1
            page = extract_page(doc, spec.min_chars)
        except FetchError as exc:
            out.rejects.append(_reject(spec, url, "fetch-page", exc.reason, exc.transient))
            continue
        except PageRejected as exc:
            out.rejects.append(_reject(spec, url, "extract-page", str(exc)))
            continue
        out.articles.append(Article(id=article_id_for_url(url), url=url, title=page.title,
                                    source=spec.label or spec.name, published=page.published,
                                    language=page.language, text=page.text))
        validators[url] = {"etag": doc.etag, "last_modified": doc.last_modified}
    out.cursor = {"pages": validators}
    return out


# -- files -------------------------------------------------------------------------
def _collect_jsonl(spec: SourceSpec, cursor: dict[str, Any], fetch: Fetcher) -> Collected:
    out = Collected(spec.name, cursor=cursor)
    assert spec.path is not None
    if not spec.path.is_file():
        out.rejects.append(_reject(spec, str(spec.path), "read-file", "file not found"))
        return out
    read = read_new_lines(spec.path, cursor)
    _add_file_read(spec, str(spec.path), read.articles, read.bad_lines, out)
    out.unchanged += int(read.unchanged)
    out.cursor = read.cursor
    return out


def _collect_folder(spec: SourceSpec, cursor: dict[str, Any], fetch: Fetcher) -> Collected:
    out = Collected(spec.name, cursor=cursor)
    assert spec.path is not None
    if not spec.path.is_dir():
        out.rejects.append(_reject(spec, str(spec.path), "read-folder", "folder not found"))
        return out
    stamps: dict[str, list[int]] = dict(cursor.get("files", {}))
    changed = changed_files(spec.path, spec.pattern, cursor)
    for file in changed:
        read = read_new_lines(file, {})
        _add_file_read(spec, str(file), read.articles, read.bad_lines, out)
        stamps[file.name] = file_stamp(file)
    out.unchanged = sum(1 for f in spec.path.glob(spec.pattern) if f.is_file()) - len(changed)
    out.cursor = {"files": stamps}
    return out


def _add_file_read(spec: SourceSpec, where: str, articles: list[Article], bad: list[tuple[int, str]],
                   out: Collected) -> None:
    out.fetched += len(articles) + len(bad)
    for article in articles:
        out.articles.append(article.model_copy(update={"source": article.source or spec.label or spec.name}))
    for line, reason in bad:
        out.rejects.append(Reject(source=spec.name, input=where, line=line, stage="read-line", reason=reason))
