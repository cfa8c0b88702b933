"""TF-IDF vectors and the similar pairs among them, without comparing every pair.

Each text becomes a sparse vector of its most specific terms. Similar pairs
are found through an inverted index: only texts that share a term are ever
compared, and dated texts only with texts dated within the window, so the work
grows with the number of pairs that could be the same event rather than with
the square of the corpus. The cosine of each pair is accumulated term by term
from the postings, vectorised with numpy.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import numpy.typing as npt

# Inverse document frequency is computed as if the corpus also held this many
# documents that share none of its terms. Without it a tiny corpus (two
# reports of one event) would give every shared term a weight of zero.
IDF_PRIOR_DOCUMENTS = 50
# Raising idf to this power favours the rare terms (names, places, numbers)
# that identify one event over the topic words two events of a kind share.
IDF_POWER = 1.5
# Only a text's heaviest terms are kept: they carry almost all of its cosine
# and keep the postings of common words short.
TOP_TERMS = 128
# A term that would pair more texts than this (about 200 texts that may be
# compared: undated, or dated within the window of each other) is a topic word
# at this corpus' scale and density; its postings are not walked, and its
# weight stays in the vectors' norms. Bounding pairs, not documents, keeps the
# work linear in a busy week of news and the same in a small undated set.
MAX_TERM_PAIRS = 20_000
# Pairs less similar than this are dropped: they cannot be the same event and
# would only fill memory.
PAIR_FLOOR = 0.02
# Postings are walked in batches of about this many pairs to bound memory.
BATCH_PAIRS = 4_000_000


@dataclass(frozen=True, slots=True)
class Vectors:
    """Unit-length sparse vectors: parallel arrays of (text, term, weight)."""

    size: int
    texts: npt.NDArray[np.int64]
    terms: npt.NDArray[np.int64]
    weights: npt.NDArray[np.float64]
    vocabulary: tuple[str, ...]

    def of(self, text: int) -> dict[str, float]:
        """The vector of one text as a term → weight mapping."""
        start, stop = np.searchsorted(self.texts, [text, text + 1])
        return {
            self.vocabulary[t]: float(w)
            for t, w in zip(self.terms[start:stop], self.weights[start:stop], strict=True)
        }


def idf(document_frequency: int, documents: int) -> float:
    """Smoothed inverse document frequency (see IDF_PRIOR_DOCUMENTS)."""
    return math.log((documents + IDF_PRIOR_DOCUMENTS) / (document_frequency + 1))


def vectors(bags: Sequence[Counter[str]]) -> Vectors:
    """TF-IDF vectors of term bags: sublinear tf, idf^IDF_POWER, top terms, unit length.

    Only the vocabulary is handled term by term; weighing, choosing each
    text's top terms and normalising run over flat numpy arrays.
    """
    vocabulary = tuple(sorted(set().union(*bags)))
    index = {term: position for position, term in enumerate(vocabulary)}
    sizes = np.fromiter(map(len, bags), dtype=np.int64, count=len(bags))
    total = int(sizes.sum())
    texts = np.repeat(np.arange(len(bags), dtype=np.int64), sizes)
    terms = np.fromiter(
        map(index.__getitem__, chain.from_iterable(bags)), dtype=np.int64, count=total
    )
    counts = np.fromiter(
        chain.from_iterable(bag.values() for bag in bags), dtype=np.int64, count=total
    )
    frequency = np.bincount(terms, minlength=len(vocabulary))
    weight_of = np.array([idf(int(n), len(bags)) ** IDF_POWER for n in frequency], dtype=np.float64)
    # Sublinear term frequency from a table, so each value is math.log's.
    highest = int(counts.max()) if total else 0
    tf = np.array([0.0, *(1.0 + math.log(n) for n in range(1, highest + 1))])
    scores = tf[counts] * weight_of[terms]
    keep = weight_of[terms] > 0
    texts, terms, scores = texts[keep], terms[keep], scores[keep]
    # Each text's heaviest terms: by score, ties to the later term.
    order = np.lexsort((terms, scores, texts))
    texts, terms, scores = texts[order], terms[order], scores[order]
    run_ends = np.searchsorted(texts, texts, side="right")
    top = (run_ends - np.arange(len(texts))) <= TOP_TERMS
    texts, terms, scores = texts[top], terms[top], scores[top]
    norms = np.sqrt(np.bincount(texts, weights=scores * scores, minlength=len(bags)))
    norms[norms == 0] = 1.0
    order = np.lexsort((terms, texts))
    texts, terms = texts[order], terms[order]
    return Vectors(
        size=len(bags),
        texts=texts,
        terms=terms,
        weights=scores[order] / norms[texts],
        vocabulary=vocabulary,
    )


def cosine(first: dict[str, float], second: dict[str, float]) -> float:
    """Cosine of two unit vectors given as mappings."""
    if len(second) < len(first):
        first, second = second, first
    return sum(w * second.get(t, 0.0) for t, w in first.items())


@dataclass(frozen=True, slots=True)
class Pairs:
    """Similar pairs (first < second) with their cosine, sorted by pair.

    ``shared`` counts, per pair, the shared terms of those the caller marked
    (names, say): how many specific things the two texts have in common.
    """

    first: npt.NDArray[np.int64]
    second: npt.NDArray[np.int64]
    similarity: npt.NDArray[np.float64]
    shared: npt.NDArray[np.int64]


def _pairs_in_posting(
    days: npt.NDArray[np.int64], window: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None:
    """Positions (p, q) within one posting that may be compared, or None if too many.

    ``days`` is sorted with undated members (day -1) first; dated members pair
    only within ``window`` days of each other, undated ones with everyone.
    """
    count = len(days)
    undated = int(np.searchsorted(days, 0))
    dated = days[undated:]
    reach = np.searchsorted(dated, dated + window, side="right")
    positions = np.arange(len(dated), dtype=np.int64)
    counts = reach - positions - 1
    total = int(counts.sum()) + undated * (undated - 1) // 2 + undated * (count - undated)
    if total > MAX_TERM_PAIRS:
        return None
    firsts: list[npt.NDArray[np.int64]] = []
    seconds: list[npt.NDArray[np.int64]] = []
    if undated:
        p, q = np.triu_indices(undated, k=1)
        firsts.append(p.astype(np.int64))
        seconds.append(q.astype(np.int64))
        others = count - undated
        firsts.append(np.repeat(np.arange(undated, dtype=np.int64), others))
        seconds.append(np.tile(np.arange(undated, count, dtype=np.int64), undated))
    dated_pairs = int(counts.sum())
    if dated_pairs:
        p = np.repeat(positions, counts)
        offsets = np.arange(dated_pairs, dtype=np.int64) - np.repeat(
            np.cumsum(counts) - counts, counts
        )
        firsts.append(p + undated)
        seconds.append(p + 1 + offsets + undated)
    if not firsts:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(firsts), np.concatenate(seconds)


def similar_pairs(
    vecs: Vectors,
    days: Sequence[int | None],
    window: int,
    marked: npt.NDArray[np.bool_] | None = None,
    floor: float = PAIR_FLOOR,
) -> Pairs:
    """Every pair of texts sharing a term, dated within ``window`` days, with cosine >= ``floor``.

    ``days`` gives each text's day number, or None for a text with no date;
    ``marked`` flags the vocabulary terms whose sharing ``Pairs.shared`` counts.
    """
    day_of = np.array([-1 if d is None else d for d in days], dtype=np.int64)
    if marked is None:
        marked = np.zeros(len(vecs.vocabulary), dtype=bool)
    order = np.lexsort((vecs.texts, day_of[vecs.texts], vecs.terms))
    terms, texts, weights = vecs.terms[order], vecs.texts[order], vecs.weights[order]
    bounds = np.flatnonzero(np.diff(terms)) + 1
    starts = np.concatenate(([0], bounds))
    stops = np.concatenate((bounds, [len(terms)]))
    keys: list[npt.NDArray[np.int64]] = []
    values: list[npt.NDArray[np.float64]] = []
    counts: list[npt.NDArray[np.float64]] = []
    partial: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64]]]
    partial = []
    pending = 0
    for start, stop in zip(starts, stops, strict=True):
        if stop - start < 2:
            continue
        members = texts[start:stop]
        found = _pairs_in_posting(day_of[members], window)
        if found is None or len(found[0]) == 0:
            continue
        p, q = found
        low = np.minimum(members[p], members[q])
        high = np.maximum(members[p], members[q])
        keys.append(low * vecs.size + high)
        values.append(weights[start:stop][p] * weights[start:stop][q])
        counts.append(np.full(len(p), 1.0 if marked[terms[start]] else 0.0))
        pending += len(p)
        if pending >= BATCH_PAIRS:
            partial.append(_sum_by_key(keys, values, counts))
            keys, values, counts, pending = [], [], [], 0
    if keys:
        partial.append(_sum_by_key(keys, values, counts))
    if not partial:
        empty = np.empty(0, dtype=np.int64)
        return Pairs(empty, empty, np.empty(0, dtype=np.float64), empty)
    merged_keys, merged_values, merged_counts = _sum_by_key(
        [k for k, _, _ in partial], [v for _, v, _ in partial], [c for _, _, c in partial]
    )
    keep = merged_values >= floor
    merged_keys = merged_keys[keep]
    return Pairs(
        merged_keys // vecs.size,
        merged_keys % vecs.size,
        merged_values[keep],
        np.rint(merged_counts[keep]).astype(np.int64),
    )


def _sum_by_key(
    keys: list[npt.NDArray[np.int64]],
    values: list[npt.NDArray[np.float64]],
    counts: list[npt.NDArray[np.float64]],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Distinct keys, sorted, with the sums of the values and counts given for each."""
    distinct, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    size = len(distinct)
    sums = np.bincount(inverse, weights=np.concatenate(values), minlength=size)
    totals = np.bincount(inverse, weights=np.concatenate(counts), minlength=size)
    return distinct, sums.astype(np.float64), totals.astype(np.float64)
