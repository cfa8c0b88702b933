"""Stories: articles about one real-world event collapsed into one cluster.

Three tiers, cheapest first, each linking what the one before left apart:

1. same article: the same canonical address or the same input id;
2. copies: the same text (fingerprint) or a near-copy found by MinHash
   (``digest.sketch``) — syndicated agency text under another headline;
3. same event: outlets' own reports, by average-link clustering
   (``digest.linkage``) of TF-IDF vectors over words, names and numbers
   (``digest.features``, ``digest.similarity``), compared only within the
   date window. Two groups are kept apart when their dates span more than the
   window, or when each has principal actors the other never mentions.

Articles whose date came from the build's reference date have no date
evidence: they are compared with everything, on text alone, and need more
textual agreement to join than reports dated the same day. Dated reports
need more the further apart their dates are.

Cluster ids come from content: a hash of the earliest member's fingerprint.
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt
import xxhash
from scipy import sparse

from digest.evidence import EvidenceCache, bags_and_names, evidence_key, sketches
from digest.features import NO_NAMES, Names
from digest.linkage import average_link
from digest.model import Article, Cluster, Link, Tier
from digest.settings import DEFAULT_WINDOW_DAYS
from digest.similarity import (
    Pairs,
    VectorBuilder,
    Vectors,
    cosine,
    idf,
    similar_pairs,
)
from digest.sketch import copies_among
from digest.storylines import is_dated, link_storylines, placing_day
from digest.urls import strip_tracking

# Canonical addresses remembered across calls: more than a large store keeps.
CANONICAL_URLS_KEPT = 1 << 18

__all__ = [
    "DEFAULT_WINDOW_DAYS",
    "Clustering",
    "EvidenceCache",
    "LeadTerms",
    "cluster",
    "clustering",
    "link_storylines",
]

# The thresholds below (and TOP_TERMS, IDF_POWER in digest.similarity) were
# calibrated together against the ECB+ eval set, clustered undated; re-run
#   python -m digest.evaluate /work/shared/eval/ecbplus/articles.jsonl \
#       --labels /work/shared/eval/ecbplus/labels.csv --ignore-dates
# after any change (B-cubed F1 0.947, pairwise 0.924 when last calibrated; the
# result is flat within 0.003 for merge thresholds 0.065-0.08).
#
# Two groups merge while their average weighted pairwise cosine is at least
# this. The weights: a pair without date evidence (either report undated)
# counts UNDATED_WEIGHT of its cosine, so undated reports need more textual
# agreement (0.08) than reports dated the same day (0.072). A dated pair's
# weight decays geometrically with the days between the dates, down to
# EDGE_WEIGHT at the window's edge (halving each day for the default 3-day
# window): reports of one event carry its date or the next day's, while the
# same actors three days later are usually a new event (a council's budget
# vote on Tuesday, its fare vote on Friday).
MERGE_THRESHOLD = 0.072
UNDATED_WEIGHT = 0.9
EDGE_WEIGHT = 0.125
# Two reports of one event name several of the same actors and places; two
# unrelated reports may share a name or two by chance (a town, a common first
# name), which in a busy news week is enough for a low cosine. A pair that
# shares fewer than MIN_SHARED_NAMES specific names (among the terms that
# weigh in its cosine) counts as not similar at all unless its cosine is at
# least TRUSTED_WITHOUT_NAMES. On the benchmark corpus this lifts B-cubed
# precision at 10,000 articles from 0.79 to 0.86; on ECB+ it costs nothing.
MIN_SHARED_NAMES = 2
TRUSTED_WITHOUT_NAMES = 0.15
# Two different events of one place and day (a fire and a council vote in
# the same town) share its names: the town, its mayor, a district. Reports
# of one event also share the words of what happened ("blaze", "crews").
# So a pair of dated reports counts as not similar at all when the part of
# its cosine that comes from plain words, names and numbers left out, is
# below MIN_EVENT_WORDS, unless its cosine is at least TRUSTED_WITHOUT_WORDS.
# Undated pairs (ECB+ as scored undated, the gate) are left alone. Measured:
# benchmark corpus at 10,000 articles B-cubed 0.923 -> 0.963; ECB+ with the
# dates digest finds 0.829 -> 0.826; undated ECB+ unchanged.
MIN_EVENT_WORDS = 0.03
TRUSTED_WITHOUT_WORDS = 0.2
# The event words' shares of pairs among at most this many texts come from
# one product of all their rows (a dense result of up to 32 MB).
ALL_PRODUCTS_TEXTS = 2_000
# ... provided the pairs number at least 1/ALL_PRODUCTS_SHARE of the texts
# squared: a few scattered pairs are cheaper one by one.
ALL_PRODUCTS_SHARE = 16
# Principal-actor veto: a name mentioned by at least CORE_SHARE of a group's
# members is one of its principal actors; it is missing from another group
# when at most ABSENT_SHARE of that group's members mention it. Two groups
# that each miss the other's principal actors (summed idf of the missing
# names above VETO_STRENGTH on both sides) report different events - the same
# boxer against two different challengers, the same team placing two
# different players on injured reserve. Groups smaller than VETO_MIN_SIZE have
# no reliable principal actors, and groups at least VETO_CEILING similar (as
# weighted above) are trusted to be one event whatever their names.
CORE_SHARE = 0.5
ABSENT_SHARE = 0.2
VETO_STRENGTH = 4.0
VETO_MIN_SIZE = 5
VETO_CEILING = 0.225
# The lead is the most informative original report: words plus this many
# words' worth for each distinct name it mentions.
NAME_WORTH = 5
# A Link shows at most this many shared names or terms.
SHARED_SHOWN = 6
# Cluster ids: "s" and this many hex digits of a 64-bit hash.
ID_DIGITS = 10


@dataclass(frozen=True, slots=True)
class _Unit:
    """One report and its copies: the items tier 3 clusters."""

    original: int
    members: tuple[int, ...]
    first_day: int | None
    last_day: int | None


@dataclass(frozen=True, slots=True)
class _Evidence:
    """What a group of units says about itself, for the vetoes.

    ``names`` counts the group's mentions of each name; a single unit holds
    just its original's name keys, each mentioned once: a dictionary for
    each of 85,000 units at 100k articles took 100 MB at the memory peak.
    """

    size: int
    names: dict[str, int] | tuple[str, ...]
    first_day: int | None
    last_day: int | None

    def counted(self) -> Mapping[str, int]:
        """How many of the group's units mention each name."""
        return dict.fromkeys(self.names, 1) if isinstance(self.names, tuple) else self.names

    def counts(self) -> Iterable[tuple[str, int]]:
        """The (name, units mentioning it) pairs, without a mapping for a single unit."""
        if isinstance(self.names, tuple):
            return zip(self.names, itertools.repeat(1))
        return self.names.items()


