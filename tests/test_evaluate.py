"""Evaluate: scores against hand-computed values, labels files, the report and the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digest.evaluate import (
    Labels,
    Scores,
    baseline,
    bcubed,
    evaluate,
    load_labels,
    main,
    match_labels,
    pairwise,
    without_dates,
)
from digest.model import Cluster, Link
from tests.builders import make_article

GOLD = {"a": "x", "b": "x", "c": "x", "d": "y"}


def test_perfect_clustering_scores_one() -> None:
    assert bcubed(GOLD, {"a": "1", "b": "1", "c": "1", "d": "2"}) == Scores(1.0, 1.0, 1.0)
    assert pairwise(GOLD, {"a": "1", "b": "1", "c": "1", "d": "2"}) == Scores(1.0, 1.0, 1.0)


def test_bcubed_of_everything_in_one_cluster() -> None:
    scores = bcubed(GOLD, dict.fromkeys(GOLD, "all"))
    # precision: a, b, c see 3/4 right, d sees 1/4: (9/4 + 1/4) / 4 = 0.625
    assert scores.precision == pytest.approx(0.625)
    assert scores.recall == pytest.approx(1.0)
    assert scores.f1 == pytest.approx(2 * 0.625 / 1.625)


def test_bcubed_of_singletons_and_missing_predictions() -> None:
    scores = bcubed(GOLD, {"a": "1"})
    # recall: a, b, c find 1/3 of their story, d all of it: (1/3*3 + 1) / 4 = 0.5
    assert scores.precision == 1.0
    assert scores.recall == pytest.approx(0.5)
    assert scores.f1 == pytest.approx(2 / 3)


def test_pairwise_counts_pairs() -> None:
    # predicted pairs: ab, cd; gold pairs: ab, ac, bc; right: ab
    scores = pairwise(GOLD, {"a": "1", "b": "1", "c": "2", "d": "2"})
    assert scores.precision == pytest.approx(0.5)
    assert scores.recall == pytest.approx(1 / 3)
    assert bcubed({}, {}) == Scores(0.0, 0.0, 0.0)


def test_load_labels_in_both_forms(tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    first.write_text("id,story,topic\n1_1ecb,1_ecb,1\n1_2ecb,1_ecb,1\n,missing,2\n")
    second = tmp_path / "second.csv"
    second.write_text("\ufeffarticle,story\nworld/flood.txt,flood\nsport/chess.md,chess\n")
    assert load_labels(first) == Labels(
        {"1_1ecb": "1_ecb", "1_2ecb": "1_ecb"},
        {
            "1_1ecb": "1",
            "1_2ecb": "1",
        },
    )
    assert load_labels(second).story == {"world/flood.txt": "flood", "sport/chess.md": "chess"}


def test_labels_match_ids_or_paths_relative_to_the_labelled_folder() -> None:
    articles = [
        make_article(id="a1", origin="/data/seeds/world/flood.txt"),
        make_article(id="a2", origin="/data/seeds/feed.jsonl:3"),
        make_article(id="j7", origin="/data/seeds/feed.jsonl:4"),
    ]
    labels = Labels({"world/flood.txt": "s1", "j7": "s2", "gone.txt": "s3"}, {})
    assert match_labels(articles, labels) == ({"a1": "s1", "j7": "s2"}, ("gone.txt",))


def _clusters(*groups: tuple[str, ...]) -> tuple[Cluster, ...]:
    return tuple(
        Cluster(
            id=f"s{n}",
            lead=g[0],
            links=tuple(Link(a, "lead" if a == g[0] else "same-event") for a in g),
        )
        for n, g in enumerate(groups)
    )


def test_report_names_split_and_merged_stories() -> None:
    articles = [make_article(id=i, text=f"text of {i}") for i in "abcd"]
    labels = Labels(dict(GOLD), {})
    report = evaluate(articles, _clusters(("a", "b"), ("c", "d")), labels, with_baseline=False)
    assert report.split == ("x",)
    assert report.merged == (("x", "y"),)
    assert report.gold_stories == 2 and report.predicted_stories == 2
    lines = report.lines()
    assert lines[0] == "articles: 4 (4 labelled, 0 labels matched no article)"
    assert lines[2].startswith("B-cubed   P 0.750  R 0.667")
    assert "split: x" in lines and "merged: x + y" in lines


def test_baseline_groups_articles_that_share_their_words() -> None:
    flood = "Tessel river flood Marlowe Springs residents evacuated shelters boats"
    chess = "Varga Brenholt chess open final Reyes grandmaster prize tournament"
    articles = [
        make_article(id="f1", title="Flood", text=flood),
        make_article(id="f2", title="Flood", text=flood + " mayor"),
        make_article(id="c1", title="Chess", text=chess),
        make_article(id="c2", title="Chess", text=chess + " moves"),
    ]
    found = baseline(articles)
    assert found["f1"] == found["f2"] != found["c1"] == found["c2"]


def test_without_dates_marks_every_article_undated() -> None:
    (undated,) = without_dates([make_article()])
    assert undated.date_from_reference and undated.published is None


def test_command_prints_scores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        {
            "id": "f1",
            "title": "Tessel River floods Marlowe Springs",
            "text": "Flood waters "
            "forced 300 residents of Marlowe Springs from their homes after the Tessel River "
            "burst its banks, Mayor Edith Hanlon said.",
        },
        {
            "id": "c1",
            "title": "Varga wins Brenholt Open",
            "text": "Grandmaster Ilse Varga "
            "won the Brenholt Open, beating Tomas Reyes in a 61-move final game.",
        },
    ]
    articles = tmp_path / "articles.jsonl"
    articles.write_text("".join(json.dumps(r) + "\n" for r in rows))
    labels = tmp_path / "labels.csv"
    labels.write_text("id,story\nf1,flood\nc1,chess\n")
    assert main([str(articles), "--labels", str(labels), "--ignore-dates"]) == 0
    printed = capsys.readouterr().out
    assert "B-cubed   P 1.000  R 1.000  F1 1.000" in printed
    assert "stories: 2 labelled, 2 found" in printed
