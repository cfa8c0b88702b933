"""The static site: golden pages, valid HTML5, escaping, accessibility basics."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from digest.model import Brief, Digest, OutputFile
from digest.render.site import render_site
from digest.render.templating import TEMPLATES
from tests.builders import make_article, make_brief, make_digest, make_story
from tests.conftest import require_tool
from tests.test_render_sample import HOSTILE_HEADLINE, RTL_TITLE, sample_digest
from tests.test_render_story import storyline_digest


def empty_digest() -> Digest:
    """A build that found articles for no period at all."""
    return replace(make_digest(), briefs=(), stories=(), articles=())


def files_by_path(digest: Digest) -> dict[str, OutputFile]:
    return {f.path: f for f in render_site(digest)}


def page(digest: Digest, path: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(files_by_path(digest)[path].content)


def text_of(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


SITE_FILES = [
    "404.html",
    "about/index.html",
    "briefs/2020-w39/index.html",
    "briefs/2020-w40/index.html",
    "favicon.svg",
    "index.html",
    "sitemap.xml",
    "stories/s-bridge/index.html",
    "stories/s-budget/index.html",
    "stories/s-prices/index.html",
    "stories/s-water/index.html",
    "style.css",
]


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "briefs/2020-w40/index.html",
        "briefs/2020-w39/index.html",
        "stories/s-budget/index.html",
        "about/index.html",
        "404.html",
        "sitemap.xml",
    ],
)
def test_pages_match_their_golden_files(path: str, golden: Callable[[str, bytes], None]) -> None:
    golden(f"render/site/{path}", files_by_path(sample_digest())[path].content)


def test_404_page_without_base_url_matches_its_golden_file(
    golden: Callable[[str, bytes], None],
) -> None:
    golden("render/site-no-base-url/404.html", files_by_path(sample_digest(""))["404.html"].content)


def test_the_site_has_every_page_its_stylesheet_icon_and_sitemap() -> None:
    assert sorted(files_by_path(sample_digest())) == SITE_FILES


def test_without_a_base_url_there_is_no_sitemap() -> None:
    assert sorted(files_by_path(sample_digest(""))) == [p for p in SITE_FILES if p != "sitemap.xml"]


def test_every_page_passes_tidy_without_errors_or_warnings(tmp_path: Path) -> None:
    tidy = require_tool("tidy")
    digests = {
        "sample": sample_digest(),
        "no-base": sample_digest(""),
        "storyline": storyline_digest(),
        "empty": empty_digest(),
    }
    for name, digest in digests.items():
        for file in render_site(digest):
            if not file.path.endswith(".html"):
                continue
            target = tmp_path / name / file.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.content)
            run = subprocess.run(
                [tidy, "-q", "-e", str(target)], capture_output=True, text=True, check=False
            )
            assert run.returncode == 0 and not run.stderr.strip(), (file.path, run.stderr)


def test_home_page_shows_the_latest_brief_then_the_archive_newest_first() -> None:
    root = page(sample_digest(), "index.html")
    assert (
        text_of(root.get_element_by_id("latest-title")) == "Week of 28 September – 4 October 2020"
    )
    links = root.xpath("//ol[@class='archive-list']/li/a")
    assert [a.get("href") for a in links] == [
        "briefs/2020-w40/index.html",
        "briefs/2020-w39/index.html",
    ]
    meta = [text_of(li) for li in root.xpath("//ol[@class='archive-list']/li")]
    assert meta[1] == "Week of 21–27 September 2020 2 stories"


def brief_starting(day: date) -> Brief:
    return make_brief(id=f"{day.isoformat()}", title="", start=day, end=day, period="day")


def test_the_archive_is_grouped_by_year_then_month_newest_first() -> None:
    days = [date(2019, 12, 30), date(2020, 1, 2), date(2020, 1, 9), date(2020, 3, 1)]
    digest = make_digest(briefs=tuple(brief_starting(d) for d in days))
    archive = page(digest, "index.html").get_element_by_id("archive").getparent()
    outline = [(h.tag, text_of(h), h.get("id")) for h in archive.iter("h3", "h4")]
    assert outline == [
        ("h3", "2020", "archive-2020"),
        ("h4", "March", "archive-2020-03"),
        ("h4", "January", "archive-2020-01"),
        ("h3", "2019", "archive-2019"),
        ("h4", "December", "archive-2019-12"),
    ]
    january = archive.xpath("h4[@id='archive-2020-01']/following-sibling::ol[1]/li/a")
    assert [text_of(a) for a in january] == ["9 January 2020", "2 January 2020"]


def test_each_page_has_one_h1_landmarks_a_skip_link_and_the_site_language() -> None:
    digest = replace(sample_digest(), site=replace(sample_digest().site, language="fr-CA"))
    for path, file in files_by_path(digest).items():
        if not path.endswith(".html"):
            continue
        root = lxml_html.fromstring(file.content)
        assert root.get("lang") == "fr-CA"
        assert len(root.xpath("//h1")) == 1, path
        for landmark in ("header", "nav", "main", "footer"):
            assert root.xpath(f"//{landmark}"), (path, landmark)
        skip = root.xpath("//body/*[1]")[0]
        assert skip.get("href") == "#main" and root.xpath("//main[@id='main']")
        assert root.xpath("//meta[@charset='utf-8']")
        assert root.xpath("//meta[@name='viewport']")
        assert not root.xpath("//script")


def test_headings_never_skip_a_level() -> None:
    for path, file in files_by_path(sample_digest()).items():
        if not path.endswith(".html"):
            continue
        levels = [int(h.tag[1]) for h in lxml_html.fromstring(file.content).iter("h1", "h2", "h3")]
        assert levels[0] == 1, path
        assert all(b - a <= 1 for a, b in pairwise(levels)), (path, levels)


def test_every_feed_is_autodiscoverable_from_every_page() -> None:
    files = files_by_path(sample_digest())
    prefixes = {"index.html": "", "about/index.html": "../", "stories/s-water/index.html": "../../"}
    for path, prefix in prefixes.items():
        root = lxml_html.fromstring(files[path].content)
        links = [
            (link.get("type"), link.get("href"), link.get("title"))
            for link in root.xpath("//head/link[@rel='alternate']")
        ]
        assert links == [
            ("application/atom+xml", f"{prefix}feed.xml", "Riverside digest"),
            ("application/rss+xml", f"{prefix}feed.rss", "Riverside digest: RSS feed of briefs"),
            (
                "application/feed+json",
                f"{prefix}feed.json",
                "Riverside digest: JSON Feed of briefs",
            ),
            (
                "application/atom+xml",
                f"{prefix}stories.xml",
                "Riverside digest: Atom feed of every story",
            ),
        ], path


def test_without_a_base_url_pages_do_not_announce_an_rss_feed() -> None:
    root = page(sample_digest(""), "index.html")
    assert root.xpath("//head/link[@rel='alternate']/@href") == [
        "feed.xml",
        "feed.json",
        "stories.xml",
    ]


def test_every_page_links_its_icon() -> None:
    files = files_by_path(sample_digest())
    root = lxml_html.fromstring(files["briefs/2020-w40/index.html"].content)
    assert root.xpath("//head/link[@rel='icon']/@href") == ["../../favicon.svg"]
    icon = etree.fromstring(files["favicon.svg"].content)
    assert icon.tag == "{http://www.w3.org/2000/svg}svg" and icon.get("viewBox") == "0 0 32 32"


def test_a_story_shows_headline_anchor_date_summary_coverage_and_sources() -> None:
    root = page(sample_digest(), "briefs/2020-w40/index.html")
    headline = root.get_element_by_id("s-budget")
    assert headline.tag == "h3" and headline.get("dir") == "auto"
    story = headline.getparent()
    assert text_of(story.xpath(".//p[@class='story-date']")[0]) == "28 September 2020"
    assert text_of(story.xpath(".//p[@class='summary']")[0]).startswith(
        "The council approved the budget on Monday"
    )
    assert text_of(story.xpath(".//p[@class='coverage']")[0]) == "Covered by 2 outlets:"
    items = story.xpath(".//ul[@class='sources']/li")
    assert [text_of(li) for li in items][1] == f"Wire Desk: {RTL_TITLE}"
    (link,) = items[0].xpath("a")
    assert link.get("href") == "https://herald.example.org/2020/10/budget?ref=home&x=1"
    assert link.get("rel") == "external noopener"
    assert not items[1].xpath("a"), "a source without a URL is not linked"


def test_stories_keep_the_order_the_brief_gives() -> None:
    root = page(sample_digest(), "briefs/2020-w40/index.html")
    assert [h.get("id") for h in root.xpath("//h3")] == ["s-budget", "s-bridge"]


def test_an_uncertain_date_is_said_in_words() -> None:
    root = page(sample_digest(), "briefs/2020-w40/index.html")
    story = root.get_element_by_id("s-bridge").getparent()
    assert "(date uncertain)" in text_of(story.xpath(".//p[@class='story-date']")[0])
    certain = root.get_element_by_id("s-budget").getparent()
    assert "uncertain" not in text_of(certain)


def test_html_in_a_headline_is_shown_as_text_never_run() -> None:
    content = files_by_path(sample_digest())["index.html"].content.decode()
    assert "<script>" not in content and "<b>plan" not in content
    root = lxml_html.fromstring(content)
    assert text_of(root.get_element_by_id("s-budget")) == HOSTILE_HEADLINE
    assert not root.xpath("//script | //b")


def test_a_javascript_url_is_not_linked() -> None:
    article = make_article(url="javascript:alert(1)")
    digest = make_digest(briefs=(make_brief(stories=(make_story(articles=(article,)),)),))
    content = files_by_path(digest)["briefs/2020-w39/index.html"].content
    assert b"javascript:" not in content


def test_brief_pages_link_to_their_neighbours() -> None:
    files = files_by_path(sample_digest())
    newer = lxml_html.fromstring(files["briefs/2020-w40/index.html"].content)
    older = lxml_html.fromstring(files["briefs/2020-w39/index.html"].content)
    assert [a.get("href") for a in newer.xpath("//nav[@class='pager']//a")] == [
        "../2020-w39/index.html"
    ]
    assert [a.get("href") for a in older.xpath("//nav[@class='pager']//a")] == [
        "../2020-w40/index.html"
    ]


def test_a_digest_without_briefs_still_has_a_home_page() -> None:
    files = files_by_path(empty_digest())
    assert sorted(files) == [
        "404.html",
        "about/index.html",
        "favicon.svg",
        "index.html",
        "sitemap.xml",
        "style.css",
    ]
    assert "No briefs yet." in text_of(lxml_html.fromstring(files["index.html"].content))


def test_a_story_without_summary_or_title_still_renders() -> None:
    article = make_article(title="  ", sentences=())
    story = make_story(articles=(article,), title="\u0000\n", summary=())
    digest = make_digest(briefs=(make_brief(stories=(story,)),))
    root = page(digest, "briefs/2020-w39/index.html")
    assert text_of(root.xpath("//h3")[0]) == "Untitled story"
    assert not root.xpath("//p[@class='summary']")


def test_two_stories_with_one_id_get_distinct_anchors() -> None:
    stories = (make_story(id="same"), make_story(id="same"))
    root = page(make_digest(briefs=(make_brief(stories=stories),)), "briefs/2020-w39/index.html")
    assert [h.get("id") for h in root.xpath("//h3")] == ["same", "same-2"]


def test_the_canonical_link_is_the_pretty_public_url_and_disappears_without_one() -> None:
    canonical = {
        "index.html": "https://news.example.org/",
        "briefs/2020-w40/index.html": "https://news.example.org/briefs/2020-w40/",
        "stories/s-budget/index.html": "https://news.example.org/stories/s-budget/",
        "about/index.html": "https://news.example.org/about/",
    }
    for path, url in canonical.items():
        assert page(sample_digest(), path).xpath("//link[@rel='canonical']/@href") == [url]
    without = page(sample_digest(base_url=""), "briefs/2020-w40/index.html")
    assert not without.xpath("//link[@rel='canonical']")
    assert not page(sample_digest(), "404.html").xpath("//link[@rel='canonical']")


def test_the_about_page_lists_every_way_to_subscribe() -> None:
    root = page(sample_digest(), "about/index.html")
    assert text_of(root.xpath("//h1")[0]) == "About Riverside digest"
    subscribe = root.get_element_by_id("subscribe").getnext()
    assert [a.get("href") for a in subscribe.xpath(".//a")] == [
        "../feed.xml",
        "../feed.rss",
        "../feed.json",
        "../stories.xml",
    ]
    assert "By email: ask Riverside newsroom" in text_of(subscribe)
    assert "one brief a week" in text_of(root.xpath("//main")[0])


def test_every_page_links_to_the_about_page_and_its_subscribe_section() -> None:
    for path, file in files_by_path(sample_digest()).items():
        if path.endswith(".html") and path != "404.html":
            nav = lxml_html.fromstring(file.content).xpath("//nav[@aria-label='Site']//a/@href")
            assert any(href.endswith("about/index.html#subscribe") for href in nav), path


def test_the_404_page_uses_absolute_links_when_the_base_url_is_known() -> None:
    with_base = page(sample_digest("https://news.example.org/news/"), "404.html")
    hrefs = with_base.xpath("//a/@href | //link/@href")
    assert all(h.startswith("https://news.example.org/news/") or h == "#main" for h in hrefs)
    assert "https://news.example.org/news/index.html" in hrefs
    without = page(sample_digest(""), "404.html")
    assert "index.html" in without.xpath("//a/@href")
    assert text_of(without.xpath("//h1")[0]) == "Page not found"


def test_the_404_page_carries_the_whole_stylesheet_inline() -> None:
    root = page(sample_digest(), "404.html")
    assert not root.xpath("//link[@rel='stylesheet']")
    (style,) = root.xpath("//head/style")
    assert style.text.strip() == (TEMPLATES / "style.css").read_text().strip()


def test_the_sitemap_lists_every_page_by_its_public_url() -> None:
    xml = files_by_path(storyline_digest())["sitemap.xml"].content
    root = etree.fromstring(xml)
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    entries = [
        (u.findtext(f"{namespace}loc"), u.findtext(f"{namespace}lastmod"))
        for u in root.findall(f"{namespace}url")
    ]
    assert entries == [
        ("https://news.example.org/", "2020-10-07T10:00:00+00:00"),
        ("https://news.example.org/about/", None),
        ("https://news.example.org/briefs/2020-w41/", "2020-10-07T10:00:00+00:00"),
        ("https://news.example.org/briefs/2020-w40/", "2020-09-30T06:00:00+00:00"),
        ("https://news.example.org/briefs/2020-w39/", "2020-09-22T08:00:00+00:00"),
        ("https://news.example.org/stories/s-flood/", "2020-10-06T09:30:00+00:00"),
        ("https://news.example.org/stories/s-knesset/", "2020-10-07T10:00:00+00:00"),
        ("https://news.example.org/stories/s-rain/", "2020-09-30T06:00:00+00:00"),
        ("https://news.example.org/stories/s-a1/", "2020-09-22T08:00:00+00:00"),
    ]
    assert "404" not in xml.decode()


# What the renderers drop from text: controls XML forbids, and C1 controls.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

# Any text a scraped headline might hold, including markup and odd controls.
HEADLINE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from("<>&\"'/"),
    max_size=80,
)


@settings(max_examples=60, deadline=None)
@given(HEADLINE_TEXT)
def test_any_headline_renders_as_exactly_its_text(headline: str) -> None:
    story = make_story(title=headline)
    digest = make_digest(briefs=(make_brief(stories=(story,)),))
    files = files_by_path(digest)
    root = lxml_html.fromstring(files["briefs/2020-w39/index.html"].content)
    (h3,) = root.xpath("//h3")
    expected = " ".join(CONTROL_CHARS.sub("", headline).split())
    assert text_of(h3) == (expected or "Towns sign water-sharing pact")
    (link,) = h3.getchildren()
    assert link.tag == "a" and not link.getchildren()
    story = lxml_html.fromstring(files["stories/s-a1/index.html"].content)
    (h1,) = story.xpath("//h1")
    assert text_of(h1) == text_of(h3) and not h1.getchildren()


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def palettes() -> dict[str, dict[str, str]]:
    """The custom properties of the light :root and the dark-scheme :root."""
    css = (TEMPLATES / "style.css").read_text()
    light_block = css.split("@media (prefers-color-scheme: dark)")[0]
    dark_block = css.split("@media (prefers-color-scheme: dark)")[1].split("\n}\n")[0]
    variable = re.compile(r"--([a-z-]+):\s*(#[0-9a-f]{6})")
    return {
        "light": dict(variable.findall(light_block)),
        "dark": dict(variable.findall(dark_block)),
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_colours_meet_wcag_aa_in_both_schemes(scheme: str) -> None:
    colours = palettes()[scheme]
    pairs = [
        ("text", "bg"),
        ("muted", "bg"),
        ("link", "bg"),
        ("visited", "bg"),
        ("text", "accent-bg"),
        ("link", "accent-bg"),
        ("note-text", "note-bg"),
    ]
    for foreground, background in pairs:
        ratio = contrast(colours[foreground], colours[background])
        assert ratio >= 4.5, (scheme, foreground, background, round(ratio, 2))
    # A focus ring must stand out from the page (WCAG 1.4.11: 3:1).
    assert contrast(colours["focus"], colours["bg"]) >= 3


def test_the_stylesheet_has_dark_print_and_focus_styles() -> None:
    css = (TEMPLATES / "style.css").read_text()
    for needle in ("prefers-color-scheme: dark", "@media print", ":focus-visible", "system-ui"):
        assert needle in css


def test_story_dates_are_machine_readable() -> None:
    root = page(sample_digest(), "briefs/2020-w40/index.html")
    dates = root.xpath("//p[@class='story-date']/time/@datetime")
    assert [date.fromisoformat(d) for d in dates] == [date(2020, 9, 28), date(2020, 10, 1)]