def day_number(article: Article) -> int | None:
    """The article's day as an ordinal, or None when its date is unknown."""
    if not is_dated(article):
        return None
    return placing_day(article).toordinal()


def order_key(article: Article) -> tuple[str, str]:
    """Sort key that makes clustering independent of input order."""
    return (article.fingerprint, article.id)


class _UnionFind:
    """Disjoint sets over item indices; the smallest index names its set."""

    def __init__(self, count: int) -> None:
        self.parent = list(range(count))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, first: int, second: int) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


@functools.lru_cache(maxsize=CANONICAL_URLS_KEPT)
def canonical_url(url: str) -> str:
    """An address without tracking, scheme, ``www.``, fragment or trailing slash.

    Remembered: a store build asks again for every article it keeps.
    """
    stripped = strip_tracking(url.strip())
    try:
        parts = urlsplit(stripped)
    except ValueError:
        return stripped
    host = parts.netloc.lower().removeprefix("www.")
    if not host:
        return stripped
    query = "?" + parts.query if parts.query else ""
    return host + parts.path.rstrip("/") + query


def _word_count(article: Article) -> int:
    """Length of the text: a trimmed copy or a wire stub is shorter than its source."""
    return len(article.text.split())


def _same_article_edges(articles: Sequence[Article]) -> list[tuple[int, int]]:
    """Pairs with the same canonical address or the same id."""
    edges: list[tuple[int, int]] = []
    first_of: dict[str, int] = {}
    for index, article in enumerate(articles):
        keys = ["id:" + article.id]
        if article.url:
            keys.append("url:" + canonical_url(article.url))
        for key in keys:
            seen = first_of.setdefault(key, index)
            if seen != index:
                edges.append((seen, index))
    return edges


