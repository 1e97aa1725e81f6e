"""EventModel: a fine-tuned encoder that reads a sentence with one candidate trigger marked.

One forward pass gives (a) the trigger's class, `none` or one of the five
modalities, (b) BIO tags of that trigger's arguments and (c) for each candidate
mention of the sentence, its role for this trigger (span-pair scoring: the
trigger marker's vector against the mention's vector): the role linker. Loadable
from a local directory or a hub id; with HF_HUB_OFFLINE=1 a hub id resolves from
the local hub cache only.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from movegraph.schema import MODALITIES, InputError, MovegraphError

if TYPE_CHECKING:  # torch only where the torch runtime or training is used: ONNX inference runs without it
    from transformers import PreTrainedTokenizerBase  # transformers imports torch whenever it is installed

    from movegraph.extractors.event_network import EventNetwork

log = logging.getLogger(__name__)

CLASSES: tuple[str, ...] = ("none", *MODALITIES)
ROLES: tuple[str, ...] = ("MOVER", "DESTINATION", "ORIGIN", "TIME", "SOURCE", "AGENT")
TAGS: tuple[str, ...] = ("O", *(f"{p}-{r}" for r in ROLES for p in ("B", "I")))
LINKS: tuple[str, ...] = ("none", "MOVER", "DESTINATION", "ORIGIN", "AGENT")  # roles the linker picks
MARK_OPEN, MARK_CLOSE = "[unused0]", "[unused1]"
CONFIG_FILE, HEADS_FILE = "movegraph_event_model.json", "heads.pt"
RUNTIMES: tuple[str, ...] = ("torch", "onnx", "onnx-int8")  # how `EventModel.load` runs the network


class ModelNotFoundError(MovegraphError):
    """No trained event model where the settings point."""


class TorchMissingError(MovegraphError):
    """torch is not installed, and the asked-for work needs it (training, the torch runtime, an ONNX export)."""


def import_torch(purpose: str) -> Any:
    """The torch module, or a TorchMissingError that says what needs it and how to install it."""
    try:
        import torch
    except ImportError:
        raise TorchMissingError(f"{purpose} needs torch, which is not installed: install the training extra "
                                "(pip install 'movegraph[train]'), or read with runtime='onnx-int8' a model "
                                "whose ONNX files were exported where torch is installed") from None
    return torch


@dataclass
class EventModelConfig:
    """What the saved model needs besides its weights: labels, lexicon, calibration, provenance."""

    base_encoder: str
    max_length: int = 96
    temperature: float = 1.0
    event_threshold: float = 0.5
    lexicon: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=lambda: list(CLASSES))
    tags: list[str] = field(default_factory=lambda: list(TAGS))
    links: list[str] = field(default_factory=list)  # empty: a model saved without the role linker
    link_threshold: float = 0.5
    metrics: dict[str, object] = field(default_factory=dict)
    confidence_map: dict[str, object] = field(default_factory=dict)  # fact-level ConfidenceMap, fitted on held-out
    screen: dict[str, object] = field(default_factory=dict)  # CandidateScreen; empty: every candidate is read
    data_hash: str = ""
    seed: int = 13


@dataclass(frozen=True)
class MarkedItem:
    """One candidate to read: its sentence, trigger offsets and candidate mentions (sentence characters)."""

    sentence: str
    start: int
    end: int
    mentions: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Prediction:
    """The model's reading of one marked candidate."""

    label: str
    p_event: float
    modality_probs: dict[str, float]
    arguments: list[tuple[str, int, int]]  # (role, start, end) in sentence characters
    links: dict[tuple[int, int], dict[str, float]] = field(default_factory=dict)  # mention (start, end) -> role probs


def to_marked(offset: int, start: int, end: int, shift: int) -> int:
    """A sentence offset moved into the marked sentence (markers inserted around [start, end))."""
    if offset <= start:
        return offset
    if offset <= end:
        return offset + shift
    return offset + shift + len(MARK_CLOSE) + 1


