"""Per-source cursors: what a source had the last time, so the next run reads only what is new."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class CursorStore:
    """One JSON file per source under `root`; written atomically, and only after a successful load."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, source: str) -> Path:
        """Where the cursor of `source` lives."""
        return self.root / "cursors" / f"{source}.json"

    def load(self, source: str) -> dict[str, Any]:
        """The cursor of `source`, or an empty one (a corrupt file is logged and treated as empty)."""
        file = self.path(source)
        if not file.is_file():
            return {}
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            log.warning("cursor %s unreadable (%s); reading source %r from the start", file, exc, source)
            return {}
        return data if isinstance(data, dict) else {}

    def save(self, source: str, cursor: dict[str, Any]) -> None:
        """Replace the cursor of `source` atomically."""
        file = self.path(source)
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(cursor, indent=1, sort_keys=True, default=str), encoding="utf-8")
        os.replace(tmp, file)