def _copy_edges(
    articles: Sequence[Article], sigs: npt.NDArray[np.uint32], sizes: npt.NDArray[np.int64]
) -> list[tuple[int, int, float]]:
    """Pairs with the same text, exactly or as a near-copy (by their sketches), with containment."""
    edges: list[tuple[int, int, float]] = []
    first_of: dict[str, int] = {}
    for index, article in enumerate(articles):
        if not article.text.strip():
            continue  # an empty text copies nothing, whatever its fingerprint
        key = article.fingerprint or " ".join(article.text.split())
        seen = first_of.setdefault(key, index)
        if seen != index:
            edges.append((seen, index, 1.0))
    for copy in copies_among(sigs, sizes):
        edges.append((copy.first, copy.second, copy.containment))
    return edges


def repeat_edges(
    articles: Sequence[Article], sigs: npt.NDArray[np.uint32], sizes: npt.NDArray[np.int64]
) -> list[tuple[int, int]]:
    """Pairs that are one report whatever their dates: same address or id, same or copied text."""
    copies = ((a, b) for a, b, _ in _copy_edges(articles, sigs, sizes))
    return [*_same_article_edges(articles), *copies]


def _units(
    articles: Sequence[Article],
    same: Sequence[tuple[int, int]],
    copies: Sequence[tuple[int, int, float]],
) -> list[_Unit]:
    """Articles grouped by tiers 1 and 2, each group with its most complete original."""
    sets = _UnionFind(len(articles))
    for a, b in same:
        sets.union(a, b)
    for a, b, _ in copies:
        sets.union(a, b)
    groups: dict[int, list[int]] = {}
    for index in range(len(articles)):
        groups.setdefault(sets.find(index), []).append(index)
    units = []
    for members in groups.values():
        original = (
            members[0]
            if len(members) == 1
            else min(members, key=lambda i: (-_word_count(articles[i]), i))
        )
        days = [d for d in (day_number(articles[i]) for i in members) if d is not None]
        units.append(
            _Unit(
                original=original,
                members=tuple(members),
                first_day=min(days) if days else None,
                last_day=max(days) if days else None,
            )
        )
    return sorted(units, key=lambda u: u.members[0])


@dataclass(frozen=True, slots=True)
class _VetoRule:
    """Refuses merges that would span too many days or join different actors."""

    window_days: int
    name_idf: Mapping[str, float]

    def __call__(self, a: _Evidence, b: _Evidence, similarity: float) -> bool:
        if a.first_day is not None and b.first_day is not None:
            assert a.last_day is not None and b.last_day is not None
            span = max(a.last_day, b.last_day) - min(a.first_day, b.first_day)
            if span > self.window_days:
                return True
        if similarity >= VETO_CEILING or min(a.size, b.size) < VETO_MIN_SIZE:
            return False
        return min(self._missing(a, b), self._missing(b, a)) > VETO_STRENGTH

    def _missing(self, group: _Evidence, other: _Evidence) -> float:
        """Summed idf of ``group``'s principal actors that ``other`` hardly mentions."""
        core = CORE_SHARE * group.size
        absent = ABSENT_SHARE * other.size
        others = other.counted()
        return sum(
            self.name_idf.get(name, 0.0)
            for name, count in group.counts()
            if count >= core and others.get(name, 0) <= absent
        )


