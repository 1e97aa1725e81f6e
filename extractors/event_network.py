"""EventNetwork: the event model's torch network (encoder and heads), for training and the torch runtime.

Kept apart from `event_model` so that reading with ONNX Runtime (the default runtime) needs neither torch
nor this module: an install without the `train` extra runs a model whose ONNX files were exported where
torch was installed (see extractors/onnx_runtime.py).
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from transformers import AutoModel, PreTrainedModel, PreTrainedTokenizerBase

from movegraph.extractors.event_model import HEADS_FILE, EventModelConfig, marker_id


class EventNetwork(nn.Module):
    """Encoder + a sentence head (class of the marked trigger) + a token head (argument tags)
    + a pair head (role of each candidate mention for the marked trigger)."""

    def __init__(self, encoder: PreTrainedModel, n_classes: int, n_tags: int, n_links: int, marker_id: int) -> None:
        super().__init__()
        self.encoder = encoder
        self.n_links = n_links
        hidden = int(encoder.config.hidden_size)
        self.marker_id = marker_id
        self.dropout = nn.Dropout(0.1)
        self.class_head = nn.Linear(hidden, n_classes)
        self.tag_head = nn.Linear(hidden, n_tags)
        self.link_head = nn.Sequential(nn.Linear(3 * hidden, hidden), nn.GELU(), nn.Linear(hidden, n_links))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                mentions: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Class logits from [CLS], tag logits for every word piece, and link logits for each mention.

        `mentions` holds rows (batch row, first piece, last piece) of candidate mentions.
        """
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        hidden = self.dropout(hidden)
        if mentions is None or len(mentions) == 0:
            links = hidden.new_zeros((0, self.n_links))
        else:
            links = self.link_logits(input_ids, hidden, mentions)
        return self.class_head(hidden[:, 0]), self.tag_head(hidden), links

    def link_logits(self, input_ids: torch.Tensor, hidden: torch.Tensor, mentions: torch.Tensor) -> torch.Tensor:
        """Role logits of each mention row for its row's marked trigger (no branch: the ONNX export traces it)."""
        marker = (input_ids == self.marker_id).int().argmax(dim=1)  # the open marker's piece; [CLS] if cut off
        rows = mentions[:, 0]
        trigger = hidden[rows, marker[rows]]
        mention = (hidden[rows, mentions[:, 1]] + hidden[rows, mentions[:, 2]]) / 2
        return self.link_head(torch.cat([trigger, mention, trigger * mention], dim=-1))




def load_network(directory: Path, config: EventModelConfig, tokenizer: PreTrainedTokenizerBase) -> EventNetwork:
    """The torch network (encoder and heads) saved in `directory`, in eval mode."""
    encoder = AutoModel.from_pretrained(str(directory))
    network = EventNetwork(encoder, len(config.classes), len(config.tags), max(1, len(config.links)),
                           marker_id=marker_id(tokenizer))
    heads = torch.load(directory / HEADS_FILE, map_location="cpu", weights_only=True)
    network.class_head.load_state_dict(heads["class_head"])
    network.tag_head.load_state_dict(heads["tag_head"])
    if config.links:
        network.link_head.load_state_dict(heads["link_head"])
    return network.eval()