def mention_pieces(offsets: list[list[int]] | list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """First and last word piece inside marked characters [start, end); None when truncation cut it off."""
    inside = [i for i, (a, b) in enumerate(offsets) if a != b and start <= a and b <= end]
    return (inside[0], inside[-1]) if inside else None


def mark(sentence: str, start: int, end: int) -> tuple[str, int]:
    """The sentence with the trigger at [start, end) wrapped in markers, and the shift after the open marker."""
    open_ = MARK_OPEN + " "
    return sentence[:start] + open_ + sentence[start:end] + " " + MARK_CLOSE + sentence[end:], len(open_)


def marker_id(tokenizer: PreTrainedTokenizerBase) -> int:
    """The vocabulary id of the open trigger marker."""
    found = tokenizer.convert_tokens_to_ids(MARK_OPEN)
    assert isinstance(found, int), found  # one token in, one id out
    return found


def load_tokenizer(path: str | Path) -> PreTrainedTokenizerBase:
    """The encoder's tokenizer with the trigger markers kept whole (they are in the vocabulary)."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(path))
    tokenizer.add_special_tokens({"additional_special_tokens": [MARK_OPEN, MARK_CLOSE]})
    return tokenizer


def load_config(directory: Path) -> EventModelConfig:
    """The movegraph config saved beside the weights."""
    return EventModelConfig(**json.loads((directory / CONFIG_FILE).read_text()))


# The network's raw outputs: class (batch, classes), tags (batch, pieces, tags), links (mention rows, links).
Logits = tuple[np.ndarray, np.ndarray, np.ndarray]


class EventModel:
    """A trained event model ready for inference; `save` and `load` keep it in one directory.

    This class runs the network with torch; `load(..., runtime="onnx")` gives its ONNX Runtime subclass, which
    differs only in `logits`. Nothing per call is kept on the instance, so one model serves many threads.
    """

    runtime = "torch"

    def __init__(self, network: EventNetwork, tokenizer: PreTrainedTokenizerBase, config: EventModelConfig) -> None:
        self.network = network.eval()
        self.tokenizer = tokenizer
        self.config = config

    @classmethod
    def load(cls, path_or_id: str | Path, runtime: str = "torch", onnx_dir: str | Path | None = None,
             threads: int | None = None) -> EventModel:
        """Load from a local directory or a hub id (offline-safe); a clear error when absent.

        `runtime`: "torch", or "onnx" / "onnx-int8" for ONNX Runtime on CPU (fp32, or int8 weights by dynamic
        quantization), exported once from the saved torch model and cached by the weights' fingerprint in
        `onnx_dir` (default: an `onnx/` folder beside a local model, else the user cache). `threads`: the most
        CPU threads the network runs on (default: torch's, one per core); for torch this is process-wide, so a
        pool with one process per core gives 1 (see `flows.runners.threads_per_worker`).
        """
        if runtime not in RUNTIMES:
            raise InputError(f"unknown event model runtime {runtime!r}; one of: {', '.join(RUNTIMES)}")
        if threads is not None and threads < 1:
            raise InputError(f"event model threads must be 1 or more, got {threads}")
        directory = resolve_model_dir(path_or_id)
        config = load_config(directory)
        tokenizer = load_tokenizer(directory)
        if runtime == "torch":
            torch = import_torch("runtime='torch'")
            from movegraph.extractors.event_network import load_network

            if threads is not None:
                torch.set_num_threads(threads)
            return cls(load_network(directory, config, tokenizer), tokenizer, config)
        from movegraph.extractors.onnx_runtime import OnnxEventModel

        return OnnxEventModel.open(directory, config, tokenizer, quantized=runtime == "onnx-int8",
                                   onnx_dir=Path(onnx_dir) if onnx_dir else None,
                                   from_hub=looks_like_hub_id(path_or_id), threads=threads)

    def save(self, directory: str | Path) -> Path:
        """Write encoder, heads, tokenizer and config (with metrics and data hash) to `directory`."""
        torch = import_torch("saving an event model")
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.network.encoder.save_pretrained(str(directory))
        self.tokenizer.save_pretrained(str(directory))
        torch.save({"class_head": self.network.class_head.state_dict(),
                    "tag_head": self.network.tag_head.state_dict(),
                    "link_head": self.network.link_head.state_dict()}, directory / HEADS_FILE)
        (directory / CONFIG_FILE).write_text(json.dumps(asdict(self.config), indent=2, default=str) + "\n")
        return directory

    def predict(self, items: list[MarkedItem], batch_size: int = 32) -> list[Prediction]:
        """Read each marked candidate; offsets are sentence characters."""
        order = sorted(range(len(items)), key=lambda i: len(items[i].sentence))  # similar lengths pad less
        predictions: list[Prediction | None] = [None] * len(items)
        for i in range(0, len(order), batch_size):
            chunk = order[i:i + batch_size]
            for index, prediction in zip(chunk, self._predict_batch([items[j] for j in chunk]), strict=True):
                predictions[index] = prediction
        return predictions  # type: ignore[return-value]

    def logits(self, input_ids: np.ndarray, attention_mask: np.ndarray, mentions: np.ndarray) -> Logits:
        """The network's raw outputs for one padded batch; `mentions` is (rows, 3) int64, possibly empty."""
        import torch  # this instance holds a torch network, so torch is installed

        with torch.inference_mode():
            out = self.network(torch.from_numpy(input_ids), torch.from_numpy(attention_mask),
                               torch.from_numpy(mentions) if len(mentions) else None)
        return out[0].numpy(), out[1].numpy(), out[2].numpy()

    def _predict_batch(self, items: list[MarkedItem]) -> list[Prediction]:
        marked = [mark(item.sentence, item.start, item.end) for item in items]
        enc = self.tokenizer([m for m, _ in marked], truncation=True, max_length=self.config.max_length,
                             padding=True, return_offsets_mapping=True, return_tensors="np")
        offsets = enc["offset_mapping"].tolist()
        rows, owners = mention_rows(items, [shift for _, shift in marked], offsets) if self.config.links else ([], [])
        mentions = np.array(rows, dtype=np.int64).reshape(-1, 3)
        class_logits, tag_logits, link_logits = self.logits(enc["input_ids"].astype(np.int64),
                                                            enc["attention_mask"].astype(np.int64), mentions)
        probs = softmax(class_logits / self.config.temperature)
        link_probs = softmax(link_logits).tolist()
        tags = tag_logits.argmax(-1)
        links: list[dict[tuple[int, int], dict[str, float]]] = [{} for _ in items]
        for (row, span), p_link in zip(owners, link_probs, strict=False):
            links[row][span] = dict(zip(self.config.links, p_link, strict=False))
        out = []
        for row, (item, (_, shift)) in enumerate(zip(items, marked, strict=True)):
            p = probs[row].tolist()
            modality_probs = dict(zip(self.config.classes[1:], p[1:], strict=True))
            label = self.config.classes[int(np.argmax(probs[row]))]
            args = decode_tags([self.config.tags[t] for t in tags[row].tolist()], offsets[row], item.start, item.end,
                               shift)
            out.append(Prediction(label=label, p_event=1.0 - p[0], modality_probs=modality_probs, arguments=args,
                                  links=links[row]))
        return out


def softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, in the logits' dtype (float32 for every runtime)."""
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def mention_rows(items: list[MarkedItem], shifts: list[int], offsets: list[list[list[int]]]
                 ) -> tuple[list[tuple[int, int, int]], list[tuple[int, tuple[int, int]]]]:
    """(batch row, first piece, last piece) of every candidate mention that survived truncation, and its owner."""
    rows, owners = [], []
    for row, (item, shift) in enumerate(zip(items, shifts, strict=True)):
        if mention_pieces(offsets[row], item.start + shift, item.end + shift) is None:
            continue  # truncation cut the trigger off: there is no marker to score mentions against
        for start, end in item.mentions:
            pieces = mention_pieces(offsets[row], to_marked(start, item.start, item.end, shift),
                                    to_marked(end, item.start, item.end, shift))
            if pieces is not None:
                rows.append((row, *pieces))
                owners.append((row, (start, end)))
    return rows, owners


def decode_tags(tags: list[str], offsets: list[list[int]], start: int, end: int,
                shift: int) -> list[tuple[str, int, int]]:
    """BIO tags over word pieces -> (role, start, end) spans in the unmarked sentence's characters."""
    spans: list[tuple[str, int, int]] = []
    current: list = []
    for tag, (a, b) in zip(tags, offsets, strict=False):
        if a == b:  # special tokens and padding
            continue
        if tag.startswith("B-") or (tag.startswith("I-") and (not current or current[0] != tag[2:])):
            if current:
                spans.append(tuple(current))
            current = [tag[2:], a, b]
        elif tag.startswith("I-"):
            current[2] = b
        else:
            if current:
                spans.append(tuple(current))
            current = []
    if current:
        spans.append(tuple(current))
    return [(role, unmark_offset(a, start, end, shift), unmark_offset(b, start, end, shift)) for role, a, b in spans]


def unmark_offset(offset: int, start: int, end: int, shift: int) -> int:
    """A character offset of the marked sentence mapped back to the original sentence."""
    if offset <= start:
        return offset
    if offset <= end + shift:
        return max(start, offset - shift)
    return max(end, offset - shift - len(MARK_CLOSE) - 1)


def looks_like_hub_id(path_or_id: str | Path) -> bool:
    """"owner/name" that is not a local folder: resolved from the hub cache, never trained into."""
    text = str(path_or_id)
    return text.count("/") == 1 and not text.startswith((".", "/", "~")) and not Path(text).expanduser().is_dir()


def resolve_model_dir(path_or_id: str | Path) -> Path:
    """The local folder of a trained model given as a folder or a cached hub id; ModelNotFoundError otherwise."""
    path = Path(path_or_id).expanduser()
    if path.is_dir():
        if not (path / CONFIG_FILE).is_file():
            raise ModelNotFoundError(f"{path} is not a movegraph event model (no {CONFIG_FILE}); "
                                     "train one with `movegraph train`, or use MOVEGRAPH_EXTRACTOR=rules")
        return path
    if looks_like_hub_id(path_or_id):
        from huggingface_hub import snapshot_download

        try:
            return Path(snapshot_download(str(path_or_id)))
        except Exception as exc:  # noqa: BLE001 - the hub client raises many types; one clear message
            raise ModelNotFoundError(f"event model {path_or_id!r} is not a local directory and could not be "
                                     f"loaded from the hub cache ({type(exc).__name__}); "
                                     "train one with `movegraph train`, or use MOVEGRAPH_EXTRACTOR=rules") from None
    raise ModelNotFoundError(f"no trained event model at {path}; train one with `movegraph train`, "
                             "or use MOVEGRAPH_EXTRACTOR=rules")

