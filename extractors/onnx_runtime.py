"""The event model's network through ONNX Runtime on CPU: fp32, or int8 weights by dynamic quantization.

`EventModel.load(path, runtime="onnx" | "onnx-int8")` gives an `OnnxEventModel`:
the same tokenization, mention rows and decoding as the torch model, only the
network's forward pass runs in ONNX Runtime. The ONNX file is exported once from
the saved torch model (torch.onnx, TorchScript exporter; int8 by
`onnxruntime.quantization.quantize_dynamic` of the fp32 file, the feed-forward
output projections kept fp32: `quantize_int8`) and cached under a
fingerprint of the saved files (config, encoder weights, heads), so a retrain,
which rewrites them, exports again:

- `<model>/onnx/<fingerprint>/` beside a local model folder that can be written
  (the folder the settings name; the file goes when the model goes), older
  fingerprints' folders there are removed when a new one is exported;
- else `<user cache>/movegraph/onnx/<fingerprint>/` (a hub snapshot, a read-only
  folder), or the `onnx_dir` given.

A cached file that ONNX Runtime cannot open (truncated, corrupt, not this
network's inputs) is exported again, with a warning; an export that fails twice
is an `OnnxExportError`. With the files cached, loading reads neither the torch
weights nor the network, and imports no torch: config, tokenizer and the ONNX
file only, so an install without the `train` extra reads it (exporting needs
torch: extractors/onnx_export.py; without it `TorchMissingError`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from platformdirs import user_cache_dir

from movegraph.extractors.event_model import (
    CONFIG_FILE,
    HEADS_FILE,
    EventModel,
    EventModelConfig,
    Logits,
    MarkedItem,
    Prediction,
    TorchMissingError,
    import_torch,
    looks_like_hub_id,
    resolve_model_dir,
)
from movegraph.schema import MovegraphError

if TYPE_CHECKING:
    from onnxruntime import InferenceSession
    from transformers import PreTrainedTokenizerBase

log = logging.getLogger(__name__)

EXPORT_VERSION = "2"  # part of the fingerprint: bump when the export changes (inputs, outputs, wrapper, quantization)
INPUTS: tuple[str, ...] = ("input_ids", "attention_mask", "mentions")
OUTPUTS: tuple[str, ...] = ("class_logits", "tag_logits", "link_logits")
FP32_FILE, INT8_FILE = "event-network.onnx", "event-network-int8.onnx"
OPSET = 17
FFN_OUTPUT = re.compile(r"layer\.\d+/output/dense/")  # not attention/output/dense: that one is quantized
SAVED_FILES: tuple[str, ...] = (CONFIG_FILE, "config.json", HEADS_FILE, "model.safetensors", "pytorch_model.bin")


class OnnxExportError(MovegraphError):
    """The event model could not be exported to ONNX or opened by ONNX Runtime."""


def saved_model_fingerprint(directory: Path) -> str:
    """A hash of the saved model's files (config, encoder weights, heads) and of the export format: a retrain,
    which rewrites them, changes it, so its ONNX files are exported anew."""
    digest = hashlib.sha256(f"movegraph-onnx-export-{EXPORT_VERSION}".encode())
    for name in SAVED_FILES:
        path = directory / name
        if path.is_file():
            digest.update(name.encode() + b"\0")
            with path.open("rb") as file:
                digest.update(hashlib.file_digest(file, "sha256").digest())
    return digest.hexdigest()[:16]


def export_folder(directory: Path, fingerprint: str, onnx_dir: Path | None = None, from_hub: bool = False) -> Path:
    """Where the ONNX files of the model in `directory` live (see the module docstring)."""
    if onnx_dir is not None:
        root = onnx_dir
    elif not from_hub and os.access(directory, os.W_OK):
        root = directory / "onnx"
    else:
        root = Path(user_cache_dir("movegraph")) / "onnx"
    return root / fingerprint


def onnx_exported(path_or_id: str | Path, onnx_dir: Path | None = None) -> bool:
    """Whether the fp32 ONNX file of this saved model is where `OnnxEventModel.open` looks for it (then the
    ONNX runtimes read the model without torch; the int8 file is quantized from it by ONNX Runtime)."""
    directory = resolve_model_dir(path_or_id)
    folder = export_folder(directory, saved_model_fingerprint(directory), onnx_dir, looks_like_hub_id(path_or_id))
    return (folder / FP32_FILE).is_file()


class _DropQuantizerNotes(logging.Filter):
    """onnxruntime.quantization logs a line per tensor (and advice that does not apply) on the root logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        return f"onnxruntime{os.sep}quantization" not in record.pathname


def ffn_output_matmuls(path: Path) -> list[str]:
    """The MatMul nodes of each encoder layer's feed-forward output projection (`layer.N/output/dense`)."""
    import onnx

    graph = onnx.load(str(path), load_external_data=False).graph
    return [node.name for node in graph.node if node.op_type == "MatMul" and FFN_OUTPUT.search(node.name)]


