"""The YAML sources file: which feeds, pages, JSONL files and drop folders to read, and how."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from movegraph.schema.errors import InputError, InputFileNotFoundError

SourceKind = Literal["feed", "page", "jsonl", "folder"]


class SourceSpec(BaseModel):
    """One source. `feed`/`page` need `url` (a page source may list `urls`); `jsonl`/`folder` need `path`."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    kind: SourceKind
    url: str | None = None
    urls: list[str] = Field(default_factory=list)
    path: Path | None = None
    pattern: str = "*.jsonl"
    label: str | None = Field(None, description="Article.source for its articles (default: the feed title or name)")
    fetch_pages: bool = Field(True, description="feed: fetch each entry's page for its full text")
    max_items: int = Field(50, ge=1, description="feed: newest entries considered per run")
    timeout: float = Field(20.0, gt=0, description="seconds per HTTP request")
    min_chars: int = Field(200, ge=1, description="shorter extracted texts are rejected as empty")
    enabled: bool = True

    @model_validator(mode="after")
    def _needs_location(self) -> SourceSpec:
        if self.kind == "feed" and not self.url:
            raise ValueError(f"source {self.name!r}: a feed needs `url`")
        if self.kind == "page" and not (self.url or self.urls):
            raise ValueError(f"source {self.name!r}: a page source needs `url` or `urls`")
        if self.kind in ("jsonl", "folder") and self.path is None:
            raise ValueError(f"source {self.name!r}: a {self.kind} source needs `path`")
        return self

    @property
    def page_urls(self) -> list[str]:
        """Every URL of a page source."""
        return ([self.url] if self.url else []) + list(self.urls)


class SourcesFile(BaseModel):
    """The whole sources file; relative paths are resolved against the file's folder."""

    model_config = ConfigDict(extra="forbid")

    sources: list[SourceSpec]
    state_dir: Path | None = Field(None, description="where cursors are kept (default: <data_dir>/sources)")
    rejects: Path | None = Field(None, description="rejects JSONL (default: <state_dir>/rejects.jsonl)")

    @model_validator(mode="after")
    def _unique_names(self) -> SourcesFile:
        names = [s.name for s in self.sources]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate source names: {', '.join(duplicates)}")
        return self


def load_sources_file(path: str | Path) -> SourcesFile:
    """Parse and validate a sources file; raises InputFileNotFoundError or InputError naming the problem."""
    file = Path(path)
    if not file.is_file():
        raise InputFileNotFoundError(f"sources file not found: {file}")
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"{file}: not YAML ({exc})") from None
    if not isinstance(data, dict):
        raise InputError(f"{file}: expected a mapping with a `sources` list")
    try:
        parsed = SourcesFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(f"{file}: {where + ': ' if where else ''}{first['msg']}") from None
    base = file.resolve().parent
    for spec in parsed.sources:
        if spec.path is not None and not spec.path.is_absolute():
            spec.path = base / spec.path
    for name in ("state_dir", "rejects"):
        value = getattr(parsed, name)
        if value is not None and not Path(value).is_absolute():
            setattr(parsed, name, base / value)
    return parsed
