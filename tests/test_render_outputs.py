"""Every renderer together: byte-stable output and no broken relative link."""

from __future__ import annotations

import posixpath
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from lxml import html as lxml_html

from digest.model import Digest, OutputFile
from digest.render.email import render_emails
from digest.render.feed import render_atom
from digest.render.markdown import render_markdown
from digest.render.site import render_site
from tests.builders import make_digest
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
