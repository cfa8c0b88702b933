"""Finding when an article was published and on which day its event happened.

Publication comes from the first source that gives one, most trusted first:

    stated_published (front matter, JSON)  >  date lines (header, footer)  >  dateline

The event day is the first date phrase in the lead that describes the event
("on Friday, September 25", "took place on Monday", "Wednesday (11/1/2023)"),
else the dateline's date, else the publication day in the configured zone.

Phrases are found by a registry of compiled patterns, each with one reader,
tried over the same text (as feedparser tries its date handlers). A phrase
that leaves the year or the day/month order open is resolved against the
nearest trustworthy date, and the result is marked uncertain whenever the
text itself did not settle it. Nothing here raises: text that holds no
usable date gives ``None`` and says why in ``evidence``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from itertools import chain
from typing import Literal
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class ArticleDates:
    """When an article was published, when its event happened, and why we think so."""

    published: datetime | None
    event: date | None
    uncertain: bool
    evidence: str


# --- vocabulary --------------------------------------------------------------


def _numbered(groups: str, start: int) -> dict[str, int]:
    """Names numbered by group: "january jan|february feb" gives january=1, jan=1, ..."""
    return {
        name: number
        for number, names in enumerate(groups.split("|"), start=start)
        for name in names.split()
    }


_MONTHS = _numbered(
    "january jan|february feb|march mar|april apr|may|june jun|july jul|august aug"
    "|september sept sep|october oct|november nov|december dec",
    start=1,
)
_WEEKDAYS = _numbered(
    "monday mon|tuesday tues tue|wednesday wed|thursday thurs thur thu|friday fri"
    "|saturday sat|sunday sun",
    start=0,
)
_FULL_WEEKDAYS = tuple(name for name in _WEEKDAYS if name.endswith("day"))


def _alternation(names: Sequence[str]) -> str:
    """A regex alternation that tries longer names first ("sept" before "sep")."""
    return "|".join(sorted(names, key=len, reverse=True))


def _written_forms(names: Iterable[str]) -> list[str]:
    """The Capitalised and UPPER spellings of lower-case names."""
    return [form for name in names for form in (name.capitalize(), name.upper())]


def _fixed(hours: float, name: str) -> timezone:
    """A fixed offset that keeps its abbreviation for display."""
    return timezone(timedelta(hours=hours), name)


# Zone abbreviations news outlets print after a time. Where an abbreviation is
# ambiguous worldwide we take the reading of the outlets that use it most:
# IST is India, CST is US Central. "ET"/"PT"/"CT"/"MT" follow daylight saving.
_ZONES: dict[str, tzinfo] = {
    "UTC": UTC, "GMT": UTC, "Z": UTC,
    "IST": _fixed(5.5, "IST"), "PKT": _fixed(5, "PKT"), "BST": _fixed(1, "BST"),
    "CET": _fixed(1, "CET"), "CEST": _fixed(2, "CEST"), "EET": _fixed(2, "EET"),
    "EEST": _fixed(3, "EEST"), "MSK": _fixed(3, "MSK"), "WIB": _fixed(7, "WIB"),
    "WITA": _fixed(8, "WITA"), "SGT": _fixed(8, "SGT"), "HKT": _fixed(8, "HKT"),
    "PHT": _fixed(8, "PHT"), "JST": _fixed(9, "JST"), "KST": _fixed(9, "KST"),
    "AEST": _fixed(10, "AEST"), "AEDT": _fixed(11, "AEDT"),
    "EST": _fixed(-5, "EST"), "EDT": _fixed(-4, "EDT"), "CST": _fixed(-6, "CST"),
    "CDT": _fixed(-5, "CDT"), "MST": _fixed(-7, "MST"), "MDT": _fixed(-6, "MDT"),
    "PST": _fixed(-8, "PST"), "PDT": _fixed(-7, "PDT"),
    "ET": ZoneInfo("America/New_York"), "CT": ZoneInfo("America/Chicago"),
    "MT": ZoneInfo("America/Denver"), "PT": ZoneInfo("America/Los_Angeles"),
}  # fmt: skip

# --- patterns ------------------------------------------------------------------

# Patterns over body text start with a required character class and no
# look-behind or "\b", so the regex engine can skip ahead cheaply (a leading
# "\b" made them 5-10 times slower); readers check the word boundary instead.
# Names are matched Capitalised or UPPER, never lower-case ("may", "sat").
_MONTH = rf"(?P<mon>{_alternation(_written_forms(_MONTHS))})\b\.?"
_DAY = r"(?P<d>\d\d?)(?:st|nd|rd|th)?\b"
_YEAR_AFTER = r"(?:(?:,?\s+|-)(?P<y>(?:19|20|21)\d\d)\b)?"

# "2020-09-26", "2020/09/26", "2020-09-26T08:09:00+05:30"
_ISO = re.compile(
    r"(?P<y>\d{4})(?P<sep>[-/])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)"
    r"(?:[T ](?P<H>[0-2]?\d):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d)(?:\.\d+)?)?"
    r"\s?(?P<zone>Z|[+-][01]\d:?[0-5]\d)?)?(?![\d/])"
)
# "26 September 2020", "26th Sep", "26 of March", "26-Sep-2020"
_DAY_MONTH = re.compile(rf"{_DAY}(?:\s+of\s+|\s+|-){_MONTH}{_YEAR_AFTER}")
# "September 26th 2020", "Sept. 26, 2020", "Oct 6"
_MONTH_DAY = re.compile(rf"{_MONTH}\s*{_DAY}{_YEAR_AFTER}")
# "11/1/2023", "05/04/21", "13.02.2021": which number is the day is decided later.
_NUMERIC = re.compile(
    r"(?P<a>\d\d?)(?P<sep>[/.-])(?P<b>\d\d?)(?P=sep)(?P<y>\d{4}|\d\d)(?!\d|[/-]\d|\.\d)"
)
# "Tuesday", "Friday's": a day named alone, resolved against a nearby known date.
_WEEKDAY = re.compile(rf"(?P<wd>{_alternation(_written_forms(_FULL_WEEKDAYS))})(?:['’]s)?\b")
_RELATIVE_DAY = re.compile(r"(?P<rel>[Tt]oday|[Yy]esterday)\b")
# "3 hours ago": only in date lines, resolved against the reference time.
_AGO = re.compile(
    r"\b(?P<n>\d{1,3}|an?|one)\s+(?P<unit>min(?:ute)?s?|h(?:ou)?rs?|days?|weeks?)\s+ago\b",
    re.IGNORECASE,
)
# A weekday written just before a date: "Friday, September 25", "Wednesday (11/1/2023)".
_WEEKDAY_BEFORE = re.compile(
    rf"\b(?P<wd>{_alternation(list(_WEEKDAYS))})\b\.?,?\s*(?P<paren>\(\s*)?$", re.IGNORECASE
)
# "08:09 IST", "7:45 p.m. ET", "8 am (GMT+8)", "08:09:00 +0530"
_TIME = re.compile(
    r"(?<![\d:])(?P<H>[0-2]?\d)(?::(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?)?"
    r"(?:\s?(?P<ampm>[aApP])\.?\s?[mM]\b\.?)?"
    r"(?:\s?\(?(?P<zone>(?:GMT|UTC)?[+-][01]?\d(?::?[0-5]\d)?|[A-Z]{1,5}\b))?"
)
_OFFSET = re.compile(r"(?:GMT|UTC)?(?P<sign>[+-])(?P<h>[01]?\d)(?::?(?P<m>[0-5]\d))?")
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|all rights reserved", re.IGNORECASE)
_PUBLISH_WORD = re.compile(r"publish|posted|first|created", re.IGNORECASE)
_UPDATE_WORD = re.compile(r"updated|modified|edited", re.IGNORECASE)
# Words right before a date that make it about something other than the event:
# a limit ("since", "until"), another event ("born", "earlier on"), the future.
_NOT_THE_EVENT = re.compile(
    r"\b(?:since|until|till|by|before|after|from|through|between|ahead of|born|founded"
    r"|established|dated|expires?|deadline|due|next|earlier|later|previous|prior to|"
    r"good|black|super|ash|holy|cyber)\s+(?:on\s+|the\s+)?$",
    re.IGNORECASE,
)
# Future wording earlier in the same clause: "will visit ... on Tuesday".
_FUTURE = re.compile(
    r"\b(?:will|shall|upcoming|scheduled|slated|plans? to|planned|expected to|to be held)\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.!?;:]\s")
_LAST = re.compile(r"\blast\s+$", re.IGNORECASE)
_ON = re.compile(r"\bon\s+$", re.IGNORECASE)

# How far into the body the event is looked for. News leads say "when" in the
# first paragraphs; 1,500 characters reaches the date in every seed lead (the
# latest, in 004, follows a related-story link and a quote) while keeping
# later background dates ("following the election on September 16") out.
_LEAD_CHARACTERS = 1500
_LEAD_PARAGRAPHS = 8
# A date written in another zone may be a day ahead of the publication date.
_CLOCK_SLACK = timedelta(days=1)
# With a stated publication date, a lead date more than a month older is
# background, not the news being reported.
_NEWS_WINDOW = timedelta(days=31)
# A year-less date paired with a weekday: the weekday repeats within 11 years.
_WEEKDAY_YEARS = 11
_FIRST_YEAR, _LAST_YEAR = 1900, 2199

# --- mentions --------------------------------------------------------------------

_Kind = Literal["full", "numeric", "yearless", "weekday", "relative", "ago"]


@dataclass(frozen=True, slots=True)
class _Mention:
    """A date phrase found in a text, before its missing parts are resolved."""

    kind: _Kind
    start: int
    end: int
    year: int | None = None
    month: int = 0
    day: int = 0
    weekday: int | None = None
    parenthesised: bool = False
    separator: str = ""
    ago: timedelta = timedelta()
    clock: time | None = None
    zone: tzinfo | None = None


def _read_iso(m: re.Match[str]) -> _Mention | None:
    """An ISO date, with its time and offset when written."""
    clock = None
    if m["H"] is not None:
        if int(m["H"]) > 23:
            return None
        clock = time(int(m["H"]), int(m["M"]), int(m["S"] or 0))
    zone = _zone(m["zone"]) if m["zone"] else None
    year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
    return _Mention("full", m.start(), m.end(), year, month, day, clock=clock, zone=zone)


def _read_named_month(m: re.Match[str]) -> _Mention | None:
    """A date with its month in words, year or not."""
    year = int(m["y"]) if m["y"] else None
    kind: _Kind = "yearless" if year is None else "full"
    return _Mention(kind, m.start(), m.end(), year, _MONTHS[m["mon"].lower()], int(m["d"]))


def _read_numeric(m: re.Match[str]) -> _Mention | None:
    """A numeric date; ``month`` and ``day`` hold the first and second number as written."""
    year = int(m["y"])
    if len(m["y"]) == 2:
        year += 2000 if year < 70 else 1900  # "11/1/23"; the pivot keeps 1970-1999 readable
    first, second = int(m["a"]), int(m["b"])
    return _Mention("numeric", m.start(), m.end(), year, first, second, separator=m["sep"])


def _read_weekday(m: re.Match[str]) -> _Mention | None:
    """A weekday named alone."""
    return _Mention("weekday", m.start(), m.end(), weekday=_WEEKDAYS[m["wd"].lower()])


def _read_relative(m: re.Match[str]) -> _Mention | None:
    """The day words "today" and "yesterday"."""
    ago = timedelta(days=1) if m["rel"].lower() == "yesterday" else timedelta()
    return _Mention("relative", m.start(), m.end(), ago=ago)


def _read_ago(m: re.Match[str]) -> _Mention | None:
    """A time counted back, such as "3 hours ago"."""
    count = int(m["n"]) if m["n"].isdigit() else 1
    unit = m["unit"].lower()
    step = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
    return _Mention("ago", m.start(), m.end(), ago=count * step.get(unit[0], timedelta(weeks=1)))


_Reader = Callable[[re.Match[str]], _Mention | None]
# Tried in this order; where two phrases overlap the longer, earlier one wins.
_DATE_READERS: tuple[tuple[re.Pattern[str], _Reader], ...] = (
    (_ISO, _read_iso),
    (_DAY_MONTH, _read_named_month),
    (_MONTH_DAY, _read_named_month),
    (_NUMERIC, _read_numeric),
)
_NAMED_MONTH_READERS = ((_DAY_MONTH, _read_named_month), (_MONTH_DAY, _read_named_month))
_LEAD_READERS = (*_DATE_READERS, (_WEEKDAY, _read_weekday), (_RELATIVE_DAY, _read_relative))
_DATE_LINE_READERS = (*_DATE_READERS, (_AGO, _read_ago), (_RELATIVE_DAY, _read_relative))


def _mentions(text: str, readers: Sequence[tuple[re.Pattern[str], _Reader]]) -> list[_Mention]:
    """Every date phrase in ``text``, in order, overlaps resolved."""
    found: list[_Mention] = []
    for pattern, read in readers:
        for match in pattern.finditer(text):
            mention = read(match) if _starts_word(text, match.start()) else None
            if mention is not None:
                found.append(_with_weekday_before(text, mention))
    found.sort(key=lambda m: (m.start, -m.end))
    chosen: list[_Mention] = []
    for mention in found:
        if not chosen or mention.start >= chosen[-1].end:
            chosen.append(mention)
    return chosen


def _starts_word(text: str, start: int) -> bool:
    """Whether a match starts a word, not the middle of "A380" or "1.2/3/2020"."""
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "/.-")


def _with_weekday_before(text: str, mention: _Mention) -> _Mention:
    """Widen a date to take in a weekday written just before it."""
    if mention.kind not in ("full", "numeric", "yearless"):
        return mention
    before = _WEEKDAY_BEFORE.search(text, max(0, mention.start - 16), mention.start)
    if before is None or not before["wd"][0].isupper():
        return mention
    paren = before["paren"] is not None
    end = mention.end + 1 if paren and text[mention.end : mention.end + 1] == ")" else mention.end
    weekday = _WEEKDAYS[before["wd"].lower()]
    return replace(mention, start=before.start(), end=end, weekday=weekday, parenthesised=paren)


def _zone(token: str) -> tzinfo | None:
    """The zone an abbreviation or offset names ("IST", "+0530", "GMT+8")."""
    if token.upper() in _ZONES:
        return _ZONES[token.upper()]
    offset = _OFFSET.fullmatch(token)
    if offset is None or int(offset["h"]) > 14:
        return None
    size = timedelta(hours=int(offset["h"]), minutes=int(offset["m"] or 0))
    return timezone(-size if offset["sign"] == "-" else size)


def _clock(text: str, outside: _Mention) -> tuple[time | None, tzinfo | None]:
    """The time of day (and its zone) written in a line beside its date."""
    for m in _TIME.finditer(text):
        if outside.start <= m.start() < outside.end or (m["M"] is None and m["ampm"] is None):
            continue
        hour = int(m["H"])
        if m["ampm"] is not None:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if m["ampm"] in "pP" else 0)
        if hour > 23:
            continue
        zone = _zone(m["zone"]) if m["zone"] else None
        return time(hour, int(m["M"] or 0), int(m["S"] or 0)), zone
    return None, None


# --- resolving -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Anchor:
    """A known day that phrases lacking a year, or naming only a weekday, are read against."""

    day: date
    certain: bool
    label: str


@dataclass(frozen=True, slots=True)
class _Reading:
    """A resolved day, whether the text settled it, and how it was settled."""

    day: date
    uncertain: bool = False
    note: str = ""


class _OrderEvidence:
    """What the rest of an article says about the day/month order of a numeric date.

    Read lazily: most articles never hold an ambiguous numeric date.
    """

    def __init__(self, header: Sequence[str], paragraphs: Sequence[str]) -> None:
        self._header = header
        self._paragraphs = paragraphs
        self._vote: int | None = None
        self._named: set[tuple[int, int]] | None = None

    def day_first(self) -> bool | None:
        """Whether the text's unambiguous numeric dates ("13/02/2021") put the day first."""
        if self._vote is None:
            self._vote = 0
            for text in (*self._header, *self._paragraphs):
                for m in _NUMERIC.finditer(text):
                    first, second = int(m["a"]), int(m["b"])
                    self._vote += (first > 12 >= second) - (second > 12 >= first)
        return None if self._vote == 0 else self._vote > 0

    def agreeing(self, readings: Sequence[date]) -> list[date]:
        """The readings within a day of a date written in words in the header or lead."""
        if self._named is None:
            self._named = {
                (m.month, m.day)
                for text in (*self._header, *_lead(self._paragraphs))
                for m in _mentions(text, _NAMED_MONTH_READERS)
            }
        return [
            reading
            for reading in readings
            if any(
                near is not None and abs((near - reading).days) <= 1
                for month, day in self._named
                for near in (_safe_date(reading.year, month, day),)
            )
        ]


