"""TF-IDF vectors and the similar pairs among them, without comparing every pair.

Each text becomes a sparse vector of its most specific terms. Similar pairs
come from sparse matrix products (scipy): only texts that share a term
produce a product, and texts are taken a date-ordered block at a time, each
block only against the texts dated within the window after it, so the work
grows with the number of pairs that could be the same event rather than with
the square of the corpus, and memory with one block's pairs.
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

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
# at this corpus' scale and density; it is left out of the products that find
# pairs, and its weight stays in the vectors' norms. Bounding pairs, not
# documents, keeps the work linear in a busy week of news and the same in a
# small undated set.
MAX_TERM_PAIRS = 20_000
# The largest term count a bag entry holds in its byte (see ``VectorBuilder``).
BYTE_COUNT = 255
# Bag entries weighed and trimmed at once while building vectors: bounds the
# memory of the sort that finds each text's top terms (about 50 bytes an
# entry). Smaller runs are no slower: the sort is the same work in pieces.
BUILD_ENTRIES = 500_000
# Texts whose pairs are computed at once (see ``similar_pairs``): bounds
# the memory of one sparse product.
BLOCK_TEXTS = 500
# Rows gathered at once when a matrix is built in another order than the
# texts' (see ``text_rows``): a few megabytes of positions at a time.
GATHER_ROWS = 4096
# Day numbers (ordinals) are below this; a term and a day make one sort key.
_DAY_SPAN = 1 << 22
# Texts in one of ``Vectors.text_runs``: at most TOP_TERMS entries each.
TEXTS_AT_ONCE = 8192
# Entries keyed and counted at once in ``_topic_terms``.
_TOPIC_PART = 1 << 20
# Pairs less similar than this are dropped: they cannot be the same event and
# would only fill memory.
PAIR_FLOOR = 0.02


@dataclass(frozen=True, slots=True)
class Vectors:
    """Unit-length sparse vectors: parallel arrays of (term, weight), text after text.

    Text ``t``'s entries are ``starts[t]`` to ``starts[t + 1]``, by term (the
    layout of a sparse row matrix). Term numbers are 32-bit: a hundred
    thousand texts keep about ten million entries, and these arrays are the
    largest clustering holds, so no text number is kept for each entry.
    """

    size: int
    starts: npt.NDArray[np.int64]
    terms: npt.NDArray[np.int32]
    weights: npt.NDArray[np.float64]
    vocabulary: tuple[str, ...]

    def of(self, text: int) -> dict[str, float]:
        """The vector of one text as a term → weight mapping."""
        start, stop = int(self.starts[text]), int(self.starts[text + 1])
        return {
            self.vocabulary[t]: float(w)
            for t, w in zip(self.terms[start:stop], self.weights[start:stop], strict=True)
        }

    def text_runs(self) -> Iterator[tuple[int, int, int, int]]:
        """Runs of TEXTS_AT_ONCE whole texts: (first text, last text excluded, entries' span).

        For work that needs each entry's text: a run's temporaries are a few
        megabytes, where ones over every entry would be 80 MB each at 100k.
        """
        for first in range(0, self.size, TEXTS_AT_ONCE):
            last = min(first + TEXTS_AT_ONCE, self.size)
            yield first, last, int(self.starts[first]), int(self.starts[last])

    def texts_of(self, first: int, last: int) -> npt.NDArray[np.int32]:
        """The text number of each entry of texts ``first`` to ``last`` (excluded)."""
        sizes = np.diff(self.starts[first : last + 1])
        return np.repeat(np.arange(first, last, dtype=np.int32), sizes)

    def chosen_by_text(self, chosen: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
        """How many of each text's entries are ``chosen`` (a mark for every entry)."""
        counts = np.zeros(self.size, dtype=np.int64)
        # Over texts with entries only: each one's run then ends where its own does.
        filled = self.starts[1:] > self.starts[:-1]
        if filled.any():
            counts[filled] = np.add.reduceat(chosen, self.starts[:-1][filled], dtype=np.int64)
        return counts


def idf(document_frequency: int, documents: int) -> float:
    """Smoothed inverse document frequency (see IDF_PRIOR_DOCUMENTS)."""
    return math.log((documents + IDF_PRIOR_DOCUMENTS) / (document_frequency + 1))


class VectorBuilder:
    """Collects term bags one at a time, keeping only compact arrays of them.

    A corpus's bags as Python dictionaries would take far more memory than
    the vectors made from them; each bag is turned into term numbers and
    counts as it comes and can be dropped. Counts are held a byte each: in
    one article almost every term is counted fewer than 256 times, and the
    few counts above (positions, counts) are kept apart.
    """

    def __init__(self) -> None:
        self._index: dict[str, int] = {}
        self._sizes = array("i")
        self._terms = array("i")
        self._counts = array("B")
        self._large_at = array("q")
        self._large_counts = array("q")
        self._names: list[str] | None = None
        self._starts = np.zeros(1, dtype=np.int64)

    def add(self, bag: Mapping[str, int]) -> None:
        """Append the next text's bag of term counts."""
        index = self._index
        self._terms.extend([index.setdefault(term, len(index)) for term in bag])
        counts = self._counts
        start = len(counts)
        try:
            counts.extend(bag.values())
        except OverflowError:
            del counts[start:]
            for position, count in enumerate(bag.values(), start):
                if count > BYTE_COUNT:
                    self._large_at.append(position)
                    self._large_counts.append(count)
            counts.extend(min(count, BYTE_COUNT) for count in bag.values())
        self._sizes.append(len(bag))

    def bag(self, position: int) -> Counter[str]:
        """The bag added at ``position`` (counting from 0), rebuilt from the arrays."""
        if self._names is None or len(self._names) != len(self._index):
            self._names = list(self._index)  # insertion order is term-number order
            self._starts = np.concatenate(([0], np.cumsum(np.frombuffer(self._sizes, np.int32))))
        start, stop = int(self._starts[position]), int(self._starts[position + 1])
        names = self._names
        bag = Counter(
            {
                names[t]: n
                for t, n in zip(self._terms[start:stop], self._counts[start:stop], strict=True)
            }
        )
        large = self._large_at
        for at in range(bisect.bisect_left(large, start), bisect.bisect_left(large, stop)):
            bag[names[self._terms[large[at]]]] = self._large_counts[at]
        return bag

    def build(self) -> Vectors:
        """TF-IDF vectors of the bags added: sublinear tf, idf^IDF_POWER, top terms, unit length.

        Weighing, choosing each text's top terms and normalising run over
        flat numpy arrays, a run of texts at a time (see BUILD_ENTRIES).
        """
        documents = len(self._sizes)
        vocabulary = tuple(sorted(self._index))
        # Term numbers in vocabulary order (32-bit: every term of every bag is
        # held, tens of millions at 100k articles).
        renumber = np.empty(len(vocabulary), dtype=np.int32)
        renumber[np.fromiter(map(self._index.__getitem__, vocabulary), dtype=np.int64)] = np.arange(
            len(vocabulary), dtype=np.int32
        )
        sizes = np.frombuffer(self._sizes, dtype=np.int32)
        terms = np.frombuffer(self._terms, dtype=np.int32)  # in order of first use
        counts = np.frombuffer(self._counts, dtype=np.uint8)
        large_at = np.frombuffer(self._large_at, dtype=np.int64)
        large_counts = np.frombuffer(self._large_counts, dtype=np.int64)
        frequency = np.bincount(terms, minlength=len(vocabulary))
        # Computed once per distinct document frequency (few), with math.log.
        distinct, which = np.unique(frequency, return_inverse=True)
        weight_of = np.array([idf(int(n), documents) ** IDF_POWER for n in distinct])[which]
        # Sublinear term frequency from a table, so each value is math.log's.
        highest = max([int(counts.max()) if len(counts) else 0, *large_counts.tolist()])
        tf = np.array([0.0, *(1.0 + math.log(n) for n in range(1, highest + 1))])
        ends = np.cumsum(sizes, dtype=np.int64)
        # Each run's kept entries, sorted by text then term, are written in
        # place: the runs follow each other in text order, so together they
        # are sorted too. No text keeps more than TOP_TERMS entries, which
        # bounds the room needed; filling it spares a second copy of them all.
        room = int(np.minimum(sizes, TOP_TERMS).sum())
        kept_by_text = np.zeros(documents, dtype=np.int64)
        terms_kept = np.empty(room, dtype=np.int32)
        weights = np.empty(room, dtype=np.float64)
        kept = 0
        first = 0
        while first < documents:
            # Texts first..last-1: at least one, at most about BUILD_ENTRIES entries.
            start = int(ends[first - 1]) if first else 0
            last = max(first + 1, int(np.searchsorted(ends, start + BUILD_ENTRIES, side="right")))
            stop = int(ends[last - 1])
            texts = np.repeat(np.arange(first, last, dtype=np.int32), sizes[first:last])
            run_counts = counts[start:stop].astype(np.int64)
            low, high = np.searchsorted(large_at, [start, stop])
            run_counts[large_at[low:high] - start] = large_counts[low:high]
            scores = tf[run_counts] * weight_of[terms[start:stop]]
            ordered = renumber[terms[start:stop]]
            run_texts, run_terms, run_weights = _heaviest_terms(texts, ordered, scores)
            # Unit length: a run holds whole texts, so each norm is its own.
            local = run_texts - first
            norms = np.sqrt(np.bincount(local, weights=run_weights**2, minlength=last - first))
            norms[norms == 0] = 1.0
            run_weights /= norms[local]
            kept_by_text[first:last] = np.bincount(local, minlength=last - first)
            end = kept + len(run_texts)
            terms_kept[kept:end], weights[kept:end] = run_terms, run_weights
            kept = end
            first = last
        return Vectors(
            size=documents,
            starts=np.concatenate(([0], np.cumsum(kept_by_text))),
            terms=terms_kept[:kept],
            weights=weights[:kept],
            vocabulary=vocabulary,
        )


def _heaviest_terms(
    texts: npt.NDArray[np.int32], terms: npt.NDArray[np.int32], scores: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.float64]]:
    """Each text's TOP_TERMS heaviest terms with a weight (ties to the later term), by term."""
    texts_from_0 = texts - texts[0] if len(texts) else texts
    score_ranks = np.unique(scores, return_inverse=True)[1].reshape(-1)
    order = _sorting_order(texts_from_0, score_ranks, terms)
    heaviest = order[_last_of_each_run(texts[order], TOP_TERMS)]
    heaviest = heaviest[scores[heaviest] > 0]
    heaviest = heaviest[_sorting_order(texts_from_0[heaviest], terms[heaviest])]
    return texts[heaviest], terms[heaviest], scores[heaviest]


