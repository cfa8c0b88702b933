"""Settled stories: a store build re-clusters only what new articles can change."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest import settle, stories
from digest.model import Article, Cluster, Link, pack_text
from digest.settle import Kept, kept_from_json, kept_to_json, settled_clustering
from digest.store import Store
from tests.test_stories import AGENCY, CORPUS, MONDAY, NOW, article

LATER = MONDAY + timedelta(days=20)
TRAM = article("tram-a", AGENCY, "Ostravel approves airport tram", LATER)
# The tram story's copy under another outlet's headline, dated with it.
TRAM_COPY = article("tram-b", AGENCY, "Tram line to the airport approved", LATER)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "digest.db") as opened:
        yield opened


@pytest.fixture
def clustered(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The ids of the articles each build clustered anew, build by build."""
    calls: list[set[str]] = []
    real = settle.clustering

    def spy(articles: Sequence[Article], **options: object) -> stories.Clustering:
        calls.append({a.id for a in articles})
        return real(articles, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(settle, "clustering", spy)
    return calls


def members(clusters: Sequence[Cluster]) -> list[set[str]]:
    return sorted((set(c.article_ids) for c in clusters), key=sorted)


def test_the_first_build_clusters_everything_as_without_a_store(
    store: Store, clustered: list[set[str]]
) -> None:
    found = settled_clustering(CORPUS, store, code="v1")
    assert found.clusters == stories.cluster(CORPUS)
    assert clustered == [{a.id for a in CORPUS}]
    assert set(found.lead_terms) == {c.lead for c in found.clusters}


def test_news_weeks_later_leaves_the_earlier_stories_as_they_were(
    store: Store, clustered: list[set[str]]
) -> None:
    before = settled_clustering(CORPUS, store, code="v1")
    after = settled_clustering((*CORPUS, TRAM), store, code="v1")
    assert clustered[1] == {"tram-a"}
    assert after.clusters == (*before.clusters, stories.cluster([TRAM])[0])
    # Storylines still get every lead's terms, the kept ones from the evidence cache.
    assert set(after.lead_terms) == {c.lead for c in after.clusters}
    assert after.lead_terms["tram-a"] and before.lead_terms.items() <= after.lead_terms.items()


def test_a_rebuild_with_nothing_new_clusters_nothing(
    store: Store, clustered: list[set[str]]
) -> None:
    before = settled_clustering(CORPUS, store, code="v1")
    assert settled_clustering(CORPUS, store, code="v1") == before
    assert clustered[1] == set()


def test_news_within_the_window_reopens_the_stories_it_could_join(
    store: Store, clustered: list[set[str]]
) -> None:
    settled_clustering(CORPUS, store, code="v1")
    # Two days after the fire (the last story): within three days of all but the chess final.
    late = article("late", "Residents return home.", "Cleanup", MONDAY + timedelta(days=3))
    after = settled_clustering((*CORPUS, late), store, code="v1")
    assert clustered[1] == {"flood-a", "flood-b", "fire-a", "fire-b", "late", "chess-a", "chess-b"}
    assert members(after.clusters) == members(stories.cluster((*CORPUS, late)))


def test_a_copy_of_a_settled_report_reopens_its_story(
    store: Store, clustered: list[set[str]]
) -> None:
    settled_clustering((*CORPUS, TRAM), store, code="v1")
    copy = replace(TRAM_COPY, event_date=LATER + timedelta(days=30), published=None)
    after = settled_clustering((*CORPUS, TRAM, copy), store, code="v1")
    assert clustered[1] == {"tram-a", "tram-b"}
    assert {"tram-a", "tram-b"} in members(after.clusters)


def test_a_removed_report_reopens_its_story(store: Store, clustered: list[set[str]]) -> None:
    settled_clustering((*CORPUS, TRAM, TRAM_COPY), store, code="v1")
    later = article("later", "Unrelated news.", "Other", LATER + timedelta(days=40))
    settled_clustering((*CORPUS, TRAM, later), store, code="v1")
    assert clustered[1] == {"tram-a", "later"}


def test_a_changed_report_is_new_and_reopens_the_stories_near_it(
    store: Store, clustered: list[set[str]]
) -> None:
    settled_clustering((*CORPUS, TRAM), store, code="v1")
    edited = replace(
        CORPUS[0], packed_text=pack_text(CORPUS[0].text + " The river is falling again.")
    )
    settled_clustering((edited, *CORPUS[1:], TRAM), store, code="v1")
    # Within three days of the flood: all but the tram story, weeks later.
    assert clustered[1] == {a.id for a in CORPUS}


def test_a_report_whose_day_moved_reopens_its_story(
    store: Store, clustered: list[set[str]]
) -> None:
    # A year-less date read against a later build time can move; the text stays.
    settled_clustering(CORPUS, store, code="v1")
    chess = CORPUS[2]
    moved = replace(chess, event_date=MONDAY + timedelta(days=29), published=None)
    settled_clustering((*CORPUS[:2], moved, *CORPUS[3:]), store, code="v1")
    assert clustered[1] == {"chess-a", "chess-b"}


def test_an_undated_new_article_reopens_every_story(
    store: Store, clustered: list[set[str]]
) -> None:
    settled_clustering((*CORPUS, TRAM), store, code="v1")
    undated = replace(
        article("undated", "No date here at all.", "Undated", LATER),
        event_date=None,
        published=None,
    )
    settled_clustering((*CORPUS, TRAM, undated), store, code="v1")
    assert clustered[1] == {a.id for a in (*CORPUS, TRAM, undated)}


def test_other_code_or_window_keeps_nothing(store: Store, clustered: list[set[str]]) -> None:
    settled_clustering(CORPUS, store, code="v1")
    settled_clustering((*CORPUS, TRAM), store, code="v2")
    settled_clustering((*CORPUS, TRAM), store, code="v2", window_days=5)
    everything = {a.id for a in (*CORPUS, TRAM)}
    assert clustered[1:] == [everything, everything]
    assert store.kept_stories("v1:3") == ()


def test_pruning_forgets_the_kept_stories(store: Store) -> None:
    settled_clustering(CORPUS, store, code="v1")
    assert store.kept_stories("v1:3")
    store.prune(timedelta(days=30), NOW)
    assert store.kept_stories("v1:3") == ()


_TEXT = st.text(max_size=12)


@given(
    links=st.lists(
        st.builds(
            Link,
            article=_TEXT,
            tier=st.sampled_from(["lead", "same-article", "copy", "same-event"]),
            similarity=st.floats(allow_nan=False, allow_infinity=False),
            shared=st.tuples(_TEXT, _TEXT),
            days_apart=st.none() | st.integers(-1000, 1000),
            copy_of=st.none() | _TEXT,
        ),
        max_size=4,
    ),
    members=st.lists(st.tuples(_TEXT, _TEXT), max_size=4),
    last_day=st.none() | st.integers(1, 800_000),
)
def test_kept_stories_come_back_from_the_store_as_they_went_in(
    links: list[Link], members: list[tuple[str, str]], last_day: int | None
) -> None:
    first_day = None if last_day is None else last_day - 3
    kept = Kept(Cluster("s1", "lead", tuple(links)), tuple(members), first_day, last_day)
    assert kept_from_json(kept_to_json(kept)) == kept