def _safe_date(year: int | None, month: int, day: int) -> date | None:
    """The date, or None when the numbers name no real day or an implausible year."""
    if year is None or not _FIRST_YEAR <= year <= _LAST_YEAR or not 1 <= month <= 12:
        return None
    if not 1 <= day <= 31:
        return None
    try:
        return date(year, month, day)
    except ValueError:  # 30 February and the like
        return None


def _latest(month: int, day: int, limit: date, weekday: int | None) -> date | None:
    """The latest (month, day) on or before ``limit``, on ``weekday`` when given."""
    for year in range(limit.year, limit.year - _WEEKDAY_YEARS - 1, -1):
        candidate = _safe_date(year, month, day)
        if candidate is None or candidate > limit:
            continue
        if weekday is None or candidate.weekday() == weekday:
            return candidate
    return None


def _weekday_on_or_before(weekday: int, limit: date, strictly: bool) -> date:
    """The latest given weekday on (or, for "last Friday", strictly before) ``limit``."""
    back = (limit.weekday() - weekday) % 7
    return limit - timedelta(days=back or (7 if strictly else 0))


def _resolve(
    mention: _Mention,
    year_anchor: _Anchor,
    day_anchor: _Anchor | None,
    order: _OrderEvidence,
    *,
    last: bool = False,
) -> _Reading | None:
    """The day a mention names, filling in what it leaves out from the anchors."""
    if mention.kind == "full":
        day = _safe_date(mention.year, mention.month, mention.day)
        if day is None:
            return None
        if mention.weekday is not None and mention.weekday != day.weekday():
            return _Reading(day, True, "the stated weekday does not match")
        return _Reading(day)
    if mention.kind == "numeric":
        return _numeric_reading(mention, year_anchor, order)
    if mention.kind == "yearless":
        return _yearless_reading(mention, year_anchor)
    if day_anchor is None:
        return None  # a weekday or "today" with no known date to count from
    if mention.kind == "weekday" and mention.weekday is not None:
        day = _weekday_on_or_before(mention.weekday, day_anchor.day, strictly=last)
    else:
        day = day_anchor.day - timedelta(days=mention.ago.days)
    note = "" if day_anchor.certain else f"counted from {day_anchor.label}"
    return _Reading(day, not day_anchor.certain, note)


