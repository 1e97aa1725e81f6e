"""Stable article ids: the canonical URL when there is one, else a hash of the content."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_", "mc_", "fbclid", "gclid", "ocid", "cmpid", "at_medium", "at_campaign")


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no fragment, no default port, no tracking parameters, sorted query."""
    parts = urlsplit(url.strip())
    scheme = (parts.scheme or "http").lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (scheme, port) in {("http", 80), ("https", 443)} else f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not k.lower().startswith(TRACKING_PREFIXES))
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def _short_hash(text: str, length: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def article_id_for_url(url: str) -> str:
    """`host:hash` of the canonical URL: the same article under tracking variants gets the same id."""
    canonical = canonical_url(url)
    host = (urlsplit(canonical).hostname or "local").removeprefix("www.")
    return f"{host}:{_short_hash(canonical)}"


def content_id(text: str) -> str:
    """Id of an article that has no URL: a hash of its whitespace-normalised text."""
    return f"sha256:{_short_hash(' '.join(text.split()), 24)}"
