"""Story pages: every source, copies under their originals, the storyline, the way back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from digest.model import Digest, Link, Site, Story
from digest.render.coverage import (
    coverage_label,
    original_of,
    report_views,
    story_details,
)
from digest.render.site import render_site
from tests.builders import make_article, make_brief, make_digest, make_story

HEBREW_HEADLINE = "הכנסת אישרה את התקציב"


def flood_story() -> Story:
    """A story reported by two outlets on their own and carried by three more."""
    herald = make_article(
        id="a-herald",
        title="River bursts its banks after three days of rain",
        url="https://herald.example.org/flood",
        source="The Example Herald",
        published=datetime(2020, 10, 6, 7, 0, tzinfo=UTC),
        event_date=date(2020, 10, 5),
        sentences=(
            "The river burst its banks on Monday after three days of rain.",
            "Two hundred homes were evacuated.",
        ),
    )
    wire = make_article(
        id="a-wire",
        title="River bursts its banks after three days of rain",
        url="https://wire.example.com/w/123",
        source="Wire Desk",
        published=datetime(2020, 10, 6, 9, 30, tzinfo=UTC),
        event_date=date(2020, 10, 5),
    )
    gazette = make_article(
        id="a-gazette",
        title="Evacuations as the river rises",
        url="https://gazette.example.net/river",
        source="Riverside Gazette",
        published=datetime(2020, 10, 6, 8, 15, tzinfo=UTC),
        event_date=date(2020, 10, 5),
    )
    reprint = make_article(
        id="a-reprint",
        title="Evacuations as the river rises",
        url=None,
        source="County Weekly",
        published=None,
        event_date=date(2020, 10, 5),
    )
    mirror = make_article(
        id="a-mirror",
        title="River bursts its banks after three days of rain",
        url="https://m.herald.example.org/flood",
        source="The Example Herald",
        published=datetime(2020, 10, 6, 7, 5, tzinfo=UTC),
        event_date=date(2020, 10, 5),
    )
    articles = (herald, wire, gazette, reprint, mirror)
    links = (
        Link("a-herald", "lead"),
        Link("a-wire", "copy", 0.97, copy_of="a-herald"),
        Link("a-gazette", "same-event", 0.41, shared=("river", "evacuated")),
        Link("a-reprint", "copy", 0.99, copy_of="a-gazette"),
        Link("a-mirror", "same-article", 1.0, copy_of="a-herald"),
    )
    return make_story(
        id="s-flood",
        articles=articles,
        links=links,
        summary=herald.sentences,
        earlier=("s-rain", "s-not-published"),
    )


def storyline_digest(base_url: str = "https://news.example.org/") -> Digest:
    """Three weekly briefs: a storyline across two of them and a right-to-left story."""
    rain = make_story(
        id="s-rain",
        articles=(
            make_article(
                id="a-rain",
                title="Forecasters warn of a wet week",
                published=datetime(2020, 9, 30, 6, 0, tzinfo=UTC),
                event_date=date(2020, 9, 29),
            ),
        ),
    )
    hebrew = make_story(
        id="s-knesset",
        articles=(
            make_article(
                id="a-knesset",
                title=HEBREW_HEADLINE,
                source="חדשות",
                published=datetime(2020, 10, 7, 10, 0, tzinfo=UTC),
                event_date=date(2020, 10, 7),
                sentences=("הכנסת אישרה את התקציב ביום רביעי.",),
            ),
        ),
    )
    flood = flood_story()
    older = make_brief(
        id="2020-W40",
        title="Week of 28 September – 4 October 2020",
        start=date(2020, 9, 28),
        end=date(2020, 10, 4),
        stories=(rain,),
        updated=datetime(2020, 9, 30, 6, 0, tzinfo=UTC),
    )
    newer = make_brief(
        id="2020-W41",
        title="Week of 5–11 October 2020",
        start=date(2020, 10, 5),
        end=date(2020, 10, 11),
        stories=(flood, hebrew),
        updated=datetime(2020, 10, 7, 10, 0, tzinfo=UTC),
    )
    earliest = make_brief()
    return replace(
        make_digest(briefs=(earliest, older, newer)),
        site=Site(
            title="Riverside digest",
            base_url=base_url,
            id_domain="news.example.org",
            author="Riverside newsroom",
            timezone="Europe/London",
        ),
    )


def pages(digest: Digest) -> dict[str, bytes]:
    return {f.path: f.content for f in render_site(digest)}


def story_root(digest: Digest, story_id: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(pages(digest)[f"stories/{story_id}/index.html"])


def text_of(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def test_story_page_matches_its_golden_file(golden: Callable[[str, bytes], None]) -> None:
    golden(
        "render/site/stories/s-flood/index.html",
        pages(storyline_digest())["stories/s-flood/index.html"],
    )


def test_every_story_of_every_brief_has_its_own_page() -> None:
    stories = sorted(p for p in pages(storyline_digest()) if p.startswith("stories/"))
    assert stories == [
        "stories/s-a1/index.html",
        "stories/s-flood/index.html",
        "stories/s-knesset/index.html",
        "stories/s-rain/index.html",
    ]


def test_the_story_page_shows_headline_date_lead_and_coverage() -> None:
    root = story_root(storyline_digest(), "s-flood")
    (h1,) = root.xpath("//h1")
    assert text_of(h1) == "River bursts its banks after three days of rain"
    assert root.xpath("//p[@class='story-date']/time/@datetime") == ["2020-10-05"]
    assert text_of(root.xpath("//p[@class='lead']")[0]).startswith("The river burst its banks")
    assert text_of(root.xpath("//p[@class='coverage']")[0]) == (
        "Covered by 4 outlets, 2 independent reports."
    )
    assert root.findtext(".//title") == (
        "River bursts its banks after three days of rain · Riverside digest"
    )


def test_copies_are_listed_under_the_report_they_copy() -> None:
    root = story_root(storyline_digest(), "s-flood")
    originals = root.xpath("//ul[@class='reports']/li")
    assert len(originals) == 2
    herald, gazette = originals
    assert text_of(herald.xpath("a[@class='outlet']")[0]) == "The Example Herald"
    assert "(lead report, 6 October 2020, 08:00 BST)" in text_of(herald)
    herald_copies = [text_of(li) for li in herald.xpath("ul[@class='copies']/li")]
    assert herald_copies == [
        "Wire Desk: River bursts its banks after three days of rain"
        " (copy of The Example Herald, 6 October 2020, 10:30 BST)",
        "The Example Herald: River bursts its banks after three days of rain"
        " (same article as The Example Herald, 6 October 2020, 08:05 BST)",
    ]
    assert "(independent report, 6 October 2020, 09:15 BST)" in text_of(gazette)
    (reprint,) = gazette.xpath("ul[@class='copies']/li")
    assert (
        text_of(reprint)
        == "County Weekly: Evacuations as the river rises (copy of Riverside Gazette)"
    )
    assert not reprint.xpath(".//a"), "a source without a URL is not linked"


def test_earlier_coverage_links_the_pages_of_the_storyline() -> None:
    root = story_root(storyline_digest(), "s-flood")
    (earlier,) = root.xpath("//section[@class='storyline'][h2='Earlier coverage']")
    links = earlier.xpath(".//a")
    # The earlier story that was never published has no page and no link.
    assert [(a.get("href"), text_of(a)) for a in links] == [
        ("../../stories/s-rain/index.html", "Forecasters warn of a wet week")
    ]


def test_the_earlier_story_links_forward_to_the_later_one() -> None:
    root = story_root(storyline_digest(), "s-rain")
    (later,) = root.xpath("//section[@class='storyline'][h2='Later coverage']")
    assert later.xpath(".//a/@href") == ["../../stories/s-flood/index.html"]
    assert not root.xpath("//section[@class='storyline'][h2='Earlier coverage']")


def test_the_story_page_links_back_to_its_place_in_the_brief() -> None:
    root = story_root(storyline_digest(), "s-flood")
    (back,) = root.xpath("//p[@class='in-brief']/a")
    assert back.get("href") == "../../briefs/2020-w41/index.html#s-flood"
    assert text_of(back) == "Week of 5–11 October 2020"


def test_each_story_in_a_brief_links_to_its_page() -> None:
    root = lxml_html.fromstring(pages(storyline_digest())["briefs/2020-w41/index.html"])
    assert root.xpath("//article[@class='story']/h3/a/@href") == [
        "../../stories/s-flood/index.html",
        "../../stories/s-knesset/index.html",
    ]


def test_a_right_to_left_headline_keeps_its_direction() -> None:
    root = story_root(storyline_digest(), "s-knesset")
    (h1,) = root.xpath("//h1")
    assert h1.get("dir") == "auto" and text_of(h1) == HEBREW_HEADLINE
    assert root.xpath("//p[@class='lead']/@dir") == ["auto"]


def test_coverage_label_counts_in_words() -> None:
    assert coverage_label(1, 1) == "Covered by 1 outlet, 1 independent report"
    assert coverage_label(3, 0) == "Covered by 3 outlets, 0 independent reports"


def test_a_cycle_of_copies_leaves_every_member_as_its_own_report() -> None:
    links = {
        "a": Link("a", "copy", copy_of="b"),
        "b": Link("b", "copy", copy_of="a"),
    }
    assert original_of("a", links, {"a", "b"}) is None
    assert original_of("b", links, {"a", "b"}) is None


def test_a_copy_of_a_copy_is_listed_under_the_first_original() -> None:
    links = {
        "c": Link("c", "copy", copy_of="b"),
        "b": Link("b", "copy", copy_of="a"),
        "a": Link("a", "lead"),
    }
    assert original_of("c", links, {"a", "b", "c"}) == "a"


def test_a_copy_of_an_article_outside_the_story_stands_alone() -> None:
    links = {"b": Link("b", "copy", copy_of="elsewhere")}
    assert original_of("b", links, {"b"}) is None


def test_two_stories_with_one_id_get_one_page() -> None:
    first = make_story(id="same", title="First")
    second = make_story(id="same", title="Second")
    digest = make_digest(briefs=(make_brief(stories=(first, second)),))
    assert [d.story.headline for _, d in story_details(digest)] == ["First"]
    assert [p for p in pages(digest) if p.startswith("stories/")] == ["stories/same/index.html"]


def test_an_article_listed_twice_is_shown_once() -> None:
    article = make_article()
    story = make_story(articles=(article, article))
    (report,) = report_views(story, ZoneInfo("UTC"))
    assert report.copies == ()


@pytest.mark.parametrize("story_id", ["S-Upper", "week 39 <x>", "../../etc", "", "ü", "a" * 300])
def test_an_odd_story_id_still_gets_a_page_inside_stories(story_id: str) -> None:
    digest = make_digest(briefs=(make_brief(stories=(make_story(id=story_id),)),))
    (path,) = [p for p in pages(digest) if p.startswith("stories/")]
    folder = path.removesuffix("/index.html").removeprefix("stories/")
    assert folder and "/" not in folder and folder not in {".", ".."}
    assert len(folder) < 100


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(max_size=20), min_size=2, max_size=5, unique=True))
def test_different_story_ids_never_share_a_page(ids: list[str]) -> None:
    stories = tuple(make_story(id=i) for i in ids)
    digest = make_digest(briefs=(make_brief(stories=stories),))
    story_pages = [p for p in pages(digest) if p.startswith("stories/")]
    assert len(story_pages) == len(ids)