def _yearless_reading(mention: _Mention, anchor: _Anchor) -> _Reading | None:
    """A day and month given the year of the latest occurrence up to the anchor."""
    limit = anchor.day + _CLOCK_SLACK
    if anchor.certain:
        day = _latest(mention.month, mention.day, limit, None)
        if day is None:
            return None
        if mention.weekday is not None and mention.weekday != day.weekday():
            return _Reading(day, True, f"year from {anchor.label}; the weekday does not match")
        return _Reading(day, False)
    paired = None
    if mention.weekday is not None:
        paired = _latest(mention.month, mention.day, limit, mention.weekday)
    day = paired or _latest(mention.month, mention.day, limit, None)
    if day is None:
        return None
    how = (
        "the latest year on or before"
        if paired is None
        else "the latest year matching the weekday before"
    )
    return _Reading(day, True, f"no year stated; {how} {anchor.label}")


def _numeric_reading(mention: _Mention, anchor: _Anchor, order: _OrderEvidence) -> _Reading | None:
    """A numeric date read day-first or month-first on the strongest evidence at hand."""
    month_first = _safe_date(mention.year, mention.month, mention.day)
    day_first = _safe_date(mention.year, mention.day, mention.month)
    if month_first is None or day_first is None or month_first == day_first:
        only = month_first or day_first
        return None if only is None else _Reading(only)
    if mention.weekday is not None:
        matching = [d for d in (day_first, month_first) if d.weekday() == mention.weekday]
        if len(matching) == 1:
            return _Reading(matching[0], False, "the weekday decides day/month order")
    agreeing = order.agreeing((day_first, month_first))
    if len(agreeing) == 1:
        return _Reading(agreeing[0], False, "agrees with the date written in words")
    shown = order.day_first()
    if shown is not None:
        return _Reading(
            day_first if shown else month_first, False, "order as in the text's other dates"
        )
    if anchor.certain:
        near = [d for d in (day_first, month_first) if _in_news_window(d, anchor.day)]
        if len(near) == 1:
            return _Reading(near[0], False, f"the reading near {anchor.label}")
    if mention.separator == ".":
        return _Reading(day_first, False, "dotted dates are written day-first")
    if mention.parenthesised:
        # "Wednesday (11/1/2023)" is the house style of outlets that write day-first
        # (Indonesian and continental European papers); US style is "Wednesday, Jan. 11".
        return _Reading(day_first, False, "weekday (d/m/y) style is day-first")
    return _Reading(month_first, True, "day/month order undecided; read month-first")


