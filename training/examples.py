"""Training examples: every candidate trigger of the annotated corpus with its class and argument spans."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from movegraph.extractors.candidates import CANDIDATE_POS, candidate_triggers, lexicon_with
from movegraph.extractors.mentions import candidate_mentions, mention_heads
from movegraph.extractors.nlp import read_sentences
from movegraph.extractors.screen import CandidateScreen
from movegraph.schema.annotation import AnnotatedArticle, AnnotatedEvent
from movegraph.schema.errors import InputFileNotFoundError
from movegraph.schema.jsonl import read_jsonl

log = logging.getLogger(__name__)
ARGUMENT_ROLES: dict[str, str] = {"mover": "MOVER", "destination": "DESTINATION", "origin": "ORIGIN",
                                  "time": "TIME", "source": "SOURCE", "agent": "AGENT"}
LINK_ROLES: dict[str, str] = {"mover": "MOVER", "destination": "DESTINATION", "origin": "ORIGIN",
                              "agent": "AGENT"}  # annotation field -> role of event_model.LINKS


@dataclass(frozen=True)
class Example:
    """One marked candidate: its sentence, trigger offsets and gold class and arguments (sentence chars)."""

    article_id: str
    sentence: str
    trigger_start: int
    trigger_end: int
    label: str
    arguments: tuple[tuple[str, int, int], ...]
    mentions: tuple[tuple[int, int, str], ...] = ()  # candidate mentions (sentence chars) with their gold role


def read_corpus(directory: Path) -> list[AnnotatedArticle]:
    """Every valid annotated article of `directory/*.jsonl`; bad lines are logged with file and line."""
    files = sorted(directory.glob("*.jsonl"))
    if not files:
        raise InputFileNotFoundError(f"{directory}: no *.jsonl training files")
    articles: list[AnnotatedArticle] = []
    for path in files:
        articles.extend(read_jsonl(path, AnnotatedArticle).records)
    return articles


def corpus_hash(directory: Path) -> str:
    """SHA-256 over the corpus files' names and bytes: recorded beside the weights."""
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.jsonl")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def parse(articles: Sequence[AnnotatedArticle], nlp: Language) -> list[Doc]:
    """spaCy docs of the articles, parsed once for both the lexicon and the examples."""
    return list(nlp.pipe((a.text for a in articles), batch_size=16))


def trigger_lemmas(articles: Sequence[AnnotatedArticle], docs: Sequence[Doc]) -> set[str]:
    """Lemmas of content words inside annotated trigger spans, to widen the pre-filter's lexicon."""
    lemmas: set[str] = set()
    for article, doc in zip(articles, docs, strict=True):
        for event in article.events:
            if event.trigger.start is None or event.trigger.end is None:
                continue
            span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
            lemmas.update(t.lemma_.lower() for t in span or []
                          if t.pos_ in CANDIDATE_POS and not t.is_stop and t.is_alpha)
    return lemmas


def build_examples(articles: Sequence[AnnotatedArticle], docs: Sequence[Doc],
                   lexicon: frozenset[str]) -> list[Example]:
    """Candidates of every sentence labelled from the overlapping annotated triggers."""
    examples: list[Example] = []
    for article, doc in zip(articles, docs, strict=True):
        for sentence in read_sentences(doc):
            examples.extend(_sentence_examples(article, sentence, lexicon))
    counts = Counter(e.label for e in examples)
    log.info("%d candidate examples from %d articles: %s", len(examples), len(articles), dict(counts))
    return examples


def _sentence_examples(article: AnnotatedArticle, sentence: SpacySpan, lexicon: frozenset[str]) -> list[Example]:
    base = sentence.start_char
    out = []
    for trigger in candidate_triggers(sentence, lexicon):
        events = [e for e in article.events if _overlaps(e.trigger, trigger.token.idx,
                                                          trigger.token.idx + len(trigger.token))]
        label = Counter(e.modality for e in events).most_common(1)[0][0] if events else "none"
        arguments = tuple(sorted({arg for e in events for arg in _arguments(e, base, sentence.end_char)}))
        mentions = _labelled_mentions(events, sentence, trigger.token) if events else ()
        out.append(Example(article.id, sentence.text, trigger.start - base, trigger.end - base, label, arguments,
                           mentions))
    return out


def _labelled_mentions(events: list[AnnotatedEvent], sentence: SpacySpan,
                       trigger: Token) -> tuple[tuple[int, int, str], ...]:
    """Every candidate mention of the sentence with the role the trigger's events give it ("none" else)."""
    candidates = candidate_mentions(sentence, exclude=trigger)
    roles: dict[Token, str] = {}
    for event in events:
        for field_name, role in LINK_ROLES.items():
            span = getattr(event, field_name)
            if span is None or span.start is None or span.end is None:
                continue
            if span.start < sentence.start_char or span.end > sentence.end_char:
                continue
            chars = sentence.doc.char_span(span.start, span.end, alignment_mode="expand")
            for head in mention_heads(chars, candidates) if chars is not None and len(chars) else []:
                roles.setdefault(head, role)
    base = sentence.start_char
    return tuple((t.idx - base, t.idx + len(t.text) - base, roles.get(t, "none")) for t in candidates)


