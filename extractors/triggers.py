"""Trigger lexicon for movement events (spec section 1) and the rules that pick trigger tokens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


TriggerKind = Literal["verb", "noun"]

# Verbs whose subject moves ("soldiers arrived in Riga").
MOTION_VERBS: frozenset[str] = frozenset(
    {
        "advance", "arrive", "berth", "come", "cross", "depart", "deploy", "disembark", "dock",
        "embark", "emigrate", "enter", "escape", "evacuate", "flee", "flow", "fly", "go", "head",
        "immigrate", "infiltrate", "invade", "join", "land", "leave", "march", "mass", "migrate",
        "move", "pour", "proceed", "pull", "push", "reach", "redeploy", "rejoin", "relocate", "retreat",
        "return", "rotate", "rush", "sail", "set", "steam", "storm", "stream", "swim", "tour",
        "touch", "transit", "travel", "trek", "trickle", "vacate", "visit", "walk", "withdraw",
    }
)
# Verbs whose direct object moves and whose subject is the agent ("Norway sent soldiers to Lithuania").
SENDING_VERBS: frozenset[str] = frozenset(
    {
        "airlift", "bring", "deliver", "deploy", "deport", "dispatch", "escort", "evacuate",
        "expel", "ferry", "fly", "move", "pull", "redeploy", "relocate", "repatriate", "resettle",
        "return", "rotate", "send", "shift", "smuggle", "transfer", "transport", "withdraw",
    }
)
# Verbs whose direct object is the guest who came and whose subject is the host, no agent of the move ("Obama will
# welcome Prime Minister Sharif to the White House"; spec, judgement calls: only with the host's place stated).
GUEST_VERBS: frozenset[str] = frozenset({"welcome", "host", "receive"})
# Verbs whose direct object is the destination ("entered Latvia", "visited Oslo").
PLACE_OBJECT_VERBS: frozenset[str] = frozenset(
    {"cross", "enter", "infiltrate", "invade", "reach", "storm", "tour", "visit"}
)
# Verbs whose direct object is the origin ("fled Sudan", "left Kabul").
ORIGIN_OBJECT_VERBS: frozenset[str] = frozenset({"depart", "escape", "evacuate", "flee", "leave", "vacate"})
# Light verbs that count only with a stated destination ("went to Kyiv", not "went on").
NEEDS_PLACE: frozenset[str] = frozenset({"come", "flow", "go", "head", "move", "pull", "push", "set", "touch"})
# Phrasal verbs: lemma -> particles that make it a movement ("pull back", "set off", "touch down").
PARTICLES: dict[str, frozenset[str]] = {
    "pull": frozenset({"back", "out", "into", "in"}),
    "push": frozenset({"into", "toward", "towards", "deeper"}),  # "troops pushed into Fallujah", not "pushed for talks"
    "set": frozenset({"off", "out", "sail"}),
    "touch": frozenset({"down"}),
}
PHRASAL_ONLY: frozenset[str] = frozenset(PARTICLES)

MOTION_NOUNS: frozenset[str] = frozenset(
    {
        "airlift", "arrival", "buildup", "build-up", "crossing", "departure", "deployment",
        "deportation", "entry", "evacuation", "exodus", "incursion", "influx",
        "invasion", "journey", "landing", "migration", "pullback", "pullout", "redeployment",
        "relocation", "repatriation", "resettlement", "retreat", "return", "tour", "transfer",
        "travel", "trip", "visit", "voyage", "way", "withdrawal",
    }
)
# Motion nouns that name no movement when they modify another noun ("travel ban", "travel advisory").
MODIFIER_NOUNS: frozenset[str] = frozenset({"travel"})
# "sought refuge in Chad", "took shelter in Poland": the subject moves to where it found refuge.
REFUGE_VERBS: frozenset[str] = frozenset({"seek", "take", "find"})
REFUGE_NOUNS: frozenset[str] = frozenset({"refuge", "sanctuary"})
# Nouns whose "of" argument is the destination, not the mover ("the invasion of Ruritania").
PLACE_OF_NOUNS: frozenset[str] = frozenset({"invasion", "tour", "visit"})

# Objects that make a trigger political or abstract: "moved to a vote", "reached an agreement".
ABSTRACT_OBJECTS: frozenset[str] = frozenset(
    {
        "accord", "agenda", "agreement", "alliance", "bloc", "ceasefire", "coalition", "conclusion",
        "consensus", "deal", "debate", "decision", "effect", "election", "fire", "force", "market",
        "motion", "nato", "negotiation", "office", "organization", "pact", "phase", "power",
        "race", "round", "service", "stage", "stalemate", "talk", "treaty", "union", "vote", "war",
    }
)
# Things that can be moved without people: their movement is not an event.
GOODS: frozenset[str] = frozenset(
    {
        "aid", "ammunition", "arm", "artillery", "body", "bomb", "cargo", "cash", "corpse", "drone", "equipment",
        "food", "fuel", "gas", "good", "grain", "hardware", "himars", "letter", "medicine",
        "message", "missile", "money", "munition", "oil", "package", "rocket", "shell", "signal",
        "remains", "supply", "system", "tank", "vaccine", "warhead", "weapon",
    }
)
# Verbs that turn a trigger into a state: "remain deployed", "stay stationed".
PRESENCE_VERBS: frozenset[str] = frozenset({"keep", "remain", "stay"})


@dataclass(frozen=True)
class Trigger:
    """A trigger mention: its head token, character offsets and how its arguments are read."""

    token: Token
    start: int
    end: int
    kind: TriggerKind

    @property
    def lemma(self) -> str:
        """Lower-case lemma of the head token."""
        return self.token.lemma_.lower()

    @property
    def text(self) -> str:
        """The trigger as written (with its particle, if any). Its offsets are token bounds, so the Doc's span
        gives it without `Doc.text`, which spaCy rebuilds from every token on each access."""
        doc = self.token.doc
        span = doc.char_span(self.start, self.end)
        return span.text if span is not None else doc.text[self.start : self.end]


def find_triggers(sentence: Span) -> list[Trigger]:
    """Every movement trigger of `sentence`, in text order."""
    found = []
    for token in sentence:
        trigger = _verb_trigger(token) if token.pos_ == "VERB" or _verb_read_as_noun(token) else _noun_trigger(token)
        if trigger is not None:
            found.append(trigger)
    return found


def _verb_read_as_noun(token: Token) -> bool:
    """"Netanyahu lands in Budapest": a present-tense verb the tagger read as a plural noun, betrayed by
    its own subject."""
    return token.tag_ == "NNS" and any(c.dep_ == "nsubj" for c in token.children)


def _verb_trigger(token: Token) -> Trigger | None:
    """A verb trigger, or None when the lemma, particle or object rules it out."""
    lemma = token.lemma_.lower()
    if lemma in REFUGE_VERBS and any(c.dep_ == "dobj" and c.lower_ in REFUGE_NOUNS for c in token.children):
        refuge = next(c for c in token.children if c.dep_ == "dobj" and c.lower_ in REFUGE_NOUNS)
        return Trigger(token=token, start=token.idx, end=refuge.idx + len(refuge.text), kind="verb")
    if lemma not in MOTION_VERBS and lemma not in SENDING_VERBS:
        return None
    if _is_abstract_use(token) or _is_presence(token):
        return None
    end = token.idx + len(token.text)
    if lemma in PHRASAL_ONLY:
        particle = _particle(token, PARTICLES[lemma])
        if particle is None:
            return None
        end = max(end, particle.idx + len(particle.text))
    return Trigger(token=token, start=token.idx, end=end, kind="verb")


def _noun_trigger(token: Token) -> Trigger | None:
    """A noun trigger ("their deployment to Riga"), or None."""
    if token.pos_ not in ("NOUN", "PROPN") or token.lemma_.lower() not in MOTION_NOUNS:
        return None
    if token.lemma_.lower() in MODIFIER_NOUNS and token.dep_ == "compound":
        return None  # "travel ban", "travel warning"
    if token.lemma_.lower() == "way" and not _on_the_way(token):
        return None
    if token.ent_type_ in ("ORG", "WORK_OF_ART", "EVENT", "LAW") or _names_a_war(token):
        return None
    return Trigger(token=token, start=token.idx, end=token.idx + len(token.text), kind="noun")


def _names_a_war(token: Token) -> bool:
    """"since the invasion", "in light of Russia's invasion", "Putin's February invasion of Ukraine": the word
    dates or names a war as background, not a movement the sentence reports (spec 1)."""
    if token.lemma_.lower() not in ("invasion", "incursion"):
        return False
    head = token.head
    if token.dep_ == "pobj" and head.lower_ in WAR_FRAMING_PREPS:
        return True
    if token.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in WAR_FRAMING_NOUNS:
        return True
    return any(c.ent_type_ == "DATE" and c.dep_ in ("compound", "amod", "npadvmod") for c in token.children)


WAR_FRAMING_PREPS: frozenset[str] = frozenset({"since", "after", "following", "amid", "during", "before"})
WAR_FRAMING_NOUNS: frozenset[str] = frozenset(
    {"light", "start", "beginning", "anniversary", "outbreak", "result", "response", "wake", "aftermath", "onset"})


def _on_the_way(token: Token) -> bool:
    """"on their way to Kyiv", "made its way into Chad": a movement only with a possessor and a goal."""
    owned = any(c.dep_ == "poss" for c in token.children)
    framed = ((token.head.lower_ == "on" and token.dep_ == "pobj")
              or token.head.lemma_.lower() in ("make", "find", "wend"))
    holders = [token, token.head] if token.dep_ == "dobj" else [token]  # "made their way into Yemen"
    goal = any(c.dep_ == "prep" and c.lower_ in ("to", "into", "toward", "towards")
               for h in holders for c in h.children)
    return owned and goal and framed


def _particle(token: Token, allowed: frozenset[str]) -> Token | None:
    """The particle or preposition that completes a phrasal verb ("pull back", "set sail")."""
    for child in token.children:
        if child.dep_ in ("prt", "prep", "dobj", "advmod") and child.lower_ in allowed:
            return child
    return None


def _is_abstract_use(token: Token) -> bool:
    """True for political or metaphorical uses: "moved to a vote", "moved to ban", "join NATO"."""
    for child in token.children:
        if child.dep_ == "xcomp" and token.lemma_.lower() == "move":
            return True
        target = child
        if child.dep_ == "prep" and child.lower_ in ("to", "into", "toward", "towards"):
            target = next((c for c in child.children if c.dep_ == "pobj"), child)
        elif child.dep_ not in ("dobj", "attr"):
            continue
        if target.lemma_.lower() in ABSTRACT_OBJECTS or target.lower_ in ABSTRACT_OBJECTS:
            return True
        if token.lemma_.lower() == "join" and target.ent_type_ == "ORG":
            return True
    return False


def _is_presence(token: Token) -> bool:
    """True for a participle describing where someone is: "troops remain deployed in the north"."""
    return token.tag_ == "VBN" and token.head.lemma_.lower() in PRESENCE_VERBS


def is_goods(head: Token) -> bool:
    """True when a would-be mover is goods, weapons, money or information, not people."""
    return head.lemma_.lower() in GOODS or head.lower_ in GOODS
