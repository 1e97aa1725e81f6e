"""ConfidenceMap: an extractor's raw event score -> the probability that its fact is right.

Platt scaling (a logistic curve over the logit of the raw score), fitted on facts the
extractor was not built from; `movegraph calibrate` and `movegraph train` fit it, the
extractors apply it. Two parameters, so a few dozen scored facts are enough to fit it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from movegraph.schema.errors import InputError

log = logging.getLogger(__name__)

EPSILON = 0.01  # raw scores are clipped to [EPSILON, 1 - EPSILON] before the logit
MIN_FACTS = 10  # fewer scored facts than this: too few to fit, the map stays the identity


def logit(p: float) -> float:
    """log(p / (1 - p)) of a probability clipped away from 0 and 1."""
    p = min(1.0 - EPSILON, max(EPSILON, p))
    return math.log(p / (1.0 - p))


def sigmoid(z: float) -> float:
    """The inverse of `logit`, safe for large |z|."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass(frozen=True)
class ConfidenceMap:
    """p(fact right) = sigmoid(slope * logit(raw) + intercept); the identity has slope 1, intercept 0."""

    slope: float = 1.0
    intercept: float = 0.0
    facts: int = 0  # scored facts it was fitted on (0: never fitted, the identity)
    correct: int = 0
    fitted_on: str = ""  # what it was fitted on: corpus path, its hash, the extractor version

    @property
    def is_identity(self) -> bool:
        """True when the map leaves scores as they are."""
        return self.slope == 1.0 and self.intercept == 0.0

    def apply(self, raw: float) -> float:
        """The calibrated probability of a raw score, rounded to 4 places."""
        if self.is_identity:
            return round(min(1.0, max(0.0, raw)), 4)
        p = sigmoid(self.slope * logit(raw) + self.intercept)
        return round(min(1.0 - EPSILON, max(EPSILON, p)), 4)  # a fitted map never claims certainty

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> ConfidenceMap:
        """Read back what `to_dict` wrote; unknown keys are an error that names them."""
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"confidence map: unknown keys {sorted(unknown)}")
        return cls(**data)  # type: ignore[arg-type]

    def fingerprint(self) -> str:
        """A short hash of the map, so cache keys of extractions change when the map does."""
        return hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True).encode()).hexdigest()[:12]

    def save(self, path: Path) -> Path:
        """Write the map as JSON."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: Path) -> ConfidenceMap:
        """Read a map written by `save`; a clear error names the file when it is not one."""
        try:
            return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as exc:
            raise InputError(f"{path}: not a confidence map ({exc})") from None


IDENTITY = ConfidenceMap()


def fit_confidence_map(outcomes: Sequence[tuple[float, bool]], fitted_on: str = "",
                       prior: float = 1.0) -> ConfidenceMap:
    """Platt scaling by Newton's method on (raw score, fact was right) pairs.

    A weak Gaussian prior (`prior` = its precision) pulls the slope towards 1 and the
    intercept towards 0, so a small or one-sided sample cannot give an extreme curve.
    """
    correct = sum(1 for _, ok in outcomes if ok)
    if len(outcomes) < MIN_FACTS:
        return ConfidenceMap(facts=len(outcomes), correct=correct, fitted_on=fitted_on)
    xs = [logit(score) for score, _ in outcomes]
    ys = [1.0 if ok else 0.0 for _, ok in outcomes]
    slope, intercept = 1.0, 0.0
    for _ in range(50):
        g_s, g_i = prior * (slope - 1.0), prior * intercept
        h_ss, h_si, h_ii = prior, 0.0, prior
        for x, y in zip(xs, ys, strict=True):
            p = sigmoid(slope * x + intercept)
            w = p * (1.0 - p)
            g_s += (p - y) * x
            g_i += p - y
            h_ss += w * x * x
            h_si += w * x
            h_ii += w
        det = h_ss * h_ii - h_si * h_si
        step_s = (h_ii * g_s - h_si * g_i) / det
        step_i = (h_ss * g_i - h_si * g_s) / det
        slope, intercept = slope - step_s, intercept - step_i
        if abs(step_s) + abs(step_i) < 1e-9:
            break
    if slope < 0:
        # A higher raw score must never mean a lower confidence: where the sample says so (too few facts, or a
        # raw score that does not rank them), every fact gets the sample's smoothed rate of right facts.
        slope, intercept = 0.0, logit((correct + 1.0) / (len(outcomes) + 2.0))
    return ConfidenceMap(slope=round(slope, 6), intercept=round(intercept, 6), facts=len(outcomes),
                         correct=correct, fitted_on=fitted_on)


# The shipped default, fitted on corpus/train; `movegraph calibrate` writes the user's own map elsewhere
# (the settings' data_dir), which the rule reader prefers when it is given one that exists.
RULES_CALIBRATION = Path(__file__).parent / "data" / "rules-calibration.json"


def packaged_rules_calibration() -> ConfidenceMap:
    """The rule extractor's map shipped with the package; identity if absent."""
    if not RULES_CALIBRATION.is_file():
        log.warning("no %s: rule confidences are uncalibrated heuristic scores", RULES_CALIBRATION)
        return IDENTITY
    return ConfidenceMap.load(RULES_CALIBRATION)


def rules_calibration(user_file: str | Path | None = None) -> ConfidenceMap:
    """The user's map when `user_file` names one that exists (`movegraph calibrate` writes it), else the shipped
    default."""
    if user_file is not None and Path(user_file).is_file():
        return ConfidenceMap.load(Path(user_file))
    return packaged_rules_calibration()
