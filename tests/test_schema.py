"""The pydantic contracts and JSONL reading: bad lines are named, good lines go through."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from movegraph.schema import Actor, Article, FactKey, GoldActor, GoldArticle, MovementEvent, read_jsonl, write_jsonl
from tests import factories as f
from tests.conftest import SAMPLE_ARTICLES, SAMPLE_GOLD


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bad_lines_are_reported_with_file_line_and_field(tmp_path: Path) -> None:
    source = _write(tmp_path / "articles.jsonl", [
        json.dumps({"id": "a1", "text": "Troops arrived in Lviv.", "published": "2024-03-13"}),
        json.dumps({"id": "a2", "published": "2024-03-13"}),
        "{not json",
        "",
        json.dumps({"id": "a3", "text": "Refugees fled.", "published": "13/03/2024"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "a4", "text": "Ships sailed to Crete.", "published": "2024-03-13T23:30:00-05:00"}),
    ])
    rejects = tmp_path / "rejects.jsonl"
    report = read_jsonl(source, Article, rejects)
    assert [a.id for a in report.records] == ["a1", "a4"]
    assert report.records[1].published == dt.date(2024, 3, 13)
    assert [r.line for r in report.rejects] == [2, 3, 5, 6]
    assert "field 'text'" in report.rejects[0].reason
    assert "not valid JSON" in report.rejects[1].reason
    assert "field 'published'" in report.rejects[2].reason
    written = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert [(w["input"], w["line"], w["stage"]) for w in written] == [
        (str(source), n, "read-line") for n in (2, 3, 5, 6)]


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such file"):
        read_jsonl(tmp_path / "absent.jsonl", Article)


def test_non_utf8_file_is_rejected_not_crashing(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(json.dumps({"id": "x", "text": "caf\u00e9"}).encode("latin-1").replace(b"\\u00e9", b"\xe9"))
    report = read_jsonl(path, Article)
    assert report.records == [] and "not UTF-8" in report.rejects[0].reason


def test_blank_text_and_id_are_rejected() -> None:
    with pytest.raises(ValidationError, match="text is empty"):
        Article(id="x", text="   ")
    with pytest.raises(ValidationError, match="id is blank"):
        Article(id="  ", text="Troops arrived.")


def test_factual_must_follow_modality() -> None:
    event = f.event()
    data = event.model_dump() | {"modality": "denied"}
    with pytest.raises(ValidationError, match="contradicts modality"):
        MovementEvent.model_validate(data)


def test_subdivision_must_belong_to_country() -> None:
    data = f.event().model_dump()
    data["destination"]["subdivision"] = "RU-KRS"
    with pytest.raises(ValidationError, match="not in country"):
        MovementEvent.model_validate(data)


def test_event_id_is_stable_and_round_trips(tmp_path: Path) -> None:
    first, second = f.event(), f.event()
    assert first.event_id == second.event_id and len(first.event_id) == 16
    assert f.event(trigger=(1, 5)).event_id != first.event_id
    path = tmp_path / "events.jsonl"
    write_jsonl([first], path)
    line = json.loads(path.read_text())
    assert line["origin"] is None and "via" in line and "agent" in line  # nulls kept, never omitted
    assert read_jsonl(path, MovementEvent).records == [first]


def test_person_and_group_keys() -> None:
    event = f.event(actor_type="person")
    assert event.mover.key == "person:ua person"
    assert f.event().mover.key == "UA/military"
    key = f.event().fact_key()
    assert isinstance(key, FactKey) and key == FactKey("UA/military", "UA", "UA-46", True)
    assert key.mover == "UA/military"


@pytest.mark.parametrize(("affiliation", "kind", "name", "key"), [
    ("UA", "person", " Volodymyr Zelensky ", "person:volodymyr zelensky"),
    ("UA", "person", None, "UA/person"),
    (None, "military", "Wagner", "unknown/military"),
])
def test_predicted_and_gold_movers_share_one_key_rule(affiliation: str | None, kind: str, name: str | None,
                                                      key: str) -> None:
    assert Actor(affiliation=affiliation, type=kind, name=name).key == key
    assert GoldActor(affiliation=affiliation, type=kind, name=name).key == key


def test_sample_and_gold_files_read_cleanly() -> None:
    if not SAMPLE_GOLD.is_file():
        pytest.skip("shared sample not present")
    assert len(read_jsonl(SAMPLE_ARTICLES, Article).records) == 1
    gold = read_jsonl(SAMPLE_GOLD, GoldArticle)
    assert gold.rejects == [] and len(gold.records[0].facts) == 6


def test_actor_state_is_the_iso_code_or_none() -> None:
    assert Actor(affiliation="KP", type="military").state == "KP"
    assert Actor(affiliation="wagner group", type="military").state is None
    assert Actor(affiliation=None, type="civilians").state is None
