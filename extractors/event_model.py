"""EventModel: a fine-tuned encoder that reads a sentence with one candidate trigger marked.

One forward pass gives (a) the trigger's class, `none` or one of the five
modalities, and (b) BIO tags of that trigger's arguments. Loadable from a local
directory or a hub id; with HF_HUB_OFFLINE=1 a hub id resolves from the local
hub cache only.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch import nn
from transformers import AutoModel, AutoTokenizer, PreTrainedTokenizerBase

log = logging.getLogger(__name__)

CLASSES: tuple[str, ...] = ("none", "asserted", "expected", "hypothetical", "negated", "denied")
ROLES: tuple[str, ...] = ("MOVER", "DESTINATION", "ORIGIN", "TIME", "SOURCE", "AGENT")
TAGS: tuple[str, ...] = ("O", *(f"{p}-{r}" for r in ROLES for p in ("B", "I")))
MARK_OPEN, MARK_CLOSE = "[unused0]", "[unused1]"
CONFIG_FILE, HEADS_FILE = "movegraph_event_model.json", "heads.pt"


class ModelNotFoundError(RuntimeError):
    """No trained event model where the settings point."""


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
    metrics: dict[str, object] = field(default_factory=dict)
    confidence_map: dict[str, object] = field(default_factory=dict)  # fact-level ConfidenceMap, fitted on held-out
    data_hash: str = ""
    seed: int = 13


class EventNetwork(nn.Module):
    """Encoder + a sentence head (class of the marked trigger) + a token head (argument tags)."""

    def __init__(self, encoder: nn.Module, n_classes: int, n_tags: int) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = int(encoder.config.hidden_size)
        self.dropout = nn.Dropout(0.1)
        self.class_head = nn.Linear(hidden, n_classes)
        self.tag_head = nn.Linear(hidden, n_tags)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Class logits from [CLS] and tag logits for every word piece."""
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        hidden = self.dropout(hidden)
        return self.class_head(hidden[:, 0]), self.tag_head(hidden)


@dataclass(frozen=True)
class Prediction:
    """The model's reading of one marked candidate."""

    label: str
    p_event: float
    modality_probs: dict[str, float]
    arguments: list[tuple[str, int, int]]  # (role, start, end) in sentence characters


def mark(sentence: str, start: int, end: int) -> tuple[str, int]:
    """The sentence with the trigger at [start, end) wrapped in markers, and the shift after the open marker."""
    open_ = MARK_OPEN + " "
    return sentence[:start] + open_ + sentence[start:end] + " " + MARK_CLOSE + sentence[end:], len(open_)


def load_tokenizer(path: str | Path) -> PreTrainedTokenizerBase:
    """The encoder's tokenizer with the trigger markers kept whole (they are in the vocabulary)."""
    tokenizer = AutoTokenizer.from_pretrained(str(path))
    tokenizer.add_special_tokens({"additional_special_tokens": [MARK_OPEN, MARK_CLOSE]})
    return tokenizer


class EventModel:
    """A trained event model ready for inference; `save` and `load` keep it in one directory."""

    def __init__(self, network: EventNetwork, tokenizer: PreTrainedTokenizerBase, config: EventModelConfig) -> None:
        self.network = network.eval()
        self.tokenizer = tokenizer
        self.config = config

    @classmethod
    def load(cls, path_or_id: str | Path) -> "EventModel":
        """Load from a local directory or a hub id (offline-safe); a clear error when absent."""
        directory = resolve_model_dir(path_or_id)
        config = EventModelConfig(**json.loads((directory / CONFIG_FILE).read_text()))
        encoder = AutoModel.from_pretrained(str(directory))
        network = EventNetwork(encoder, len(config.classes), len(config.tags))
        heads = torch.load(directory / HEADS_FILE, map_location="cpu", weights_only=True)
        network.class_head.load_state_dict(heads["class_head"])
        network.tag_head.load_state_dict(heads["tag_head"])
        return cls(network, load_tokenizer(directory), config)

    def save(self, directory: str | Path) -> Path:
        """Write encoder, heads, tokenizer and config (with metrics and data hash) to `directory`."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.network.encoder.save_pretrained(str(directory))
        self.tokenizer.save_pretrained(str(directory))
        torch.save({"class_head": self.network.class_head.state_dict(),
                    "tag_head": self.network.tag_head.state_dict()}, directory / HEADS_FILE)
        (directory / CONFIG_FILE).write_text(json.dumps(asdict(self.config), indent=2, default=str) + "\n")
        return directory

    @torch.inference_mode()
    def predict(self, items: list[tuple[str, int, int]], batch_size: int = 32) -> list[Prediction]:
        """Read each (sentence, trigger start, trigger end); offsets are sentence characters."""
        order = sorted(range(len(items)), key=lambda i: len(items[i][0]))  # similar lengths pad less
        predictions: list[Prediction | None] = [None] * len(items)
        for i in range(0, len(order), batch_size):
            chunk = order[i:i + batch_size]
            for index, prediction in zip(chunk, self._predict_batch([items[j] for j in chunk])):
                predictions[index] = prediction
        return predictions  # type: ignore[return-value]

    def _predict_batch(self, items: list[tuple[str, int, int]]) -> list[Prediction]:
        marked = [mark(s, a, b) for s, a, b in items]
        enc = self.tokenizer([m for m, _ in marked], truncation=True, max_length=self.config.max_length,
                             padding=True, return_offsets_mapping=True, return_tensors="pt")
        class_logits, tag_logits = self.network(enc["input_ids"], enc["attention_mask"])
        probs = torch.softmax(class_logits / self.config.temperature, dim=-1)
        tags = tag_logits.argmax(-1)
        out = []
        for row, ((sentence, start, end), (_, shift)) in enumerate(zip(items, marked)):
            p = probs[row].tolist()
            modality_probs = dict(zip(self.config.classes[1:], p[1:]))
            label = self.config.classes[int(torch.tensor(p).argmax())]
            args = decode_tags([self.config.tags[t] for t in tags[row].tolist()],
                               enc["offset_mapping"][row].tolist(), start, end, shift)
            out.append(Prediction(label=label, p_event=1.0 - p[0], modality_probs=modality_probs, arguments=args))
        return out


def decode_tags(tags: list[str], offsets: list[list[int]], start: int, end: int, shift: int) -> list[tuple[str, int, int]]:
    """BIO tags over word pieces -> (role, start, end) spans in the unmarked sentence's characters."""
    spans: list[tuple[str, int, int]] = []
    current: list = []
    for tag, (a, b) in zip(tags, offsets):
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
                                     "train one with `movegraph train`")
        return path
    if looks_like_hub_id(path_or_id):
        from huggingface_hub import snapshot_download

        try:
            return Path(snapshot_download(str(path_or_id)))
        except Exception as exc:  # noqa: BLE001 - the hub client raises many types; one clear message
            raise ModelNotFoundError(f"event model {path_or_id!r} is not a local directory and could not be "
                                     f"loaded from the hub cache ({type(exc).__name__}); "
                                     "train one with `movegraph train`") from None
    raise ModelNotFoundError(f"no trained event model at {path}; train one with `movegraph train`")

