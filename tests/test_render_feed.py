"""The Atom feed: valid against RFC 4287, stable ids, times from the data."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
from lxml import etree
from lxml import html as lxml_html

from digest.model import Digest
from digest.render.feed import brief_entry_id, render_atom
from digest.render.site import render_site
from tests.builders import make_article, make_brief, make_digest, make_story
from tests.conftest import require_tool
from tests.test_render_sample import HOSTILE_HEADLINE, sample_digest

ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "judges" / "atom.rnc"


def feed_xml(digest: Digest) -> bytes:
    return render_atom(digest).content


def parsed(digest: Digest) -> feedparser.FeedParserDict:
    result = feedparser.parse(feed_xml(digest))
    assert not result.bozo, result.get("bozo_exception")
    return result


def tree(digest: Digest) -> etree._Element:
    return etree.fromstring(feed_xml(digest))


def test_feed_matches_its_golden_file(golden: Callable[[str, bytes], None]) -> None:
    golden("render/feed.xml", feed_xml(sample_digest()))


def test_feed_without_base_url_matches_its_golden_file(
    golden: Callable[[str, bytes], None],
) -> None:
    golden("render/feed-no-base-url.xml", feed_xml(sample_digest(base_url="")))


def test_the_feed_is_written_to_feed_xml() -> None:
    assert render_atom(sample_digest()).path == "feed.xml"


def test_feed_validates_against_the_atom_schema(tmp_path: Path) -> None:
    jing = require_tool("jing")
    if not SCHEMA.is_file():
        raise AssertionError(f"Atom schema missing at {SCHEMA}")
    empty = replace(make_digest(), briefs=(), stories=(), articles=())
    digests = {"sample": sample_digest(), "no-base": sample_digest(base_url=""), "empty": empty}
    paths = []
    for name, digest in digests.items():
        path = tmp_path / f"{name}.xml"
        path.write_bytes(feed_xml(digest))
        paths.append(str(path))
    run = subprocess.run(
        [jing, "-c", str(SCHEMA), *paths], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_reader_sees_one_entry_per_brief_newest_first() -> None:
    feed = parsed(sample_digest())
    assert feed.feed.title == "Riverside digest"
    assert feed.feed.id == "tag:news.example.org,2026:feed"
    assert [e.title for e in feed.entries] == [
        "Week of 28 September – 4 October 2020",
        "Week of 21–27 September 2020",
    ]
    assert [e.id for e in feed.entries] == [
        "tag:news.example.org,2026:brief/2020-W40",
        "tag:news.example.org,2026:brief/2020-W39",
    ]
    assert [e.link for e in feed.entries] == [
        "https://news.example.org/briefs/2020-w40/index.html",
        "https://news.example.org/briefs/2020-w39/index.html",
    ]


def test_feed_links_itself_and_the_site_when_the_base_url_is_known() -> None:
    links = {(link.rel, link.href, link.type) for link in parsed(sample_digest()).feed.links}
    assert links == {
        ("self", "https://news.example.org/feed.xml", "application/atom+xml"),
        ("alternate", "https://news.example.org/index.html", "text/html"),
    }


def test_without_a_base_url_no_link_is_written() -> None:
    root = tree(sample_digest(base_url=""))
    assert root.findall(f".//{ATOM}link") == []
    assert len(root.findall(f"{ATOM}entry")) == 2


def test_ids_are_unique_absolute_uris() -> None:
    root = tree(sample_digest())
    ids = [e.text or "" for e in root.iter(f"{ATOM}id")]
    assert len(ids) == len(set(ids)) == 3
    for value in ids:
        assert urlsplit(value).scheme == "tag" and " " not in value


def test_every_entry_has_an_author_through_the_feed() -> None:
    root = tree(sample_digest())
    feed_authors = root.findall(f"{ATOM}author/{ATOM}name")
    assert [a.text for a in feed_authors] == ["Riverside newsroom"]
    for entry in root.findall(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}author") is not None or feed_authors


def test_moving_the_site_keeps_every_id() -> None:
    here = tree(sample_digest("https://news.example.org/"))
    there = tree(sample_digest("https://mirror.example.com/archive/news/"))
    nowhere = tree(sample_digest(""))
    ids = [[i.text for i in t.iter(f"{ATOM}id")] for t in (here, there, nowhere)]
    assert ids[0] == ids[1] == ids[2]


def test_brief_entry_id_does_not_depend_on_base_url() -> None:
    brief = make_brief()
    site = sample_digest().site
    moved = replace(site, base_url="https://elsewhere.example/")
    assert brief_entry_id(site, brief) == brief_entry_id(moved, brief)
    assert brief_entry_id(site, brief) == "tag:news.example.org,2026:brief/2020-W39"


def test_an_odd_brief_id_still_makes_a_valid_tag_uri() -> None:
    site = sample_digest().site
    entry_id = brief_entry_id(site, make_brief(id="week 39 <x>"))
    assert entry_id == "tag:news.example.org,2026:brief/week%2039%20%3Cx%3E"


def test_an_odd_id_domain_is_reduced_to_a_host_name() -> None:
    site = replace(sample_digest().site, id_domain=" News.Example.ORG/path ")
    assert brief_entry_id(site, make_brief()).startswith("tag:news.example.orgpath,2026:")
    blank = replace(site, id_domain="  ")
    assert brief_entry_id(blank, make_brief()).startswith("tag:digest.invalid,2026:")


def test_times_come_from_the_data_never_the_clock() -> None:
    root = tree(sample_digest())
    assert root.findtext(f"{ATOM}updated") == "2020-10-01T16:00:00+00:00"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}updated") for e in entries] == [
        "2020-10-01T16:00:00+00:00",
        "2020-09-24T12:00:00+00:00",
    ]
    # Published: the earliest article in the brief.
    assert [e.findtext(f"{ATOM}published") for e in entries] == [
        "2020-09-29T07:30:00+00:00",
        "2020-09-22T08:00:00+00:00",
    ]


def test_a_brief_with_no_publication_times_is_published_at_its_start() -> None:
    article = make_article(published=None)
    brief = make_brief(stories=(make_story(articles=(article,)),))
    root = tree(make_digest(briefs=(brief,)))
    published = root.findtext(f"{ATOM}entry/{ATOM}published")
    assert published == "2020-09-21T00:00:00+00:00"


def test_a_naive_updated_time_is_taken_as_utc_instead_of_refused() -> None:
    brief = make_brief(updated=datetime(2020, 9, 22, 8, 0))
    root = tree(make_digest(briefs=(brief,)))
    assert root.findtext(f"{ATOM}entry/{ATOM}updated") == "2020-09-22T08:00:00+00:00"


def test_the_generator_is_pinned_to_digest() -> None:
    generator = tree(sample_digest()).find(f"{ATOM}generator")
    assert generator is not None
    assert generator.text == "digest" and generator.get("version") == "0.1.0"


def test_feed_carries_language_and_subtitle() -> None:
    root = tree(sample_digest())
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert root.findtext(f"{ATOM}subtitle")


def test_entry_content_is_the_whole_brief_as_html() -> None:
    entry = parsed(sample_digest()).entries[0]
    (content,) = entry.content
    assert content.type == "text/html"
    body = lxml_html.fromstring(f"<div>{content.value}</div>")
    assert [h.get("id") for h in body.iter("h3")] == ["s-budget", "s-bridge"]
    assert " ".join(body.iter("h3").__next__().text_content().split()) == HOSTILE_HEADLINE
    assert "Covered by 2 outlets" in body.text_content()
    assert "(date uncertain)" in body.text_content()


def test_entry_content_uses_the_same_markup_as_the_brief_page() -> None:
    digest = sample_digest()
    pages = {f.path: f.content.decode() for f in render_site(digest)}
    content = tree(digest).findtext(f"{ATOM}entry/{ATOM}content") or ""
    story_markup = content[content.index("<article") : content.rindex("</article>")]
    assert story_markup in pages["briefs/2020-w40/index.html"]


def test_control_characters_in_scraped_text_do_not_break_the_feed() -> None:
    article = make_article(title="Bad\x00 ti\x0btle\x1f", sentences=("A \x07bell.",))
    brief = make_brief(stories=(make_story(articles=(article,)),), title="Week\x08 39")
    feed = parsed(make_digest(briefs=(brief,)))
    assert feed.entries[0].title == "Week 39"
    assert "Bad title" in feed.entries[0].content[0].value


def test_an_empty_digest_gives_a_valid_feed_without_entries() -> None:
    empty = replace(make_digest(), briefs=(), stories=(), articles=())
    feed = parsed(empty)
    assert feed.entries == []
    assert tree(empty).findtext(f"{ATOM}updated") == "2020-10-01T12:00:00+00:00"


def test_feed_is_byte_identical_across_renders() -> None:
    assert feed_xml(sample_digest()) == feed_xml(sample_digest())


def test_entries_are_sorted_whatever_order_the_briefs_come_in() -> None:
    digest = sample_digest()
    reordered = replace(digest, briefs=tuple(reversed(digest.briefs)))
    assert feed_xml(digest) == feed_xml(reordered)


def test_feed_is_pretty_printed_for_readable_diffs() -> None:
    text = feed_xml(sample_digest()).decode()
    assert text.startswith("<?xml version='1.0' encoding='UTF-8'?>\n<feed")
    assert "\n  <entry>\n" in text


def test_updated_is_the_latest_brief_time_even_out_of_order() -> None:
    early = make_brief(id="2020-W38", updated=datetime(2020, 9, 30, tzinfo=UTC))
    late = make_brief(id="2020-W39", updated=datetime(2020, 9, 25, tzinfo=UTC))
    root = tree(make_digest(briefs=(early, late)))
    assert root.findtext(f"{ATOM}updated") == "2020-09-30T00:00:00+00:00"


def newsboat_items(newsboat: str, home: Path) -> list[tuple[str, str]]:
    """Reload the feed in a real reader and list (id, title) of what it stored."""
    subprocess.run(
        [newsboat, "-u", "urls", "-c", "cache.db", "-C", "/dev/null", "-x", "reload"],
        cwd=home,
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=True,
        timeout=60,
    )
    with sqlite3.connect(home / "cache.db") as db:
        rows = db.execute("select guid, title from rss_item order by guid").fetchall()
    return [(str(guid), str(title)) for guid, title in rows]


def test_a_real_reader_sees_no_new_items_after_the_site_moves(tmp_path: Path) -> None:
    newsboat = require_tool("newsboat")
    feed = tmp_path / "feed.xml"
    (tmp_path / "urls").write_text(f'"file://{feed}"\n')
    feed.write_bytes(feed_xml(sample_digest("https://news.example.org/")))
    before = newsboat_items(newsboat, tmp_path)
    assert [guid for guid, _ in before] == [
        "tag:news.example.org,2026:brief/2020-W39",
        "tag:news.example.org,2026:brief/2020-W40",
    ]
    moved = sample_digest("https://mirror.example.com/news/")
    feed.write_bytes(feed_xml(replace(moved, generated=datetime(2021, 1, 1, tzinfo=UTC))))
    assert newsboat_items(newsboat, tmp_path) == before
