"""The plain-text part of a brief's email: readable on its own, in any mail client.

Wrapped at 72 columns, stories numbered, and links gathered as numbered
footnotes at the end so long URLs never break a paragraph::

    1. Council passes the budget
       28 September 2020

       The council approved the budget on Monday ...

       Covered by 2 outlets:
       - The Example Herald: Council passes the budget [1]
       - Wire Desk: Budget approved

    Links
    [1] https://herald.example.org/2020/10/budget

An unsubscribe address, when the sender gives one, comes just before the
links, on a line of its own like every URL.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from digest.render.views import BriefView, StoryView

WIDTH = 72
# Stories are indented by the width of their number ("12. ") so text lines
# up under the headline; four columns covers up to 99 stories.
INDENT = "    "
# textwrap breaks only at ASCII whitespace, so U+00A0 glues two words;
# clean_line has already turned any in the input into plain spaces.
NO_BREAK = "\u00a0"


def wrap(text: str, first: str = "", rest: str = "") -> str:
    """Fill ``text`` to the width, never splitting a word or a URL."""
    return textwrap.fill(
        text,
        width=WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def underlined(heading: str) -> str:
    """A heading over a rule as long as its longest line."""
    return heading + "\n" + "=" * max(len(line) for line in heading.splitlines())


def story_text(number: int, story: StoryView, urls: list[str]) -> str:
    """One numbered story; its links are appended to ``urls`` as footnotes."""
    date_line = story.day_label + (" (date uncertain)" if story.date_uncertain else "")
    lines = [wrap(story.headline, f"{number}. ".ljust(len(INDENT)), INDENT)]
    lines.append(wrap(date_line, INDENT, INDENT))
    if story.sentences:
        lines.append("")
        lines.append(wrap(story.summary, INDENT, INDENT))
    lines.append("")
    lines.append(wrap(f"{story.coverage}:", INDENT, INDENT))
    for source in story.sources:
        label = f"{source.outlet}: {source.title}" if source.title else source.outlet
        if source.url:
            urls.append(source.url)
            # A no-break space keeps the marker on the line of the word before it.
            label += f"{NO_BREAK}[{len(urls)}]"
        lines.append(wrap(label, INDENT + "- ", INDENT + "  ").replace(NO_BREAK, " "))
    return "\n".join(lines)


def plain_text(
    site_title: str,
    brief: BriefView,
    stories: Sequence[StoryView],
    web_url: str | None,
    omitted_label: str,
    unsubscribe: str | None = None,
) -> str:
    """The whole plain-text part, ending in one newline."""
    meta = brief.count_label
    if brief.span_label not in brief.title:
        meta = f"{brief.span_label} · {meta}"
    blocks = [wrap(site_title), underlined(wrap(brief.title)), wrap(meta)]
    urls: list[str] = []
    blocks.extend(story_text(n, story, urls) for n, story in enumerate(stories, start=1))
    if not brief.stories:
        blocks.append("No stories in this period.")
    if omitted_label:
        more = f"{omitted_label} in this brief did not fit in this email."
        if web_url:
            more = f"{omitted_label} in this brief. Read the rest on the web:"
        blocks.append(wrap(more) + (f"\n{web_url}" if web_url else ""))
    elif web_url:
        blocks.append(f"Read this brief on the web:\n{web_url}")
    if unsubscribe:
        blocks.append(f"To stop receiving this digest:\n{unsubscribe}")
    if urls:
        blocks.append("Links\n" + "\n".join(f"[{n}] {url}" for n, url in enumerate(urls, start=1)))
    return "\n\n".join(blocks) + "\n"
