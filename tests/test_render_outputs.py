"""Every renderer together: byte-stable output and no broken relative link."""

from __future__ import annotations

import email
import email.policy
import posixpath
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from digest.model import Digest, OutputFile, Site
from digest.render.email import render_emails
from digest.render.feed import render_atom
from digest.render.markdown import render_markdown
from digest.render.site import render_site
from tests.builders import make_article, make_brief, make_digest, make_story
from tests.test_render_sample import sample_digest


def everything(digest: Digest) -> tuple[OutputFile, ...]:
    return (
        *render_site(digest),
        render_atom(digest),
        *render_markdown(digest),
        *render_emails(digest),
    )


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


@pytest.mark.parametrize("base_url", ["https://news.example.org/", ""])
def test_every_relative_link_reaches_a_rendered_file_and_anchor(base_url: str) -> None:
    files = {f.path: f for f in everything(sample_digest(base_url))}
    checked = 0
    for path, file in files.items():
        if not path.endswith(".html"):
            continue
        for href in local_links(file):
            target, _, fragment = href.partition("#")
            resolved = (
                posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
                if target
                else path
            )
            assert resolved in files, f"{path} links to missing {href}"
            if fragment:
                assert fragment in ids_in(files[resolved]), f"{path} links to missing #{fragment}"
            checked += 1
    assert checked > 20


def test_an_empty_digest_renders_without_error() -> None:
    empty = replace(make_digest(), briefs=(), stories=(), articles=())
    paths = sorted(f.path for f in everything(empty))
    assert paths == ["feed.xml", "index.html", "style.css"]


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
    for file in files:
        if file.path.endswith(".html"):
            assert lxml_html.fromstring(file.content).xpath("//h1")
        elif file.path == "feed.xml":
            root = etree.fromstring(file.content)
            assert len(root.findall("{http://www.w3.org/2005/Atom}entry")) == len(digest.briefs)
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
