"""The held-out split of the training corpus: a stable share of articles by id, never trained on.

Apart from training/train.py so that `movegraph evaluate --heldout` needs no torch.
"""

from __future__ import annotations

import zlib

HELDOUT_SHARE = 0.1  # articles held out (by id) for calibration, threshold and the held-out metrics


def is_heldout(article_id: str, share: float) -> bool:
    """A stable split by article id (CRC32), independent of file order."""
    return (zlib.crc32(article_id.encode()) % 1000) < share * 1000