def _sorting_order(*keys: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.int64]:
    """Positions that sort by ``keys`` (non-negative integers), the first the most significant.

    The keys are packed into one 64-bit integer when their bits fit: one
    sort of integers is about three times faster than ``np.lexsort`` of
    the columns, and gives the same order when no two rows are equal.
    """
    widths = [int(key.max()).bit_length() if len(key) else 0 for key in keys]
    if sum(widths) > 63:
        return np.lexsort(tuple(reversed(keys)))
    packed = np.zeros(len(keys[0]), dtype=np.int64)
    for key, width in zip(keys, widths, strict=True):
        packed <<= width
        packed |= key
    return np.argsort(packed, kind="stable")


def _last_of_each_run(keys: npt.NDArray[np.int32], most: int) -> npt.NDArray[np.bool_]:
    """Marks the last ``most`` positions of each run of equal ``keys`` (sorted)."""
    run_ends = np.searchsorted(keys, keys, side="right")
    return (run_ends - np.arange(len(keys))) <= most


def vectors(bags: Iterable[Mapping[str, int]]) -> Vectors:
    """TF-IDF vectors of term bags (see ``VectorBuilder.build``)."""
    builder = VectorBuilder()
    for bag in bags:
        builder.add(bag)
    return builder.build()


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


def text_rows(
    vecs: Vectors,
    chosen: npt.NDArray[np.bool_],
    values: npt.NDArray[np.floating[Any]],
    order: npt.NDArray[np.int64] | None = None,
) -> sparse.csr_matrix:
    """A matrix of the ``chosen`` entries, one row per text, holding their ``values``.

    ``chosen`` and ``values`` run over all of ``vecs``' entries. Row ``r``
    is text ``order[r]`` (text ``r`` without ``order``). The vectors list
    entries by text, then term, so each row is a run of entries gathered a
    block of rows at a time: reordering a finished matrix would hold it twice.
    """
    shape = (vecs.size, len(vecs.vocabulary))
    per_text = vecs.chosen_by_text(chosen)
    if order is None:
        starts = np.concatenate(([0], np.cumsum(per_text)))
        return sparse.csr_matrix((values[chosen], vecs.terms[chosen], starts), shape=shape)
    starts = np.concatenate(([0], np.cumsum(per_text[order])))
    data = np.empty(int(starts[-1]), dtype=values.dtype)
    indices = np.empty(int(starts[-1]), dtype=np.int32)
    text_starts = vecs.starts
    for first in range(0, vecs.size, GATHER_ROWS):
        rows = order[first : first + GATHER_ROWS]
        begins, counts = text_starts[rows], text_starts[rows + 1] - text_starts[rows]
        # Every entry of these texts, row by row, then the chosen ones.
        ends = np.cumsum(counts)
        entries = np.arange(int(ends[-1])) + np.repeat(begins - ends + counts, counts)
        entries = entries[chosen[entries]]
        at = slice(int(starts[first]), int(starts[first + len(rows)]))
        data[at], indices[at] = values[entries], vecs.terms[entries]
    return sparse.csr_matrix((data, indices, starts), shape=shape)


