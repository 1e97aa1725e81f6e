"""Time resolver: a time expression + publication date -> inclusive date interval (spec section 3).

Own rules come first because dateparser returns one instant, not an interval: "last week" is a
Monday-Sunday span, "in September" a whole month, "from October 8-13" a range, "by December" an
open start. dateparser (with RELATIVE_BASE = publication and PREFER_DATES_FROM from the tense)
is used for explicit single dates ("Oct. 24", "24 October", "October 24, 2024", "10/24/2024").
Nothing here raises: an expression it cannot read gives an open interval that keeps the text.

A date or quarter without a year takes the occurrence nearest publication (spec section 3): the latest
one begun by publication for past tense, the earliest one not over for future tense, the closest for
present tense. A schedule word inside the expression ("scheduled for", "planned for", "set for", "due",
"expected", "upcoming/next Jan. 14") reads it as future whatever the verb's tense, because the verb's
tense is a guess (noun triggers default to past) while the schedule word is about the date itself; put
in the past ("was scheduled for") it leaves the verb's tense alone.

Quarters ("the first quarter of 2025", "Q3 2024", "3Q23", "the fourth quarter", "last quarter") are
calendar quarters. Fiscal quarters ("fiscal 2025 first quarter", "Q1 FY2025") are read as the calendar
quarter of the stated year: fiscal years start on different dates for different bodies (1 October for
the US federal government, 1 April for the UK and Japanese governments, any month for a company) and
the resolver is not told whose fiscal year it is; dateparser has no notion of quarters at all.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from collections.abc import Callable
from typing import Literal

import dateparser

from movegraph.schema.event import TimeInterval

log = logging.getLogger(__name__)

Tense = Literal["past", "present", "future"]
Span = tuple[dt.date | None, dt.date | None]
ClosedSpan = tuple[dt.date, dt.date]  # a span with both ends known: weeks, months, quarters, seasons

_MONTHS: dict[str, int] = {}
for _i, (_full, _abbr) in enumerate(zip(calendar.month_name[1:], calendar.month_abbr[1:], strict=True), start=1):
    _MONTHS[_full.lower()] = _i
    _MONTHS[_abbr.lower()] = _i
_MONTHS["sept"] = 9
_WEEKDAYS: dict[str, int] = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAYS.update({name.lower(): i for i, name in enumerate(calendar.day_abbr)})
_NUMBERS: dict[str, int] = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                            "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 3,
                            "a few": 3, "few": 3, "a couple of": 2, "couple of": 2}
_SEASONS: dict[str, tuple[int, int]] = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11),
                                        "fall": (9, 11), "winter": (12, 2)}

_MONTH_RE = r"(?P<{n}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_M1, _M2 = _MONTH_RE.format(n="m1"), _MONTH_RE.format(n="m2")
_YEAR = r"(?:,?\s*(?P<y>\d{{4}}))?"
_RANGE_RES: tuple[re.Pattern[str], ...] = (
    # October 8-13 / October 8 to 13 / Oct. 8 through Oct. 13, 2024
    re.compile(rf"^{_M1}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|to|through|until|and)\s*(?:{_M2}\s+)?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?{_YEAR}$"),
    # 8-13 October / between 3 and 5 May / 28 September to 3 October
    re.compile(rf"^(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+{_M1})?\s*(?:-|to|through|until|and)\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+{_M2}{_YEAR}$"),
)
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
# A schedule word before the date: it reads the date as future unless put in the past ("was scheduled for").
_SCHEDULE = re.compile(
    r"^(?:(?P<past>was|were|had been)\s+|(?:is|are|has been|have been|now)\s+)?"
    r"(?:re)?(?:scheduled|planned|slated|set|due|expected|timed|pencil+ed in|earmarked)"
    r"(?:\s+(?:for|on|in|at|to (?:begin|start|take place|arrive|happen)))?\s+"
    rf"|^(?:the\s+)?(?:upcoming|forthcoming|coming|next|this coming)\s+"
    rf"(?=(?:{_MONTH_NAMES})\.?\s+\d|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH_NAMES})\b)"
)
_NAMES_MONTH = re.compile(rf"\b(?:{_MONTH_NAMES})\b|\d[/.-]\d")  # not a duration dateparser reads as a date
_STATES_YEAR = re.compile(r"\d{4}|\d[/.-]\d{1,2}[/.-]\d{2}\b")
_QUARTER_ORDINALS: dict[str, int] = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
                                     "fourth": 4, "4th": 4, "final": 4, "last": 4}
_QUARTER_YEAR = r"(?:\d{4}|'?\d{2}|(?:this|current|last|previous|next|coming) year|year)"
_QUARTER = re.compile(
    rf"^(?:(?P<y1>{_QUARTER_YEAR})\s+)?"
    rf"(?:(?P<ord>{'|'.join(_QUARTER_ORDINALS)})\s+quarter|q(?P<qn>[1-4])|(?P<nq>[1-4])q)"
    rf"(?:[\s-]*(?P<y2>{_QUARTER_YEAR}))?$"
)
_QUARTER_PART = re.compile(r"^(?:(early|mid|middle of|late|the end of|end of|the beginning of|beginning of|"
                           r"the start of|start of|earlier|later)(?:\s+in)?[\s-]+)?(.+)$")
_FILLER = re.compile(
    r"\b(?:night|morning|afternoon|evening|overnight|at dawn|local time|alone|itself)\b|^(?:early|late)\s+(?=\w+day\b)"
)


def default_interval(published: dt.date | None, modality: str) -> TimeInterval:
    """No time stated: an asserted movement happened by publication; anything else is open."""
    if modality == "asserted" and published is not None:
        return TimeInterval(start=None, end=published)
    return TimeInterval(start=None, end=None)


def resolve_time(
    text: str | None,
    published: dt.date | None,
    tense: Tense = "past",
    reporting: bool = False,
) -> TimeInterval:
    """Resolve a time expression against publication; open interval (keeping the text) if unreadable."""
    if isinstance(published, dt.datetime):
        published = published.date()
    if not text or published is None:
        return TimeInterval(text=text)
    try:
        expression, tense = _schedule(_normalise(text), tense)
        span = _resolve(expression, published, tense)
    except Exception:  # noqa: BLE001 - a time that cannot be read must never stop extraction
        log.exception("time %r could not be resolved", text)
        span = None
    if span is None:
        return TimeInterval(text=text)
    start, end = span
    if reporting:
        start = None
    if start and end and end < start:
        return TimeInterval(text=text)
    return TimeInterval(text=text, start=start, end=end)


def _normalise(text: str) -> str:
    """Lower case, plain dashes, no surrounding punctuation or time-of-day words."""
    s = text.lower().replace("–", "-").replace("—", "-").replace("’", "'")
    s = _FILLER.sub(" ", s)
    s = re.sub(r"\s*-\s*", "-", s)
    return " ".join(s.strip(" ,.;:()").split())


def _schedule(s: str, tense: Tense) -> tuple[str, Tense]:
    """Drop a leading schedule word ("scheduled for"); unless put in the past it makes the date future."""
    m = _SCHEDULE.match(s)
    if not m:
        return s, tense
    return s[m.end():], tense if m.group("past") else "future"


def _resolve(s: str, pub: dt.date, tense: Tense) -> Span | None:
    """Dispatch on the leading preposition, then on the expression itself."""
    m = re.match(r"^(?:by|until|till|no later than|before the end of)\s+(.+)$", s)
    if m:
        inner = _expr(m.group(1), pub, "future" if tense == "future" else tense)
        return (None, inner[1]) if inner else None
    m = re.match(r"^before\s+(.+)$", s)
    if m:
        inner = _expr(m.group(1), pub, tense)
        return (None, inner[0] - dt.timedelta(days=1)) if inner and inner[0] else None
    m = re.match(r"^(?:since|starting|beginning|as of|from)\s+(.+)$", s)
    if m and not re.search(r"\d\s*(?:-|to|through)\s*\d|\bto\b|\buntil\b", m.group(1)):
        inner = _expr(m.group(1), pub, tense)
        if inner and inner[0]:
            if s.startswith(("since", "as of")):
                return (inner[0], pub if tense == "past" and inner[0] <= pub else None)
            return (inner[0], None)
        return None
    m = re.match(r"^(?:after)\s+(.+)$", s)
    if m:
        inner = _expr(m.group(1), pub, tense)
        return (inner[1] + dt.timedelta(days=1), None) if inner and inner[1] else None
    return _expr(re.sub(r"^(?:on|in|at|during|over|from|between|throughout|within)\s+", "", s), pub, tense)


def _expr(s: str, pub: dt.date, tense: Tense) -> Span | None:
    """A bare time expression (no by/since) -> interval, trying each rule in turn."""
    s = re.sub(r"^(?:the|this past|the past)\s+(?=weekend)", "this ", s)
    for rule in (_relative_day, _recent, _coming, _relative_period, _ago, _weekday, _range, _season,
                 _month_part, _month, _quarter, _year, _explicit):
        span = rule(s, pub, tense)
        if span is not None:
            return span
    return None


# ---------------------------------------------------------------- rules


def _relative_day(s: str, pub: dt.date, tense: Tense) -> Span | None:
    """today, yesterday, tomorrow, last night, the day before yesterday."""
    offsets = {"today": 0, "tonight": 0, "this": 0, "now": 0, "yesterday": -1, "last": -1,
               "the day before yesterday": -2, "tomorrow": 1, "the day after tomorrow": 2}
    s = s.strip()
    if s in offsets:
        day = pub + dt.timedelta(days=offsets[s])
        return day, day
    return None


def _week(day: dt.date) -> ClosedSpan:
    """Monday to Sunday of the week containing `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _month_span(year: int, month: int) -> ClosedSpan:
    """First to last day of a month."""
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    """(year, month) moved by `delta` months."""
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def _relative_period(s: str, pub: dt.date, tense: Tense) -> Span | None:
    """last/this/next week, month, quarter, year; earlier/later this week, month, year; the weekend."""
    m = re.match(r"^(earlier|later|early|late|the end of|end of|the beginning of|the start of)?\s*"
                 r"(last|this|next|the past|past|the coming|coming|the current|current|the)\s+"
                 r"(week|weekend|month|quarter|year)$", s)
    if not m:
        return None
    part, which, unit = m.group(1), m.group(2).replace("the ", ""), m.group(3)
    step = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(which, 0)
    if unit == "weekend":
        saturday = pub - dt.timedelta(days=(pub.weekday() - 5) % 7)
        if step > 0 or (step == 0 and tense == "future" and pub.weekday() < 5):
            saturday = pub + dt.timedelta(days=(5 - pub.weekday()) % 7 or 7) if step > 0 else \
                pub + dt.timedelta(days=(5 - pub.weekday()) % 7)
        return saturday, saturday + dt.timedelta(days=1)
    if unit == "week":
        start, end = _week(pub + dt.timedelta(weeks=step))
    elif unit == "month":
        start, end = _month_span(*_shift_month(pub.year, pub.month, step))
    elif unit == "quarter":
        year, month = _shift_month(pub.year, pub.month - (pub.month - 1) % 3, 3 * step)
        start, end = _quarter_span(year, (month + 2) // 3)
    else:
        start, end = dt.date(pub.year + step, 1, 1), dt.date(pub.year + step, 12, 31)
    return _part(start, end, part, pub, tense if step == 0 else "present")


def _part(start: dt.date, end: dt.date, part: str | None, pub: dt.date, tense: Tense) -> Span:
    """Narrow a period by earlier/later/end of, and a current period by the tense."""
    if part in ("earlier",):
        return start, min(end, pub)
    if part in ("later",):
        return max(start, pub), end
    if part in ("the end of", "end of", "late"):
        return start + (end - start) * 2 // 3, end
    if part in ("the beginning of", "the start of", "early"):
        return start, start + (end - start) // 3
    if start <= pub <= end and tense == "past":
        return start, pub
    if start <= pub <= end and tense == "future":
        return pub, end
    return start, end


def _recent(s: str, pub: dt.date, tense: Tense) -> Span | None:
    """in recent days/weeks, the past few days, the last 24 hours, recently."""
    m = re.match(r"^(?:recent|the past|past|the last|last|the previous|previous|the past few|the last few)\s+"
                 r"(?:(\d+|few|several|two|three|four|five|couple of)\s+)?(hours?|days?|weeks?|months?)$", s)
    if m and not (s.startswith("last ") and not m.group(1)):  # "last week" is the calendar week
        n_text, unit = m.group(1), m.group(2)
        n = int(n_text) if n_text and n_text.isdigit() else _NUMBERS.get(n_text or "", 1)
        if s.startswith("recent") or "few" in s or "several" in s:
            n = max(n, 1)
        days = {"hour": max(1, n // 24), "day": n if (n_text or not s.startswith("recent")) else 7,
                "week": 7 * n if n_text else (28 if s.startswith("recent") else 7),
                "month": 30 * n if n_text else (90 if s.startswith("recent") else 30)}[unit.rstrip("s")]
        return pub - dt.timedelta(days=days), pub
    if s in ("recently", "lately", "in recent times"):
        return pub - dt.timedelta(days=30), pub
    return None


def _coming(s: str, pub: dt.date, tense: Tense) -> Span | None:
    """in the coming days/weeks, within days, in two weeks: forward-looking spans from publication.

    Own rule: dateparser reads "in two weeks" as one instant and the vague "coming days" not at all;
    the spec wants an interval, so "the coming days" is the next week and "in two weeks" its week.
    """
    # "next week" is the calendar week (_relative_period); "the next two weeks" counts from publication.
    m = re.match(r"^(?:the\s+)?(?:coming|following|upcoming|"
                 r"next(?=\s+(?:\d|few|several|two|three|four|five|couple)))\s+"
                 r"(?:(\d+|few|several|two|three|four|five|couple of)\s+)?(days|weeks|months)$|"
                 r"^(?:a\s+matter\s+of\s+)?(days|weeks|months)$", s)
    if m and (m.group(2) or tense == "future"):  # bare "(within) days" only looks forward in future tense
        unit = (m.group(2) or m.group(3)).rstrip("s")
        n = _NUMBERS.get(m.group(1) or "", int(m.group(1)) if m.group(1) and m.group(1).isdigit() else 1)
        days = {"day": 7 if not m.group(1) else n, "week": 7 * n if m.group(1) else 28,
                "month": 30 * n if m.group(1) else 90}
        return pub, pub + dt.timedelta(days=days[unit])
    m = re.match(r"^(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|a couple of)\s+"
                 r"(day|week|month)s?$", s)
    if m and tense == "future":  # "(in) two weeks": the week, month or day that far ahead
        n = int(m.group(1)) if m.group(1).isdigit() else _NUMBERS[m.group(1)]
        if m.group(2) == "day":
            day = pub + dt.timedelta(days=n)
            return day, day
        if m.group(2) == "week":
            return _week(pub + dt.timedelta(weeks=n))
        return _month_span(*_shift_month(pub.year, pub.month, n))
    return None


def _ago(s: str, pub: dt.date, tense: Tense) -> Span | None:
    """N days/weeks/months/years ago; in N days (future)."""
    m = re.match(r"^(?:(?:about|some|nearly|almost|more than|over)\s+)?(\d+|a|an|one|two|three|four|five|six|seven|"
                 r"eight|nine|ten|a few|several|a couple of)\s+(day|week|month|year)s?\s+"
                 r"(ago|earlier|later|from now)$", s)
    if not m:
        return None
    n = int(m.group(1)) if m.group(1).isdigit() else _NUMBERS[m.group(1)]
    sign = -1 if m.group(3) in ("ago", "earlier") else 1
    unit = m.group(2)
    if unit == "day":
        day = pub + dt.timedelta(days=sign * n)
        return day, day
    if unit == "week":
        return _week(pub + dt.timedelta(weeks=sign * n))
    if unit == "month":
        return _month_span(*_shift_month(pub.year, pub.month, sign * n))
    year = pub.year + sign * n
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _weekday(s: str, pub: dt.date, tense: Tense) -> Span | None:
    """Thursday (most recent on/before publication; next one for future tense), last/next Monday."""
    m = re.match(r"^(last|this|next|this past|this coming|coming|early|late)?\s*(\w+?)\.?"
                 r"(?:,?\s+(" + "|".join(_MONTHS) + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s*(\d{4}))?)?$", s)
    if not m or m.group(2) not in _WEEKDAYS:
        return None
    if m.group(3):  # "Thursday, October 24": the date decides
        return _explicit(f"{m.group(3)} {m.group(4)} {m.group(5) or ''}".strip(), pub, tense)
    target = _WEEKDAYS[m.group(2)]
    which = m.group(1) or ""
    future = "next" in which or "coming" in which or (tense == "future" and "last" not in which and "past" not in which)
    if future:
        day = pub + dt.timedelta(days=(target - pub.weekday()) % 7 or 7)
    else:
        day = pub - dt.timedelta(days=(pub.weekday() - target) % 7)
        if which == "last" and day == pub:
            day -= dt.timedelta(days=7)
    return day, day


def _year_for(month: int, pub: dt.date, tense: Tense, day: int | None = None) -> int:
    """Year that puts a month (and day) nearest publication, in the past for past tense."""
    probe = (month, day or 1)
    now = (pub.month, pub.day if day else 1)
    if tense == "past":
        return pub.year if probe <= now else pub.year - 1
    if tense == "future":
        return pub.year if probe >= now else pub.year + 1
    candidates = (pub.year - 1, pub.year, pub.year + 1)
    return min(candidates, key=lambda y: abs((dt.date(y, month, min(day or 1, 28)) - pub).days))


def _range(s: str, pub: dt.date, tense: Tense) -> Span | None:
    """October 8-13, 8-13 October, between 3 and 5 May, Sept. 28 to Oct. 3 (a year may follow)."""
    for pattern in _RANGE_RES:
        m = pattern.match(s)
        if not m:
            continue
        d1, d2 = int(m.group("d1")), int(m.group("d2"))
        m1 = _MONTHS[m.group("m1")] if m.group("m1") else None
        m2 = _MONTHS[m.group("m2")] if m.group("m2") else None
        m1, m2 = m1 or m2, m2 or m1
        if m1 is None or m2 is None:
            return None
        if m.group("y"):
            y2 = int(m.group("y"))
        else:
            y2 = _year_for(m2, pub, tense, d2 if tense != "past" else None)
        y1 = y2 - 1 if m1 > m2 else y2
        return dt.date(y1, m1, d1), dt.date(y2, m2, d2)
    return None


def _season(s: str, pub: dt.date, tense: Tense) -> Span | None:
    """this/last/next summer, in the spring, winter 2023 (northern-hemisphere meteorological seasons)."""
    m = re.match(r"^(early|late|earlier|later)?\s*(?:(last|this|next|the coming|coming|the)\s+)?"
                 r"(spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?(\d{4}))?$", s)
    if not m:
        return None
    part, which, (first, last) = m.group(1), m.group(2) or "", _SEASONS[m.group(3)]

    def span(year: int) -> ClosedSpan:
        end_year = year + 1 if first > last else year
        return dt.date(year, first, 1), _month_span(end_year, last)[1]

    if m.group(4):
        start, end = span(int(m.group(4)))
    else:
        current = [span(y) for y in (pub.year - 1, pub.year) if span(y)[0] <= pub]
        start, end = current[-1]  # the latest season of that name begun by publication
        if which == "last" or (which in ("", "the") and tense == "past" and start > pub):
            start, end = span(start.year - 1) if end >= pub else (start, end)
        if which in ("next", "coming", "the coming") or (which in ("", "the") and tense == "future" and end < pub):
            start, end = span(start.year + 1)
    return _part(start, end, {"early": "early", "late": "late", "earlier": "earlier", "later": "later"}.get(part or ""),
                 pub, tense)


def _month_part(s: str, pub: dt.date, tense: Tense) -> Span | None:
    """early/mid/late October (2024), the end/beginning of October."""
    m = re.match(r"^(early|mid|middle of|late|the end of|end of|the beginning of|beginning of|the start of|start of)"
                 r"[\s-]+" + _M1 + _YEAR + "$", s)
    if not m:
        return None
    month = _MONTHS[m.group("m1")]
    year = int(m.group("y")) if m.group("y") else _year_for(month, pub, tense)
    start, end = _month_span(year, month)
    part = m.group(1)
    if part.startswith("mid") or part.startswith("middle"):
        return dt.date(year, month, 11), dt.date(year, month, 20)
    if "end" in part or part == "late":
        return dt.date(year, month, 21), end
    return start, dt.date(year, month, 10)


def _month(s: str, pub: dt.date, tense: Tense) -> Span | None:
    """September, last September, next March, September 2023 -> the whole month."""
    m = re.match(r"^(?:(last|this|next|this past|this coming|coming)\s+)?" + _M1
                 + r"(?:\s+(?:of\s+)?(?P<y>\d{4}))?$", s)
    if not m:
        return None
    month = _MONTHS[m.group("m1")]
    which = m.group(1) or ""
    if m.group("y"):
        year = int(m.group("y"))
    elif which in ("last", "this past"):
        year = pub.year if month < pub.month else pub.year - 1
    elif which in ("next", "this coming", "coming"):
        year = pub.year if month > pub.month else pub.year + 1
    else:
        year = _year_for(month, pub, tense)
    start, end = _month_span(year, month)
    if start <= pub <= end and not m.group("y"):
        return _part(start, end, None, pub, tense)
    return start, end


def _nearest(occurrence: Callable[[int], ClosedSpan | None], pub: dt.date, tense: Tense) -> ClosedSpan | None:
    """The yearly occurrence nearest publication: begun by it (past), not over (future), closest (present)."""
    spans = [span for year in range(pub.year - 4, pub.year + 5) if (span := occurrence(year)) is not None]
    if tense == "past":
        return max((span for span in spans if span[0] <= pub), default=None)
    if tense == "future":
        return min((span for span in spans if span[1] >= pub), default=None)

    def distance(span: ClosedSpan) -> int:
        """Days from publication to the span; 0 when it contains publication."""
        start, end = span
        return 0 if start <= pub <= end else min(abs((start - pub).days), abs((end - pub).days))

    return min(spans, key=distance, default=None)


def _quarter_span(year: int, quarter: int) -> ClosedSpan:
    """First to last day of a calendar quarter."""
    return _month_span(year, 3 * quarter - 2)[0], _month_span(year, 3 * quarter)[1]


def _quarter(s: str, pub: dt.date, tense: Tense) -> Span | None:
    """the first quarter (of 2025), Q3 2024, 3Q23, fiscal 2025 first quarter, the end of Q1 (calendar quarters)."""
    m = _QUARTER_PART.match(s)
    if not m:
        return None
    part, body = m.groups()
    body = re.sub(r"\b(?:the|of|in|fiscal|financial|calendar)\b|'s\b", " ", body)
    body = " ".join(re.sub(r"\bfy\s*('?\d{2}(?:\d{2})?)\b", r"\1", body).split())
    q = _QUARTER.match(body)
    if not q or (q.group("y1") and q.group("y2")):
        return None
    year_text = q.group("y1") or q.group("y2")
    if q.group("ord") == "last" and not year_text:  # "the last quarter": the one before publication's
        return _relative_period(f"{part or ''} last quarter".strip(), pub, tense)
    quarter = _QUARTER_ORDINALS.get(q.group("ord") or "") or int(q.group("qn") or q.group("nq"))
    digits = (year_text or "").strip("'")
    if digits.isdigit():  # a stated year: the whole quarter, whatever the tense
        start, end = _quarter_span(int(digits) if len(digits) == 4 else 2000 + int(digits), quarter)
        return _quarter_part(start, end, part, pub, "present")
    if year_text:
        step = (-1 if year_text.startswith(("last", "previous"))
                else 1 if year_text.startswith(("next", "coming")) else 0)
        span: Span | None = _quarter_span(pub.year + step, quarter)
    else:
        span = _nearest(lambda year: _quarter_span(year, quarter), pub, tense)
    return _quarter_part(span[0], span[1], part, pub, tense) if span and span[0] and span[1] else None


def _quarter_part(start: dt.date, end: dt.date, part: str | None, pub: dt.date, tense: Tense) -> Span:
    """Narrow a quarter to its first, middle or last month, or by earlier/later and the tense."""
    months = {"early": 0, "the beginning of": 0, "beginning of": 0, "the start of": 0, "start of": 0,
              "mid": 1, "middle of": 1, "late": 2, "the end of": 2, "end of": 2}
    if part in months:
        return _month_span(*_shift_month(start.year, start.month, months[part]))
    return _part(start, end, part, pub, tense)


def _year(s: str, pub: dt.date, tense: Tense) -> Span | None:
    """2023, early 2023, late 2023, the end of 2023."""
    m = re.match(r"^(early|mid|late|the end of|end of|the beginning of|the start of|earlier|later)?[\s-]*(\d{4})$", s)
    if not m or not 1900 <= int(m.group(2)) <= 2100:
        return None
    year = int(m.group(2))
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    part = m.group(1)
    if part == "mid":
        return dt.date(year, 5, 1), dt.date(year, 8, 31)
    return _part(start, end, part, pub, tense) if part else (start, end)


def _explicit(s: str, pub: dt.date, tense: Tense) -> Span | None:
    """One explicit calendar date, read by dateparser relative to publication."""
    if not re.search(r"\d", s) or not re.search(r"[a-z]{3}|\d[/.-]\d", s):
        return None
    settings = {
        "RELATIVE_BASE": dt.datetime.combine(pub, dt.time(12)),
        "PREFER_DATES_FROM": "future" if tense == "future" else "past",
        "REQUIRE_PARTS": ["day", "month"],
        "DATE_ORDER": "MDY",
        "PREFER_DAY_OF_MONTH": "first",
    }
    parsed = dateparser.parse(s, languages=["en"], settings=settings)
    if parsed is None:
        return None
    day = parsed.date()
    if _NAMES_MONTH.search(s) and not _STATES_YEAR.search(s):  # a day of a month, no year: the nearest one
        return _nearest(lambda year: _on_year(day, year), pub, tense)
    return day, day


def _on_year(day: dt.date, year: int) -> ClosedSpan | None:
    """The same day and month in another year; None for 29 February outside leap years."""
    try:
        moved = day.replace(year=year)
    except ValueError:
        return None
    return moved, moved
