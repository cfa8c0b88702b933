"""Storylines: which earlier stories a story continues.

Two stories are linked when both are about the same principal actors and
subject: they share at least SHARED_ACTORS names that each mentions
repeatedly, and their words are similar enough. A storyline is a chain of such
links, so a story continues every earlier story of its storyline, even one it
is not directly similar to (the third meeting of two ministers continues the
first through the second). Only stories with a known date take part; an
undated story cannot be placed before or after. Candidates come from an
inverted index over principal actors, so a story is compared only with
stories that share one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date

from digest.features import text_features
from digest.model import Article, Cluster
from digest.similarity import VectorBuilder, cosine

# A name mentioned at least this many times in a story's lead report is one of
# its principal actors.
ACTOR_MENTIONS = 2
# Two stories of one storyline share at least this many principal actors...
SHARED_ACTORS = 2
# ...and at least this cosine between their reports' words, names and numbers.
# Calibrated on the five real seeds (one storyline of five meetings).
STORYLINE_SIMILARITY = 0.1
# An actor in more stories than ACTOR_SHARE of them (and more than
# ACTOR_STORIES) is too common to tie two stories together ("US", "police"):
# it neither proposes candidates nor counts as shared. Keeps candidate lists
# short and storylines about specific actors.
ACTOR_STORIES = 25
ACTOR_SHARE = 0.002
# A story lists at most this many earlier stories, the most recent ones.
MAX_EARLIER = 20


def placing_day(article: Article) -> date:
    """The day that places an article; the earliest day if it has no date at all."""
    if article.event_date is not None:
        return article.event_date
    if article.published is not None:
        return article.published.date()
    return date.min


def is_dated(article: Article) -> bool:
    """True when the article's own text or metadata gave it a date."""
    has_date = article.event_date is not None or article.published is not None
    return has_date and not article.date_from_reference


def _story_day(cluster: Cluster, articles: Mapping[str, Article]) -> date | None:
    """The earliest known date of a story's reports, or None if none is dated."""
    days = [
        placing_day(articles[i])
        for i in cluster.article_ids
        if i in articles and is_dated(articles[i])
    ]
    return min(days) if days else None


def _story_terms(
    cluster: Cluster, articles: Mapping[str, Article], known: Mapping[str, Counter[str]]
) -> Counter[str]:
    """The terms of a story's lead report, the one that tells most about it."""
    if cluster.lead in known:
        return known[cluster.lead]
    lead = articles.get(cluster.lead)
    if lead is None:
        return Counter()
    return text_features(lead.title, lead.text).terms()


def link_storylines(
    clusters: Sequence[Cluster],
    articles: Mapping[str, Article],
    lead_terms: Mapping[str, Counter[str]] | None = None,
) -> dict[str, tuple[str, ...]]:
    """For each story id, the earlier stories it continues, most recent first.

    ``lead_terms`` holds the term bags of lead reports already extracted (by
    lead article id), as ``stories.clustering`` gives them.
    """
    dated = [(day, c) for c in clusters if (day := _story_day(c, articles)) is not None]
    dated.sort(key=lambda pair: (pair[0], pair[1].id))
    # Each bag is read once and only its compact form kept (see VectorBuilder).
    builder = VectorBuilder()
    actors: list[set[str]] = []
    known = lead_terms if lead_terms is not None else {}
    for _, story in dated:
        bag = _story_terms(story, articles, known)
        builder.add(bag)
        actors.append({t for t, n in bag.items() if t.startswith("@") and n >= ACTOR_MENTIONS})
    vecs = builder.build()
    postings: dict[str, list[int]] = {}
    for position, names in enumerate(actors):
        for name in names:
            postings.setdefault(name, []).append(position)
    storyline = list(range(len(dated)))

    def find(item: int) -> int:
        while storyline[item] != item:
            storyline[item] = storyline[storyline[item]]
            item = storyline[item]
        return item

    common = max(ACTOR_STORIES, ACTOR_SHARE * len(dated))
    for position, (day, _) in enumerate(dated):
        shared: Counter[int] = Counter()
        for name in actors[position]:
            posting = postings[name]
            if len(posting) <= common:
                shared.update(p for p in posting if dated[p][0] < day)
        candidates = sorted(c for c, count in shared.items() if count >= SHARED_ACTORS)
        mine = vecs.of(position) if candidates else {}
        for candidate in candidates:
            if cosine(mine, vecs.of(candidate)) >= STORYLINE_SIMILARITY:
                a, b = find(position), find(candidate)
                storyline[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = {}
    for position in range(len(dated)):
        members.setdefault(find(position), []).append(position)
    result: dict[str, tuple[str, ...]] = {}
    for group in members.values():
        for position in group:
            day, story = dated[position]
            earlier = [p for p in group if dated[p][0] < day]
            earlier.sort(key=lambda p: (dated[p][0], dated[p][1].id), reverse=True)
            if earlier:
                result[story.id] = tuple(dated[p][1].id for p in earlier[:MAX_EARLIER])
    return result