def _in_news_window(day: date, published: date) -> bool:
    """Whether a date is recent enough, relative to publication, to be the news itself."""
    return published - _NEWS_WINDOW <= day <= published + _CLOCK_SLACK


# --- publication -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Published:
    """A publication time, whether the text settled it, and the phrase that gave it."""

    when: datetime
    uncertain: bool
    evidence: str


def _quote(text: str) -> str:
    """A phrase for evidence: on one line, short, quoted."""
    flat = " ".join(text.split())
    return "'" + (flat if len(flat) <= 80 else flat[:77] + "...") + "'"


def _told(label: str, phrase: str, note: str, where: str = "") -> str:
    """One evidence entry: ``label: 'phrase' (where, note)``."""
    details = ", ".join(part for part in (where, note) if part)
    return f"{label}: {_quote(phrase)}" + (f" ({details})" if details else "")


def _from_stated(
    stated: str, tz: tzinfo, anchor: _Anchor, order: _OrderEvidence
) -> datetime | None:
    """The publication time an input states: ISO 8601, RFC 2822 or a written date."""
    text = stated.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        return parsed.replace(tzinfo=parsed.tzinfo or tz) if _plausible(parsed) else None
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    else:
        # RFC 2822's "-0000" means UTC with the sender's own zone unknown.
        parsed = parsed.replace(tzinfo=parsed.tzinfo or UTC)
        return parsed if _plausible(parsed) else None
    for mention in _mentions(text, _DATE_READERS):
        found = _publication(text, mention, anchor, order, tz)
        if found is not None and not found.uncertain:
            return found.when
    return None


