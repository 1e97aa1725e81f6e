"""HTTP GET with timeouts, conditional requests and errors that say whether a retry may help."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx

log = logging.getLogger(__name__)

USER_AGENT = "movegraph/0.1 (news movement graph; polite polling)"
MAX_BYTES = 10_000_000
TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


class FetchError(Exception):
    """A URL gave no usable document; `transient` says whether trying again later may help."""

    def __init__(self, url: str, reason: str, transient: bool = False) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.transient = transient


@dataclass(frozen=True)
class Document:
    """A fetched document; `not_modified` when the server answered 304 to our validators."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """The server said nothing changed since the cursor's validators."""
        return self.status == 304


def _validators(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def fetch_url(url: str, timeout: float = 20.0, etag: str | None = None,
              last_modified: str | None = None) -> Document:
    """GET `url` (following redirects); raises FetchError with the reason and whether it is transient."""
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, headers=_validators(etag, last_modified)) as client:
            response = client.get(url)
    except httpx.TimeoutException:
        raise FetchError(url, f"timeout after {timeout:g}s", transient=True) from None
    except httpx.TransportError as exc:
        raise FetchError(url, f"network error: {type(exc).__name__}: {exc}", transient=True) from None
    except httpx.InvalidURL as exc:
        raise FetchError(url, f"invalid URL: {exc}") from None
    if response.status_code == 304:
        return Document(url, str(response.url), 304, "", b"", etag, last_modified)
    if response.status_code >= 400:
        raise FetchError(url, f"HTTP {response.status_code} {response.reason_phrase}",
                         transient=response.status_code in TRANSIENT_STATUS)
    if len(response.content) > MAX_BYTES:
        raise FetchError(url, f"document larger than {MAX_BYTES} bytes")
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    return Document(url, str(response.url), response.status_code, content_type, response.content,
                    response.headers.get("etag"), response.headers.get("last-modified"))