def _topic_terms(
    vecs: Vectors, day_of: npt.NDArray[np.int64], window: int
) -> npt.NDArray[np.bool_]:
    """Terms whose texts would make more than MAX_TERM_PAIRS comparable pairs.

    Counted over each term's texts sorted by day: an undated text pairs with
    every other, a dated one with those dated within ``window`` days after it.
    """
    vocabulary = len(vecs.vocabulary)
    entries = len(vecs.terms)
    # One sortable key per entry, its term then its day; day 0 is "undated"
    # (day numbers are ordinals, so at least 1). Made and read a part at a
    # time and sorted in place: at 100k articles, each temporary of all ten
    # million entries would be 80 MB more at the build's memory peak.
    key = vecs.terms.astype(np.int64)
    key *= _DAY_SPAN
    day_or_0 = np.maximum(day_of, 0)
    for first, last, begin, end in vecs.text_runs():
        key[begin:end] += day_or_0[vecs.texts_of(first, last)]
    key.sort()
    members = np.zeros(vocabulary, dtype=np.int64)
    undated_members = np.zeros(vocabulary, dtype=np.int64)
    # Every count is a whole number far below 2**53: exact in floats, in any order.
    dated_pairs = np.zeros(vocabulary, dtype=np.float64)
    for part in range(0, entries, _TOPIC_PART):
        keys = key[part : part + _TOPIC_PART]
        terms = keys // _DAY_SPAN
        dated = keys % _DAY_SPAN != 0
        members += np.bincount(terms, minlength=vocabulary)
        undated_members += np.bincount(terms[~dated], minlength=vocabulary)
        # A dated entry pairs with its term's later entries up to ``window`` days on.
        at = np.flatnonzero(dated)
        later = np.searchsorted(key, keys[at] + window, side="right") - (at + part) - 1
        dated_pairs += np.bincount(terms[at], weights=later, minlength=vocabulary)
    pairs = undated_members * (undated_members - 1) / 2
    pairs += undated_members * (members - undated_members)
    pairs += dated_pairs
    return pairs > MAX_TERM_PAIRS


