"""Bad input: a fixed corpus of hostile articles through the ingest flow, property tests, broken settings files.

Every article either loads correctly or lands in the rejects file with a clear
reason; nothing crashes, no edge is half written, the rest of the batch loads.
"""

from __future__ import annotations

import functools
import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import Driver

from movegraph.extractors.base import Extractor, create_extractor
from movegraph.extractors.pipeline import extract_all
from movegraph.graph.writer import GraphWriter, graph_counts
from movegraph.schema import Article, Reject, read_jsonl
from tests import factories as f

CORPUS = Path(__file__).parent / "data" / "bad_input" / "articles.jsonl"
GOOD = "About 300 Dutch troops arrived in Lithuania on Monday, the Lithuanian army said."
HOSTILE_ID = "bad-cypher-id'}) MATCH (n) DETACH DELETE n //"

LOADED = {"bad-good-1", "bad-control", "bad-html", "bad-scripts", "bad-no-date", "bad-far-date", "bad-dup",
          "bad-dup-same", "bad-cypher-title", HOSTILE_ID, "bad-good-last"}
# reason fragment -> how many rejects must carry it
REJECTED = {
    "field 'text'": 3,            # empty, blank, a number
    "field 'published'": 2,       # 2024-02-30, "yesterday"
    "field 'title'": 1,           # a list nested 300 deep
    "field 'id'": 1,              # 600 characters
    "not valid JSON": 3,          # prose, a truncated object, a nesting bomb
    "expected a JSON object": 2,  # a list, null
    "lone surrogate": 1,
    "not UTF-8": 1,
    "duplicate article id 'bad-dup'": 1,
    "extraction failed": 1,       # 5 MB of text
}
EDGE_SHAPE = """
MATCH (:Actor)-[r:MOVED_TO]->(:Location)
OPTIONAL MATCH (a:Article {id: r.article_id})
RETURN r.article_id AS article, a.text_hash AS marked, r.mentions AS mentions,
       [size(r.sentences), size(r.triggers), size(r.trigger_starts), size(r.trigger_ends), size(r.event_ids),
        size(r.sentence_starts), size(r.sentence_ends)] AS sizes, r.sentences AS sentences
"""


@functools.lru_cache(maxsize=1)
def rules() -> Extractor:
    """The rules extractor, loaded once for this module."""
    return create_extractor("rules")


def _hostile_file(tmp_path: Path) -> Path:
    """The fixed corpus plus lines too big or too binary to keep in the repository, then one good article."""
    path = tmp_path / "hostile.jsonl"
    with path.open("wb") as out:
        out.write(CORPUS.read_bytes())
        out.write(json.dumps({"id": "bad-huge", "text": (GOOD + " ") * 70_000}).encode() + b"\n")  # ~5 MB
        out.write(b'{"id": "bad-bomb", "text": "x", "title": ' + b"[" * 100_000 + b"\n")
        out.write(b'{"id": "bad-binary", "text": "\xff\xfe\x00\x9c binary"}\n')
        out.write(json.dumps({"id": "bad-good-last", "text": GOOD, "published": "2025-03-11"}).encode() + b"\n")
    return path


def test_hostile_corpus_loads_or_is_rejected_with_a_reason(empty_graph: Driver, cli_env: dict[str, str],
                                                          monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from prefect.testing.utilities import prefect_test_harness

    from movegraph.flows.ingest import ingest

    for key, value in cli_env.items():
        if key.startswith("MOVEGRAPH_"):
            monkeypatch.setenv(key, value)
    writer = GraphWriter(empty_graph)
    writer.ensure_schema()
    writer.write([f.article("sentinel")], [f.event("sentinel")])  # must survive the hostile titles
    rejects_path = tmp_path / "rejects.jsonl"
    with prefect_test_harness(server_startup_timeout=180):
        summary = ingest(str(_hostile_file(tmp_path)), extractor="rules", rejects_path=str(rejects_path))

    ids = {r["id"] for r in empty_graph.execute_query("MATCH (a:Article) RETURN a.id AS id").records}
    assert ids == LOADED | {"sentinel"}
    rejects = [json.loads(line) for line in rejects_path.read_text(encoding="utf-8").splitlines()]
    for fragment, count in REJECTED.items():
        assert sum(fragment in r["reason"] for r in rejects) == count, (fragment, [r["reason"] for r in rejects])
    assert len(rejects) == sum(REJECTED.values())
    assert all(r["input"] == str(tmp_path / "hostile.jsonl") for r in rejects)
    assert {r["stage"] for r in rejects} == {"read-line", "duplicate-id", "extract"}
    assert all((r["line"] is None) == (r["stage"] != "read-line") for r in rejects)
    assert summary.articles == len(LOADED) and summary.failed_articles == 1

    records = empty_graph.execute_query("MATCH (a:Article) RETURN a.id AS id, a.title AS t").records
    titles = {r["id"]: r["t"] for r in records}
    assert titles["bad-cypher-title"] == '"}) DETACH DELETE n //'
    assert titles[HOSTILE_ID].startswith("'; MATCH (n) DETACH DELETE n;")
    _assert_no_partial_edges(empty_graph)
    edges = {r["article"]: r["sentences"] for r in empty_graph.execute_query(EDGE_SHAPE).records}
    assert {"sentinel", "bad-good-1", "bad-good-last"} <= set(edges), "the rest of the batch was not loaded"
    assert all("Sylvanian" not in s for s in edges.get("bad-dup", [])), "the rejected duplicate's text was used"


def _assert_no_partial_edges(driver: Driver) -> None:
    """Every edge belongs to a fully loaded article and carries one entry per mention in every evidence list."""
    for record in driver.execute_query(EDGE_SHAPE).records:
        assert record["marked"] is not None, f"edge of an article not fully loaded: {record['article']!r}"
        assert set(record["sizes"]) == {record["mentions"]}, record


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode),
                          st.builds(lambda d: json.dumps(d).encode(),
                                    st.dictionaries(st.sampled_from(["id", "text", "published", "title", "x"]),
                                                    st.one_of(st.none(), st.integers(), st.text(max_size=30),
                                                              st.lists(st.integers(), max_size=3))))),
                max_size=8))
