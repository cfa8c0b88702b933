"""The machine-readable result of a build, ``digest.json``.

Schema (version 1)::

    {"version": 1, "generated": ISO-8601,
     "articles": [{"id", "origin", "url"|null, "source"|null, "title", "text",
                   "published" (ISO-8601 with offset)|null, "date_uncertain", "story"}],
     "stories":  [{"id", "title", "date" (YYYY-MM-DD), "summary": [sentences],
                   "articles": [article ids], "sources": [outlet names]}],
     "briefs":   [{"id", "title", "start", "end", "stories": [story ids],
                   "pages": {"html", "markdown", "email"}}]}

Extra keys may be added in later versions; existing ones keep their meaning.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from digest.model import Article, Brief, Digest, OutputFile, Story
from digest.render.paths import brief_dir
from digest.write import StreamedFile, indented_json

SCHEMA_VERSION = 1
# Where the report lives in the output folder.
REPORT = "digest.json"


def _article(article: Article, story_of: dict[str, str]) -> dict[str, Any]:
    return {
        "id": article.id,
        "origin": article.origin,
        "url": article.url,
        "source": article.source,
        "title": article.title,
        "text": article.text,
        "published": article.published.isoformat() if article.published else None,
        "date_uncertain": article.date_uncertain,
        "story": story_of[article.id],
    }


def _story(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "date": story.date.isoformat(),
        "date_uncertain": story.date_uncertain,
        "summary": list(story.summary),
        "articles": [a.id for a in story.articles],
        "sources": list(story.outlets),
        "earlier": list(story.earlier),
        "reasons": {link.article: link.reason() for link in story.links},
    }


def _brief(brief: Brief) -> dict[str, Any]:
    folder = brief_dir(brief)
    return {
        "id": brief.id,
        "title": brief.title,
        "start": brief.start.isoformat(),
        "end": brief.end.isoformat(),
        "updated": brief.updated.isoformat(),
        "stories": [s.id for s in brief.stories],
        "pages": {
            "html": f"{folder}/index.html",
            "markdown": f"{folder}/index.md",
            "email": f"{folder}/brief.eml",
        },
    }


def report_data(digest: Digest) -> dict[str, Any]:
    """The digest as plain JSON-ready data, in the documented schema."""
    return {
        key: list(value) if isinstance(value, Iterator) else value
        for key, value in _report_parts(digest).items()
    }


def _report_parts(digest: Digest) -> dict[str, Any]:
    """``report_data`` with its lists as iterators, each item made when it is taken.

    The articles' items carry their whole texts, unpacked: made all at once,
    they were the peak of writing a build of a hundred thousand articles.
    """
    story_of = {a.id: s.id for s in digest.stories for a in s.articles}
    return {
        "version": SCHEMA_VERSION,
        "generated": digest.generated.isoformat(),
        "articles": (_article(a, story_of) for a in digest.articles),
        "stories": (_story(s) for s in digest.stories),
        "briefs": (_brief(b) for b in digest.briefs),
        "problems": (
            {"origin": p.origin, "severity": p.severity, "reason": p.reason}
            for p in digest.problems
        ),
    }


def render_report(digest: Digest) -> OutputFile:
    """``digest.json``: indented, keys in schema order, UTF-8, ending in a newline."""
    return render_report_stream(digest).joined()


def render_report_stream(digest: Digest) -> StreamedFile:
    """``digest.json`` as pieces made while it is written, never joined into one bytes object.

    The report carries every article's text, so it is the largest output by
    far; the writer takes it a list item at a time.
    """
    return StreamedFile(REPORT, lambda: indented_json(_report_parts(digest)))