def _plausible(moment: datetime) -> bool:
    """Whether a stated time falls in the years dates are read in."""
    return _FIRST_YEAR <= moment.year <= _LAST_YEAR


def _publication(
    line: str, mention: _Mention, anchor: _Anchor, order: _OrderEvidence, tz: tzinfo
) -> _Published | None:
    """The publication time one date phrase gives, with the time of day written beside it."""
    reading = _resolve(mention, anchor, anchor, order)
    if reading is None:
        return None
    clock, zone = _clock(line, mention) if mention.clock is None else (mention.clock, mention.zone)
    when = datetime.combine(reading.day, clock or time(), tzinfo=zone or tz)
    return _Published(when, reading.uncertain, _told("published", line, reading.note))


def _line_rank(line: str) -> int:
    """Publication lines before plain ones, "Updated" lines last."""
    if _PUBLISH_WORD.search(line):
        return 0
    return 2 if _UPDATE_WORD.search(line) else 1


def _from_date_lines(
    lines: Sequence[str], reference: datetime, anchor: _Anchor, order: _OrderEvidence, tz: tzinfo
) -> _Published | None:
    """The publication time the header and footer lines give; never a copyright year."""
    candidates: list[tuple[tuple[bool, int, int], str, _Mention]] = []
    for index, line in enumerate(lines):
        if _COPYRIGHT.search(line):
            continue
        for mention in _mentions(line, _DATE_LINE_READERS):
            dated = mention.kind in ("full", "numeric")
            candidates.append(((not dated, _line_rank(line), index), line, mention))
            break
    for _, line, mention in sorted(candidates, key=lambda candidate: candidate[0]):
        if mention.kind == "ago":
            if reference.year <= _FIRST_YEAR:
                continue  # nothing to count back from
            note = f"counted back from the reference time {reference.isoformat()}"
            return _Published(reference - mention.ago, True, _told("published", line, note))
        found = _publication(line, mention, anchor, order, tz)
        if found is not None:
            return found
    return None


