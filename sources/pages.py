"""Web pages: the main text of an HTML document (trafilatura), its title, date and declared language."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import lxml.html
import trafilatura

from movegraph.schema.article import parse_published
from movegraph.sources.fetch import Document

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
LANG_ATTR = re.compile(rb"<html[^>]*?\blang\s*=\s*[\"']?([A-Za-z_-]+)", re.IGNORECASE)


class PageRejected(ValueError):
    """A page gave no usable article; the message is the reason."""


@dataclass(frozen=True)
class PageText:
    """What a page yields: main text and the metadata the page declares."""

    text: str
    title: str | None
    published: dt.date | None
    language: str | None


def html_to_text(fragment: str) -> str:
    """Plain text of a small HTML fragment (feed summaries), whitespace collapsed."""
    if not fragment.strip():
        return ""
    if "<" not in fragment:
        return " ".join(fragment.split())
    try:
        return " ".join(lxml.html.fromstring(fragment).text_content().split())
    except (ValueError, lxml.etree.ParserError):
        return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def _is_html(document: Document) -> bool:
    if document.content_type in HTML_TYPES:
        return True
    return not document.content_type and document.body.lstrip()[:1] == b"<"


def _published(value: object) -> dt.date | None:
    try:
        return parse_published(value)
    except ValueError:
        return None


def extract_page(document: Document, min_chars: int = 200) -> PageText:
    """Main text and metadata of an HTML page; raises PageRejected for non-HTML or (nearly) empty pages."""
    if not _is_html(document):
        raise PageRejected(f"not HTML (content-type {document.content_type or 'unknown'})")
    extracted = trafilatura.bare_extraction(document.body, url=document.final_url, with_metadata=True,
                                            include_comments=False, include_tables=False, favor_precision=True)
    # trafilatura 2 gives a Document, earlier versions a dict: read both by attribute
    result: Any = SimpleNamespace(**extracted) if isinstance(extracted, dict) else extracted
    text = (result.text or "").strip() if result is not None else ""
    if len(text) < min_chars:
        raise PageRejected(f"empty text: {len(text)} characters of main text (minimum {min_chars})")
    match = LANG_ATTR.search(document.body[:4096])
    return PageText(text=text, title=(result.title or None) if result is not None else None,
                    published=_published(result.date) if result is not None else None,
                    language=match.group(1).decode("ascii") if match else None)
