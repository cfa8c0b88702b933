"""Explain: stories with every member and the reason it joined, for people and scripts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from digest.model import Digest, Story


def story_header(story: Story) -> str:
    """One line naming the story, its date and its coverage."""
    when = story.date.isoformat() + (" (date uncertain)" if story.date_uncertain else "")
    outlets = len(story.outlets)
    return (
        f"{story.id}  {when}  {story.title}\n"
        f"    covered by {outlets} outlet{'s' if outlets != 1 else ''},"
        f" {story.independent_reports} independent report"
        f"{'s' if story.independent_reports != 1 else ''}"
    )


def stories_lines(digest: Digest) -> Iterator[str]:
    """The stories as indented text, newest first."""
    articles = {a.id: a for a in digest.articles}
    for story in sorted(digest.stories, key=lambda s: (s.date, s.id), reverse=True):
        yield story_header(story)
        if story.earlier:
            yield f"    continues {', '.join(story.earlier)}"
        for link in story.links:
            article = articles[link.article]
            yield f"    - {article.id}  {article.outlet}: {article.title}"
            yield f"      {link.reason()}"
        yield ""


def stories_data(digest: Digest) -> list[dict[str, Any]]:
    """The same as ``stories_lines``, as JSON-ready data."""
    articles = {a.id: a for a in digest.articles}
    return [
        {
            "id": story.id,
            "title": story.title,
            "date": story.date.isoformat(),
            "date_uncertain": story.date_uncertain,
            "outlets": list(story.outlets),
            "independent_reports": story.independent_reports,
            "earlier": list(story.earlier),
            "members": [
                {
                    "article": link.article,
                    "outlet": articles[link.article].outlet,
                    "title": articles[link.article].title,
                    "tier": link.tier,
                    "similarity": round(link.similarity, 3),
                    "shared": list(link.shared),
                    "days_apart": link.days_apart,
                    "copy_of": link.copy_of,
                    "reason": link.reason(),
                }
                for link in story.links
            ],
        }
        for story in sorted(digest.stories, key=lambda s: (s.date, s.id), reverse=True)
    ]
