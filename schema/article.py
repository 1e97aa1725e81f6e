"""The input article (gold-format.md, "Articles")."""

from __future__ import annotations

import datetime as dt
import hashlib

from pydantic import BaseModel, ConfigDict, Field, field_validator


def parse_published(value: object) -> dt.date | None:
    """Accept an ISO date or datetime (with or without zone) and keep its calendar date.

    The date is taken in the article's own time zone: that is the day the
    newsroom meant when it wrote "on Thursday".
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
        try:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError as exc:
            raise ValueError(f"not an ISO 8601 date or datetime: {value!r}") from exc
    raise ValueError(f"expected an ISO 8601 date string, got {type(value).__name__}")


def text_hash(text: str) -> str:
    """SHA-256 of the exact text: the graph's `Article.text_hash`, equal only when this text is fully loaded."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Article(BaseModel):
    """One news article; `id` and `text` are required, unknown keys (e.g. `facts`) are ignored."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

    id: str = Field(min_length=1, max_length=512)
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: dt.date | None = None
    language: str | None = None

    @field_validator("id")
    @classmethod
    def _id_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("id is blank")
        return value

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is empty")
        return value

    @field_validator("published", mode="before")
    @classmethod
    def _parse_published(cls, value: object) -> dt.date | None:
        return parse_published(value)