def test_reading_any_bytes_gives_a_record_or_a_reject_per_line(tmp_path_factory: pytest.TempPathFactory,
                                                               lines: list[bytes]) -> None:
    path = tmp_path_factory.mktemp("lines") / "any.jsonl"
    path.write_bytes(b"\n".join(line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines) + b"\n")
    report = read_jsonl(path, Article)
    non_blank = [ln for ln in path.read_bytes().split(b"\n") if ln.decode("utf-8", "replace").strip()]
    assert len(report.records) + len(report.rejects) == len(non_blank)
    assert all(isinstance(r, Reject) and r.reason for r in report.rejects)


MOVES = st.sampled_from([GOOD, "Hundreds of Sylvanian refugees fled to Moldova on Sunday.",
                         "The Freedonian navy sent a frigate to Norway last week.", ""])


@settings(max_examples=12, deadline=None)
@given(st.lists(st.one_of(MOVES, st.text(max_size=80)), min_size=1, max_size=5))
def test_extraction_never_crashes_and_offsets_point_into_the_text(parts: list[str]) -> None:
    text = " ".join(parts) + " ."
    result = extract_all(rules(), [Article(id="prop", text=text)])
    assert set(result.failed) <= {"prop"}
    for event in result.events:
        trigger = event.trigger
        if trigger.start is not None and trigger.end is not None and trigger.text is not None:
            assert text[trigger.start:trigger.end] == trigger.text
        if event.sentence_start is not None and event.sentence_end is not None:
            assert 0 <= event.sentence_start <= event.sentence_end <= len(text)


ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=ANY_TEXT, sentence=ANY_TEXT, trigger=ANY_TEXT, source=ANY_TEXT, locality=ANY_TEXT.filter(str.strip))
def test_any_strings_are_stored_as_data_and_reloading_changes_nothing(
        neo4j_driver: Driver, title: str, sentence: str, trigger: str, source: str, locality: str) -> None:
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    event = f.event(sentence=sentence, source=source, locality=locality)
    event = event.model_copy(update={"trigger": event.trigger.model_copy(update={"text": trigger})})
    writer = GraphWriter(neo4j_driver, batch_size=2)
    writer.ensure_schema()
    writer.write([f.article(title=title)], [event])
    first = _stored(neo4j_driver)
    writer.write([f.article(title=title)], [event])
    assert _stored(neo4j_driver) == first
    assert first["title"] == title and first["sentences"] == [sentence] and first["triggers"] == [trigger]
    assert first["sources"] == ([source] if source else []) and first["localities"] == [locality]
    assert graph_counts(neo4j_driver)["moved_to"] == 1


def _stored(driver: Driver) -> dict[str, Any]:
    record = driver.execute_query(
        "MATCH (a:Article {id: 'test-1'}) OPTIONAL MATCH ()-[r:MOVED_TO {article_id: a.id}]->(l) "
        "RETURN a.title AS title, r.sentences AS sentences, r.triggers AS triggers, r.sources AS sources, "
        "r.localities AS localities, l.key AS target").records[0]
    return dict(record)


def _movegraph(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "movegraph.cli", *args], capture_output=True, text=True, env=env,
                          timeout=300, check=False)


def _unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("case", ["wrong password", "unreachable server"])
def test_broken_settings_file_gives_one_line_and_never_the_password(case: str, cli_env: dict[str, str],
                                                                    tmp_path: Path) -> None:
    secret = "Sett1ngs-File-Secret-do-not-print"
    uri = cli_env["MOVEGRAPH_NEO4J_URI"] if case == "wrong password" else f"bolt://127.0.0.1:{_unused_port()}"
    settings_file = tmp_path / "movegraph.toml"
    settings_file.write_text(f'neo4j_uri = "{uri}"\nneo4j_password = "{secret}"\n', encoding="utf-8")
    env = {k: v for k, v in cli_env.items() if k != "MOVEGRAPH_NEO4J_URI"}
    env["MOVEGRAPH_SETTINGS_FILE"] = str(settings_file)
    articles, events = tmp_path / "a.jsonl", tmp_path / "e.jsonl"
    articles.write_text(f.article().model_dump_json() + "\n")
    events.write_text(f.event().model_dump_json() + "\n")
    done = _movegraph(["load", str(articles), str(events)], env)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("movegraph: error: "), done.stderr[-2000:]
    assert ("wrong password" if case == "wrong password" else "no Neo4j answers") in lines[0]
    assert secret not in done.stdout + done.stderr
    shown = _movegraph(["settings"], env)
    assert shown.returncode == 0 and secret not in shown.stdout + shown.stderr
