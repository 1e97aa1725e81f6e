"""Reading and writing JSON Lines with per-line validation: bad lines are reported, never dropped silently."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from movegraph.schema.errors import InputFileNotFoundError
from movegraph.schema.reject import Reject, write_rejects

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

MAX_LINE_CHARS = 20_000_000


@dataclass
class JsonlReport(Generic[M]):
    """What a JSONL read produced: the valid records and the rejected lines."""

    records: list[M] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


def describe_validation_error(exc: ValidationError) -> str:
    """Name each failing field and what is wrong with it, in one line."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(record)"
        parts.append(f"field '{loc}': {err['msg']}")
    return "; ".join(parts)


def line_reject(path: Path, number: int, reason: str, raw: str) -> Reject:
    """The reject of line `number` of `path`."""
    return Reject(input=str(path), line=number, stage="read-line", reason=reason, raw=raw)


def _parse_line(path: Path, number: int, line: str, model: type[M]) -> M | Reject:
    if len(line) > MAX_LINE_CHARS:
        return line_reject(path, number, f"line is longer than {MAX_LINE_CHARS} characters", line[:200])
    try:
        data = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        return line_reject(path, number, f"not valid JSON: {exc}", line)
    if not isinstance(data, dict):
        return line_reject(path, number, f"expected a JSON object, got {type(data).__name__}", line)
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        return line_reject(path, number, f"not valid Unicode: a lone surrogate escape ({exc.reason})", line)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        return line_reject(path, number, describe_validation_error(exc), line)


def iter_jsonl(path: Path, model: type[M]) -> Iterator[M | Reject]:
    """Yield a validated record or a Reject for each non-blank line of `path`; a bad line never stops the rest."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield line_reject(path, number, f"not UTF-8: {exc}", raw[:2000].decode("utf-8", "replace"))
                continue
            if line.strip():
                yield _parse_line(path, number, line, model)


def read_jsonl(path: str | Path, model: type[M], rejects_path: str | Path | None = None) -> JsonlReport[M]:
    """Read every valid line of `path` as `model`; log each bad one and append it to `rejects_path`."""
    path = Path(path)
    if not path.is_file():
        raise InputFileNotFoundError(f"{path}: no such file")
    report: JsonlReport[M] = JsonlReport()
    for item in iter_jsonl(path, model):
        if isinstance(item, Reject):
            log.warning("%s:%s rejected: %s", item.input, item.line, item.reason)
            report.rejects.append(item)
        else:
            report.records.append(item)
    if rejects_path is not None and report.rejects:
        write_rejects(report.rejects, rejects_path)
    return report


def write_jsonl(records: Iterable[BaseModel], path: str | Path) -> int:
    """Write models as JSON Lines (nulls kept, never omitted keys); returns the count written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(record.model_dump_json() + "\n")
            count += 1
    tmp.replace(path)
    return count
