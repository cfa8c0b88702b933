"""Settled stories: what new articles cannot change is kept as the last build made it.

A new article is compared only with reports dated within ``window_days`` of
it, so a story none of whose reports is that close to any new article cannot
take one in. With the state store, such a
story is kept exactly as the build that made it left it, and only the stories
still open are clustered again, among themselves and with the new articles.
A build after a day's collection then re-clusters the last days rather than
the whole history, and a story readers have already seen does not shift
because of unrelated later news.

A kept story is opened again when one of its reports changed or left the
store, or when a new article repeats one of them (same address or id, same or
copied text), as those join whatever their date. A new article without a
date may be about any story, so then every story is open.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from digest.evidence import EvidenceCache, evidence_key, parse_features, sketches
from digest.model import Article, Cluster, Link
from digest.stories import (
    DEFAULT_WINDOW_DAYS,
    Clustering,
    clustering,
    day_number,
    order_key,
    repeat_edges,
)
from digest.storylines import placing_day


@dataclass(frozen=True, slots=True)
class Kept:
    """A story as a build made it, with the reports it was made of (id; evidence key and day)."""

    cluster: Cluster
    members: tuple[tuple[str, str], ...]
    # The oldest and newest reports' day numbers; None when a report is undated.
    first_day: int | None
    last_day: int | None


class KeptStories(Protocol):
    """Where the stories of the last build are kept (the state store)."""

    def kept_stories(self, version: str) -> tuple[Kept, ...]: ...

    def save_kept_stories(
        self, version: str, made: Sequence[Kept], still: Collection[str]
    ) -> None: ...


class StoryCache(EvidenceCache, KeptStories, Protocol):
    """A cache of both evidence and stories: the state store."""


def settled_clustering(
    articles: Sequence[Article],
    cache: StoryCache,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    jobs: int = 1,
    code: str = "",
) -> Clustering:
    """``stories.clustering`` of ``articles``, keeping the last build's settled stories.

    The kept stories are those of the same code and window. The stories of
    this build are saved for the next one.
    """
    version = f"{code}:{window_days}"
    keys = {article.id: evidence_key(article, code) for article in articles}
    # A report is the same when its evidence and its day are: a date read
    # against the build time (a year-less one) can move between builds.
    day_of = {article.id: day_number(article) for article in articles}
    marks = {article.id: f"{keys[article.id]}@{day_of[article.id]}" for article in articles}
    previous = cache.kept_stories(version)
    settled = _settled(previous, articles, keys, marks, day_of, window_days, cache, jobs)
    done = {article_id for kept in settled for article_id, _ in kept.members}
    found = clustering(
        [a for a in articles if a.id not in done],
        window_days=window_days,
        jobs=jobs,
        cache=cache,
        code=code,
    )
    by_id = {article.id: article for article in articles}
    made = [_kept(cluster, day_of, marks) for cluster in found.clusters]
    cache.save_kept_stories(version, made, {kept.cluster.id for kept in settled})
    clusters = sorted(
        (*(kept.cluster for kept in settled), *found.clusters),
        key=lambda c: (min(placing_day(by_id[i]) for i in c.article_ids), c.id),
    )
    lead_terms = found.lead_terms.adding(_lead_terms(settled, keys, cache))
    return Clustering(tuple(clusters), lead_terms)


def _settled(
    previous: Sequence[Kept],
    articles: Sequence[Article],
    keys: Mapping[str, str],
    marks: Mapping[str, str],
    day_of: Mapping[str, int | None],
    window_days: int,
    cache: EvidenceCache,
    jobs: int,
) -> tuple[Kept, ...]:
    """The kept stories no new article can change (see the module's docstring)."""
    if not previous:
        return ()
    seen = {member for kept in previous for member in kept.members}
    new = [a for a in articles if (a.id, marks[a.id]) not in seen]
    new_days = [day_of[a.id] for a in new]
    if None in new_days:
        return ()
    days = sorted(d for d in new_days if d is not None)
    candidates = [
        kept
        for kept in previous
        if kept.first_day is not None
        and kept.last_day is not None
        and not _near(days, kept.first_day - window_days, kept.last_day + window_days)
        and all(marks.get(article_id) == mark for article_id, mark in kept.members)
    ]
    repeated = _repeated_stories(candidates, articles, {a.id for a in new}, keys, cache, jobs)
    return tuple(kept for kept in candidates if kept.cluster.id not in repeated)


def _near(days: Sequence[int], first: int, last: int) -> bool:
    """Whether any of the sorted ``days`` falls within [first, last]."""
    at = bisect.bisect_left(days, first)
    return at < len(days) and days[at] <= last


def _repeated_stories(
    candidates: Sequence[Kept],
    articles: Sequence[Article],
    new: Collection[str],
    keys: Mapping[str, str],
    cache: EvidenceCache,
    jobs: int,
) -> set[str]:
    """The ids of the candidate stories one of whose reports a new article repeats."""
    if not new or not candidates:
        return set()
    story_of = {
        article_id: kept.cluster.id for kept in candidates for article_id, _ in kept.members
    }
    ordered = sorted(articles, key=order_key)
    sigs, sizes, _ = sketches(ordered, jobs, cache, [keys[a.id] for a in ordered])
    repeated: set[str] = set()
    for first, second in repeat_edges(ordered, sigs, sizes):
        a, b = ordered[first].id, ordered[second].id
        for one, other in ((a, b), (b, a)):
            if one in new and other in story_of:
                repeated.add(story_of[other])
    return repeated


def _kept(cluster: Cluster, day_of: Mapping[str, int | None], marks: Mapping[str, str]) -> Kept:
    """A story as the next build keeps it."""
    days = [day_of[i] for i in cluster.article_ids]
    dated = [d for d in days if d is not None]
    undated = len(dated) < len(days)
    return Kept(
        cluster=cluster,
        members=tuple((i, marks[i]) for i in cluster.article_ids),
        first_day=None if undated else min(dated),
        last_day=None if undated else max(dated),
    )


def _lead_terms(
    settled: Sequence[Kept], keys: Mapping[str, str], cache: EvidenceCache
) -> dict[str, Counter[str]]:
    """The term bags of the settled stories' leads, from the evidence cache."""
    wanted = {kept.cluster.lead: keys[kept.cluster.lead] for kept in settled}
    found = cache.features(list(wanted.values()))
    return {lead: parse_features(found[key])[0] for lead, key in wanted.items() if key in found}


def kept_to_json(kept: Kept) -> str:
    """A kept story as the store holds it."""
    cluster = kept.cluster
    links = [
        [link.article, link.tier, link.similarity, list(link.shared), link.days_apart, link.copy_of]
        for link in cluster.links
    ]
    data = {
        "id": cluster.id,
        "lead": cluster.lead,
        "links": links,
        "members": [list(member) for member in kept.members],
        "days": [kept.first_day, kept.last_day],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def kept_from_json(text: str) -> Kept:
    """The kept story ``kept_to_json`` wrote."""
    data = json.loads(text)
    links = tuple(
        Link(
            article=article,
            tier=tier,
            similarity=similarity,
            shared=tuple(shared),
            days_apart=days_apart,
            copy_of=copy_of,
        )
        for article, tier, similarity, shared, days_apart, copy_of in data["links"]
    )
    return Kept(
        cluster=Cluster(id=data["id"], lead=data["lead"], links=links),
        members=tuple((article, key) for article, key in data["members"]),
        first_day=data["days"][0],
        last_day=data["days"][1],
    )
