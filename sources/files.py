"""JSONL files and drop folders of articles (gold-format.md), read incrementally."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from movegraph.schema import Article
from movegraph.schema.jsonl import describe_validation_error


@dataclass
class FileRead:
    """Articles of one file read, the bad lines with reasons, and where to resume next time."""

    articles: list[Article] = field(default_factory=list)
    bad_lines: list[tuple[int, str]] = field(default_factory=list)
    cursor: dict[str, Any] = field(default_factory=dict)
    unchanged: bool = False


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _parse(line: str) -> Article | str:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"not valid JSON: {exc}"
    if not isinstance(data, dict):
        return f"expected a JSON object, got {type(data).__name__}"
    try:
        return Article.model_validate(data)
    except ValidationError as exc:
        return describe_validation_error(exc)


def read_new_lines(path: Path, cursor: dict[str, Any]) -> FileRead:
    """Articles appended to `path` since `cursor`; the whole file again if it was rewritten."""
    data = path.read_bytes()
    size, prefix = int(cursor.get("size", 0)), cursor.get("prefix_sha256")
    resume = size if 0 < size <= len(data) and prefix == _sha(data[:size]) else 0
    read = FileRead(cursor={"size": len(data), "prefix_sha256": _sha(data), "lines": 0},
                    unchanged=resume == len(data) and resume > 0)
    first_line = int(cursor.get("lines", 0)) + 1 if resume else 1
    tail = data[resume:]
    # Only whole lines count: a line still being written is read next time.
    complete = tail[: tail.rfind(b"\n") + 1] if not tail.endswith(b"\n") else tail
    read.cursor.update(size=resume + len(complete), prefix_sha256=_sha(data[: resume + len(complete)]))
    number = first_line - 1
    for number, raw in enumerate(complete.decode("utf-8", errors="replace").splitlines(), start=first_line):
        if not raw.strip():
            continue
        parsed = _parse(raw)
        if isinstance(parsed, Article):
            read.articles.append(parsed)
        else:
            read.bad_lines.append((number, parsed))
    read.cursor["lines"] = number
    return read


def changed_files(folder: Path, pattern: str, cursor: dict[str, Any]) -> list[Path]:
    """Files of a drop folder that are new or changed (size or mtime) since `cursor`."""
    seen = cursor.get("files", {})
    out = []
    for file in sorted(folder.glob(pattern)):
        if not file.is_file():
            continue
        stat = file.stat()
        if seen.get(file.name) != [stat.st_size, stat.st_mtime_ns]:
            out.append(file)
    return out


def file_stamp(file: Path) -> list[int]:
    """Size and mtime of a file, as the folder cursor keeps them."""
    stat = file.stat()
    return [stat.st_size, stat.st_mtime_ns]
