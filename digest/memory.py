"""Memory: what a build takes from earlier builds, so readers never see churn.

Without a state store a build is a pure function of its inputs: story ids
come from content and a brief's ``updated`` time from its articles. With a
store, a story keeps the id it was first given whatever joins it later, and
a brief's ``updated`` time moves only when what the brief says changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from digest.model import Brief, Cluster
from digest.store import Store


class Memory(Protocol):
    """Where permanent story ids and brief times come from."""

    def story_ids(self, clusters: Sequence[Cluster]) -> tuple[str, ...]: ...

    def brief_updated(self, brief: Brief) -> datetime: ...


def brief_content_hash(brief: Brief) -> str:
    """A hash of everything a reader sees in a brief, and nothing else.

    A story's earlier coverage shows on its own page, not in the brief: were
    it hashed, a new story joining a storyline would move the ``updated``
    time of every brief that storyline touches, and readers would see old
    briefs come back as updated.
    """
    digest = hashlib.sha256()
    for part in (brief.id, brief.title):
        digest.update(part.encode("utf-8") + b"\x00")
    for story in brief.stories:
        fields = (
            story.id,
            story.title,
            story.date.isoformat(),
            str(story.date_uncertain),
            *story.summary,
            *(f"{a.id}|{a.outlet}|{a.title}|{a.url or ''}" for a in story.articles),
        )
        for field in fields:
            digest.update(field.encode("utf-8") + b"\x00")
        digest.update(b"\x01")
    return digest.hexdigest()


class StoreMemory:
    """Memory kept in the SQLite state store, as of the build time ``now``."""

    def __init__(self, store: Store, now: datetime) -> None:
        self._store = store
        self._now = now

    def story_ids(self, clusters: Sequence[Cluster]) -> tuple[str, ...]:
        remembered = self._store.remember_stories(
            [(cluster.id, cluster.article_ids) for cluster in clusters], self._now
        )
        return tuple(story_id for story_id, _first_seen in remembered)

    def brief_updated(self, brief: Brief) -> datetime:
        return self._store.brief_updated(brief.id, brief_content_hash(brief), self._now)
