"""Average-link clustering over a sparse similarity graph, with vetoes.

Groups are merged best pair first while their average pairwise similarity
(pairs never compared count as zero) stays at or above a threshold. Before a
merge the caller's ``veto`` sees the two groups' evidence and may refuse it;
a refused pair is reconsidered only after one of the two groups changes.

Work is proportional to the edges of the graph times the log of their count,
never to the square of the number of items.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from digest.similarity import Pairs

E = TypeVar("E")

# Pairs turned into Python numbers at once (see ``_pair_values``).
PAIRS_AT_ONCE = 65_536


def average_link(
    pairs: Pairs,
    evidence: Sequence[E],
    threshold: float,
    *,
    merge: Callable[[E, E], E],
    veto: Callable[[E, E, float], bool],
) -> tuple[tuple[int, ...], ...]:
    """Groups of item indices, each sorted, listed by their smallest member.

    A group is named by its smallest member, and ties between equally similar
    pairs go to the smallest names, so the result depends only on the items'
    order, which the caller fixes.
    """
    count = len(evidence)
    state = list(evidence)
    size = [1] * count
    version = [0] * count
    members: list[list[int]] = [[i] for i in range(count)]
    sums: list[dict[int, float]] = [{} for _ in range(count)]
    heap: list[tuple[float, int, int, int, int]] = []
    for a, b, s in _pair_values(pairs, count):
        # The one float is shared both ways unless a pair comes again.
        sums[a][b] = sums[a][b] + s if b in sums[a] else s
        sums[b][a] = sums[b][a] + s if a in sums[b] else s
        if s >= threshold:
            heap.append((-s, a, b, 0, 0))
    heapq.heapify(heap)
    while heap:
        negative, a, b, version_a, version_b = heapq.heappop(heap)
        if version[a] != version_a or version[b] != version_b:
            continue
        if veto(state[a], state[b], -negative):
            continue
        # ``a`` < ``b`` always: the group keeps its smallest member's name.
        state[a] = merge(state[a], state[b])
        members[a].extend(members[b])
        members[b] = []
        size[a] += size[b]
        version[a] += 1
        version[b] = -1
        combined = sums[a]
        combined.pop(b, None)
        for other, total in sums[b].items():
            if other != a:
                combined[other] = combined.get(other, 0.0) + total
        sums[b] = {}
        for other, total in combined.items():
            neighbour = sums[other]
            neighbour.pop(b, None)
            neighbour[a] = total
            average = total / (size[a] * size[other])
            if average >= threshold:
                low, high = min(a, other), max(a, other)
                heapq.heappush(heap, (-average, low, high, version[low], version[high]))
    groups = (tuple(sorted(m)) for m in members if m)
    return tuple(sorted(groups))


def _pair_values(pairs: Pairs, count: int) -> Iterator[tuple[int, int, float]]:
    """The pairs as Python numbers, converted a part at a time.

    Whole lists of a million pairs' numbers would be about a hundred
    megabytes of objects, held while the groups' sums are built; and each
    item is one shared int object, not a fresh one in every pair it is in.
    """
    items = list(range(count))
    for start in range(0, len(pairs.first), PAIRS_AT_ONCE):
        part = slice(start, start + PAIRS_AT_ONCE)
        yield from zip(
            map(items.__getitem__, pairs.first[part].tolist()),
            map(items.__getitem__, pairs.second[part].tolist()),
            pairs.similarity[part].tolist(),
            strict=True,
        )