def _from_dateline(
    dateline: str, anchor: _Anchor, order: _OrderEvidence, lead_weekday: int | None
) -> _Reading | None:
    """The date in a dateline ("Tokyo, Oct 6 (efe-epa)"), its note the evidence entry."""
    for mention in _mentions(dateline, _DATE_READERS):
        note = ""
        open_year = mention.kind == "yearless" and mention.weekday is None and not anchor.certain
        if open_year and lead_weekday is not None:
            # Wire copy datelines the day its lead reports: "Tokyo, Oct 6 - ... on Tuesday".
            mention = replace(mention, weekday=lead_weekday)
            note = "weekday from the lead"
        reading = _resolve(mention, anchor, None, order)
        if reading is not None:
            details = "; ".join(part for part in (reading.note, note) if part)
            return replace(reading, note=_told("dateline", dateline, details))
    return None


# --- the event -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _LeadPhrase:
    """A date phrase in the lead that may say when the event happened."""

    paragraph: int
    phrase: str
    mention: _Mention
    last: bool


def _lead(paragraphs: Sequence[str]) -> Iterator[str]:
    """The paragraphs in which an article's lead says when its event happened."""
    read = 0
    for paragraph in paragraphs[:_LEAD_PARAGRAPHS]:
        if read >= _LEAD_CHARACTERS:
            return
        read += len(paragraph)
        yield paragraph


