"""Hand-made articles and events for tests (texts written for the tests, not taken from any corpus)."""

from __future__ import annotations

import datetime as dt

from movegraph.schema import Actor, Article, MovementEvent, Place, TextSpan, TimeInterval

TEXT = (
    "Some 400 Freedonian soldiers arrived in Lviv on Monday, officials said. "
    "A second battalion was sent to Poland. Sylvanian refugees fled to Moldova."
)


def article(article_id: str = "test-1", text: str = TEXT, title: str | None = "Test article") -> Article:
    """An article published on a Wednesday."""
    return Article(id=article_id, text=text, title=title, url=f"https://example.org/{article_id}",
                   source="Example News", published=dt.date(2024, 3, 13), language="en")


def event(article_id: str = "test-1", *, trigger: tuple[int, int] = (29, 36), affiliation: str | None = "UA",
          actor_type: str = "military", country: str = "UA", subdivision: str | None = "UA-46",
          locality: str | None = "Lviv", modality: str = "asserted", quantity: int | None = 400,
          time: tuple[str | None, str | None] = ("2024-03-11", "2024-03-11"), source: str | None = "officials",
          sentence: str = "Some 400 Freedonian soldiers arrived in Lviv on Monday, officials said.",
          confidence: float = 0.8) -> MovementEvent:
    """A movement event with every field set; keyword arguments change one thing at a time."""
    start, end = time
    return MovementEvent(
        article_id=article_id,
        trigger=TextSpan(text="arrived", start=trigger[0], end=trigger[1]),
        mover=Actor(text="Freedonian soldiers", start=9, end=28, affiliation=affiliation, type=actor_type,
                    name=f"{affiliation} {actor_type}"),
        destination=Place(text=locality or country, start=40, end=44, country=country,
                          country_name={"UA": "Ukraine", "PL": "Poland"}.get(country), subdivision=subdivision,
                          subdivision_name="Lviv Oblast" if subdivision else None, locality=locality,
                          lat=49.84 if locality else None, lon=24.03 if locality else None,
                          geonames_id=702550 if locality else None),
        quantity=quantity, approximate=True if quantity else None,
        time=TimeInterval(text="on Monday", start=dt.date.fromisoformat(start) if start else None,
                          end=dt.date.fromisoformat(end) if end else None),
        modality=modality, factual=modality == "asserted", source=source,
        sentence=sentence, sentence_start=0, sentence_end=len(sentence), confidence=confidence,
    )
