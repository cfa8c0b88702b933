"""Summarise: a story's headline and lead, extracted from its best report.

The summary is the lead sentences of the story's lead article, in document
order: news is written lead-first, so the first sentences carry the who,
what, where and when. Nothing is rewritten; sentences are only selected.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from digest.model import Article, Cluster, Story

# At most this many sentences; fewer when they are long (see LEAD_WORDS).
LEAD_SENTENCES = 3
# Stop adding sentences once the lead reaches this many words (after two).
LEAD_WORDS = 70
# Sentences shorter than this many words rarely stand alone ("He agreed.").
MIN_WORDS = 5

_WORD = re.compile(r"\w+", re.UNICODE)
# A sentence ends in a full stop, question or exclamation mark, perhaps inside
# closing quotes or brackets; a line without one is a heading or a deck.
_FINISHED = re.compile(r"[.!?…][\"'”’)\]]*$")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


# Two sentences sharing this share of the longer one's words say the same
# thing: a standfirst and the first paragraph that restates it. Measured
# against the longer, so a lede that merely contains the headline's words stays.
SAME_TEXT_OVERLAP = 0.75


def _same_text(a: str, b: str) -> bool:
    """True when two sentences say (nearly) the same words, case and punctuation aside."""
    first, second = set(_words(a)), set(_words(b))
    if not first or not second:
        return first == second
    return len(first & second) / max(len(first), len(second)) >= SAME_TEXT_OVERLAP


def lead_sentences(article: Article, *, limit: int = LEAD_SENTENCES) -> tuple[str, ...]:
    """The first informative sentences of an article, in document order.

    A sentence that repeats the headline or an earlier sentence, is too short
    to stand alone, or is an unpunctuated deck or subheading, is passed over
    rather than shown twice or run into the next; an article of nothing but
    such lines still gets its first ones.
    """
    for strict in (True, False):
        chosen: list[str] = []
        words = 0
        for sentence in article.sentences:
            count = len(_words(sentence))
            if strict and (count < MIN_WORDS or not _FINISHED.search(sentence)):
                continue
            if _same_text(sentence, article.title):
                continue
            if any(_same_text(sentence, earlier) for earlier in chosen):
                continue
            chosen.append(sentence)
            words += count
            if len(chosen) >= limit or (len(chosen) >= 2 and words >= LEAD_WORDS):
                break
        if chosen:
            return tuple(chosen)
    return ()


def story_date(lead: Article, articles: Sequence[Article]) -> tuple[date, bool]:
    """The story's date and whether it is uncertain.

    The lead's own event date wins when it is certain; otherwise the earliest
    certain date among the others; otherwise the lead's date, marked uncertain.
    """
    if not lead.date_uncertain and not lead.date_from_reference:
        return lead.day, False
    certain = sorted(a.day for a in articles if not a.date_uncertain and not a.date_from_reference)
    if certain:
        return certain[0], False
    return lead.day, True


def summarise(
    cluster: Cluster,
    articles: Mapping[str, Article],
    earlier: Sequence[str] = (),
) -> Story:
    """Make the Story for one cluster: headline, date, lead and ordered sources."""
    lead = articles[cluster.lead]
    others = sorted(
        (articles[i] for i in cluster.article_ids if i != cluster.lead),
        key=lambda a: (a.day, a.outlet.lower(), a.id),
    )
    members = (lead, *others)
    day, uncertain = story_date(lead, members)
    return Story(
        id=cluster.id,
        title=lead.title,
        date=day,
        date_uncertain=uncertain,
        summary=lead_sentences(lead),
        lead=lead,
        articles=members,
        links=cluster.links,
        earlier=tuple(earlier),
    )
