"""The held-out split of the training corpus: a stable share of articles by id, never trained on.

Apart from training/train.py so that `movegraph evaluate --heldout` needs no torch.
"""

from __future__ import annotations

import zlib

HELDOUT_SHARE = 0.1  # articles held out (by id) for the held-out metrics: never trained or tuned on
CALIBRATION_SHARE = 0.1  # articles (by id) that set the temperature, the event threshold and the confidence map


def _bucket(article_id: str) -> int:
    return zlib.crc32(article_id.encode()) % 1000


def is_heldout(article_id: str, share: float) -> bool:
    """A stable split by article id (CRC32), independent of file order."""
    return _bucket(article_id) < share * 1000


def is_calibration(article_id: str, heldout_share: float, share: float) -> bool:
    """The calibration split: the `share` of articles right after the held-out ones in the same id order, so
    it never overlaps them and the held-out split stays the same whatever this share is."""
    return heldout_share * 1000 <= _bucket(article_id) < (heldout_share + share) * 1000
