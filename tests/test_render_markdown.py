"""Markdown pages: the brief's content as clean, lint-free CommonMark."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from dataclasses import replace
from html import escape, unescape
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.model import Digest
from digest.render.markdown import escape_text, escape_url, render_markdown
from digest.render.views import clean_line
from tests.builders import make_article, make_brief, make_digest, make_story
from tests.test_render_sample import HOSTILE_HEADLINE, MARKDOWN_HEADLINE, sample_digest


def require_module(name: str) -> ModuleType:
    """A test-only Python package; skipped locally when absent, a failure in CI."""
    if importlib.util.find_spec(name) is None:
        if os.environ.get("CI"):
            pytest.fail(f"Python package {name} is required in CI")
        pytest.skip(f"{name} not installed")
    return importlib.import_module(name)


def commonmark_html(text: str) -> str:
    """Render with a CommonMark-conformant parser (markdown-it-py)."""
    markdown_it = require_module("markdown_it")
    html: str = markdown_it.MarkdownIt("commonmark").render(text)
    return html


def documents(digest: Digest) -> dict[str, str]:
    return {f.path: f.content.decode("utf-8") for f in render_markdown(digest)}


@pytest.mark.parametrize("path", ["briefs/2020-w40/index.md", "briefs/2020-w39/index.md"])
def test_markdown_matches_its_golden_file(path: str, golden: Callable[[str, bytes], None]) -> None:
    golden(f"render/markdown/{path}", documents(sample_digest())[path].encode("utf-8"))


def test_one_file_per_brief_newest_first() -> None:
    assert list(documents(sample_digest())) == [
        "briefs/2020-w40/index.md",
        "briefs/2020-w39/index.md",
    ]


def test_markdown_passes_the_linter() -> None:
    pymarkdown_api = require_module("pymarkdown.api")
    for path, text in documents(sample_digest()).items():
        # MD013 (line length) is off: summaries are one line on purpose, since
        # a wrapped line could begin with "-" or "1." and start a list.
        result = (
            pymarkdown_api.PyMarkdownApi().disable_rule_by_identifier("md013").scan_string(text)
        )
        assert not result.scan_failures, (path, result.scan_failures)
        assert not result.critical_errors, (path, result.critical_errors)


def test_layout_is_clean_blank_lines_no_trailing_spaces_one_final_newline() -> None:
    for text in documents(sample_digest()).values():
        assert text.endswith("\n") and not text.endswith("\n\n")
        assert "\n\n\n" not in text
        lines = text.split("\n")
        assert all(line == line.rstrip() for line in lines)
        for number, line in enumerate(lines):
            if line.startswith("#"):
                assert number == 0 or lines[number - 1] == ""
                assert lines[number + 1] == ""


def test_a_brief_reads_title_story_date_summary_coverage_sources() -> None:
    text = documents(sample_digest())["briefs/2020-w40/index.md"]
    html = commonmark_html(text)
    assert html.startswith("<h1>Week of 28 September – 4 October 2020</h1>")
    assert (
        "<h2>Old bridge to close for repairs</h2>\n<p>1 October 2020 (date uncertain)</p>" in html
    )
    assert "<p>Covered by 2 outlets:</p>" in html
    assert (
        '<li><a href="https://gazette.example.net/bridge">'
        "Riverside Gazette: Old bridge to close for repairs</a></li>"
    ) in html
    assert "<li>Wire Desk: " in html, "a source without URL is listed, unlinked"


def test_special_characters_show_literally() -> None:
    html = commonmark_html(documents(sample_digest())["briefs/2020-w39/index.md"])
    assert "<h2># Prices up 5% *again* [update] `v2` _sic_ &lt;br&gt;</h2>" in html
    assert "<em>" not in html and "<code>" not in html and "<br" not in html
    assert "<ol" not in html, "a sentence starting '1.' is not a list"
    assert 'href="https://market.example.com/prices_%28update%29"' in html


def test_html_in_a_headline_is_text_in_markdown_too() -> None:
    html = commonmark_html(documents(sample_digest())["briefs/2020-w40/index.md"])
    assert "<script>" not in html
    assert f"<h2>{escape(HOSTILE_HEADLINE)}</h2>" in html


def test_escape_text_leaves_plain_words_alone() -> None:
    assert (
        escape_text("Towns sign water-sharing pact, 2020.")
        == "Towns sign water-sharing pact, 2020."
    )
    assert escape_text(MARKDOWN_HEADLINE).startswith("\\# Prices up 5% \\*again\\*")


def test_escape_url_keeps_the_destination_in_one_piece() -> None:
    url = escape_url("https://x.example/a b(c)<d>")
    assert url == "https://x.example/a%20b%28c%29%3Cd%3E"


def test_an_empty_brief_still_makes_a_document() -> None:
    digest = make_digest(briefs=(make_brief(),))
    empty = replace(digest, briefs=(replace(digest.briefs[0], stories=()),))
    (text,) = documents(empty).values()
    assert text == (
        "# Week of 21–27 September 2020\n\n0 stories · updated 22 September 2020, 08:00 UTC\n\n"
        "No stories in this period.\n"
    )


# Anything a headline could hold, weighted towards Markdown's punctuation.
MARKDOWN_TEXT = st.text(
    alphabet=st.sampled_from("*_`[]()<>#!&|~\\-+=.:1 aZ9\"'/é") | st.characters(codec="utf-8"),
    max_size=60,
)


def inline_text(html: str) -> str:
    """The text inside one rendered paragraph or heading, entities decoded."""
    inner = html.split(">", 1)[1].rsplit("</", 1)[0]
    return unescape(inner)


@settings(max_examples=150, deadline=None)
@given(MARKDOWN_TEXT)
def test_any_text_escaped_renders_back_as_itself(text: str) -> None:
    article = make_article(title=text, source=text, url=None)
    story = make_story(articles=(article,), title=text, summary=(text,))
    digest = make_digest(briefs=(make_brief(stories=(story,)),))
    (document,) = documents(digest).values()
    blocks = document.split("\n\n")
    heading = next(b for b in blocks if b.startswith("## "))
    shown = clean_line(text)
    assert inline_text(commonmark_html(heading).strip()) == (shown or "Untitled story")
    source = next(b for b in blocks if b.startswith("- "))
    item = commonmark_html(source).strip()
    assert item.startswith("<ul>\n<li>") and item.count("<li>") == 1, item
    outlet = clean_line(article.outlet) or "Unknown outlet"
    label = f"{outlet}: {shown}" if shown else outlet
    assert unescape(item.removeprefix("<ul>\n<li>").removesuffix("</li>\n</ul>")) == label
    if shown:
        summary = blocks[blocks.index(heading) + 2]
        assert inline_text(commonmark_html(summary).strip()) == shown