def _merge_evidence(a: _Evidence, b: _Evidence) -> _Evidence:
    """The evidence of two groups taken together."""
    larger, smaller = (a, b) if len(a.names) >= len(b.names) else (b, a)
    names = dict(larger.counts())
    for name, count in smaller.counts():
        names[name] = names.get(name, 0) + count
    firsts = [d for d in (a.first_day, b.first_day) if d is not None]
    lasts = [d for d in (a.last_day, b.last_day) if d is not None]
    return _Evidence(
        size=a.size + b.size,
        names=names,
        first_day=min(firsts) if firsts else None,
        last_day=max(lasts) if lasts else None,
    )


def _informativeness(article: Article, names: Names) -> int:
    """How much an original report tells: its words and its distinct names."""
    return _word_count(article) + NAME_WORTH * len(names.keys)


def _cluster_id(articles: Sequence[Article]) -> str:
    """``s`` + hash of the earliest member's fingerprint (ties by fingerprint, id)."""
    earliest = min(articles, key=lambda a: (placing_day(a), a.fingerprint, a.id))
    key = earliest.fingerprint or earliest.id
    return "s" + xxhash.xxh64_hexdigest(key.encode("utf-8"))[:ID_DIGITS]


def _shared_names(article: Names, lead: Names, name_idf: Mapping[str, float]) -> tuple[str, ...]:
    """Names both mention, as the lead writes them: most mentioned and specific first.

    A name's weight is the fewer of the two mention counts times its idf, so
    the actors both reports are about come before a name one of them drops once.
    """
    mine = article.counted()
    spelled = dict(zip(lead.keys, lead.spellings, strict=True))
    weight = {
        n: min(c, mine[n]) * name_idf.get(n, 0.0)
        for n, c in zip(lead.keys, lead.counts, strict=True)
        if n in mine
    }
    common = sorted(weight, key=lambda n: (-weight[n], n))
    return tuple(spelled.get(n, n) for n in common[:SHARED_SHOWN])


def _shared_terms(first: dict[str, float], second: dict[str, float]) -> tuple[str, ...]:
    """The plain words that contribute most to two vectors' cosine."""
    products = [(w * second[t], t) for t, w in first.items() if t in second and t[0] not in "@#"]
    products.sort(key=lambda p: (-p[0], p[1]))
    return tuple(t for _, t in products[:SHARED_SHOWN])


def _days_apart(article: Article, lead: Article) -> int | None:
    """Days between an article's date and the lead's, when both are dated."""
    a, b = day_number(article), day_number(lead)
    return None if a is None or b is None else abs(a - b)


class LeadTerms(Mapping[str, Counter[str]]):
    """The term bags of clusters' leads, by lead id, each rebuilt when asked for.

    Kept as the compact arrays the vectors were built from: a hundred
    thousand articles make over twenty thousand leads, and their bags as
    Counters took more memory than the vectors. Bags known from elsewhere
    (stories settled by earlier builds) may be added beside them.
    """

    def __init__(
        self,
        bags: VectorBuilder | None = None,
        positions: Mapping[str, int] | None = None,
        known: Mapping[str, Counter[str]] | None = None,
    ) -> None:
        self._bags = bags
        self._positions = positions or {}
        self._known = known or {}
        # Counted once: ``len`` (and truth) of a mapping is expected to be cheap.
        unknown = sum(1 for lead in self._positions if lead not in self._known)
        self._size = len(self._known) + unknown

    def adding(self, known: Mapping[str, Counter[str]]) -> LeadTerms:
        """These bags and ``known`` ones, which take precedence."""
        return LeadTerms(self._bags, self._positions, {**self._known, **known})

    def __getitem__(self, lead: str) -> Counter[str]:
        if lead in self._known:
            return self._known[lead]
        if self._bags is None:
            raise KeyError(lead)
        return self._bags.bag(self._positions[lead])

    def __contains__(self, lead: object) -> bool:
        return lead in self._known or lead in self._positions

    def __iter__(self) -> Iterator[str]:
        yield from self._known
        yield from (lead for lead in self._positions if lead not in self._known)

    def __len__(self) -> int:
        return self._size


