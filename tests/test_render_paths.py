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
    relative_link,
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
