"""CandidateScreen: a cheap learned check that drops pre-filter candidates the encoder would read as no event.

The screen weighs parse features only (the candidate's lemma, tags, dependency,
head, children, and the entity types of its sentence) in a logistic model
trained with the event model, so the encoder reads fewer marked items per
article. Its threshold is set on the training split to keep a fixed share of the
annotated triggers' candidates (`movegraph train` records the recall).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Token


# Children whose word matters, not only their relation: "moved to", "pulled out", "will not go".
WORDED_CHILDREN: frozenset[str] = frozenset({"prep", "prt", "aux", "neg", "det"})


def screen_features(token: Token) -> list[str]:
    """The names of the binary parse features of a candidate trigger token."""
    lemma = token.lemma_.lower()
    features = [f"lemma={lemma}", f"pos={token.pos_}", f"tag={token.tag_}", f"dep={token.dep_}",
                f"head={token.head.lemma_.lower()}", f"ent={token.ent_type_ or '-'}", f"lemma_pos={lemma}_{token.pos_}"]
    for child in token.children:
        worded = child.dep_ in WORDED_CHILDREN
        features.append(f"child={child.dep_}:{child.lower_}" if worded else f"child={child.dep_}")
        if child.ent_type_:
            features.append(f"child_ent={child.ent_type_}")
    features.extend(f"sentence_ent={label}" for label in sorted({e.label_ for e in token.sent.ents}))
    return features


@dataclass(frozen=True)
class CandidateScreen:
    """A logistic model over `screen_features`: a candidate goes on to the encoder when its logit reaches
    `threshold`. Holds no per-call state, so one screen serves many threads."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def logit(self, features: list[str]) -> float:
        """The screen's log-odds that a candidate with these features is a movement trigger."""
        return self.bias + sum(self.weights.get(name, 0.0) for name in set(features))

    def keeps(self, token: Token) -> bool:
        """True when the encoder should read this candidate."""
        return self.keeps_features(screen_features(token))

    def keeps_features(self, features: list[str]) -> bool:
        """True when the encoder should read a candidate with these features."""
        return self.logit(features) >= self.threshold

    def to_dict(self) -> dict[str, Any]:
        """The screen as saved in the model's config (its fingerprint then covers the screen too)."""
        return {"weights": self.weights, "bias": self.bias, "threshold": self.threshold}

    @classmethod
    def from_dict(cls, saved: dict[str, Any]) -> CandidateScreen | None:
        """The screen saved with a model; None for a model saved without one (every candidate is read)."""
        if not saved:
            return None
        return cls({str(k): float(v) for k, v in saved["weights"].items()}, float(saved["bias"]),
                   float(saved["threshold"]))