def quantize_int8(fp32_path: Path, path: Path) -> Path:
    """The fp32 ONNX file with int8 weights: dynamic quantization (activations quantized per batch at run time),
    per output channel, of the MatMul weights except the feed-forward output projections, which stay fp32 (with
    them quantized too, 3.5% of the trained model's real items change label instead of 1%; bench/onnx_runtime)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    keep_fp32 = ffn_output_matmuls(fp32_path)
    if not keep_fp32:
        log.warning("no feed-forward output projection found in %s: quantizing every MatMul", fp32_path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    notes = _DropQuantizerNotes()
    logging.getLogger().addFilter(notes)
    try:
        quantize_dynamic(fp32_path, temporary, op_types_to_quantize=["MatMul"], per_channel=True,
                         weight_type=QuantType.QInt8, nodes_to_exclude=keep_fp32)
    finally:
        logging.getLogger().removeFilter(notes)
    os.replace(temporary, path)
    log.info("quantized %s to int8 weights at %s (%d MatMuls kept fp32)", fp32_path.name, path, len(keep_fp32))
    return path


def default_threads() -> int:
    """Threads of a session when none are asked for: torch's count where torch is already loaded (both runtimes
    then use the same cores), else the cores this process may run on, without importing torch for it."""
    torch = sys.modules.get("torch")
    if torch is not None:
        return int(torch.get_num_threads())
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def open_session(path: Path, threads: int | None = None) -> InferenceSession:
    """An ONNX Runtime CPU session of `path`; `threads` defaults to `default_threads()`. Raises ValueError
    when the file is not this network's (other inputs or outputs)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or default_threads()
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only: the CPU provider's notes are not the user's business
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    inputs = tuple(i.name for i in session.get_inputs())
    outputs = tuple(o.name for o in session.get_outputs())
    if inputs != INPUTS or outputs != OUTPUTS:
        raise ValueError(f"{path} is not a movegraph event network (inputs {inputs}, outputs {outputs})")
    return session


class OnnxEventModel(EventModel):
    """The event model with its network in ONNX Runtime (CPU); cannot be saved or trained (load the torch
    runtime for that). The session is thread-safe; nothing per call is kept on the instance."""

    def __init__(self, session: InferenceSession, tokenizer: PreTrainedTokenizerBase, config: EventModelConfig,
                 runtime: str, onnx_path: Path) -> None:
        # No EventModel.__init__: there is no torch network here.
        self.session = session
        self.tokenizer = tokenizer
        self.config = config
        self.runtime = runtime
        self.onnx_path = onnx_path

    @classmethod
    def open(cls, directory: Path, config: EventModelConfig, tokenizer: PreTrainedTokenizerBase,
             quantized: bool = False, onnx_dir: Path | None = None, from_hub: bool = False,
             threads: int | None = None) -> OnnxEventModel:
        """The model saved in `directory` through ONNX Runtime, exporting (and quantizing) it on first use;
        `threads` as in `open_session`."""
        fingerprint = saved_model_fingerprint(directory)
        folder = export_folder(directory, fingerprint, onnx_dir, from_hub)
        fp32 = folder / FP32_FILE
        target = folder / INT8_FILE if quantized else fp32
        for attempt in (1, 2):
            try:
                if not target.is_file():
                    _export(directory, config, tokenizer, folder, quantized,
                            prune=onnx_dir is None and folder.parent == directory / "onnx")
                session = open_session(target, threads)
                break
            except TorchMissingError:
                raise  # nothing to retry: exporting needs torch, and it says so
            except Exception as exc:  # noqa: BLE001 - ORT, onnx and the exporter raise many types; one clear path
                if attempt == 2:
                    raise OnnxExportError(f"could not export the event model in {directory} to ONNX or open it "
                                          f"({type(exc).__name__}: {exc}); use runtime=torch") from exc
                log.warning("cached ONNX file %s unusable (%s: %s); exporting it again", target,
                            type(exc).__name__, str(exc)[:200])
                for path in {target, fp32}:
                    path.unlink(missing_ok=True)
        runtime = "onnx-int8" if quantized else "onnx"
        log.info("event model %s runs on ONNX Runtime (%s) from %s", directory, runtime, target)
        return cls(session, tokenizer, config, runtime, target)

    def predict(self, items: list[MarkedItem], batch_size: int = 32) -> list[Prediction]:
        """Read each marked candidate. With int8 weights one item per run: dynamic quantization scales the
        activations over the whole batch, so batch mates would change an item's scores (up to 1.5e-3 on the
        real model) and the flow's chunks would disagree with `movegraph extract`; unpadded single items still
        read 173 items/s against torch's 150 in batches of 32 (idle 2-core machine, 600 real sentences)."""
        return super().predict(items, batch_size=1 if self.runtime == "onnx-int8" else batch_size)

    def logits(self, input_ids: np.ndarray, attention_mask: np.ndarray, mentions: np.ndarray) -> Logits:
        """The network's raw outputs for one padded batch, from ONNX Runtime."""
        class_logits, tag_logits, link_logits = self.session.run(
            list(OUTPUTS), {"input_ids": input_ids, "attention_mask": attention_mask, "mentions": mentions})
        return class_logits, tag_logits, link_logits

    def save(self, directory: str | Path) -> Path:
        """Not possible: the torch weights were not loaded. Load with runtime="torch" to save."""
        raise TypeError("an event model loaded on ONNX Runtime cannot be saved; load it with runtime='torch'")


def _export(directory: Path, config: EventModelConfig, tokenizer: PreTrainedTokenizerBase, folder: Path,
            quantized: bool, prune: bool) -> None:
    """Write the fp32 file (from the torch model) if missing, then the int8 one if asked for."""
    folder.mkdir(parents=True, exist_ok=True)
    fp32 = folder / FP32_FILE
    if not fp32.is_file():
        import_torch(f"exporting the event model in {directory} to ONNX (its ONNX files are not in {folder})")
        from movegraph.extractors.event_network import load_network
        from movegraph.extractors.onnx_export import export_network

        export_network(load_network(directory, config, tokenizer), fp32)
        if prune:  # beside the model: older fingerprints are older trainings of this folder
            for stale in folder.parent.iterdir():
                if stale.is_dir() and stale != folder:
                    shutil.rmtree(stale, ignore_errors=True)
                    log.info("removed the ONNX export of an earlier training, %s", stale)
    if quantized:
        quantize_int8(fp32, folder / INT8_FILE)
