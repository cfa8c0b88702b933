"""Evaluate: score story clustering against labelled stories.

Labels are a CSV file with a header: ``id,story[,topic]`` or ``article,story``,
where the article is an input id (JSON Lines ``id``) or a path relative to the
labelled folder. Scores are B-cubed (each article's predicted story against
its gold story, averaged over articles) and pairwise (over pairs of articles
put together), each as precision, recall and F1.

A plain TF-IDF average-link clustering is scored beside digest's, so a report
always shows how far the real method is above the obvious one.

    python -m digest.evaluate ARTICLES... --labels LABELS [--ignore-dates]
"""

from __future__ import annotations

import csv
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import numpy as np

from digest.features import word_counts
from digest.linkage import average_link
from digest.model import Article, Cluster
from digest.similarity import Pairs

# The baseline merges while the average cosine of plain TF-IDF vectors is at
# least this: a round value, deliberately not tuned on any eval set.
BASELINE_THRESHOLD = 0.15
# The baseline compares all pairs; beyond this many articles it is skipped.
BASELINE_MAX_ARTICLES = 5_000
# Label columns naming the article, in order of preference.
ARTICLE_COLUMNS = ("id", "article")
# A report names at most this many wrongly split or merged stories.
SHOWN_ERRORS = 10


@dataclass(frozen=True, slots=True)
class Scores:
    """Precision, recall and their harmonic mean."""

    precision: float
    recall: float
    f1: float

    def line(self) -> str:
        return f"P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}"


def _scores(precision: float, recall: float) -> Scores:
    total = precision + recall
    return Scores(precision, recall, 2 * precision * recall / total if total else 0.0)


def _groups(assignment: Mapping[str, str], keys: Sequence[str]) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        groups[assignment[key]].add(key)
    return groups


def _complete(gold: Mapping[str, str], predicted: Mapping[str, str]) -> dict[str, str]:
    """Predictions for every gold item; one the clusterer never saw stands alone."""
    return {key: predicted.get(key, "\0missing:" + key) for key in gold}


def bcubed(gold: Mapping[str, str], predicted: Mapping[str, str]) -> Scores:
    """B-cubed precision, recall and F1 over the items of ``gold``."""
    if not gold:
        return Scores(0.0, 0.0, 0.0)
    keys = sorted(gold)
    guess = _complete(gold, predicted)
    gold_groups, guess_groups = _groups(gold, keys), _groups(guess, keys)
    precision = recall = 0.0
    for key in keys:
        mine, theirs = gold_groups[gold[key]], guess_groups[guess[key]]
        overlap = len(mine & theirs)
        precision += overlap / len(theirs)
        recall += overlap / len(mine)
    return _scores(precision / len(keys), recall / len(keys))


