"""Briefs: ISO weeks and days, stable ids, human titles, ordering."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from digest.briefs import brief_title, group, period_of
from tests.builders import make_article, make_story

UTC = ZoneInfo("UTC")


def test_week_ids_follow_iso_weeks() -> None:
    assert period_of(date(2020, 9, 26), "week") == (
        "2020-W39",
        date(2020, 9, 21),
        date(2020, 9, 27),
    )
    assert period_of(date(2021, 1, 1), "week")[0] == "2020-W53"
    assert period_of(date(2020, 9, 26), "day") == (
        "2020-09-26",
        date(2020, 9, 26),
        date(2020, 9, 26),
    )


def test_titles_read_like_a_person_wrote_them() -> None:
    assert (
        brief_title(date(2020, 9, 21), date(2020, 9, 27), "week") == "Week of 21–27 September 2020"
    )
    assert (
        brief_title(date(2020, 9, 28), date(2020, 10, 4), "week")
        == "Week of 28 September – 4 October 2020"
    )
    assert (
        brief_title(date(2020, 12, 28), date(2021, 1, 3), "week")
        == "Week of 28 December 2020 – 3 January 2021"
    )
    assert brief_title(date(2020, 9, 26), date(2020, 9, 26), "day") == "Saturday 26 September 2020"


def test_stories_ordered_by_coverage_then_date() -> None:
    one = make_story(id="s1", articles=(make_article(id="a", event_date=date(2020, 9, 25)),))
    two_outlets = make_story(
        id="s2",
        articles=(
            make_article(id="b", event_date=date(2020, 9, 21)),
            make_article(id="c", source="Other Outlet", event_date=date(2020, 9, 21)),
        ),
    )
    later = make_story(id="s3", articles=(make_article(id="d", event_date=date(2020, 9, 26)),))
    [brief] = group([one, two_outlets, later], "week", UTC)
    assert [s.id for s in brief.stories] == ["s2", "s3", "s1"]


def test_briefs_newest_first_and_updated_from_data() -> None:
    early = make_story(id="s1", articles=(make_article(id="a", event_date=date(2020, 9, 1)),))
    late = make_story(id="s2", articles=(make_article(id="b", event_date=date(2020, 9, 22)),))
    briefs = group([early, late], "week", UTC)
    assert [b.id for b in briefs] == ["2020-W39", "2020-W36"]
    assert briefs[0].updated == late.articles[0].published


@given(st.lists(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)), max_size=30))
def test_every_story_lands_in_exactly_one_brief_containing_its_date(days: list[date]) -> None:
    stories = [
        make_story(id=f"s{i}", articles=(make_article(id=f"a{i}", event_date=d),))
        for i, d in enumerate(days)
    ]
    for period in ("week", "day"):
        briefs = group(stories, period, UTC)
        placed = [s.id for b in briefs for s in b.stories]
        assert sorted(placed) == sorted(s.id for s in stories)
        for brief in briefs:
            assert all(brief.start <= s.date <= brief.end for s in brief.stories)