@dataclass(frozen=True, slots=True)
class Clustering:
    """Clusters, and the term bags of their leads, which storylines compare."""

    clusters: tuple[Cluster, ...]
    lead_terms: LeadTerms


def cluster(
    articles: Sequence[Article], *, window_days: int = DEFAULT_WINDOW_DAYS, jobs: int = 1
) -> tuple[Cluster, ...]:
    """One cluster per event, every article in exactly one, sorted by date then id.

    ``jobs`` processes share the per-article work (sketches and features);
    the clusters do not depend on it.
    """
    return clustering(articles, window_days=window_days, jobs=jobs).clusters


def clustering(
    articles: Sequence[Article],
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    jobs: int = 1,
    cache: EvidenceCache | None = None,
    code: str = "",
) -> Clustering:
    """``cluster``, keeping each lead's terms so storylines need not extract them again.

    With a ``cache``, the per-article evidence (sketches and features) made
    by earlier builds of the same ``code`` is reused; the clusters are the
    same either way.
    """
    ordered = sorted(articles, key=order_key)
    if not ordered:
        return Clustering((), LeadTerms())
    keys = [evidence_key(a, code) for a in ordered] if cache is not None else []
    sketched = sketches(ordered, jobs, cache, keys)
    copies = _copy_edges(ordered, sketched[0], sketched[1])
    units = _units(ordered, _same_article_edges(ordered), copies)
    order = [member for unit in units for member in unit.members]
    extracted = bags_and_names(ordered, order, jobs, cache, keys, sketched)
    features, bags = _features_and_bags(ordered, units, extracted)
    del sketched  # the signatures found the copies and, with a cache, are saved
    vecs = bags.build()
    name_frequency: Counter[str] = Counter()
    for unit in units:
        name_frequency.update(features[unit.original].keys)
    name_idf = {n: idf(df, len(units)) for n, df in name_frequency.items()}
    days = [u.first_day for u in units]
    is_name = np.array([term.startswith("@") for term in vecs.vocabulary], dtype=bool)
    keep = _PairRule(_event_words(vecs), np.array([d is not None for d in days], dtype=bool))
    pairs = similar_pairs(vecs, days, window_days, is_name, keep=keep)
    _weigh_dates(pairs, days, window_days)
    evidence = [_Evidence(1, features[u.original].keys, u.first_day, u.last_day) for u in units]
    groups = average_link(
        pairs,
        evidence,
        MERGE_THRESHOLD,
        merge=_merge_evidence,
        veto=_VetoRule(window_days, name_idf),
    )
    copied: dict[int, float] = {}
    for a, b, share in copies:
        for member in (a, b):
            copied[member] = max(copied.get(member, 0.0), round(share, 2))
    context = _Context(ordered, features, units, vecs, name_idf, copied)
    made = [_build_cluster(context, group) for group in groups]
    made.sort(key=lambda pair: (pair[0], pair[1].id))
    # Articles sharing an id are one unit, so an original's id names its unit.
    unit_of = {ordered[unit.original].id: position for position, unit in enumerate(units)}
    positions = {c.lead: unit_of[c.lead] for _, c in made}
    return Clustering(tuple(c for _, c in made), LeadTerms(bags, positions))


def _features_and_bags(
    articles: Sequence[Article],
    units: Sequence[_Unit],
    extracted: Iterator[tuple[Counter[str], Names]],
) -> tuple[list[Names], VectorBuilder]:
    """Every article's names, and the term bags of the units' originals, in unit order.

    ``extracted`` gives each member's bag and names in unit order, one at a
    time; only the names are kept, the bags of originals go straight into
    compact arrays, so memory does not grow with each article's vocabulary.
    """
    features: list[Names] = [NO_NAMES] * len(articles)
    builder = VectorBuilder()
    members = ((member, member == unit.original) for unit in units for member in unit.members)
    for (member, original), (bag, names) in zip(members, extracted, strict=True):
        if original:
            builder.add(bag)
        features[member] = names
    return features, builder


