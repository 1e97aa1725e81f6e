"""News sources: RSS/Atom feeds, web pages, JSONL files and drop folders turned into Articles.

Plain functions with no Prefect and no Neo4j: `collect_source` reads one source
of a YAML sources file and returns its articles, its rejects (with reasons) and
the source's new cursor; the flows in `movegraph.flows` orchestrate them.
"""

from movegraph.sources.collect import Collected, collect_source
from movegraph.sources.config import SourcesFile, SourceSpec, load_sources_file
from movegraph.sources.cursor import CursorStore
from movegraph.sources.fetch import Document, FetchError, fetch_url
from movegraph.sources.ids import article_id_for_url, canonical_url, content_id

__all__ = [
    "Collected",
    "CursorStore",
    "Document",
    "FetchError",
    "SourceSpec",
    "SourcesFile",
    "article_id_for_url",
    "canonical_url",
    "collect_source",
    "content_id",
    "fetch_url",
    "load_sources_file",
]
