"""The role linker: candidate mentions, their gold roles for training, and how extraction uses the links."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Span, Token

from movegraph.extractors.base import create_extractor
from movegraph.extractors.candidates import candidate_triggers, lexicon_with
from movegraph.extractors.mentions import candidate_mentions, mention_head
from movegraph.extractors.nlp import load_pipeline
from movegraph.extractors.readers import EventReader, RuleReader
from movegraph.extractors.rules import RuleBasedExtractor
from movegraph.extractors.triggers import Trigger
from movegraph.schema import Article
from movegraph.training.examples import build_examples, lexicon_for, parse, read_corpus

TINY = Path(__file__).parent / "data" / "tiny_corpus"


def test_candidate_mentions_are_phrase_heads_and_place_adverbs() -> None:
    doc = load_pipeline()("Pakistani Prime Minister Shehbaz Sharif flew there with 40 officials on Monday.")
    sentence = next(doc.sents)
    flew = next(t for t in doc if t.text == "flew")
    heads = [t.text for t in candidate_mentions(sentence, exclude=flew)]
    assert "Sharif" in heads and "there" in heads and "officials" in heads
    assert "Shehbaz" not in heads and "Minister" not in heads  # inner parts of the name phrase
    assert "flew" not in heads and "40" not in heads  # the trigger, and a number that only counts


def test_punctuation_is_never_a_mention() -> None:
    text = ("On 7 December 2024, the group known as the Southern Operations Room, in co-ordination with the "
            "Military Operations Command, led forces that entered the Rif Dimashq region of Syria from the south.")
    doc = load_pipeline()(text)
    assert any(t.text == "-" and t.pos_ == "NOUN" and t.dep_ == "pobj" for t in doc)  # what the parser does here
    heads = [t.text for sentence in doc.sents for t in candidate_mentions(sentence)]
    assert "forces" in heads and "Syria" in heads
    assert all(any(ch.isalnum() for ch in h) for h in heads)


def test_an_annotated_span_is_represented_by_its_head() -> None:
    doc = load_pipeline()("About 300 Estonian soldiers arrived in Tapa.")
    sentence = next(doc.sents)
    candidates = candidate_mentions(sentence)
    assert mention_head(doc.char_span(0, 27), candidates).text == "soldiers"
    assert mention_head(doc.char_span(39, 43), candidates).text == "Tapa"


def test_training_examples_label_each_candidate_mention_with_its_gold_role() -> None:
    articles = read_corpus(TINY)
    docs = parse(articles, load_pipeline())
    examples = build_examples(articles, docs, lexicon_for(articles, docs))
    arrived = next(e for e in examples
                   if e.article_id == "tiny-1" and e.sentence[e.trigger_start:].startswith("arrived"))
    roles = {arrived.sentence[a:b]: role for a, b, role in arrived.mentions}
    assert roles["soldiers"] == "MOVER" and roles["Tapa"] == "DESTINATION"
    assert roles["army"] == "none"  # named in the sentence, but not a role of this trigger
    negatives = [e for e in examples if e.label == "none"]
    assert negatives and all(e.mentions == () for e in negatives)  # no links are learnt for non-events


STORY = "Officials met on Monday. Estonian troops and a Latvian battalion arrived in Tallinn, a spokesman said."


class LinkingReader(RuleReader):
    """The rule reader with a role linker that links the given words; first or after the rules."""

    def __init__(self, movers: list[str], places: list[str], first: bool) -> None:
        super().__init__()
        self.movers, self.places, self.link_first = movers, places, first

    def linked_heads(self, trigger: Trigger, sentence: Span, role: str) -> list[Token]:
        words = self.movers if role == "MOVER" else self.places if role == "DESTINATION" else []
        return [t for t in sentence if t.text in words]


def Linked(movers: list[str], places: list[str] | None = None, first: bool = True) -> RuleBasedExtractor:  # noqa: N802
    """The rule extractor around a `LinkingReader`."""
    return RuleBasedExtractor(reader=LinkingReader(movers, places or [], first))


def _facts(extractor: RuleBasedExtractor, text: str) -> set[tuple[str, str | None]]:
    events = extractor.extract(Article(id="s", text=text, published="2025-03-04"))
    return {(e.mover.key, e.destination.subdivision or e.destination.country) for e in events if e.destination}


def test_linked_mover_wins_over_the_rules_when_the_linker_goes_first() -> None:
    rules = _facts(create_extractor("rules"), STORY)
    assert rules == {("EE/military", "EE-37"), ("LV/military", "EE-37")}
    assert _facts(Linked(["battalion"], first=True), STORY) == {("LV/military", "EE-37")}  # tried first, resolves
    assert _facts(Linked(["battalion"], first=False), STORY) == rules  # rules first: the linker is not needed
    assert _facts(Linked(["spokesman"], first=True), STORY) == rules  # a link that names no actor falls back


def test_linked_conjoined_movers_give_one_event_each() -> None:
    assert _facts(Linked(["troops"], first=True), STORY) == {("EE/military", "EE-37"), ("LV/military", "EE-37")}


def test_links_give_a_mover_the_parse_misses_and_a_place_it_misses() -> None:
    late = "First to arrive in Tallinn on Monday were 300 Dutch soldiers."
    assert _facts(create_extractor("rules"), late) == set()  # the parse gives no mover
    assert _facts(Linked(["soldiers"]), late) == {("NL/military", "EE-37")}
    reached = "The Dutch soldiers reached the base on Monday, officials in Tallinn said."
    assert ("NL/military", "EE-37") not in _facts(create_extractor("rules"), reached)
    assert ("NL/military", "EE-37") in _facts(Linked([], ["Tallinn"]), reached)


def test_rule_and_learned_readers_are_alternatives_of_one_interface(tmp_path: Path) -> None:
    from movegraph.extractors.trained import ModelReader, TrainedExtractor

    assert isinstance(RuleReader(), EventReader)
    assert not issubclass(TrainedExtractor, RuleBasedExtractor)  # composition, not inheritance
    assert {"prepare", "triggers", "modality", "linked_heads", "argument_heads", "confidence"} <= set(dir(ModelReader))
    assert create_extractor("rules").reader.link_first is False


class WideLexiconReader(RuleReader):
    """The rule reader reading every candidate of a lexicon widened as training widens it ("welcome", "host")."""

    def triggers(self, sentence: Span) -> list[Trigger]:
        return candidate_triggers(sentence, lexicon_with({"welcome", "host"}))


@pytest.mark.parametrize("text, facts", [
    ("President Obama will welcome Prime Minister Nawaz Sharif of Pakistan to the White House.",
     {("person:nawaz sharif", "US-DC")}),
    ("President Obama will host Prime Minister Matteo Renzi of Italy at the White House.",
     {("person:matteo renzi", "US-DC")}),
])
def test_the_guest_a_host_welcomes_is_the_mover_not_the_host(text: str, facts: set[tuple[str, str]]) -> None:
    assert _facts(RuleBasedExtractor(reader=WideLexiconReader()), text) == facts


def test_the_state_backing_the_movers_is_no_mover_even_when_linked() -> None:
    # the linker proposes "Rwandan" inside "Rwandan-backed": it backs the rebels, it does not move
    assert _facts(Linked(["Rwandan"]), "Rwandan-backed rebels advanced on Goma.") == set()
    assert _facts(Linked(["Rwandan"]), "Rwandan troops advanced on Goma.") == {("RW/military", "CD-NK")}


def test_a_place_the_movers_left_by_boat_from_is_no_linked_destination() -> None:
    # "from" hangs from "boat": the linker's "Somalia" is where the crossing started
    text = "The migrants made the crossing by boat from northern Somalia to the coast of Yemen."
    assert _facts(Linked(["migrants"], ["Somalia", "coast"]), text) == {("unknown/civilians", "YE")}


def test_a_linked_from_object_is_never_a_destination() -> None:
    # the linker proposes "Syria" of "refugees from Syria" as where they went: it is where they came from
    text = "Thousands of Syrian refugees from Syria arrived on Monday, officials in Amman said."
    assert _facts(Linked([], ["Syria"]), text) == set()
    assert _facts(Linked([], ["Amman"]), text) == {("SY/civilians", "JO-AM")}


class HostLinkingReader(LinkingReader):
    """A linking reader that reads "host" as a trigger, as the trained reader does."""

    triggers = WideLexiconReader.triggers


def test_a_place_linked_inside_the_movers_own_phrase_is_no_destination() -> None:
    """"Prime Minister Jens Stoltenberg of Norway": the linker proposed Norway as the goal of "host"; it is where
    the guest is from."""
    text = "President Obama will host Prime Minister Jens Stoltenberg of Norway for a meeting on Thursday."
    reader = HostLinkingReader([], ["Norway"], first=False)
    assert ("person:jens stoltenberg", "NO") not in _facts(RuleBasedExtractor(reader=reader), text)
    elsewhere = "President Obama will host Prime Minister Jens Stoltenberg on Thursday, officials in Norway said."
    assert _facts(create_extractor("rules"), elsewhere) == set()  # the parse gives no place: the link counts
    assert ("person:jens stoltenberg", "NO") in _facts(RuleBasedExtractor(reader=reader), elsewhere)
