"""Exporting the event model's torch network to ONNX (torch's TorchScript exporter); needs torch, so it is
imported only when an ONNX file is missing (see extractors/onnx_runtime.py)."""

from __future__ import annotations

import logging
import os
import time
import warnings
from pathlib import Path

import torch
from torch import nn

from movegraph.extractors.event_network import EventNetwork
from movegraph.extractors.onnx_runtime import INPUTS, OPSET, OUTPUTS

log = logging.getLogger(__name__)


class _ExportedNetwork(nn.Module):
    """The network's eval-mode forward pass without branches, for tracing: link logits always computed (an empty
    mention tensor gives an empty result)."""

    def __init__(self, network: EventNetwork) -> None:
        super().__init__()
        self.network = network

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                mentions: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        net = self.network
        hidden = net.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return net.class_head(hidden[:, 0]), net.tag_head(hidden), net.link_logits(input_ids, hidden, mentions)


def export_network(network: EventNetwork, path: Path) -> Path:
    """Export the torch network to an fp32 ONNX file at `path` (written to a temporary file, then renamed, so a
    concurrent reader never sees half a file)."""
    vocab = int(network.encoder.config.vocab_size)
    marker = network.marker_id  # dummy ids: two rows, the second padded; only the shapes' axes are traced as dynamic
    ids = [[101, 2000, marker, 2001, 2002, 2003, 2004, 102], [101, marker, 2005, 2006, 102, 0, 0, 0]]
    input_ids = torch.tensor(ids, dtype=torch.long).clamp(max=vocab - 1)
    attention_mask = (input_ids != 0).long()
    mentions = torch.tensor([[0, 4, 5], [1, 3, 3]], dtype=torch.long)
    dynamic = {"input_ids": {0: "batch", 1: "pieces"}, "attention_mask": {0: "batch", 1: "pieces"},
               "mentions": {0: "rows"}, "class_logits": {0: "batch"}, "tag_logits": {0: "batch", 1: "pieces"},
               "link_logits": {0: "rows"}}
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    started = time.perf_counter()
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # TracerWarnings of the encoder's shape checks, the exporter's deprecation
        torch.onnx.export(_ExportedNetwork(network.eval()), (input_ids, attention_mask, mentions), str(temporary),
                          dynamo=False, input_names=list(INPUTS), output_names=list(OUTPUTS),
                          dynamic_axes=dynamic, opset_version=OPSET, do_constant_folding=True)
    os.replace(temporary, path)
    log.info("exported the event network to %s in %.1f s", path, time.perf_counter() - started)
    return path
