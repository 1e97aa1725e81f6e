"""Writing exported MOVED_TO rows to CSV (stdlib) or Parquet (pyarrow), for pandas and spreadsheets."""

from __future__ import annotations

import csv
import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from movegraph.graph.export import COLUMNS, EdgeRow
from movegraph.schema.errors import InputError

FORMATS = ("csv", "parquet")
SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
PARQUET_BATCH_ROWS = 10_000


class ExportOutputError(InputError):
    """The export cannot be written where or how asked (format, folder)."""


def choose_format(output: Path, fmt: str | None) -> str:
    """The format asked for, else the one the output suffix names; ExportOutputError naming the input otherwise."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise ExportOutputError(f"--format {fmt!r}: unknown format, expected one of {', '.join(FORMATS)}")
        return fmt
    found = SUFFIXES.get(output.suffix.lower())
    if found is None:
        raise ExportOutputError(f"{output}: cannot tell the format from the suffix {output.suffix!r}; "
                         f"use .csv or .parquet, or give --format")
    return found


def check_output(output: Path) -> None:
    """Refuse an output whose folder is missing or that is itself a folder, before the graph is read."""
    if not output.parent.is_dir():
        raise ExportOutputError(f"{output}: folder {output.parent} does not exist")
    if output.is_dir():
        raise ExportOutputError(f"{output}: is a folder, expected a file path")


def write_edges(rows: Iterable[EdgeRow], output: Path, fmt: str) -> int:
    """Write rows in `fmt` to `output` via a temporary file, so a failed export leaves no half file; row count."""
    writer: Callable[[Iterable[EdgeRow], Path], int] = write_csv if fmt == "csv" else write_parquet
    partial = output.with_name(f".{output.name}.partial")
    try:
        count = writer(rows, partial)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return count


def write_csv(rows: Iterable[EdgeRow], output: Path) -> int:
    """CSV with a header row; dates ISO, booleans true/false, missing values empty."""
    count = 0
    with output.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(COLUMNS)
        for row in rows:
            out.writerow([_csv_cell(value) for value in dataclasses.astuple(row)])
            count += 1
    return count


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def parquet_schema() -> Any:
    """Column types of the Parquet file: dates as date32, quantity int64, confidence float64."""
    import pyarrow as pa

    types = {"start": pa.date32(), "end": pa.date32(), "factual": pa.bool_(), "quantity": pa.int64(),
             "confidence": pa.float64()}
    return pa.schema([(name, types.get(name, pa.string())) for name in COLUMNS])


def write_parquet(rows: Iterable[EdgeRow], output: Path) -> int:
    """Parquet written in batches of PARQUET_BATCH_ROWS rows, so big graphs need little memory."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    count = 0
    with pq.ParquetWriter(output, schema) as writer:
        for chunk in _chunks(rows, PARQUET_BATCH_ROWS):
            columns = {name: [getattr(row, name) for row in chunk] for name in COLUMNS}
            writer.write_table(pa.table(columns, schema=schema))
            count += len(chunk)
        if count == 0:
            writer.write_table(schema.empty_table())
    return count


def _chunks(rows: Iterable[EdgeRow], size: int) -> Iterator[list[EdgeRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk
