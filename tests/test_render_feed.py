"""The feeds: valid Atom, RSS and JSON Feed, stable ids, times from the data, safe content.

The W3C feed validator cannot be installed here, so ``validator_findings``
checks the rules it reports that our feeds could break: ids that are not
absolute URIs or repeat, entries without an author, relative self links,
dates that are not RFC 3339 (Atom, JSON Feed) or RFC 822 (RSS), missing
required elements and a missing language.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import pytest
from lxml import etree
from lxml import html as lxml_html

from digest.feeds import parse_feed
from digest.model import Digest
from digest.render.feed import (
    FEED_BRIEFS,
    FEED_STORIES,
    brief_entry_id,
    render_atom,
    render_feeds,
    render_json_feed,
    render_rss,
    render_story_atom,
    safe_html,
    story_entry_id,
)
from digest.render.site import render_site
from tests.builders import make_article, make_brief, make_digest, make_story, whole
from tests.conftest import require_tool
from tests.test_render_sample import HOSTILE_HEADLINE, sample_digest
from tests.test_render_story import storyline_digest

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "judges" / "atom.rnc"
# RFC 3339 date-time, as Atom and JSON Feed require.
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
# RFC 822 date as RSS 2.0 writes it, with a four-digit year and a numeric zone.
RFC822 = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}"
)


def empty_digest() -> Digest:
    return replace(make_digest(), briefs=(), stories=(), articles=())


def feed_xml(digest: Digest) -> bytes:
    return render_atom(digest).content


def parsed(content: bytes) -> feedparser.FeedParserDict:
    result = feedparser.parse(content)
    assert not result.bozo, result.get("bozo_exception")
    return result


def tree(content: bytes) -> etree._Element:
    return etree.fromstring(content)


def rss_xml(digest: Digest) -> bytes:
    rss = render_rss(digest)
    assert rss is not None
    return rss.content


def json_feed(digest: Digest) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render_json_feed(digest).joined().content)
    return data


def is_absolute_uri(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme) and not any(c.isspace() for c in value)


def is_absolute_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and " " not in value


def atom_findings(content: bytes) -> list[str]:
    """What the W3C validator would report about an Atom feed of ours."""
    root = tree(content)
    findings = []
    if not root.get(XML_LANG):
        findings.append("feed has no xml:lang")
    ids = [root.findtext(f"{ATOM}id") or ""] + [
        e.findtext(f"{ATOM}id") or "" for e in root.findall(f"{ATOM}entry")
    ]
    findings += [f"id is not an absolute URI: {i!r}" for i in ids if not is_absolute_uri(i)]
    if len(ids) != len(set(ids)):
        findings.append("duplicate ids")
    feed_author = root.find(f"{ATOM}author/{ATOM}name")
    for entry in root.findall(f"{ATOM}entry"):
        if feed_author is None and entry.find(f"{ATOM}author") is None:
            findings.append("entry without author")
        for name in ("title", "updated", "id"):
            if entry.find(f"{ATOM}{name}") is None:
                findings.append(f"entry without {name}")
    for element in root.iter(f"{ATOM}updated", f"{ATOM}published"):
        if not RFC3339.fullmatch(element.text or ""):
            findings.append(f"date is not RFC 3339: {element.text!r}")
    for link in root.iter(f"{ATOM}link"):
        if not is_absolute_url(link.get("href", "")):
            findings.append(f"relative link: {link.get('href')!r}")
    for icon in root.iter(f"{ATOM}icon", f"{ATOM}logo"):
        if not is_absolute_url(icon.text or ""):
            findings.append(f"relative icon: {icon.text!r}")
    return findings


def rss_findings(content: bytes) -> list[str]:
    """What the W3C validator would report about an RSS feed of ours."""
    channel = tree(content).find("channel")
    assert channel is not None
    findings = []
    for name in ("title", "link", "description", "language"):
        if not (channel.findtext(name) or "").strip():
            findings.append(f"channel without {name}")
    if not is_absolute_url(channel.findtext("link") or ""):
        findings.append("channel link is not absolute")
    self_links = channel.findall(f"{ATOM}link[@rel='self']")
    if len(self_links) != 1 or not is_absolute_url(self_links[0].get("href", "")):
        findings.append("no absolute atom:link rel=self")
    guids = []
    for item in channel.findall("item"):
        guid = item.find("guid")
        if guid is None or not guid.text:
            findings.append("item without guid")
            continue
        guids.append(guid.text)
        if not is_absolute_url(guid.text) and guid.get("isPermaLink") != "false":
            findings.append(f"guid is not a permalink but isPermaLink is not false: {guid.text}")
        if not is_absolute_url(item.findtext("link") or ""):
            findings.append("item link is not absolute")
    if len(guids) != len(set(guids)):
        findings.append("duplicate guids")
    for element in channel.iter("pubDate", "lastBuildDate"):
        text = element.text or ""
        if not RFC822.fullmatch(text):
            findings.append(f"date is not RFC 822: {text!r}")
        elif parsedate_to_datetime(text).strftime("%a") != text[:3]:
            findings.append(f"weekday does not match the date: {text!r}")
    return findings


def json_feed_findings(data: dict[str, Any]) -> list[str]:
    """What a JSON Feed 1.1 validator would report."""
    findings = []
    if data.get("version") != "https://jsonfeed.org/version/1.1":
        findings.append("wrong version")
    if not isinstance(data.get("title"), str) or not isinstance(data.get("items"), list):
        findings.append("missing title or items")
    for key in ("home_page_url", "feed_url", "icon", "favicon"):
        if key in data and not is_absolute_url(data[key]):
            findings.append(f"{key} is not absolute")
    ids = []
    for item in data.get("items", []):
        if not isinstance(item.get("id"), str) or not item["id"]:
            findings.append("item without a string id")
        ids.append(item.get("id"))
        if not isinstance(item.get("content_html", item.get("content_text")), str):
            findings.append("item without content")
        for key in ("date_published", "date_modified"):
            if key in item and not RFC3339.fullmatch(item[key]):
                findings.append(f"{key} is not RFC 3339: {item[key]!r}")
        if "url" in item and not is_absolute_url(item["url"]):
            findings.append("item url is not absolute")
    if len(ids) != len(set(ids)):
        findings.append("duplicate item ids")
    return findings


# -- golden files -------------------------------------------------------------


def test_feed_matches_its_golden_file(golden: Callable[[str, bytes], None]) -> None:
    golden("render/feed.xml", feed_xml(sample_digest()))


def test_feed_without_base_url_matches_its_golden_file(
    golden: Callable[[str, bytes], None],
) -> None:
    golden("render/feed-no-base-url.xml", feed_xml(sample_digest(base_url="")))


def test_rss_matches_its_golden_file(golden: Callable[[str, bytes], None]) -> None:
    golden("render/feed.rss", rss_xml(sample_digest()))


def test_json_feed_matches_its_golden_file(golden: Callable[[str, bytes], None]) -> None:
    golden("render/feed.json", render_json_feed(sample_digest()).joined().content)


def test_stories_feed_matches_its_golden_file(golden: Callable[[str, bytes], None]) -> None:
    golden("render/stories.xml", render_story_atom(storyline_digest()).content)


# -- which feeds exist --------------------------------------------------------


def test_every_feed_is_rendered_with_a_base_url() -> None:
    paths = [f.path for f in whole(render_feeds(sample_digest()))]
    assert paths == ["feed.json", "feed.rss", "feed.xml", "stories.xml"]


def test_without_a_base_url_there_is_no_rss_feed() -> None:
    digest = sample_digest(base_url="")
    assert render_rss(digest) is None
    assert [f.path for f in whole(render_feeds(digest))] == ["feed.json", "feed.xml", "stories.xml"]


# -- validity -----------------------------------------------------------------


def test_both_atom_feeds_validate_against_the_atom_schema(tmp_path: Path) -> None:
    jing = require_tool("jing")
    if not SCHEMA.is_file():
        raise AssertionError(f"Atom schema missing at {SCHEMA}")
    digests = {
        "sample": sample_digest(),
        "no-base": sample_digest(base_url=""),
        "storyline": storyline_digest(),
        "empty": empty_digest(),
    }
    paths = []
    for name, digest in digests.items():
        for render in (render_atom, render_story_atom):
            path = tmp_path / f"{name}-{render.__name__}.xml"
            path.write_bytes(render(digest).content)
            paths.append(str(path))
    run = subprocess.run(
        [jing, "-c", str(SCHEMA), *paths], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("base_url", ["https://news.example.org/", ""])
def test_atom_feeds_have_nothing_the_w3c_validator_reports(base_url: str) -> None:
    for digest in (sample_digest(base_url), storyline_digest(base_url), empty_digest()):
        assert atom_findings(feed_xml(digest)) == []
        assert atom_findings(render_story_atom(digest).content) == []


def test_rss_has_nothing_the_w3c_validator_reports() -> None:
    for digest in (sample_digest(), storyline_digest(), empty_digest()):
        assert rss_findings(rss_xml(digest)) == []


@pytest.mark.parametrize("base_url", ["https://news.example.org/", ""])
def test_json_feed_has_the_required_keys_and_valid_values(base_url: str) -> None:
    for digest in (sample_digest(base_url), storyline_digest(base_url), empty_digest()):
        assert json_feed_findings(json_feed(digest)) == []


def test_feedparser_reads_every_xml_feed_without_complaint() -> None:
    digest = storyline_digest()
    for content in (feed_xml(digest), rss_xml(digest), render_story_atom(digest).content):
        assert parsed(content).entries


def test_our_own_reader_reads_every_feed_back_entry_for_entry() -> None:
    digest = sample_digest()
    expected = [
        "tag:news.example.org,2026:brief/2020-W40",
        "tag:news.example.org,2026:brief/2020-W39",
    ]
    for file in whole(render_feeds(digest)):
        result = parse_feed(file.content, origin=f"https://news.example.org/{file.path}")
        assert result.is_feed and not result.problems, (file.path, result.problems)
        if file.path != "stories.xml":
            assert [entry.input_id for entry in result.entries] == expected, file.path


# -- what readers see ---------------------------------------------------------


def test_a_reader_sees_one_entry_per_brief_newest_first() -> None:
    feed = parsed(feed_xml(sample_digest()))
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
        "https://news.example.org/briefs/2020-w40/",
        "https://news.example.org/briefs/2020-w39/",
    ]


def test_all_three_brief_feeds_list_the_same_briefs_in_the_same_order() -> None:
    digest = sample_digest()
    atom = [e.id for e in parsed(feed_xml(digest)).entries]
    rss = [e.id for e in parsed(rss_xml(digest)).entries]
    json_ids = [item["id"] for item in json_feed(digest)["items"]]
    assert atom == rss == json_ids


def test_feed_links_itself_the_site_and_its_icon_when_the_base_url_is_known() -> None:
    feed = parsed(feed_xml(sample_digest()))
    links = {(link.rel, link.href, link.type) for link in feed.feed.links}
    assert links == {
        ("self", "https://news.example.org/feed.xml", "application/atom+xml"),
        ("alternate", "https://news.example.org/", "text/html"),
    }
    assert tree(feed_xml(sample_digest())).findtext(f"{ATOM}icon") == (
        "https://news.example.org/favicon.svg"
    )


def test_without_a_base_url_no_link_or_icon_is_written() -> None:
    for content in (feed_xml(sample_digest("")), render_story_atom(sample_digest("")).content):
        root = tree(content)
        assert root.findall(f".//{ATOM}link") == []
        assert root.find(f"{ATOM}icon") is None
    data = json_feed(sample_digest(""))
    assert not {"home_page_url", "feed_url", "icon", "favicon"} & set(data)
    assert all("url" not in item for item in data["items"])


def test_rss_links_the_site_itself_and_each_brief_page() -> None:
    channel = tree(rss_xml(sample_digest())).find("channel")
    assert channel is not None
    assert channel.findtext("link") == "https://news.example.org/"
    assert channel.find(f"{ATOM}link[@rel='self']").get("href") == (
        "https://news.example.org/feed.rss"
    )
    assert [i.findtext("link") for i in channel.findall("item")] == [
        "https://news.example.org/briefs/2020-w40/",
        "https://news.example.org/briefs/2020-w39/",
    ]
    assert [i.find("guid").get("isPermaLink") for i in channel.findall("item")] == [
        "false",
        "false",
    ]


def test_json_feed_states_title_language_author_and_icon() -> None:
    data = json_feed(sample_digest())
    assert data["title"] == "Riverside digest"
    assert data["language"] == "en"
    assert data["authors"] == [{"name": "Riverside newsroom"}]
    assert data["feed_url"] == "https://news.example.org/feed.json"
    assert data["home_page_url"] == "https://news.example.org/"
    assert data["icon"] == data["favicon"] == "https://news.example.org/favicon.svg"
    first = data["items"][0]
    assert first["date_modified"] == "2020-10-01T16:00:00+00:00"
    assert first["date_published"] == "2020-09-29T07:30:00+00:00"
    assert first["summary"] == "28 September – 4 October 2020 · 2 stories"


def test_the_stories_feed_has_one_entry_per_story_newest_change_first() -> None:
    feed = parsed(render_story_atom(storyline_digest()).content)
    assert feed.feed.id == "tag:news.example.org,2026:stories"
    assert [(e.id, e.updated) for e in feed.entries] == [
        ("tag:news.example.org,2026:story/s-knesset", "2020-10-07T10:00:00+00:00"),
        ("tag:news.example.org,2026:story/s-flood", "2020-10-06T09:30:00+00:00"),
        ("tag:news.example.org,2026:story/s-rain", "2020-09-30T06:00:00+00:00"),
        ("tag:news.example.org,2026:story/s-a1", "2020-09-22T08:00:00+00:00"),
    ]
    flood = feed.entries[1]
    assert flood.link == "https://news.example.org/stories/s-flood/"
    assert flood.published == "2020-10-06T07:00:00+00:00"


def test_a_story_entry_moves_only_when_the_story_gains_a_source() -> None:
    digest = storyline_digest()

    def flood_updated(d: Digest) -> str:
        entries = parsed(render_story_atom(d).content).entries
        return next(e.updated for e in entries if e.id.endswith("story/s-flood"))

    rebuilt = replace(digest, generated=datetime(2030, 1, 1, tzinfo=UTC))
    assert flood_updated(rebuilt) == flood_updated(digest)
    newer, older, earliest = sorted(digest.briefs, key=lambda b: b.start, reverse=True)
    flood = newer.stories[0]
    late = make_article(
        id="a-late", source="Late News", published=datetime(2020, 10, 9, tzinfo=UTC)
    )
    grown = replace(flood, articles=(*flood.articles, late))
    grown_brief = replace(newer, stories=(grown, *newer.stories[1:]))
    assert flood_updated(replace(digest, briefs=(earliest, older, grown_brief))) == (
        "2020-10-09T00:00:00+00:00"
    )


def test_a_story_without_publication_times_is_dated_at_the_start_of_its_day() -> None:
    story = make_story(articles=(make_article(published=None),))
    root = tree(render_story_atom(make_digest(briefs=(make_brief(stories=(story,)),))).content)
    assert root.findtext(f"{ATOM}entry/{ATOM}updated") == "2020-09-21T00:00:00+00:00"
    assert root.findtext(f"{ATOM}entry/{ATOM}published") == "2020-09-21T00:00:00+00:00"


def test_story_entry_content_is_the_story_page_detail() -> None:
    entries = parsed(render_story_atom(storyline_digest()).content).entries
    flood = next(e for e in entries if e.id.endswith("story/s-flood"))
    body = lxml_html.fromstring(f"<div>{flood.content[0].value}</div>")
    text = " ".join(body.text_content().split())
    assert "Covered by 4 outlets, 2 independent reports." in text
    assert "copy of Riverside Gazette" in text
    assert body.xpath("//a[text()='Forecasters warn of a wet week']/@href") == [
        "https://news.example.org/stories/s-rain/index.html"
    ]


def test_story_ids_are_tag_uris_that_survive_a_move() -> None:
    story = make_story(id="s 1/<x>")
    site = sample_digest().site
    moved = replace(site, base_url="https://elsewhere.example/")
    assert story_entry_id(site, story) == story_entry_id(moved, story)
    assert story_entry_id(site, story) == "tag:news.example.org,2026:story/s%201/%3Cx%3E"


# -- ids ------------------------------------------------------------------------


def test_ids_are_unique_absolute_uris() -> None:
    root = tree(feed_xml(sample_digest()))
    ids = [e.text or "" for e in root.iter(f"{ATOM}id")]
    assert len(ids) == len(set(ids)) == 3
    for value in ids:
        assert urlsplit(value).scheme == "tag" and " " not in value


def test_every_entry_has_an_author_through_the_feed() -> None:
    root = tree(feed_xml(sample_digest()))
    feed_authors = root.findall(f"{ATOM}author/{ATOM}name")
    assert [a.text for a in feed_authors] == ["Riverside newsroom"]


def test_moving_the_site_keeps_every_id_in_every_feed() -> None:
    for render in (render_atom, render_story_atom):
        here = tree(render(sample_digest("https://news.example.org/")).content)
        there = tree(render(sample_digest("https://mirror.example.com/archive/news/")).content)
        nowhere = tree(render(sample_digest("")).content)
        ids = [[i.text for i in t.iter(f"{ATOM}id")] for t in (here, there, nowhere)]
        assert ids[0] == ids[1] == ids[2]
    moved_json = json_feed(sample_digest("https://mirror.example.com/news/"))
    here_json = json_feed(sample_digest())
    assert [i["id"] for i in moved_json["items"]] == [i["id"] for i in here_json["items"]]


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


# -- times ----------------------------------------------------------------------


def test_times_come_from_the_data_never_the_clock() -> None:
    root = tree(feed_xml(sample_digest()))
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
    channel = tree(rss_xml(sample_digest())).find("channel")
    assert channel is not None
    assert channel.findtext("lastBuildDate") == "Thu, 01 Oct 2020 16:00:00 +0000"
    assert [i.findtext("pubDate") for i in channel.findall("item")] == [
        "Tue, 29 Sep 2020 07:30:00 +0000",
        "Tue, 22 Sep 2020 08:00:00 +0000",
    ]


def test_feeds_do_not_change_when_only_the_build_time_does() -> None:
    digest = sample_digest()
    later = replace(digest, generated=datetime(2031, 5, 5, tzinfo=UTC))
    for before, after in zip(whole(render_feeds(digest)), whole(render_feeds(later)), strict=True):
        assert before.content == after.content, before.path


def test_a_brief_with_no_publication_times_is_published_at_its_start() -> None:
    article = make_article(published=None)
    brief = make_brief(stories=(make_story(articles=(article,)),))
    root = tree(feed_xml(make_digest(briefs=(brief,))))
    published = root.findtext(f"{ATOM}entry/{ATOM}published")
    assert published == "2020-09-21T00:00:00+00:00"


def test_a_naive_updated_time_is_taken_as_utc_instead_of_refused() -> None:
    brief = make_brief(updated=datetime(2020, 9, 22, 8, 0))
    root = tree(feed_xml(make_digest(briefs=(brief,))))
    assert root.findtext(f"{ATOM}entry/{ATOM}updated") == "2020-09-22T08:00:00+00:00"


def test_an_empty_digest_gives_valid_feeds_without_entries() -> None:
    empty = empty_digest()
    assert parsed(feed_xml(empty)).entries == []
    assert tree(feed_xml(empty)).findtext(f"{ATOM}updated") == "2020-10-01T12:00:00+00:00"
    assert parsed(render_story_atom(empty).content).entries == []
    assert json_feed(empty)["items"] == []


def test_updated_is_the_latest_brief_time_even_out_of_order() -> None:
    early = make_brief(id="2020-W38", updated=datetime(2020, 9, 30, tzinfo=UTC))
    late = make_brief(id="2020-W39", updated=datetime(2020, 9, 25, tzinfo=UTC))
    root = tree(feed_xml(make_digest(briefs=(early, late))))
    assert root.findtext(f"{ATOM}updated") == "2020-09-30T00:00:00+00:00"


# -- the feed's head --------------------------------------------------------------


def test_the_generator_is_pinned_to_digest() -> None:
    generator = tree(feed_xml(sample_digest())).find(f"{ATOM}generator")
    assert generator is not None
    assert generator.text == "digest" and generator.get("version") == "0.1.0"


def test_every_feed_carries_its_language() -> None:
    digest = replace(sample_digest(), site=replace(sample_digest().site, language="pt_BR"))
    assert tree(feed_xml(digest)).get(XML_LANG) == "pt-BR"
    assert tree(render_story_atom(digest).content).get(XML_LANG) == "pt-BR"
    assert tree(rss_xml(digest)).findtext("channel/language") == "pt-BR"
    assert json_feed(digest)["language"] == "pt-BR"


def test_feed_carries_a_subtitle() -> None:
    assert tree(feed_xml(sample_digest())).findtext(f"{ATOM}subtitle")


def test_no_entry_has_a_category_since_the_data_has_no_topics() -> None:
    for content in (feed_xml(sample_digest()), render_story_atom(storyline_digest()).content):
        assert tree(content).findall(f".//{ATOM}category") == []


# -- content ----------------------------------------------------------------------


def test_entry_content_is_the_whole_brief_as_html() -> None:
    entry = parsed(feed_xml(sample_digest())).entries[0]
    (content,) = entry.content
    assert content.type == "text/html"
    body = lxml_html.fromstring(f"<div>{content.value}</div>")
    assert [h.get("id") for h in body.iter("h3")] == ["s-budget", "s-bridge"]
    assert " ".join(next(body.iter("h3")).text_content().split()) == HOSTILE_HEADLINE
    assert "Covered by 2 outlets" in body.text_content()
    assert "(date uncertain)" in body.text_content()
    assert body.xpath("//h3/a/@href") == [
        "https://news.example.org/stories/s-budget/index.html",
        "https://news.example.org/stories/s-bridge/index.html",
    ]


def test_entry_content_uses_the_same_markup_as_the_home_page() -> None:
    digest = sample_digest()
    home = {f.path: f.content.decode() for f in render_site(digest)}["index.html"]
    content = tree(feed_xml(digest)).findtext(f"{ATOM}entry/{ATOM}content") or ""
    story_markup = content[content.index("<article") : content.rindex("</article>")]
    latest = home[home.index("<article") : home.rindex("</article>")]
    absolute = latest.replace('href="stories/', 'href="https://news.example.org/stories/')
    assert story_markup == safe_html(absolute).removesuffix("</article>")


def test_without_a_base_url_entry_content_links_none_of_our_pages() -> None:
    digest = storyline_digest(base_url="")
    contents = [e.content[0].value for e in parsed(feed_xml(digest)).entries]
    contents += [e.content[0].value for e in parsed(render_story_atom(digest).content).entries]
    contents += [item["content_html"] for item in json_feed(digest)["items"]]
    for content in contents:
        hrefs = lxml_html.fromstring(f"<div>{content}</div>").xpath("//a/@href")
        assert all(is_absolute_url(h) for h in hrefs), hrefs
    assert "Forecasters warn of a wet week" in " ".join(contents)


def test_safe_html_removes_scripts_styles_and_event_attributes() -> None:
    hostile = (
        '<p onclick="steal()">Hi<script>alert(1)</script><style>p{}</style></p>'
        '<a href="javascript:alert(1)" onmouseover="x()">link</a>'
        '<img src="x" onerror="y()"><iframe src="https://evil.example/"></iframe>'
        '<a href="stories/s1/index.html" rel="external noopener">ok</a>'
    )
    clean = safe_html(hostile)
    root = lxml_html.fromstring(f"<div>{clean}</div>")
    assert not root.xpath("//script | //style | //img | //iframe")
    assert not [a for e in root.iter() for a in e.attrib if a.startswith("on")]
    assert "javascript:" not in clean
    assert root.xpath("//a/@href") == ["stories/s1/index.html"]
    assert root.xpath("//a/@rel") == ["external noopener"]
    assert "alert(1)" not in clean


def test_control_characters_in_scraped_text_do_not_break_any_feed() -> None:
    article = make_article(title="Bad\x00 ti\x0btle\x1f", sentences=("A \x07bell.",))
    brief = make_brief(stories=(make_story(articles=(article,)),), title="Week\x08 39")
    digest = make_digest(briefs=(brief,))
    feed = parsed(feed_xml(digest))
    assert feed.entries[0].title == "Week 39"
    assert "Bad title" in feed.entries[0].content[0].value
    assert parsed(render_story_atom(digest).content).entries[0].title == "Bad title"
    assert parsed(rss_xml(digest)).entries[0].title == "Week 39"
    assert json_feed(digest)["items"][0]["title"] == "Week 39"


# -- stability ----------------------------------------------------------------------


def test_feeds_are_byte_identical_across_renders() -> None:
    assert whole(render_feeds(sample_digest())) == whole(render_feeds(sample_digest()))


def test_entries_are_sorted_whatever_order_the_briefs_come_in() -> None:
    digest = storyline_digest()
    reordered = replace(digest, briefs=tuple(reversed(digest.briefs)))
    assert whole(render_feeds(digest)) == whole(render_feeds(reordered))


def test_feed_is_pretty_printed_for_readable_diffs() -> None:
    text = feed_xml(sample_digest()).decode()
    assert text.startswith("<?xml version='1.0' encoding='UTF-8'?>\n<feed")
    assert "\n  <entry>\n" in text


# -- a real feed reader ---------------------------------------------------------------


def newsboat_items(newsboat: str, home: Path) -> list[tuple[str, str, str]]:
    """Reload the feeds in a real reader and list (feed, id, title) of what it stored."""
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
        rows = db.execute("select feedurl, guid, title from rss_item order by guid").fetchall()
    return [(Path(str(feed)).name, str(guid), str(title)) for feed, guid, title in rows]


def test_a_real_reader_sees_no_new_items_after_the_site_moves(tmp_path: Path) -> None:
    newsboat = require_tool("newsboat")
    names = ("feed.xml", "feed.rss", "stories.xml")
    (tmp_path / "urls").write_text("".join(f'"file://{tmp_path / n}"\n' for n in names))

    def publish(digest: Digest) -> None:
        for file in whole(render_feeds(digest)):
            if file.path in names:
                (tmp_path / file.path).write_bytes(file.content)

    publish(sample_digest("https://news.example.org/"))
    before = newsboat_items(newsboat, tmp_path)
    # The reader keys items by id alone, so a brief read through both the
    # Atom and the RSS feed is one item: the same id means the same brief.
    assert sorted(guid for _, guid, _ in before) == [
        "tag:news.example.org,2026:brief/2020-W39",
        "tag:news.example.org,2026:brief/2020-W40",
        "tag:news.example.org,2026:story/s-bridge",
        "tag:news.example.org,2026:story/s-budget",
        "tag:news.example.org,2026:story/s-prices",
        "tag:news.example.org,2026:story/s-water",
    ]
    moved = sample_digest("https://mirror.example.com/news/")
    publish(replace(moved, generated=datetime(2021, 1, 1, tzinfo=UTC)))
    assert newsboat_items(newsboat, tmp_path) == before


def many_briefs(count: int) -> Digest:
    """A digest of ``count`` daily briefs of one story each, a day apart."""
    briefs = []
    for day in range(count):
        when = datetime(2020, 1, 1, 9, tzinfo=UTC) + timedelta(days=day)
        article = make_article(id=f"a{day}", published=when, event_date=when.date())
        story = make_story(id=f"s{day}", articles=(article,))
        briefs.append(
            make_brief(
                id=when.date().isoformat(),
                period="day",
                start=when.date(),
                end=when.date(),
                stories=(story,),
                updated=when,
            )
        )
    return make_digest(briefs=tuple(briefs))


def test_feeds_carry_only_the_newest_entries() -> None:
    digest = many_briefs(FEED_STORIES + 5)
    newest_day = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=FEED_STORIES + 4)
    briefs = parsed(feed_xml(digest)).entries
    assert len(briefs) == FEED_BRIEFS
    assert briefs[0].id == brief_entry_id(digest.site, digest.briefs[-1])
    assert len(parsed(rss_xml(digest)).entries) == FEED_BRIEFS
    assert len(json.loads(render_json_feed(digest).joined().content)["items"]) == FEED_BRIEFS
    stories = parsed(render_story_atom(digest).content).entries
    assert len(stories) == FEED_STORIES
    assert stories[0].id == story_entry_id(digest.site, digest.stories[-1])
    assert stories[-1].id == story_entry_id(digest.site, digest.stories[5])
    # The feed's own time is still its newest entry's.
    assert parsed(feed_xml(digest)).feed.updated.startswith(newest_day.date().isoformat())
