"""Briefs: stories grouped into the periods a reader receives them in.

A weekly brief is an ISO week, Monday to Sunday (``2020-W39``); a daily
brief is one calendar day (``2020-09-26``). Stories are placed by their event
date, which the dates stage already resolved in the configured time zone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from digest.model import Brief, Period, Story


def period_of(day: date, period: Period) -> tuple[str, date, date]:
    """The brief id, first day and last day of the period holding ``day``."""
    if period == "day":
        return day.isoformat(), day, day
    year, week, weekday = day.isocalendar()
    start = day - timedelta(days=weekday - 1)
    return f"{year}-W{week:02d}", start, start + timedelta(days=6)


# English names, fixed here so titles never depend on the machine's locale.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def brief_title(start: date, end: date, period: Period) -> str:
    """A human title: "Week of 21–27 September 2020" or "Saturday 26 September 2020"."""
    first, last = MONTHS[start.month - 1], MONTHS[end.month - 1]
    if period == "day":
        return f"{WEEKDAYS[start.weekday()]} {start.day} {first} {start.year}"
    if start.year != end.year:
        span = f"{start.day} {first} {start.year} – {end.day} {last} {end.year}"
    elif start.month != end.month:
        span = f"{start.day} {first} – {end.day} {last} {end.year}"
    else:
        span = f"{start.day}–{end.day} {last} {end.year}"
    return f"Week of {span}"


def story_order(story: Story) -> tuple[int, int, str]:
    """Most outlets first, then the most recent, then by id for a total order."""
    return (-len(story.outlets), -story.date.toordinal(), story.id)


def brief_updated(stories: Sequence[Story], start: date, tz: ZoneInfo) -> datetime:
    """When the brief last changed, from its articles' times, never the clock."""
    times = [s.updated for s in stories if s.updated is not None]
    if times:
        return max(times)
    return datetime.combine(start, time(0), tzinfo=tz)


def group(stories: Sequence[Story], period: Period, tz: ZoneInfo) -> tuple[Brief, ...]:
    """Group stories into briefs, newest brief first."""
    buckets: dict[str, list[Story]] = defaultdict(list)
    spans: dict[str, tuple[date, date]] = {}
    for story in stories:
        key, start, end = period_of(story.date, period)
        buckets[key].append(story)
        spans[key] = (start, end)
    briefs = []
    for key, members in buckets.items():
        start, end = spans[key]
        ordered = tuple(sorted(members, key=story_order))
        briefs.append(
            Brief(
                id=key,
                period=period,
                title=brief_title(start, end, period),
                start=start,
                end=end,
                stories=ordered,
                updated=brief_updated(ordered, start, tz),
            )
        )
    return tuple(sorted(briefs, key=lambda b: b.start, reverse=True))
