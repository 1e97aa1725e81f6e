"""Pydantic contracts that every stage of movegraph speaks (spec: shared/spec/gold-format.md)."""

from movegraph.schema.article import Article, text_hash
from movegraph.schema.errors import InputError, InputFileNotFoundError, MovegraphError
from movegraph.schema.event import (
    MODALITIES,
    Actor,
    Evidence,
    FactKey,
    Modality,
    MovementEvent,
    Place,
    Quantity,
    TextSpan,
    TimeInterval,
    actor_key,
)
from movegraph.schema.fact import GoldActor, GoldArticle, GoldFact, GoldPlace, GoldTime
from movegraph.schema.jsonl import JsonlReport, read_jsonl, write_jsonl
from movegraph.schema.reject import Reject, write_rejects

__all__ = [
    "MODALITIES",
    "Actor",
    "Article",
    "Evidence",
    "FactKey",
    "GoldActor",
    "GoldArticle",
    "GoldFact",
    "GoldPlace",
    "GoldTime",
    "InputError",
    "InputFileNotFoundError",
    "JsonlReport",
    "Modality",
    "MovegraphError",
    "MovementEvent",
    "Place",
    "Quantity",
    "Reject",
    "TextSpan",
    "TimeInterval",
    "actor_key",
    "read_jsonl",
    "text_hash",
    "write_jsonl",
    "write_rejects",
]