def _pair_count(sizes: Mapping[object, int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes.values())


def pairwise(gold: Mapping[str, str], predicted: Mapping[str, str]) -> Scores:
    """Precision, recall and F1 over the pairs of items put in one story."""
    guess = _complete(gold, predicted)
    together = _pair_count(Counter((gold[k], guess[k]) for k in gold))
    predicted_pairs = _pair_count(Counter(guess[k] for k in gold))
    gold_pairs = _pair_count(Counter(gold[k] for k in gold))
    precision = together / predicted_pairs if predicted_pairs else 1.0
    recall = together / gold_pairs if gold_pairs else 1.0
    return _scores(precision, recall)


@dataclass(frozen=True, slots=True)
class Labels:
    """Gold stories keyed by the article reference the labels file uses."""

    story: Mapping[str, str]
    topic: Mapping[str, str]


def load_labels(path: Path) -> Labels:
    """Read a labels CSV; rows without an article or a story are skipped."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    story: dict[str, str] = {}
    topic: dict[str, str] = {}
    for row in rows:
        key = next((row[c].strip() for c in ARTICLE_COLUMNS if (row.get(c) or "").strip()), "")
        label = (row.get("story") or "").strip()
        if not key or not label:
            continue
        story[key] = label
        if (row.get("topic") or "").strip():
            topic[key] = row["topic"].strip()
    return Labels(story, topic)


def match_labels(
    articles: Sequence[Article], labels: Labels
) -> tuple[dict[str, str], tuple[str, ...]]:
    """Gold story per article id, and the label keys that match no article.

    A key matches an article with that id, else one whose origin is that path
    or ends with it (the labels name files relative to their folder).
    """
    by_id = {a.id: a.id for a in articles}
    by_tail: dict[str, str] = {}
    for article in articles:
        parts = PurePosixPath(article.origin.replace("\\", "/")).parts
        for start in range(len(parts)):
            by_tail.setdefault("/".join(parts[start:]), article.id)
    gold: dict[str, str] = {}
    unmatched: list[str] = []
    for key, story in sorted(labels.story.items()):
        found = by_id.get(key) or by_tail.get(key.replace("\\", "/").lstrip("./"))
        if found is None:
            unmatched.append(key)
        else:
            gold[found] = story
    return gold, tuple(unmatched)


def without_dates(articles: Sequence[Article]) -> tuple[Article, ...]:
    """The articles as if no date had been found in them.

    For eval sets whose gold stories are not bounded by the date window (ECB+
    labels a seminal event together with follow-ups weeks later, and its
    texts carry page dates the corpus never vouched for): clustering is then
    scored on text alone, the way undated articles are clustered.
    """
    return tuple(
        replace(a, published=None, date_from_reference=True, date_uncertain=True) for a in articles
    )


def assignment(clusters: Sequence[Cluster]) -> dict[str, str]:
    """The cluster id of every clustered article."""
    return {article: c.id for c in clusters for article in c.article_ids}


def baseline(articles: Sequence[Article]) -> dict[str, str]:
    """Plain TF-IDF (sublinear tf, log idf) cosine, average link, untuned threshold."""
    ordered = sorted(articles, key=lambda a: a.id)
    bags = [word_counts(f"{a.title}\n{a.text}") for a in ordered]
    frequency: Counter[str] = Counter()
    for bag in bags:
        frequency.update(bag.keys())
    vocabulary = {term: i for i, term in enumerate(sorted(frequency))}
    matrix = np.zeros((len(bags), len(vocabulary)))
    for row, bag in enumerate(bags):
        for term, count in bag.items():
            weight = math.log(len(bags) / frequency[term])
            matrix[row, vocabulary[term]] = (1 + math.log(count)) * weight
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix /= np.where(norms == 0, 1.0, norms)
    similarity = matrix @ matrix.T
    first, second = np.triu_indices(len(bags), k=1)
    values = similarity[first, second]
    keep = values > 0
    chosen = int(keep.sum())
    pairs = Pairs(
        first[keep].astype(np.int64),
        second[keep].astype(np.int64),
        values[keep],
        np.zeros(chosen, dtype=np.int64),
    )
    groups = average_link(
        pairs,
        [None] * len(bags),
        BASELINE_THRESHOLD,
        merge=lambda a, b: a,
        veto=lambda a, b, s: False,
    )
    return {ordered[i].id: f"b{group[0]}" for group in groups for i in group}


@dataclass(frozen=True, slots=True)
class Report:
    """How well clusters match the labels, printable as lines."""

    articles: int
    labelled: int
    gold_stories: int
    predicted_stories: int
    bcubed: Scores
    pairwise: Scores
    baseline: Scores | None
    unmatched: tuple[str, ...]
    split: tuple[str, ...]
    merged: tuple[tuple[str, ...], ...]

    def lines(self) -> tuple[str, ...]:
        """The report as the command prints it."""
        lines = [
            f"articles: {self.articles} ({self.labelled} labelled, "
            f"{len(self.unmatched)} labels matched no article)",
            f"stories: {self.gold_stories} labelled, {self.predicted_stories} found",
            f"B-cubed   {self.bcubed.line()}",
            f"pairwise  {self.pairwise.line()}",
        ]
        if self.baseline is not None:
            lines.append(f"baseline  B-cubed {self.baseline.line()} (plain TF-IDF average link)")
        if self.split:
            lines.append("split: " + ", ".join(self.split[:SHOWN_ERRORS]))
        if self.merged:
            lines.append("merged: " + "; ".join(" + ".join(m) for m in self.merged[:SHOWN_ERRORS]))
        if self.unmatched:
            lines.append("unmatched labels: " + ", ".join(self.unmatched[:SHOWN_ERRORS]))
        return tuple(lines)


def evaluate(
    articles: Sequence[Article],
    clusters: Sequence[Cluster],
    labels: Labels,
    *,
    with_baseline: bool = True,
) -> Report:
    """Score ``clusters`` of ``articles`` against ``labels`` (and the baseline's)."""
    gold, unmatched = match_labels(articles, labels)
    predicted = assignment(clusters)
    labelled = [a for a in articles if a.id in gold]
    base = None
    if with_baseline and len(labelled) <= BASELINE_MAX_ARTICLES:
        base = bcubed(gold, baseline(labelled))
    per_story: dict[str, set[str]] = defaultdict(set)
    per_cluster: dict[str, set[str]] = defaultdict(set)
    for article, story in gold.items():
        found = predicted.get(article, "")
        per_story[story].add(found)
        per_cluster[found].add(story)
    return Report(
        articles=len(articles),
        labelled=len(gold),
        gold_stories=len(per_story),
        predicted_stories=len(per_cluster),
        bcubed=bcubed(gold, predicted),
        pairwise=pairwise(gold, predicted),
        baseline=base,
        unmatched=unmatched,
        split=tuple(sorted(s for s, found in per_story.items() if len(found) > 1)),
        merged=tuple(sorted(tuple(sorted(s)) for s in per_cluster.values() if len(s) > 1)),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m digest.evaluate ARTICLES... --labels LABELS [--window-days N]``."""
    import argparse

    from digest import pipeline, stories
    from digest.settings import DEFAULT_WINDOW_DAYS, BuildSettings

    parser = argparse.ArgumentParser(
        prog="python -m digest.evaluate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("articles", nargs="+", type=Path)
    parser.add_argument("--labels", required=True, type=Path)
    parser.add_argument("--window-days", type=int, default=DEFAULT_WINDOW_DAYS)
    parser.add_argument("--now", default="2026-11-25T12:00:00+00:00")
    parser.add_argument(
        "--ignore-dates",
        action="store_true",
        help="cluster on text alone, as if no article had a date (use for ECB+)",
    )
    options = parser.parse_args(argv)
    settings = BuildSettings(
        now=datetime.fromisoformat(options.now).astimezone(UTC), window_days=options.window_days
    )
    articles = pipeline.load_articles(options.articles, settings).articles
    if options.ignore_dates:
        articles = without_dates(articles)
    clusters = stories.cluster(articles, window_days=options.window_days)
    report = evaluate(articles, clusters, load_labels(options.labels))
    print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