def _lead_phrases(paragraphs: Sequence[str]) -> Iterator[_LeadPhrase]:
    """The lead's date phrases that describe the event, in reading order, read lazily."""
    for index, paragraph in enumerate(_lead(paragraphs)):
        for mention in _mentions(paragraph, _LEAD_READERS):
            window_start = max(0, mention.start - 80)
            before = paragraph[window_start : mention.start]
            if _NOT_THE_EVENT.search(before) or _FUTURE.search(_clause_tail(before)):
                continue
            on = _ON.search(before)
            start = window_start + on.start() if on else mention.start
            last = _LAST.search(before) is not None
            yield _LeadPhrase(index + 1, paragraph[start : mention.end], mention, last)


def _clause_tail(text: str) -> str:
    """The end of ``text`` after its last clause boundary."""
    start = 0
    for boundary in _CLAUSE_END.finditer(text):
        start = boundary.end()
    return text[start:]


def _event_from_lead(
    phrases: Iterable[_LeadPhrase],
    year_anchor: _Anchor,
    day_anchor: _Anchor | None,
    order: _OrderEvidence,
) -> _Reading | None:
    """The first lead phrase that resolves to a day the event could have happened on.

    The reading's note is the evidence entry.
    """
    for phrase in phrases:
        reading = _resolve(phrase.mention, year_anchor, day_anchor, order, last=phrase.last)
        if reading is None or reading.day > year_anchor.day + _CLOCK_SLACK:
            continue  # nothing reported as done can lie after publication
        if year_anchor.certain and not _in_news_window(reading.day, year_anchor.day):
            continue
        where = f"paragraph {phrase.paragraph}"
        return replace(reading, note=_told("event", phrase.phrase, reading.note, where))
    return None


