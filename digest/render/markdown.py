"""Markdown pages: each brief as clean CommonMark, the same content as its web page.

Layout of ``briefs/<slug>/index.md``::

    # <brief title>

    <date line>

    ## <headline>

    <date> (date uncertain)

    <summary sentences as one paragraph>

    Covered by N outlets:

    - [Outlet: title](url)
    - Outlet: title                  (a source without a link)

Every piece of text is escaped so that a headline such as ``*Breaking* #1``
shows literally instead of turning into emphasis or a heading. Lines are not
wrapped: a wrapped line could begin with ``-`` or ``1.`` and start a list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from digest.model import Brief, Digest, OutputFile
from digest.render.paths import brief_markdown
from digest.render.reuse import RenderKeys, keyed
from digest.render.views import BriefView, SourceView, StoryView, brief_view, newest_first
from digest.write import ReusedFile

# Characters that can start inline markup anywhere in a line: emphasis,
# code spans, links and images, raw HTML, entity references, hard breaks
# (backslash), GFM tables and strikethrough, and heading closers.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~#!])")
# A line that opens a block when it starts with these: a list bullet, a
# block quote (already escaped above), a setext underline, a fenced block.
_BLOCK_START = re.compile(r"^([-+=:])")
# An ordered-list marker at the start of a line: "1." or "1)".
_ORDERED_MARKER = re.compile(r"^(\d{1,9})([.)])")
# Characters that would end or break a link destination; percent-encoded.
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\\": "%5C"}


def escape_text(text: str) -> str:
    """One line of text that CommonMark shows exactly as written."""
    escaped = _INLINE_SPECIAL.sub(r"\\\1", text)
    escaped = _BLOCK_START.sub(r"\\\1", escaped)
    return _ORDERED_MARKER.sub(r"\1\\\2", escaped)


def escape_url(url: str) -> str:
    """A link destination that needs no angle brackets."""
    return "".join(_URL_UNSAFE.get(c, c) for c in url)


def source_line(source: SourceView) -> str:
    """One list item: the outlet and the article's title, linked when possible."""
    label = f"{source.outlet}: {source.title}" if source.title else source.outlet
    if source.url:
        return f"- [{escape_text(label)}]({escape_url(source.url)})"
    return f"- {escape_text(label)}"


def story_block(story: StoryView) -> str:
    """A story's heading, date, summary and sources, separated by blank lines."""
    date_line = story.day_label + (" (date uncertain)" if story.date_uncertain else "")
    parts = [f"## {escape_text(story.headline)}", escape_text(date_line)]
    if story.sentences:
        parts.append(escape_text(story.summary))
    parts.append(escape_text(f"{story.coverage}:"))
    parts.append("\n".join(source_line(s) for s in story.sources))
    return "\n\n".join(p for p in parts if p)


def brief_document(view: BriefView) -> str:
    """The whole Markdown file for one brief, ending in exactly one newline."""
    meta = view.count_label + f" · updated {view.updated_label}"
    if view.span_label not in view.title:
        meta = f"{view.span_label} · {meta}"
    blocks = [f"# {escape_text(view.title)}", escape_text(meta)]
    blocks.extend(story_block(story) for story in view.stories)
    if not view.stories:
        blocks.append("No stories in this period.")
    return "\n\n".join(blocks) + "\n"


def render_brief_markdown(brief: Brief, digest: Digest) -> OutputFile:
    """``briefs/<slug>/index.md`` for one brief."""
    text = brief_document(brief_view(brief, digest.site))
    return OutputFile(brief_markdown(brief), text.encode("utf-8"))


def render_markdown(
    digest: Digest, keys: RenderKeys | None = None
) -> Iterator[OutputFile | ReusedFile]:
    """One Markdown file per brief, newest brief first, each rendered when taken.

    Two brief ids that map to one folder (they differ only in case or odd
    characters, never in a real build) give one file, the newest brief's,
    as the site does. With ``keys``, a file whose brief shows what it showed
    in the last build is handed on as that build's file (``reuse``).
    """
    taken: set[str] = set()
    for brief in newest_first(digest.briefs):
        path = brief_markdown(brief)
        if path not in taken:
            taken.add(path)
            shown = (brief_view(brief, digest.site),)
            render = partial(render_brief_markdown, brief, digest)
            yield keyed(keys, path, "markdown", shown, render)