def _overlaps(span, start: int, end: int) -> bool:
    return span.start is not None and span.end is not None and span.start < end and start < span.end


def _arguments(event: AnnotatedEvent, base: int, limit: int) -> list[tuple[str, int, int]]:
    """The event's explicit argument spans that lie inside the sentence, in sentence offsets."""
    found = []
    for field, role in ARGUMENT_ROLES.items():
        span = getattr(event, field)
        if span is None or span.start is None or span.end is None:
            continue
        if span.start >= base and span.end <= limit:
            found.append((role, span.start - base, span.end - base))
    return found


@dataclass(frozen=True)
class PrefilterRecall:
    """How many annotated triggers the pre-filter proposes: a candidate token lies inside the trigger span."""

    found: int
    triggers: int

    @property
    def recall(self) -> float:
        """Share of annotated triggers with a candidate, 0.0 when there are none."""
        return self.found / self.triggers if self.triggers else 0.0


def prefilter_recall(articles: Sequence[AnnotatedArticle], docs: Sequence[Doc],
                     lexicon: frozenset[str], screen: CandidateScreen | None = None) -> PrefilterRecall:
    """Recall of the candidate pre-filter (lexicon, then the screen if given) on annotated triggers: the ceiling
    of the trained extractor's recall."""
    found = triggers = 0
    for article, doc in zip(articles, docs, strict=True):
        spans = [(e.trigger.start, e.trigger.end) for e in article.events
                 if e.trigger.start is not None and e.trigger.end is not None]
        proposed = [(t.start, t.end) for sentence in read_sentences(doc) for t in candidate_triggers(sentence, lexicon)
                    if screen is None or screen.keeps(t.token)]
        triggers += len(spans)
        found += sum(1 for start, end in spans if any(s < end and start < e for s, e in proposed))
    return PrefilterRecall(found, triggers)


def lexicon_for(articles: Sequence[AnnotatedArticle], docs: Sequence[Doc]) -> frozenset[str]:
    """The pre-filter lexicon: rule lexicon plus the corpus's trigger lemmas."""
    return lexicon_with(trigger_lemmas(articles, docs))


@dataclass(frozen=True)
class EntryCounts:
    """How often one lexicon entry proposed a candidate in the corpus, and how many were annotated triggers."""

    candidates: int
    triggers: int

    def trigger_rate(self) -> float:
        """Share of its candidates that are triggers, smoothed (add a half trigger, one candidate) so that an
        entry seen a few times without a trigger keeps a fair chance."""
        return (self.triggers + 0.5) / (self.candidates + 1)


def lexicon_entry(token: Token, lexicon: frozenset[str]) -> str:
    """The lexicon entry that made `token` a candidate: its lemma, else its form (see `is_candidate`)."""
    lemma = token.lemma_.lower()
    return lemma if lemma in lexicon else token.lower_


def labelled_candidates(articles: Sequence[AnnotatedArticle], docs: Sequence[Doc],
                        lexicon: frozenset[str]) -> Iterator[tuple[Token, bool]]:
    """Every pre-filter candidate token, and whether it lies inside an annotated trigger span."""
    for article, doc in zip(articles, docs, strict=True):
        for sentence in read_sentences(doc):
            for candidate in candidate_triggers(sentence, lexicon):
                start, end = candidate.token.idx, candidate.token.idx + len(candidate.token)
                yield candidate.token, any(_overlaps(e.trigger, start, end) for e in article.events)


def entry_counts(articles: Sequence[AnnotatedArticle], docs: Sequence[Doc],
                 lexicon: frozenset[str]) -> dict[str, EntryCounts]:
    """Candidates and triggers per lexicon entry over the articles (a trigger: inside an annotated trigger span)."""
    candidates: Counter[str] = Counter()
    triggers: Counter[str] = Counter()
    for token, is_trigger in labelled_candidates(articles, docs, lexicon):
        entry = lexicon_entry(token, lexicon)
        candidates[entry] += 1
        triggers[entry] += is_trigger
    return {entry: EntryCounts(candidates[entry], triggers[entry]) for entry in candidates}


def selective_lexicon(lexicon: frozenset[str], counts: dict[str, EntryCounts], min_rate: float) -> frozenset[str]:
    """The lexicon without the entries whose candidates are seldom triggers (smoothed rate under `min_rate`):
    the encoder then reads fewer candidates that it would only call "none". Entries never seen are kept."""
    return frozenset(entry for entry in lexicon if entry not in counts or counts[entry].trigger_rate() >= min_rate)

