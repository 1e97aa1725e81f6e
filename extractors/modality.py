"""Modality of a trigger from its sentence: asserted, expected, hypothetical, negated or denied."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from movegraph.schema import Modality

if TYPE_CHECKING:
    from spacy.tokens import Token

# A source rejects the claim: "denied reports that troops entered", "dismissed claims".
DENIAL_VERBS: frozenset[str] = frozenset(
    {"deny", "dismiss", "reject", "refute", "debunk", "rebut", "disprove", "contradict", "dispute"}
)
DENIAL_WORDS: frozenset[str] = frozenset(
    {"false", "fake", "untrue", "baseless", "groundless", "unfounded", "nonsense", "fabricated", "lie", "rumor",
     "rumour"}
)
# Verbs that deny when negated: "could not confirm that troops entered".
CONFIRM_VERBS: frozenset[str] = frozenset({"confirm", "verify", "corroborate"})
# The movement was stopped or called off.
BLOCKING_WORDS: frozenset[str] = frozenset(
    {
        "block", "bar", "ban", "cancel", "fail", "forbid", "halt", "postpone", "prevent", "refuse",
        "scrap", "stop", "thwart", "unable", "abort", "delay",
    }
)
NEGATIONS: frozenset[str] = frozenset({"not", "n't", "never", "no", "neither", "nor"})
FUTURE_AUX: frozenset[str] = frozenset({"will", "shall", "'ll", "wo"})
HYPOTHETICAL_AUX: frozenset[str] = frozenset({"could", "may", "might", "can", "ca", "should"})
# Plans, schedules, orders and predictions: the movement is expected.
PLAN_WORDS: frozenset[str] = frozenset(
    {
        "plan", "expect", "schedule", "intend", "prepare", "due", "aim", "hope", "want", "seek",
        "propose", "agree", "decide", "order", "vow", "pledge", "promise", "set", "poised",
        "likely", "going", "upcoming", "planned", "scheduled", "proposed", "expected", "future",
        "forthcoming", "next", "approve", "authorize", "announce", "ahead", "ready",
        "await", "anticipate", "invite", "ask", "request", "urge", "call",
    }
)
# Possibility, conditions and attempts whose outcome is not given.
HYPOTHETICAL_WORDS: frozenset[str] = frozenset(
    {
        "if", "unless", "whether", "possible", "possibly", "potential", "potentially",
        "possibility", "consider", "threaten", "try", "attempt", "able", "willing", "risk",
        "option", "scenario", "perhaps", "maybe", "contemplate", "mull", "weigh", "rumored",
    }
)
# Dependency labels along which a trigger inherits the modality of the word that governs it.
CLIMB_DEPS: frozenset[str] = frozenset({"xcomp", "pobj", "pcomp", "prep", "dobj", "acomp", "nsubj", "nsubjpass", "attr",
                                        "advcl", "acl"})
# Dependency labels of the words that carry modal cues.
CUE_DEPS: frozenset[str] = frozenset({"aux", "auxpass", "neg", "mark", "advmod", "amod", "det", "prep", "acomp",
                                      "npadvmod"})


def classify(trigger: Token, mover: Token | None = None) -> Modality:
    """Modality of the movement `trigger` names, most specific cue first (denied > negated > ...)."""
    if _denied(trigger):
        return "denied"
    chain = list(_governing_chain(trigger))
    cues = [c for node in chain for c in _cues(node)]
    lemmas = {t.lemma_.lower() for t in cues} | {n.lemma_.lower() for n in chain[1:]}
    words = lemmas | {t.lower_ for t in cues}
    if words & NEGATIONS or (mover is not None and _has_no_determiner(mover)):
        return "negated"
    if any(n.lemma_.lower() in BLOCKING_WORDS for n in chain[1:]) or _blocked_noun(trigger):
        return "negated"
    if words & HYPOTHETICAL_WORDS or _conditional(trigger) or words & HYPOTHETICAL_AUX:
        return "hypothetical"
    if "would" in words:
        return "expected"
    if words & FUTURE_AUX or words & PLAN_WORDS or _be_to(chain):
        return "expected"
    return "asserted"


def _governing_chain(trigger: Token) -> Iterator[Token]:
    """The trigger and the words it hangs from inside its own clause ("expected to be deployed")."""
    node = trigger
    yield node
    for _ in range(4):
        if node.dep_ not in CLIMB_DEPS or node.head == node:
            return
        if node.dep_ in ("advcl", "acl") and not _infinitive(node):
            return
        node = node.head
        yield node


def _cues(node: Token) -> list[Token]:
    """Auxiliaries, negations, markers and modifiers attached to `node`."""
    return [c for c in node.children if c.dep_ in CUE_DEPS]


def _infinitive(token: Token) -> bool:
    """True for a to-infinitive ("plans to visit")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def _be_to(chain: list[Token]) -> bool:
    """True for "is to visit" (a scheduled movement)."""
    return len(chain) > 1 and chain[1].lemma_ == "be" and _infinitive(chain[0])


def _has_no_determiner(mover: Token) -> bool:
    """True for "no troops were sent"."""
    return any(c.dep_ == "det" and c.lower_ == "no" for c in mover.children)


def _blocked_noun(trigger: Token) -> bool:
    """True when a noun trigger is the object of a blocking verb: "postponed a trip"."""
    head = trigger.head
    return trigger.pos_ == "NOUN" and trigger.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in BLOCKING_WORDS


def _conditional(trigger: Token) -> bool:
    """True when the trigger sits in, or governs, an "if"/"unless" clause."""
    clauses = [trigger, *trigger.ancestors, *(c for c in trigger.children if c.dep_ == "advcl")]
    return any(
        c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for node in clauses for c in node.children
    )


def _denied(trigger: Token) -> bool:
    """True when a word above the trigger rejects the claim ("denied that", "dismissed reports")."""
    node = trigger
    while node.head != node and node.dep_ not in ("conj", "relcl"):  # "X, who fled to Y, denied ...": not denied
        node = node.head
        lemma = node.lemma_.lower()
        if lemma in DENIAL_VERBS:
            return True
        if lemma in CONFIRM_VERBS and any(c.dep_ == "neg" for c in node.children):
            return True
        if any(c.lower_ in DENIAL_WORDS and c.dep_ in ("acomp", "attr") for c in node.children):
            return True
    return False
