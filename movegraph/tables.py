"""Plain-text aligned tables for the terminal (stdlib only), and the `movegraph claims` report built on them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from movegraph.graph.claims import Claims
from movegraph.schema.event import MODALITIES as MODALITY_ORDER

CLAIMS_HEADERS = ("actor", "place", "modality", "articles", "first", "last", "sources")
NUMERIC = {"articles"}


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[str] | None = None) -> str:
    """Columns padded to their widest cell, numbers right-aligned, a dashed rule under the header."""
    numeric = numeric or set()
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        padded = [c.rjust(w) if h in numeric else c.ljust(w) for c, w, h in zip(cells, widths, headers, strict=False)]
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else "-"


def _named(key: str, name: str | None) -> str:
    return key if not name or name == key else f"{key} ({name})"


def claims_rows(found: Sequence[Claims]) -> list[list[str]]:
    """One row per modality (all five, zeros included) of each (actor, place); actor and place on its first row."""
    rows: list[list[str]] = []
    for claim in found:
        for i, modality in enumerate(MODALITY_ORDER):
            mc = claim.by_modality.get(modality)
            head = [_named(claim.actor_key, claim.actor_name), _named(claim.place_key, claim.place_name)] \
                if i == 0 else ["", ""]
            tail = [str(mc.articles), _day(mc.first), _day(mc.last), ", ".join(mc.sources) or "-"] if mc \
                else ["0", "-", "-", "-"]
            rows.append([*head, modality, *tail])
    return rows


def format_claims(found: Sequence[Claims]) -> str:
    """The claims table: how many articles assert, expect, hypothesise, negate or deny each move, and who."""
    return format_table(CLAIMS_HEADERS, claims_rows(found), NUMERIC)


def format_evidence(found: Sequence[Claims]) -> str:
    """Each claim's articles with url, outlet, claimants and evidence sentences, grouped by modality."""
    lines: list[str] = []
    for claim in found:
        for modality, mc in claim.by_modality.items():
            lines.append(f"{claim.actor_key} -> {claim.place_key}, {modality}:")
            for ev in mc.evidence:
                said = f"; claimed by {', '.join(ev.claimants)}" if ev.claimants else ""
                lines.append(f"  {ev.article_id}  {_day(ev.start)}..{_day(ev.end)}  {ev.place_key}  "
                             f"{ev.source or '-'}  {ev.url or '-'}{said}")
                lines.extend(f"    \"{sentence}\"" for sentence in ev.sentences)
    return "\n".join(lines)
