"""The five real scraped articles: real headlines, honest dates, clean leads, five stories."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from digest import pipeline
from digest.model import Article, Digest, Site
from digest.settings import BuildSettings, parse_now, parse_timezone

NOW = "2026-11-25T12:00:00+00:00"
TITLES = {
    "000": (
        "US, Japan security officials reaffirm alliance to maintain peace in Indo-Pacific region"
    ),
    "001": "Pompeo, Motegi reaffirm security cooperation in the Pacific",
    "002": "US, Japan agree to strengthen alliance amid security concerns in the Indo-Pacific",
    "003": "Japan, US agree to step up cooperation against China",
    "004": "US-Japan Will Strengthen Alliance to Face North Korea and China’s Threats",
}
# Event dates the texts support; None where the year is not stated (checked separately).
EVENTS = {
    "000": date(2020, 9, 25),
    "003": date(2021, 5, 3),
    "004": date(2023, 1, 11),
}
BOILERPLATE = (
    "Advertisement",
    "Read:",
    "Baca:",
    "Download",
    "Open in App",
    "Follow:",
    "Image:",
    "PHOTO/",
    "Disclaimer",
    "Copyright",
    "Related",
    "(efe-epa)",
    "WASHINGTON –",
    "Tags:",
)


@pytest.fixture(scope="module")
def digest(real_seeds: Path) -> Digest:
    settings = BuildSettings(
        now=parse_now(NOW, parse_timezone("UTC")), site=Site(id_domain="digest.example")
    )
    loaded = pipeline.load_articles([real_seeds], settings)
    assert [p for p in loaded.problems if p.severity == "skipped"] == []
    return pipeline.make_digest(loaded, settings)


def _by_number(digest: Digest) -> dict[str, Article]:
    return {Path(a.origin).name[:3]: a for a in digest.articles}


def test_real_headlines(digest: Digest) -> None:
    assert {n: a.title for n, a in _by_number(digest).items()} == TITLES


def test_dates_are_right_or_honestly_uncertain(digest: Digest) -> None:
    articles = _by_number(digest)
    for number, day in EVENTS.items():
        assert articles[number].day == day, number
        assert not articles[number].date_uncertain, number
    # 001 gives "Oct 6" and "Tuesday" but no year; 002 gives "December 11" and a
    # copyright range, but no year for the meeting.
    assert (articles["001"].day.month, articles["001"].day.day) == (10, 6)
    assert articles["001"].date_uncertain
    assert (articles["002"].day.month, articles["002"].day.day) == (12, 11)
    assert articles["002"].date_uncertain
    assert articles["002"].day.year not in (2014, 2025) or articles["002"].date_uncertain


def test_leads_are_clean_two_or_three_sentences(digest: Digest) -> None:
    for story in digest.stories:
        assert 2 <= len(story.summary) <= 3, story.title
        assert len(set(story.summary)) == len(story.summary)
        for sentence in story.summary:
            for marker in BOILERPLATE:
                assert marker not in sentence, (story.title, sentence)


def test_five_separate_stories_in_one_storyline(digest: Digest) -> None:
    assert len(digest.stories) == 5
    assert all(len(s.articles) == 1 for s in digest.stories)
    # One storyline: following "earlier coverage" links connects all five.
    neighbours: dict[str, set[str]] = {s.id: set() for s in digest.stories}
    for story in digest.stories:
        for earlier in story.earlier:
            neighbours[story.id].add(earlier)
            neighbours[earlier].add(story.id)
    first = digest.stories[0].id
    reached, frontier = {first}, [first]
    while frontier:
        for other in neighbours[frontier.pop()] - reached:
            reached.add(other)
            frontier.append(other)
    assert reached == set(neighbours)