def similar_pairs(
    vecs: Vectors,
    days: Sequence[int | None],
    window: int,
    marked: npt.NDArray[np.bool_] | None = None,
    floor: float = PAIR_FLOOR,
    keep: Callable[[Pairs], npt.NDArray[np.bool_]] | None = None,
) -> Pairs:
    """Every pair of texts sharing a term, dated within ``window`` days, with cosine >= ``floor``.

    ``days`` gives each text's day number, or None for a text with no date;
    ``marked`` flags the vocabulary terms whose sharing ``Pairs.shared`` counts;
    ``keep``, when given, chooses among each block's pairs the ones to return.

    Texts are taken in date order, a block at a time; each block's cosines
    with the texts after it that are close enough in date come from one
    sparse matrix product, so memory is bounded by a block's pairs and
    never holds the pairs a busy week's common words would make.
    """
    size = vecs.size
    day_of = np.array([-1 if d is None else d for d in days], dtype=np.int64)
    if marked is None:
        marked = np.zeros(len(vecs.vocabulary), dtype=bool)
    walked = ~_topic_terms(vecs, day_of, window)[vecs.terms]
    # Rows in date order (undated first), so a block's partners are a range.
    order = np.lexsort((np.arange(size), day_of))
    is_marked = walked & marked[vecs.terms]
    weights = text_rows(vecs, walked, vecs.weights, order)
    # Counts of shared names are small integers: exact in 32-bit floats.
    ones = np.broadcast_to(np.float32(1), vecs.terms.shape)
    names = text_rows(vecs, is_marked, ones, order)
    del walked, is_marked
    sorted_days = day_of[order]
    found: list[Pairs] = []
    for start in range(0, size, BLOCK_TEXTS):
        stop = min(start + BLOCK_TEXTS, size)
        if sorted_days[start] < 0:
            end = size  # an undated text may pair with any other
        else:
            end = int(np.searchsorted(sorted_days, sorted_days[stop - 1] + window, side="right"))
        block = _block_pairs(weights, names, sorted_days, (start, stop, end), window, floor)
        first, second = order[block.first], order[block.second]
        block = Pairs(
            np.minimum(first, second), np.maximum(first, second), block.similarity, block.shared
        )
        if keep is not None:
            chosen = keep(block)
            block = Pairs(
                block.first[chosen],
                block.second[chosen],
                block.similarity[chosen],
                block.shared[chosen],
            )
        found.append(block)
    low = np.concatenate([b.first for b in found])
    high = np.concatenate([b.second for b in found])
    sort = np.argsort(low * size + high, kind="stable")
    return Pairs(
        low[sort],
        high[sort],
        np.concatenate([b.similarity for b in found])[sort],
        np.concatenate([b.shared for b in found])[sort],
    )


def _block_pairs(
    weights: sparse.csr_matrix,
    names: sparse.csr_matrix,
    days: npt.NDArray[np.int64],
    bounds: tuple[int, int, int],
    window: int,
    floor: float,
) -> Pairs:
    """Pairs of one block of rows [start, stop) with the rows after each, up to ``end``.

    The pairs are of row positions, not yet of texts.
    """
    start, stop, end = bounds
    products = (weights[start:stop] @ weights[start:end].T).tocoo()
    first = products.row.astype(np.int64) + start
    second = products.col.astype(np.int64) + start
    values = products.data
    gap = np.abs(days[first] - days[second])
    comparable = (days[first] < 0) | (days[second] < 0) | (gap <= window)
    keep = (second > first) & comparable & (values >= floor)
    first, second, values = first[keep], second[keep], values[keep]
    counts = np.zeros(len(first), dtype=np.int64)
    if len(first):
        common = (names[start:stop] @ names[start:end].T).tocsr()
        counts = np.rint(np.asarray(common[first - start, second - start]).ravel())
    return Pairs(first, second, values, counts.astype(np.int64))
