"""Tiny builders that make tests read like data.

Each takes keyword overrides for any field of the record it builds, so a test
states only what it is about.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from digest.model import (
    Article,
    Brief,
    Digest,
    Link,
    OutputFile,
    Site,
    Story,
    pack_sentences,
    pack_text,
)
from digest.write import Output


def make_article(**overrides: Any) -> Article:
    """An ordinary dated article from one outlet."""
    text = overrides.pop(
        "text",
        "Officials from two neighbouring towns signed a water-sharing pact on Monday. "
        "The deal ends a dispute that lasted a decade. Farmers welcomed it.",
    )
    base = Article(
        id=overrides.pop("id", "a1"),
        origin=overrides.pop("origin", "seeds/a1.txt"),
        title=overrides.pop("title", "Towns sign water-sharing pact"),
        packed_text=pack_text(text),
        packed_sentences=pack_sentences(
            overrides.pop(
                "sentences",
                (
                    "Officials from two neighbouring towns signed a water-sharing pact on Monday.",
                    "The deal ends a dispute that lasted a decade.",
                    "Farmers welcomed it.",
                ),
            )
        ),
        url="https://example.org/news/water-pact",
        source="The Example Herald",
        published=datetime(2020, 9, 22, 8, 0, tzinfo=UTC),
        event_date=date(2020, 9, 21),
    )
    return replace(base, **overrides)


def make_story(**overrides: Any) -> Story:
    """A one-article story built around ``make_article()``."""
    articles = overrides.pop("articles", None) or (make_article(),)
    lead = overrides.pop("lead", articles[0])
    base = Story(
        id=overrides.pop("id", "s-" + lead.id),
        title=lead.title,
        date=lead.day,
        date_uncertain=lead.date_uncertain,
        summary=lead.sentences[:3],
        lead=lead,
        articles=tuple(articles),
        links=tuple(
            Link(article=a.id, tier="lead" if a is lead else "same-event") for a in articles
        ),
    )
    return replace(base, **overrides)


def make_brief(**overrides: Any) -> Brief:
    """A weekly brief holding ``make_story()``."""
    stories = overrides.pop("stories", None) or (make_story(),)
    base = Brief(
        id="2020-W39",
        period="week",
        title="Week of 21–27 September 2020",
        start=date(2020, 9, 21),
        end=date(2020, 9, 27),
        stories=tuple(stories),
        updated=datetime(2020, 9, 22, 8, 0, tzinfo=UTC),
    )
    return replace(base, **overrides)


def make_digest(**overrides: Any) -> Digest:
    """A digest of ``make_brief()`` with the site defaults."""
    briefs = overrides.pop("briefs", None) or (make_brief(),)
    stories = tuple(s for b in briefs for s in b.stories)
    base = Digest(
        site=Site(title="Test digest", base_url="https://news.example.org/"),
        generated=datetime(2020, 10, 1, 12, 0, tzinfo=UTC),
        articles=tuple(a for s in stories for a in s.articles),
        stories=stories,
        briefs=tuple(briefs),
    )
    return replace(base, **overrides)


def whole(files: Iterable[Output]) -> tuple[OutputFile, ...]:
    """Rendered outputs as bytes, streamed or reused ones joined."""
    return tuple(f if isinstance(f, OutputFile) else f.joined() for f in files)
