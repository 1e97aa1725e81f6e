"""resolve_time / default_interval against a Friday publication, 2024-10-25 (spec section 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from movegraph.extractors.times import default_interval, resolve_time

PUB = dt.date(2024, 10, 25)  # a Friday, as in the spec's worked example
D = dt.date


@pytest.mark.parametrize(
    ("text", "tense", "start", "end"),
    [
        # the spec table, row by row
        ("on Thursday", "past", D(2024, 10, 24), D(2024, 10, 24)),
        ("on Wednesday", "past", D(2024, 10, 23), D(2024, 10, 23)),
        ("last week", "past", D(2024, 10, 14), D(2024, 10, 20)),
        ("earlier this month", "past", D(2024, 10, 1), D(2024, 10, 25)),
        ("from October 8-13", "past", D(2024, 10, 8), D(2024, 10, 13)),
        ("by December", "future", None, D(2024, 12, 31)),
    ],
)
def test_spec_table(text: str, tense: str, start: dt.date | None, end: dt.date) -> None:
    got = resolve_time(text, PUB, tense)  # type: ignore[arg-type]
    assert (got.start, got.end) == (start, end)
    assert got.text == text


@pytest.mark.parametrize(
    ("text", "tense", "start", "end"),
    [
        ("Oct. 24", "past", D(2024, 10, 24), D(2024, 10, 24)),
        ("October 24, 2024", "past", D(2024, 10, 24), D(2024, 10, 24)),
        ("24 October", "past", D(2024, 10, 24), D(2024, 10, 24)),
        ("Oct. 30", "past", D(2023, 10, 30), D(2023, 10, 30)),  # past tense: not after publication
        ("Oct. 30", "future", D(2024, 10, 30), D(2024, 10, 30)),
        ("on July 30", "future", D(2025, 7, 30), D(2025, 7, 30)),
        ("Thursday, October 24", "past", D(2024, 10, 24), D(2024, 10, 24)),
        ("10/24/2024", "past", D(2024, 10, 24), D(2024, 10, 24)),
        ("in September", "past", D(2024, 9, 1), D(2024, 9, 30)),
        ("in December", "past", D(2023, 12, 1), D(2023, 12, 31)),
        ("in November", "future", D(2024, 11, 1), D(2024, 11, 30)),
        ("September 2023", "past", D(2023, 9, 1), D(2023, 9, 30)),
        ("early October", "past", D(2024, 10, 1), D(2024, 10, 10)),
        ("late September", "past", D(2024, 9, 21), D(2024, 9, 30)),
        ("between 3 and 5 May", "past", D(2024, 5, 3), D(2024, 5, 5)),
        ("8-13 October", "past", D(2024, 10, 8), D(2024, 10, 13)),
        ("Sept. 28 to Oct. 3", "past", D(2024, 9, 28), D(2024, 10, 3)),
        ("from Oct. 8 to Oct. 13", "past", D(2024, 10, 8), D(2024, 10, 13)),
        ("yesterday", "past", D(2024, 10, 24), D(2024, 10, 24)),
        ("today", "present", D(2024, 10, 25), D(2024, 10, 25)),
        ("last month", "past", D(2024, 9, 1), D(2024, 9, 30)),
        ("this week", "past", D(2024, 10, 21), D(2024, 10, 25)),
        ("in recent days", "past", D(2024, 10, 18), D(2024, 10, 25)),
        ("the past week", "past", D(2024, 10, 18), D(2024, 10, 25)),
        ("next week", "future", D(2024, 10, 28), D(2024, 11, 3)),
        ("later this year", "future", D(2024, 10, 25), D(2024, 12, 31)),
        ("this summer", "past", D(2024, 6, 1), D(2024, 8, 31)),
        ("last winter", "past", D(2023, 12, 1), D(2024, 2, 29)),
        ("next spring", "future", D(2025, 3, 1), D(2025, 5, 31)),
        ("in 2023", "past", D(2023, 1, 1), D(2023, 12, 31)),
        ("two weeks ago", "past", D(2024, 10, 7), D(2024, 10, 13)),
        ("3 days ago", "past", D(2024, 10, 22), D(2024, 10, 22)),
        ("Thursday night", "past", D(2024, 10, 24), D(2024, 10, 24)),
        ("last Monday", "past", D(2024, 10, 21), D(2024, 10, 21)),
        ("on Friday", "past", D(2024, 10, 25), D(2024, 10, 25)),
        ("over the weekend", "past", D(2024, 10, 19), D(2024, 10, 20)),
        ("since Monday", "past", D(2024, 10, 21), D(2024, 10, 25)),
        ("by the end of the year", "future", None, D(2024, 12, 31)),
    ],
)
def test_expressions(text: str, tense: str, start: dt.date | None, end: dt.date | None) -> None:
    got = resolve_time(text, PUB, tense)  # type: ignore[arg-type]
    assert (got.start, got.end) == (start, end)


@pytest.mark.parametrize(("text", "day"), [("on Thursday", D(2024, 10, 31)), ("Friday", D(2024, 11, 1)),
                                           ("on Monday", D(2024, 10, 28))])
def test_weekday_with_future_tense_is_the_next_one(text: str, day: dt.date) -> None:
    got = resolve_time(text, PUB, "future")
    assert (got.start, got.end) == (day, day)


def test_later_this_year_from_training_corpus() -> None:
    # "The brigade will arrive later this year." (DVIDS, public domain), published 2025-02-13.
    got = resolve_time("later this year", D(2025, 2, 13), "future")
    assert (got.start, got.end) == (D(2025, 2, 13), D(2025, 12, 31))


def test_reporting_time_bounds_the_end_only() -> None:
    got = resolve_time("last week", PUB, "past", reporting=True)
    assert (got.start, got.end) == (None, D(2024, 10, 20))
    got = resolve_time("on Wednesday", PUB, "past", reporting=True)
    assert (got.start, got.end) == (None, D(2024, 10, 23))


@pytest.mark.parametrize("text", [None, "", "gibberish", "at some point", "soon"])
def test_unreadable_is_open_and_keeps_text(text: str | None) -> None:
    got = resolve_time(text, PUB)
    assert (got.start, got.end) == (None, None)
    assert got.text == text


def test_no_publication_date_never_invents_one() -> None:
    got = resolve_time("last week", None)
    assert (got.start, got.end, got.text) == (None, None, "last week")


def test_accepts_datetime_publication() -> None:
    got = resolve_time("yesterday", dt.datetime(2024, 10, 25, 9, 30))
    assert got.end == D(2024, 10, 24)


def test_default_interval() -> None:
    assert (default_interval(PUB, "asserted").start, default_interval(PUB, "asserted").end) == (None, PUB)
    for modality in ("expected", "hypothetical", "negated", "denied"):
        got = default_interval(PUB, modality)
        assert (got.start, got.end) == (None, None)
    assert default_interval(None, "asserted").end is None


@pytest.mark.parametrize(
    ("text", "tense", "start", "end"),
    [
        ("in the coming days", "future", D(2024, 10, 25), D(2024, 11, 1)),
        ("in the coming weeks", "future", D(2024, 10, 25), D(2024, 11, 22)),
        ("the next two weeks", "future", D(2024, 10, 25), D(2024, 11, 8)),
        ("within days", "future", D(2024, 10, 25), D(2024, 11, 1)),
        ("in two weeks", "future", D(2024, 11, 4), D(2024, 11, 10)),
        ("in two weeks", "past", None, None),  # no forward reading of a past event: left open
        ("next week", "future", D(2024, 10, 28), D(2024, 11, 3)),  # still the calendar week
        ("May 3", "past", D(2024, 5, 3), D(2024, 5, 3)),
        ("on May 3", "future", D(2025, 5, 3), D(2025, 5, 3)),
        ("3 May 2024", "past", D(2024, 5, 3), D(2024, 5, 3)),
        ("between Oct. 3 and Oct. 5", "past", D(2024, 10, 3), D(2024, 10, 5)),
        ("in mid-October", "past", D(2024, 10, 11), D(2024, 10, 20)),
        ("this month", "past", D(2024, 10, 1), D(2024, 10, 25)),
        ("next month", "future", D(2024, 11, 1), D(2024, 11, 30)),
        ("by next spring", "future", None, D(2025, 5, 31)),
        ("in the fall", "past", D(2024, 9, 1), D(2024, 10, 25)),
        ("2024-10-20", "past", D(2024, 10, 20), D(2024, 10, 20)),
    ],
)
def test_more_expressions(text: str, tense: str, start: dt.date | None, end: dt.date | None) -> None:
    got = resolve_time(text, PUB, tense)  # type: ignore[arg-type]
    assert (got.start, got.end) == (start, end)


def test_published_iso_datetime_with_time_zone_uses_its_local_date() -> None:
    # Late evening in New York is already the next day in UTC: the article's own date counts.
    from movegraph.schema import Article

    article = Article(id="tz", text="t", published="2024-10-25T23:30:00-05:00")
    assert article.published == PUB
    got = resolve_time("yesterday", dt.datetime(2024, 10, 25, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))))
    assert (got.start, got.end) == (D(2024, 10, 24), D(2024, 10, 24))


@pytest.mark.parametrize(("text", "tense", "month_start"),
                         [("in March", "past", D(2024, 3, 1)), ("in March", "future", D(2025, 3, 1))])
def test_month_without_year_follows_the_tense(text: str, tense: str, month_start: dt.date) -> None:
    assert resolve_time(text, PUB, tense).start == month_start  # type: ignore[arg-type]


# ------------------------------------------------- dates after publication, fiscal quarters (benchmark faults)

DEC = dt.date(2026, 12, 4)  # a publication a few weeks before the new year


@pytest.mark.parametrize(
    ("text", "tense", "day"),
    [
        # a schedule word in the expression reads the date forward, whatever tense the verb was given
        ("scheduled for Jan. 14", "past", D(2027, 1, 14)),
        ("scheduled for Jan. 14", "present", D(2027, 1, 14)),
        ("planned for January 14", "past", D(2027, 1, 14)),
        ("set for Jan. 14", "past", D(2027, 1, 14)),
        ("due on 14 January", "past", D(2027, 1, 14)),
        ("expected on Jan. 14", "past", D(2027, 1, 14)),
        ("the upcoming Jan. 14", "past", D(2027, 1, 14)),
        ("next Jan. 14", "past", D(2027, 1, 14)),
        # no schedule word, present tense: the year nearest publication (spec section 3)
        ("on Jan. 14", "present", D(2027, 1, 14)),
        ("on Nov. 30", "present", D(2026, 11, 30)),
        # a past-tense movement verb still goes to the past, as does a schedule put in the past
        ("on Jan. 14", "past", D(2026, 1, 14)),
        ("was scheduled for Jan. 14", "past", D(2026, 1, 14)),
        # a stated year is never moved
        ("scheduled for Jan. 14, 2026", "past", D(2026, 1, 14)),
        ("on Jan. 14, 2026", "present", D(2026, 1, 14)),
    ],
)
def test_date_after_publication_follows_schedule_words_and_tense(text: str, tense: str, day: dt.date) -> None:
    got = resolve_time(text, DEC, tense)  # type: ignore[arg-type]
    assert (got.start, got.end) == (day, day)
    assert got.text == text


def test_schedule_word_with_a_period_and_a_bound() -> None:
    assert (resolve_time("due by March", DEC).start, resolve_time("due by March", DEC).end) == (None, D(2027, 3, 31))
    got = resolve_time("scheduled for next week", DEC)
    assert (got.start, got.end) == (D(2026, 12, 7), D(2026, 12, 13))


def test_leap_day_without_year_takes_the_nearest_leap_year() -> None:
    got = resolve_time("Feb. 29", DEC, "past")
    assert (got.start, got.end) == (D(2024, 2, 29), D(2024, 2, 29))
    got = resolve_time("scheduled for Feb. 29", DEC, "past")
    assert (got.start, got.end) == (D(2028, 2, 29), D(2028, 2, 29))


@pytest.mark.parametrize(
    ("text", "tense", "start", "end"),
    [
        ("in the first quarter of 2025", "past", D(2025, 1, 1), D(2025, 3, 31)),
        ("Q3 2024", "past", D(2024, 7, 1), D(2024, 9, 30)),
        ("in Q2", "past", D(2026, 4, 1), D(2026, 6, 30)),
        ("the second quarter of 2024", "future", D(2024, 4, 1), D(2024, 6, 30)),  # a stated year is kept
        ("3Q 2023", "past", D(2023, 7, 1), D(2023, 9, 30)),
        ("Q4 '25", "past", D(2025, 10, 1), D(2025, 12, 31)),
        ("the final quarter of 2025", "past", D(2025, 10, 1), D(2025, 12, 31)),
        ("the last quarter of 2025", "past", D(2025, 10, 1), D(2025, 12, 31)),
        # no year: the nearest such quarter, begun by publication for the past, not yet over for the future
        ("the fourth quarter", "past", D(2026, 10, 1), D(2026, 12, 4)),
        ("the fourth quarter", "future", D(2026, 12, 4), D(2026, 12, 31)),
        ("the first quarter", "past", D(2026, 1, 1), D(2026, 3, 31)),
        ("the first quarter", "future", D(2027, 1, 1), D(2027, 3, 31)),
        ("the first quarter", "present", D(2027, 1, 1), D(2027, 3, 31)),
        ("scheduled for the first quarter", "past", D(2027, 1, 1), D(2027, 3, 31)),
        # fiscal quarters are read as calendar quarters (see the module docstring)
        ("fiscal 2025 first quarter", "past", D(2025, 1, 1), D(2025, 3, 31)),
        ("the first quarter of fiscal 2025", "past", D(2025, 1, 1), D(2025, 3, 31)),
        ("the fiscal first quarter of 2025", "past", D(2025, 1, 1), D(2025, 3, 31)),
        ("Q1 FY2025", "past", D(2025, 1, 1), D(2025, 3, 31)),
        ("FY25 Q1", "past", D(2025, 1, 1), D(2025, 3, 31)),
        # a year relative to publication, parts of a quarter, and quarters relative to publication
        ("the third quarter of last year", "past", D(2025, 7, 1), D(2025, 9, 30)),
        ("the first quarter of next year", "future", D(2027, 1, 1), D(2027, 3, 31)),
        ("the end of the first quarter of 2025", "past", D(2025, 3, 1), D(2025, 3, 31)),
        ("early in the third quarter of 2025", "past", D(2025, 7, 1), D(2025, 7, 31)),
        ("mid-Q2 2025", "past", D(2025, 5, 1), D(2025, 5, 31)),
        ("by the end of the first quarter", "future", None, D(2027, 3, 31)),
        ("last quarter", "past", D(2026, 7, 1), D(2026, 9, 30)),
        ("the last quarter", "past", D(2026, 7, 1), D(2026, 9, 30)),
        ("this quarter", "past", D(2026, 10, 1), D(2026, 12, 4)),
        ("next quarter", "future", D(2027, 1, 1), D(2027, 3, 31)),
        ("earlier this quarter", "past", D(2026, 10, 1), D(2026, 12, 4)),
    ],
)
def test_quarters(text: str, tense: str, start: dt.date | None, end: dt.date) -> None:
    got = resolve_time(text, DEC, tense)  # type: ignore[arg-type]
    assert (got.start, got.end) == (start, end)


@pytest.mark.parametrize("text", ["Q5 2024", "the fifth quarter", "a quarter", "quarterly", "the quarter-final"])
def test_not_a_quarter_stays_open(text: str) -> None:
    got = resolve_time(text, DEC)
    assert (got.start, got.end) == (None, None)
