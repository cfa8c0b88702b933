"""Evidence: what clustering reads from articles, reused from the state store."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from digest import evidence
from digest.features import TextFeatures
from digest.store import Store
from digest.stories import clustering
from tests.test_stories import AGENCY, CORPUS, FLOOD, MONDAY, NOW, article


def corpus() -> list:
    original = article("agency", AGENCY, "Ostravel approves airport tram line", MONDAY)
    reprint = article("reprint", AGENCY + " Subscribe today.", "Tram line approved", MONDAY)
    return [*CORPUS, original, reprint]


def refuse_to_read(title: str, text: str) -> TextFeatures:
    raise AssertionError(f"read again: {title}")


def test_a_rebuild_reuses_the_evidence_and_finds_the_same_stories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = corpus()
    plain = clustering(articles)
    with Store.open(tmp_path / "digest.db") as store:
        first = clustering(articles, cache=store, code="v1")
        assert first == plain
        monkeypatch.setattr(evidence, "text_features", refuse_to_read)
        monkeypatch.setattr(evidence, "signatures_over", refuse_to_read)
        again = clustering(list(reversed(articles)), cache=store, code="v1")
    assert again == plain


def test_only_new_articles_are_read_and_other_code_reads_all_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = corpus()
    late = article("flood-late", FLOOD + " Water is falling.", "Flood recedes", MONDAY)
    read: list[str] = []
    real = evidence.text_features

    def counting(title: str, text: str) -> TextFeatures:
        read.append(title)
        return real(title, text)

    monkeypatch.setattr(evidence, "text_features", counting)
    with Store.open(tmp_path / "digest.db") as store:
        clustering(articles, cache=store, code="v1")
        read.clear()
        with_late = clustering([*articles, late], cache=store, code="v1")
        assert read == ["Flood recedes"]
        read.clear()
        clustering(articles, cache=store, code="v2")
        assert len(read) == len(articles)
    assert with_late == clustering([*articles, late])


def test_pruning_empties_the_evidence_cache(tmp_path: Path) -> None:
    with Store.open(tmp_path / "digest.db") as store:
        clustering(corpus(), cache=store, code="v1")
        keys = [evidence.evidence_key(a, "v1") for a in corpus()]
        assert len(store.sketches(keys)) == len(keys)
        store.prune(timedelta(days=30), NOW)
        assert store.sketches(keys) == {} and store.features(keys) == {}


def test_cached_features_come_back_as_they_went_in() -> None:
    found = evidence._bag_and_names(("Tessel River floods", FLOOD))
    assert evidence.parse_features(evidence._encode(*found)) == found