# --- the whole article ---------------------------------------------------------------


def date_article(
    *,
    date_lines: Sequence[str],
    dateline: str | None,
    paragraphs: Sequence[str],
    stated_published: str | None,
    reference: datetime,
    tz: tzinfo,
) -> ArticleDates:
    """Date an article from what its text says, using ``reference`` only for what it leaves open."""
    today = _local_day(reference, tz)
    reference_anchor = _Anchor(today, False, f"the reference date {today.isoformat()}")
    order = _OrderEvidence((*date_lines, dateline or ""), paragraphs)
    evidence: list[str] = []

    published = None
    if stated_published is not None and stated_published.strip():
        stated = _from_stated(stated_published, tz, reference_anchor, order)
        if stated is None:
            evidence.append(f"stated date {_quote(stated_published)} not understood; ignored")
        else:
            published = _Published(stated, False, _told("published", stated_published, "stated"))
    if published is None:
        published = _from_date_lines(date_lines, reference, reference_anchor, order, tz)

    phrases = _lead_phrases(paragraphs)
    first = next(phrases, None)
    lead_weekday = first.mention.weekday if first is not None and not first.last else None
    year_anchor = reference_anchor if published is None else _publication_anchor(published)
    dated = _from_dateline(dateline, year_anchor, order, lead_weekday) if dateline else None
    if published is None and dated is not None:
        moment = datetime.combine(dated.day, time(), tzinfo=tz)
        published = _Published(moment, dated.uncertain, f"published: the date of the {dated.note}")
        year_anchor = _publication_anchor(published)
    if published is not None:
        evidence.append(published.evidence)

    day_anchor = None if published is None else year_anchor
    if dated is not None:
        day_anchor = _Anchor(dated.day, not dated.uncertain, f"the dateline date {dated.day}")
    leads = phrases if first is None else chain((first,), phrases)
    event = _event_from_lead(leads, year_anchor, day_anchor, order)
    if event is None and dated is not None:
        event = replace(dated, note=f"event: the date of the {dated.note}")
    if event is None and published is not None:
        day = published.when.astimezone(tz).date()
        event = _Reading(day, published.uncertain, "event: the publication day")
    if event is not None:
        evidence.append(event.note)
    if published is None and event is None:
        evidence.append("no date found")
    return ArticleDates(
        published=None if published is None else published.when,
        event=None if event is None else event.day,
        uncertain=any(found.uncertain for found in (published, event) if found is not None),
        evidence="; ".join(evidence),
    )


def _local_day(moment: datetime, tz: tzinfo) -> date:
    """The calendar day of ``moment`` in ``tz``, kept within the years dates are read in."""
    try:
        day = moment.astimezone(tz).date() if moment.tzinfo is not None else moment.date()
    except (OverflowError, ValueError):
        day = moment.date()
    return min(max(day, date(_FIRST_YEAR, 1, 1)), date(_LAST_YEAR, 12, 31))


def _publication_anchor(published: _Published) -> _Anchor:
    """The publication day as written (in the outlet's own zone), to read other dates against."""
    day = published.when.date()
    return _Anchor(day, not published.uncertain, f"the publication date {day.isoformat()}")