@dataclass(frozen=True, slots=True)
class _PairRule:
    """Which compared pairs may be one event, before their dates are weighed.

    A pair must share enough names (see MIN_SHARED_NAMES) and, when both
    are dated, enough event words (see MIN_EVENT_WORDS); the others would
    count as not similar at all, so they are never kept: on a busy week
    they are most of the pairs compared.
    """

    event_words: _EventWords
    dated: npt.NDArray[np.bool_]

    def __call__(self, pairs: Pairs) -> npt.NDArray[np.bool_]:
        keep = (pairs.shared >= MIN_SHARED_NAMES) | (pairs.similarity >= TRUSTED_WITHOUT_NAMES)
        doubt = keep & self.dated[pairs.first] & self.dated[pairs.second]
        doubt &= pairs.similarity < TRUSTED_WITHOUT_WORDS
        checked = np.flatnonzero(doubt)
        if len(checked):
            share = self.event_words.shared(pairs.first[checked], pairs.second[checked])
            keep[checked[share < MIN_EVENT_WORDS]] = False
        return keep


@dataclass(frozen=True, slots=True)
class _EventWords:
    """The vectors' weights with a mark on each entry that is an event word.

    Both matrices share the vectors' term numbers, so marking the words
    costs a byte an entry, where a matrix of their weights alone would copy
    most of the vectors (about 80 MB at 100k articles, at the memory peak).
    """

    weights: sparse.csr_matrix
    marked: sparse.csr_matrix

    def rows(self, texts: npt.NDArray[np.int64]) -> sparse.csr_matrix:
        """The event words' weights of these texts, a row each (others stored as zeros).

        Rows taken from both matrices keep the same entries in the same
        places, so the marks apply to the weights' values directly, without
        the general element-wise product that matches entries up.
        """
        weights = self.weights[texts]
        marked = self.marked[texts]
        return sparse.csr_matrix(
            (weights.data * marked.data, weights.indices, weights.indptr), shape=weights.shape
        )

    def shared(
        self, first: npt.NDArray[np.int64], second: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float64]:
        """Each pair's cosine part from the event words both texts have.

        Each text's row is taken once. When the pairs are a good part of
        all pairs among few texts (a rebuild's open stories), all their
        products come from one sparse matrix product; otherwise each pair's
        products are summed with a product by ones. Both add a pair's terms
        one by one in term order, so they give the same figures to the last
        bit (``sum(axis=1)`` adds in another order and would not).
        """
        texts, inverse = np.unique(np.concatenate((first, second)), return_inverse=True)
        rows = self.rows(texts)
        left, right = inverse[: len(first)], inverse[len(first) :]
        if len(texts) <= ALL_PRODUCTS_TEXTS and len(texts) ** 2 <= ALL_PRODUCTS_SHARE * len(first):
            return np.asarray((rows @ rows.T).toarray()[left, right])
        products = rows[left].multiply(rows[right]).tocsr()
        return np.asarray(products @ np.ones(products.shape[1]))


def _event_words(vecs: Vectors) -> _EventWords:
    """The vectors' entries for plain words that are no name in their own text.

    Every entry counts, the common words no pair is found by included: those
    are the words two reports of one event share and two events do not.
    """
    vocabulary = vecs.vocabulary
    index = {term: position for position, term in enumerate(vocabulary) if term[0] == "@"}
    # The term number of each plain word's name twin ("@word"); -1 if none,
    # -2 for names and numbers themselves.
    twin_of = np.fromiter(
        (-2 if term[0] in "@#" else index.get("@" + term, -1) for term in vocabulary),
        dtype=np.int64,
        count=len(vocabulary),
    )
    size = len(vocabulary)
    plain = np.empty(len(vecs.terms), dtype=bool)
    # A word's twin is looked for in its own text, so runs of whole texts do.
    for first, last, begin, end in vecs.text_runs():
        if begin == end:
            continue
        terms = vecs.terms[begin:end]
        texts = vecs.texts_of(first, last).astype(np.int64)
        twin = twin_of[terms]
        # Sorted: vectors list entries by text, then term.
        entries = texts * size + terms
        named = np.flatnonzero(twin >= 0)
        wanted = texts[named] * size + twin[named]
        found = np.minimum(np.searchsorted(entries, wanted), len(entries) - 1)
        part = twin != -2
        part[named[entries[found] == wanted]] = False  # the word is a name in this text
        plain[begin:end] = part
    shape = (vecs.size, size)
    return _EventWords(
        sparse.csr_matrix((vecs.weights, vecs.terms, vecs.starts), shape=shape),
        sparse.csr_matrix((plain, vecs.terms, vecs.starts), shape=shape),
    )


