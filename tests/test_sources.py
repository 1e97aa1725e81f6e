"""Sources: feeds, pages, JSONL and drop folders from a local HTTP server; ids, cursors, rejects; the feed flow."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from neo4j import Driver

from movegraph.schema import text_hash
from movegraph.sources import (
    CursorStore,
    SourceSpec,
    article_id_for_url,
    canonical_url,
    collect_source,
    load_sources_file,
)
from movegraph.sources.language import not_english_reason
from tests.fixtures.feeds.server import FeedServer

ESTONIA = "/pages/estonia-troops.html"
MOLDOVA = "/pages/moldova-refugees.html"


@pytest.fixture(scope="module")
def feeds() -> Iterator[FeedServer]:
    """The fixture feeds and pages on a free loopback port."""
    with FeedServer() as server:
        yield server


def _article(aid: str, text: str, **extra: object) -> str:
    return json.dumps({"id": aid, "text": text, "published": "2025-01-10", "language": "en", **extra})


STORY = ("About 200 Dutch troops arrived in Lithuania on Friday for a NATO exercise, the Lithuanian army said "
         "in a statement. The soldiers will stay in the country until the end of February, officials said.")
STORY_2 = ("Hundreds of Ukrainian refugees fled to Poland over the weekend, aid workers said on Monday, and more "
           "families were expected to cross the border during the week according to the local authorities.")


# -- ids and parsing ---------------------------------------------------------------
def test_canonical_url_drops_tracking_fragment_and_default_port() -> None:
    assert canonical_url("HTTPS://WWW.Example.org:443/a/b/?utm_source=x&b=2&a=1#top") == \
        "https://www.example.org/a/b?a=1&b=2"
    assert article_id_for_url("http://example.org/x?utm_medium=rss") == article_id_for_url("http://example.org/x")
    assert article_id_for_url("http://example.org/x").startswith("example.org:")
    assert article_id_for_url("http://example.org/x") != article_id_for_url("http://example.org/y")


def test_language_check_uses_declaration_then_words() -> None:
    assert not_english_reason(STORY) is None
    assert "declared language 'fr'" in str(not_english_reason(STORY, "fr"))
    assert not_english_reason("Environ trois cents soldats français sont arrivés mardi en Estonie pour un "
                              "exercice d'hiver avec les forces alliées, a indiqué le ministère estonien de "
                              "la défense dans un communiqué publié lundi soir à Tallinn.") is not None


def test_sources_file_resolves_paths_and_names_errors(tmp_path: Path) -> None:
    file = tmp_path / "conf" / "sources.yaml"
    file.parent.mkdir()
    file.write_text(yaml.safe_dump({"state_dir": "state", "sources": [
        {"name": "drop", "kind": "folder", "path": "../drop"},
        {"name": "wire", "kind": "feed", "url": "http://127.0.0.1:1/feed.rss"}]}))
    parsed = load_sources_file(file)
    assert parsed.sources[0].path == file.parent / "../drop"
    assert parsed.state_dir == file.parent / "state"
    file.write_text(yaml.safe_dump({"sources": [{"name": "wire", "kind": "feed"}]}))
    with pytest.raises(ValueError, match="a feed needs `url`"):
        load_sources_file(file)
    file.write_text(yaml.safe_dump({"sources": [{"name": "a", "kind": "jsonl", "path": "x"}] * 2}))
    with pytest.raises(ValueError, match="duplicate source names: a"):
        load_sources_file(file)
    with pytest.raises(FileNotFoundError):
        load_sources_file(tmp_path / "absent.yaml")


# -- feeds and pages ------------------------------------------------------------------
def test_feed_gives_articles_rejects_with_reasons_and_an_incremental_cursor(feeds: FeedServer) -> None:
    spec = SourceSpec(name="wire", kind="feed", url=f"{feeds.base}/world.rss", timeout=5)
    got = collect_source(spec, {})
    assert sorted(a.url for a in got.articles) == sorted(
        [f"{feeds.base}{ESTONIA}?utm_source=rss&utm_medium=feed", f"{feeds.base}{MOLDOVA}"])
    estonia = next(a for a in got.articles if "estonia" in (a.url or ""))
    assert estonia.id == article_id_for_url(f"{feeds.base}{ESTONIA}")
    assert estonia.source == "Test Wire World" and str(estonia.published) == "2025-01-15"
    assert "About 300 French troops arrived in Estonia" in estonia.text and "Copyright" not in estonia.text
    reasons = {r.input.rsplit("/", 1)[1]: (r.stage, r.reason) for r in got.rejects}
    assert reasons["gone.html"] == ("fetch-page", "HTTP 404 Not Found")
    assert reasons["empty.html"][0] == "extract-page" and reasons["empty.html"][1].startswith("empty text")
    assert reasons["french-news.html"] == ("language", "not English: declared language 'fr'")
    assert got.fetched == 5 and len(got.cursor["seen"]) == 5

    again = collect_source(spec, got.cursor)
    assert again.articles == [] and again.rejects == [] and again.fetched == 0
    assert feeds.hits["/world.rss"] == 2 and feeds.hits[ESTONIA] == 1  # 304 the second time


def test_atom_entries_without_page_fetch_use_the_entry_content(feeds: FeedServer) -> None:
    spec = SourceSpec(name="navy", kind="feed", url=f"{feeds.base}/navy.atom", fetch_pages=False, min_chars=100)
    got = collect_source(spec, {})
    assert [a.title for a in got.articles] == ["Canadian frigate sails to Norway"]
    assert got.articles[0].text.startswith("The Canadian frigate HMCS Example sailed to Norway")
    assert "<p>" not in got.articles[0].text and got.articles[0].language == "en"


def test_page_failures_are_rejects_and_transient_ones_say_so(feeds: FeedServer) -> None:
    spec = SourceSpec(name="pages", kind="page", urls=[f"{feeds.base}{MOLDOVA}", f"{feeds.base}/pages/report.txt",
                                                       f"{feeds.base}/status/503", f"{feeds.base}/slow",
                                                       "http://127.0.0.1:9/closed"], timeout=0.5)
    got = collect_source(spec, {})
    assert [a.title for a in got.articles] == ["Families flee to Moldova as shelling continues"]
    by_url = {r.input: r for r in got.rejects}
    assert by_url[f"{feeds.base}/pages/report.txt"].reason == "not HTML (content-type text/plain)"
    assert by_url[f"{feeds.base}/status/503"].transient
    assert by_url[f"{feeds.base}/slow"].reason == "timeout after 0.5s" and by_url[f"{feeds.base}/slow"].transient
    assert by_url["http://127.0.0.1:9/closed"].reason.startswith("network error")


# -- files ----------------------------------------------------------------------------
def test_jsonl_source_reads_only_appended_lines(tmp_path: Path) -> None:
    file = tmp_path / "articles.jsonl"
    file.write_text(_article("a1", STORY) + "\n")
    spec = SourceSpec(name="file", kind="jsonl", path=file)
    first = collect_source(spec, {})
    assert [a.id for a in first.articles] == ["a1"] and first.articles[0].source == "file"
    with file.open("a") as handle:
        handle.write(_article("a2", STORY_2) + "\n{not json\n")
    second = collect_source(spec, first.cursor)
    assert [a.id for a in second.articles] == ["a2"]
    assert [(r.input, r.line, r.stage) for r in second.rejects] == [(str(file), 3, "read-line")]
    assert collect_source(spec, second.cursor).articles == []
    file.write_text(_article("a3", STORY) + "\n")  # rewritten: read from the start
    assert [a.id for a in collect_source(spec, second.cursor).articles] == ["a3"]


def test_drop_folder_reads_new_and_changed_files(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "one.jsonl").write_text(_article("d1", STORY) + "\n")
    (drop / "ignored.txt").write_text("not an article file")
    spec = SourceSpec(name="drop", kind="folder", path=drop)
    first = collect_source(spec, {})
    assert [a.id for a in first.articles] == ["d1"]
    (drop / "two.jsonl").write_text(_article("d2", STORY_2) + "\n")
    second = collect_source(spec, first.cursor)
    assert [a.id for a in second.articles] == ["d2"] and second.unchanged == 1
    missing = collect_source(SourceSpec(name="gone", kind="folder", path=tmp_path / "nope"), {})
    assert missing.rejects[0].reason == "folder not found"


def test_cursor_store_round_trip_and_corrupt_file(tmp_path: Path) -> None:
    store = CursorStore(tmp_path)
    store.save("wire", {"etag": '"x"', "seen": {"k": "f"}})
    assert store.load("wire") == {"etag": '"x"', "seen": {"k": "f"}}
    store.path("bad").write_text("{broken")
    assert store.load("bad") == {} and store.load("absent") == {}


# -- the ingest-feeds flow against the real Neo4j ----------------------------------------
@pytest.fixture()
def flow_env(cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """This process talks to the session's Neo4j, with a Prefect test harness (temporary database)."""
    for key, value in cli_env.items():
        if key.startswith("MOVEGRAPH_"):
            monkeypatch.setenv(key, value)
    return tmp_path


