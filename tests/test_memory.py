"""Memory: a brief's content hash follows what a reader sees in the brief."""

from __future__ import annotations

from dataclasses import replace

from digest.memory import brief_content_hash
from tests.builders import make_article, make_brief, make_story


def test_a_brief_changes_when_what_it_shows_changes() -> None:
    story = make_story()
    brief = make_brief(stories=(story,))
    shown = [
        replace(brief, title="Another week"),
        replace(brief, stories=(replace(story, title="A new headline"),)),
        replace(brief, stories=(replace(story, summary=("Something else happened.",)),)),
        replace(brief, stories=(replace(story, articles=(make_article(source="Other"),)),)),
        replace(brief, stories=(story, make_story(id="s-second"))),
    ]
    hashes = {brief_content_hash(b) for b in (brief, *shown)}
    assert len(hashes) == len(shown) + 1


def test_a_brief_stays_the_same_when_only_a_storyline_link_changes() -> None:
    story = make_story()
    linked = replace(story, earlier=("s-older", "s-oldest"))
    assert brief_content_hash(make_brief(stories=(story,))) == brief_content_hash(
        make_brief(stories=(linked,))
    )
