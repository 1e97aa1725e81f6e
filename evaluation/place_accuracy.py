"""Place-resolver accuracy on named place mentions from the training corpus (spec section 4).

`build` writes the case table committed with the tests (tests/data/places/train_place_cases.tsv):
every distinct destination or origin span of `../shared/data/train/*.jsonl` that names a place by
itself (a capitalised name or a demonym, not "the area" or "their homes", which only the article
resolves), with the codes its annotator gave, its sentence as context, and where it came from.
`report` resolves every case and prints the accuracy: exact (country, subdivision), country only,
and locality where the case names one.

    python -m movegraph.evaluation.place_accuracy build ../shared/data/train > tests/data/places/train_place_cases.tsv
    python -m movegraph.evaluation.place_accuracy report tests/data/places/train_place_cases.tsv
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from movegraph.extractors.geo_data import DEMONYMS
from movegraph.extractors.places import PlaceResolver, key

log = logging.getLogger(__name__)

FIELDS = ("text", "country", "subdivision", "locality", "context", "article_id", "url", "licence")
# Capitalised words that do not make a mention a name ("The", sentence-initial pronouns).
_NOT_NAMES = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "my", "this", "that", "these", "those"})


@dataclass(frozen=True, slots=True)
class Case:
    """One place mention with its annotated codes and its provenance."""

    text: str
    country: str
    subdivision: str | None
    locality: str | None
    context: str
    article_id: str
    url: str
    licence: str


def names_a_place(text: str) -> bool:
    """True when the mention carries a name or demonym of its own ("Kursk", "Russian territory")."""
    words = re.findall(r"[A-Za-z][\w'.\-]*", text)
    proper = [w for w in words if w[:1].isupper() and w.lower() not in _NOT_NAMES]
    return bool(proper) or any(key(w) in DEMONYMS for w in words)


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around a span: from the previous full stop to the next one."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    return " ".join(text[left + 1 if left >= 0 else 0 : right].split())


def corpus_cases(folder: Path) -> Iterator[Case]:
    """Distinct named destination/origin mentions of the span-annotated corpus, first occurrence kept."""
    seen: set[str] = set()
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            article = json.loads(line)
            for event in article.get("events", []):
                for role in ("destination", "origin"):
                    span = event.get(role)
                    if not span or span.get("start") is None or not span.get("country"):
                        continue
                    text = span["text"]
                    if text in seen or not names_a_place(text):
                        continue
                    seen.add(text)
                    yield Case(text, span["country"], span.get("subdivision"), span.get("locality"),
                               _sentence(article["text"], span["start"], span["end"]), article["id"],
                               article.get("url", ""), article.get("licence", ""))


def read_cases(path: Path) -> list[Case]:
    """The committed case table."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [Case(r["text"], r["country"], r["subdivision"] or None, r["locality"] or None, r["context"],
                     r["article_id"], r["url"], r["licence"]) for r in csv.DictReader(fh, delimiter="\t")]


def write_cases(cases: Iterator[Case], out: object) -> None:
    """Write cases as TSV with a header."""
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")  # type: ignore[arg-type]
    writer.writerow(FIELDS)
    for c in cases:
        writer.writerow([c.text, c.country, c.subdivision or "", c.locality or "", c.context, c.article_id,
                         c.url, c.licence])


@dataclass(frozen=True, slots=True)
class Accuracy:
    """Counts of one run over the case table."""

    cases: int
    exact: int
    country: int
    localities: int
    locality_agree: int
    misses: tuple[tuple[Case, tuple[str | None, str | None, str | None]], ...]

    @property
    def exact_rate(self) -> float:
        """Share of cases with the annotated country and subdivision."""
        return self.exact / self.cases if self.cases else 0.0

    @property
    def country_rate(self) -> float:
        """Share of cases with the annotated country."""
        return self.country / self.cases if self.cases else 0.0


def measure(cases: list[Case], resolver: PlaceResolver) -> Accuracy:
    """Resolve every case in its sentence and count agreements."""
    exact = country = localities = locality_agree = 0
    misses = []
    for case in cases:
        place = resolver.resolve(case.text, case.context)
        got = (place.country, place.subdivision, place.locality) if place else (None, None, None)
        country += got[0] == case.country
        if got[:2] == (case.country, case.subdivision):
            exact += 1
        else:
            misses.append((case, got))
        if case.locality:
            localities += 1
            locality_agree += bool(got[2]) and key(got[2] or "") == key(case.locality)
    return Accuracy(len(cases), exact, country, localities, locality_agree, tuple(misses))


def main(argv: list[str] | None = None) -> None:
    """CLI: build the table from the corpus, or report the resolver's accuracy on it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build").add_argument("corpus", type=Path)
    report = sub.add_parser("report")
    report.add_argument("table", type=Path)
    report.add_argument("--misses", action="store_true", help="list the cases the resolver gets wrong")
    args = parser.parse_args(argv)
    if args.command == "build":
        write_cases(corpus_cases(args.corpus), sys.stdout)
        return
    acc = measure(read_cases(args.table), PlaceResolver())
    print(f"{acc.cases} place mentions: country+subdivision {acc.exact}/{acc.cases} = {acc.exact_rate:.3f}; "
          f"country {acc.country}/{acc.cases} = {acc.country_rate:.3f}; "
          f"locality {acc.locality_agree}/{acc.localities}")
    if args.misses:
        for case, got in acc.misses:
            print(f"  {case.text!r}: expected {case.country} {case.subdivision}, got {got[0]} {got[1]}"
                  f"  [{case.article_id}]")


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main()