def _weigh_dates(pairs: Pairs, days: Sequence[int | None], window_days: int) -> None:
    """Weigh each pair's similarity by its date evidence (in place; see MERGE_THRESHOLD)."""
    day = np.array([-1 if d is None else d for d in days], dtype=np.int64)
    first, second = day[pairs.first], day[pairs.second]
    dated = (first >= 0) & (second >= 0)
    gap = np.abs(first - second)[dated]
    pairs.similarity[dated] *= EDGE_WEIGHT ** (gap / max(window_days, 1))
    pairs.similarity[~dated] *= UNDATED_WEIGHT


@dataclass(frozen=True, slots=True)
class _Context:
    """Everything computed once per call that building a cluster reads."""

    articles: Sequence[Article]
    features: Sequence[Names]
    units: Sequence[_Unit]
    vectors: Vectors
    name_idf: Mapping[str, float]
    copied: Mapping[int, float]


def _build_cluster(context: _Context, group: Sequence[int]) -> tuple[date, Cluster]:
    """A cluster of units, with its lead chosen and every member's link explained."""
    articles, features = context.articles, context.features
    units = [context.units[g] for g in group]
    lead_unit = (
        max(
            range(len(units)),
            key=lambda k: (
                _informativeness(articles[units[k].original], features[units[k].original]),
                -units[k].original,
            ),
        )
        if len(units) > 1
        else 0
    )
    lead = units[lead_unit].original
    # Only other reports are compared with the lead; most stories have none.
    lead_vector = context.vectors.of(group[lead_unit]) if len(units) > 1 else {}
    links = [Link(article=articles[lead].id, tier="lead")]
    for position, unit in enumerate(units):
        if position != lead_unit:
            vector = context.vectors.of(group[position])
            similarity = cosine(vector, lead_vector)
            links.append(
                Link(
                    article=articles[unit.original].id,
                    tier="same-event",
                    similarity=round(min(similarity, 1.0), 2),
                    shared=_shared_names(features[unit.original], features[lead], context.name_idf)
                    or _shared_terms(vector, lead_vector),
                    days_apart=_days_apart(articles[unit.original], articles[lead]),
                )
            )
        for member in unit.members:
            if member != unit.original:
                links.append(_copy_link(context, member, unit.original, lead))
    members = [articles[m] for unit in units for m in unit.members]
    first = links[0]
    rest = sorted(links[1:], key=lambda link: link.article)
    return min(placing_day(a) for a in members), Cluster(
        id=_cluster_id(members), lead=articles[lead].id, links=(first, *rest)
    )


def _copy_link(context: _Context, member: int, original: int, lead: int) -> Link:
    """The link of an article that repeats ``original``: same address or copied text."""
    articles = context.articles
    copy, source = articles[member], articles[original]
    same_address = copy.id == source.id or (
        copy.url is not None
        and source.url is not None
        and canonical_url(copy.url) == canonical_url(source.url)
    )
    tier: Tier = "same-article" if same_address else "copy"
    return Link(
        article=copy.id,
        tier=tier,
        similarity=1.0 if same_address else context.copied.get(member, 1.0),
        shared=_shared_names(
            context.features[member], context.features[original], context.name_idf
        ),
        days_apart=_days_apart(copy, articles[lead]),
        copy_of=source.id,
    )
