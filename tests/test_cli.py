"""The console script end to end: extract and score on the sample, run the flow into the real server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import Driver

from movegraph.schema import MovementEvent, read_jsonl
from tests import factories as f
from tests.conftest import SAMPLE_ARTICLES, SAMPLE_GOLD
from tests.helpers import run_movegraph

pytestmark = pytest.mark.skipif(not SAMPLE_ARTICLES.is_file(), reason="../shared sample not present")


movegraph = run_movegraph


def test_extract_writes_valid_events_and_score_prints_figures(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    done = movegraph("extract", str(SAMPLE_ARTICLES), "-o", str(events))
    assert done.returncode == 0, done.stderr
    report = read_jsonl(events, MovementEvent)
    assert report.rejects == [] and report.records, "the extractor found no event in the sample"
    for event in report.records:
        assert event.article_id == "voi-428007"
        assert event.sentence and event.sentence_start is not None
    scored = movegraph("score", "--gold", str(SAMPLE_GOLD), "--pred", str(events), "--json", str(tmp_path / "r.json"))
    assert scored.returncode == 0, scored.stderr
    assert "strict" in scored.stdout and "F1" in scored.stdout
    assert "strict" in json.loads((tmp_path / "r.json").read_text())


def test_extract_reports_bad_lines_and_keeps_good_ones(tmp_path: Path) -> None:
    articles = tmp_path / "articles.jsonl"
    good = f.article().model_dump_json()
    articles.write_text(good + "\n" + '{"id": "no-text"}\n')
    done = movegraph("extract", str(articles), "-o", str(tmp_path / "events.jsonl"))
    assert done.returncode == 0, done.stderr
    assert "1 articles" in done.stdout and "1 rejected" in done.stdout
    rejects = (tmp_path / "events.jsonl.rejects.jsonl").read_text().splitlines()
    assert json.loads(rejects[0])["line"] == 2 and "field 'text'" in json.loads(rejects[0])["reason"]


def test_missing_input_is_one_clear_line(tmp_path: Path) -> None:
    done = movegraph("extract", str(tmp_path / "absent.jsonl"), "-o", str(tmp_path / "e.jsonl"))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"movegraph: error: {tmp_path / 'absent.jsonl'}: no such file"]


def test_run_loads_the_sample_into_neo4j_idempotently(empty_graph: Driver, cli_env: dict[str, str],
                                                      tmp_path: Path) -> None:
    first = movegraph("run", str(SAMPLE_ARTICLES), "--rejects", str(tmp_path / "rejects.jsonl"), env=cli_env)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "MOVED_TO edges" in first.stdout
    count = "MATCH (:Actor)-[r:MOVED_TO]->(:Location) RETURN count(r) AS n"
    edges = empty_graph.execute_query(count).records[0]["n"]
    assert edges > 0
    records, _, _ = empty_graph.execute_query(
        "MATCH (:Actor)-[r:MOVED_TO]->(:Location) MATCH (a:Article {id: r.article_id}) "
        "RETURN a.id AS id, r.sentences AS sentences, r.trigger_starts AS starts")
    for record in records:
        assert record["id"] == "voi-428007" and record["sentences"] and record["starts"]
    second = movegraph("run", str(SAMPLE_ARTICLES), "--rejects", str(tmp_path / "rejects.jsonl"), env=cli_env)
    assert second.returncode == 0, second.stderr[-3000:]
    assert empty_graph.execute_query(count).records[0]["n"] == edges


def test_wrong_password_fails_with_one_line(cli_env: dict[str, str], tmp_path: Path) -> None:
    env = cli_env | {"MOVEGRAPH_NEO4J_PASSWORD": "definitely-wrong-pw"}
    article = tmp_path / "a.jsonl"
    article.write_text(f.article().model_dump_json() + "\n")
    events = tmp_path / "e.jsonl"
    events.write_text(f.event().model_dump_json() + "\n")
    done = movegraph("load", str(article), str(events), env=env)
    assert done.returncode == 2
    assert "wrong password" in done.stderr and "definitely-wrong-pw" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_evaluate_passes_typed_extractor_options_and_refuses_unknown_ones(tmp_path: Path) -> None:
    from movegraph.cli import parse_options

    assert parse_options(["link_first=false", "use_role_linker=True", "k=3", "t=0.5", "name=x"]) == {
        "link_first": False, "use_role_linker": True, "k": 3, "t": 0.5, "name": "x"}
    with pytest.raises(ValueError, match="KEY=VALUE"):
        parse_options(["link_first"])
    done = movegraph("evaluate", str(SAMPLE_GOLD), "--extractor", "rules", "--option", "link_first=false",
                     "--report", str(tmp_path / "r.json"))
    assert done.returncode == 2 and "does not take these options" in done.stderr and "calibration" in done.stderr
    assert not (tmp_path / "r.json").exists()


def test_extract_with_an_extractor_that_needs_no_torch_keeps_it_out_and_finds_the_same(tmp_path: Path) -> None:
    pytest.importorskip("torch")  # installed (make setup): spaCy's thinc would load it
    kept_out, loaded = tmp_path / "kept-out.jsonl", tmp_path / "loaded.jsonl"
    done = movegraph("-v", "extract", "--extractor", "rules", str(SAMPLE_ARTICLES), "-o", str(kept_out))
    assert done.returncode == 0, done.stderr
    assert "the rules extractor reads without torch: torch is kept out of this process" in done.stderr
    script = ("import sys, torch; from movegraph.cli import main; "  # torch loaded first: nothing is kept out
              f"sys.exit(main(['extract', '--extractor', 'rules', {str(SAMPLE_ARTICLES)!r}, '-o', {str(loaded)!r}]))")
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600, check=False)
    assert other.returncode == 0, other.stderr
    assert kept_out.read_text() == loaded.read_text() and kept_out.read_text()