@pytest.fixture(scope="module")
def prefect_harness() -> Iterator[None]:
    """A temporary Prefect database and API server for the flows run in this module."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def _edges(driver: Driver, article_id: str) -> list[tuple[str, str, int]]:
    records, _, _ = driver.execute_query(
        "MATCH (a:Actor)-[m:MOVED_TO {article_id: $id}]->(l:Location) RETURN a.key AS a, l.key AS l, m.mentions AS n "
        "ORDER BY a, l", id=article_id)
    return [(r["a"], r["l"], r["n"]) for r in records]


def test_ingest_feeds_flow_loads_new_skips_known_and_replaces_changed(
        feeds: FeedServer, flow_env: Path, empty_graph: Driver, prefect_harness: None) -> None:
    from movegraph.flows.feeds import ingest_feeds

    drop = flow_env / "drop"
    drop.mkdir()
    (drop / "batch.jsonl").write_text(_article("drop-1", STORY) + "\n")
    sources = flow_env / "sources.yaml"
    sources.write_text(yaml.safe_dump({"state_dir": "state", "sources": [
        {"name": "wire", "kind": "feed", "url": f"{feeds.base}/world.rss", "timeout": 5},
        {"name": "navy", "kind": "feed", "url": f"{feeds.base}/navy.atom", "fetch_pages": False, "min_chars": 100},
        {"name": "broken", "kind": "feed", "url": f"{feeds.base}/pages/report.txt"},
        {"name": "drop", "kind": "folder", "path": "drop"}]}))

    first = ingest_feeds(str(sources))
    assert (first.sources, first.new, first.changed, first.skipped) == (4, 4, 0, 0)
    assert first.rejected == 4 and first.edges_written > 0
    estonia = article_id_for_url(f"{feeds.base}{ESTONIA}")
    assert ("FR/military", "EE", 2) in _edges(empty_graph, estonia)
    rejects = [json.loads(line) for line in (flow_env / "state" / "rejects.jsonl").read_text().splitlines()]
    assert {r["source"] for r in rejects} == {"wire", "broken"}
    assert any(r["stage"] == "parse-feed" and r["reason"].startswith("not an RSS/Atom feed") for r in rejects)

    second = ingest_feeds(str(sources))
    assert (second.new, second.changed, second.edges_written) == (0, 0, 0)
    assert second.fetched == 0 and second.rejected == 1  # feeds answered 304; only the broken feed again

    changed = STORY.replace("Lithuania", "Latvia").replace("Lithuanian", "Latvian")
    (drop / "batch.jsonl").write_text(_article("drop-1", changed) + "\n")
    third = ingest_feeds(str(sources))
    assert (third.new, third.changed) == (0, 1)
    assert [e[1] for e in _edges(empty_graph, "drop-1")] == ["LV"]  # replaced, not added
    records, _, _ = empty_graph.execute_query("MATCH (a:Article {id: 'drop-1'}) RETURN a.text_hash AS h")
    assert records[0]["h"] == text_hash(changed)
