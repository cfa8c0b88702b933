"""Output paths and the links between them."""

from __future__ import annotations

import posixpath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest.render.paths import (
    absolute_link,
    brief_dir,
    brief_email,
    brief_markdown,
    brief_page,
    public_url,
    published_feeds,
    relative_link,
    root_of,
    story_dir,
    story_page,
)
from tests.builders import make_brief


def test_brief_files_live_in_the_lower_case_slug_folder() -> None:
    brief = make_brief(id="2020-W39")
    assert brief_dir(brief) == "briefs/2020-w39"
    assert brief_page(brief) == "briefs/2020-w39/index.html"
    assert brief_markdown(brief) == "briefs/2020-w39/index.md"
    assert brief_email(brief) == "briefs/2020-w39/brief.eml"


def test_a_daily_brief_id_is_its_own_slug() -> None:
    assert brief_dir(make_brief(id="2020-09-26", period="day")) == "briefs/2020-09-26"


@pytest.mark.parametrize("hostile", ["../../etc", "a/b", "..", "", " ", "week 39", "x\\y"])
def test_an_odd_brief_id_never_leaves_the_briefs_folder(hostile: str) -> None:
    folder = brief_dir(make_brief(id=hostile))
    assert folder.startswith("briefs/")
    segment = folder.removeprefix("briefs/")
    assert segment and "/" not in segment and "\\" not in segment and " " not in segment
    assert segment not in {".", ".."}


@given(st.text())
def test_brief_dir_is_always_one_safe_segment(brief_id: str) -> None:
    folder = brief_dir(make_brief(id=brief_id))
    assert posixpath.normpath(folder) == folder
    assert folder.count("/") == 1


@pytest.mark.parametrize(
    ("source", "target", "fragment", "expected"),
    [
        ("index.html", "style.css", "", "style.css"),
        ("index.html", "briefs/2020-w39/index.html", "", "briefs/2020-w39/index.html"),
        ("briefs/2020-w39/index.html", "style.css", "", "../../style.css"),
        ("briefs/2020-w39/index.html", "index.html", "archive", "../../index.html#archive"),
        ("briefs/2020-w39/index.html", "briefs/2020-w40/index.html", "", "../2020-w40/index.html"),
        ("briefs/2020-w39/index.html", "briefs/2020-w39/index.html", "s1", "index.html#s1"),
    ],
)
def test_relative_links_resolve_from_the_linking_page(
    source: str, target: str, fragment: str, expected: str
) -> None:
    href = relative_link(source, target, fragment)
    assert href == expected
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), href.split("#")[0]))
    assert resolved == target


def test_absolute_links_need_a_base_url() -> None:
    assert absolute_link("", "feed.xml") is None
    assert absolute_link("  ", "feed.xml") is None
    assert absolute_link("https://x.example/news/", "feed.xml") == "https://x.example/news/feed.xml"


def test_absolute_links_add_the_missing_slash_and_fragment() -> None:
    url = absolute_link("https://x.example/news", "briefs/a/index.html", "s1")
    assert url == "https://x.example/news/briefs/a/index.html#s1"


def test_a_plain_story_id_is_its_own_folder() -> None:
    assert story_dir("s-3f2a9c") == "stories/s-3f2a9c"
    assert story_page("2020-09-21-flood") == "stories/2020-09-21-flood/index.html"


@pytest.mark.parametrize(
    ("story_id", "stem"),
    [("S-Upper", "s-upper"), ("week 39 <x>", "week-39-x"), ("../../etc", "etc"), ("", "story")],
)
def test_any_other_story_id_gets_a_readable_stem_and_a_hash(story_id: str, stem: str) -> None:
    folder = story_dir(story_id).removeprefix("stories/")
    assert folder.startswith(f"{stem}-") and len(folder) == len(stem) + 11


def test_ids_differing_only_in_case_get_different_folders() -> None:
    assert story_dir("Flood") != story_dir("flood") != story_dir("FLOOD")


@given(st.text())
def test_story_dir_is_always_one_short_safe_segment(story_id: str) -> None:
    folder = story_dir(story_id)
    assert posixpath.normpath(folder) == folder and folder.count("/") == 1
    segment = folder.removeprefix("stories/")
    assert segment not in {"", ".", ".."} and len(segment) <= 80
    assert segment.isascii() and segment == segment.lower()


@pytest.mark.parametrize(
    ("page", "root"),
    [("index.html", ""), ("about/index.html", "../"), ("stories/s1/index.html", "../../")],
)
def test_root_of_leads_back_to_the_output_folder(page: str, root: str) -> None:
    assert root_of(page) == root
    assert posixpath.normpath(posixpath.join(posixpath.dirname(page), root or ".")) == "."


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("index.html", "https://x.example/news/"),
        ("briefs/2020-w39/index.html", "https://x.example/news/briefs/2020-w39/"),
        ("feed.xml", "https://x.example/news/feed.xml"),
        ("favicon.svg", "https://x.example/news/favicon.svg"),
    ],
)
def test_public_urls_are_pretty(target: str, expected: str) -> None:
    assert public_url("https://x.example/news", target) == expected
    assert public_url("", target) is None


def test_rss_is_published_only_with_a_base_url() -> None:
    with_base = [f.path for f in published_feeds("https://x.example/")]
    assert with_base == ["feed.xml", "feed.rss", "feed.json", "stories.xml"]
    assert [f.path for f in published_feeds(" ")] == ["feed.xml", "feed.json", "stories.xml"]
