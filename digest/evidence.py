"""Evidence: what clustering reads from each article, made once and reused.

Clustering needs two things from every article: its MinHash sketch (for
copies) and its features (the term bag that makes its TF-IDF vector, and
the names that explain and veto merges). Both depend on the article's
headline and text alone, and making them is most of the stories stage's
work. So they are made over ``jobs`` processes when that pays, and, with a
cache (the state store), kept under a key of the headline, the text and the
code, so the next build reuses them and only new articles are read.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import chain, islice
from sys import intern
from typing import Protocol, overload

import numpy as np
import numpy.typing as npt

from digest.features import Names, text_features
from digest.model import Article
from digest.sketch import PERMUTATIONS, signatures_over

# With several jobs, features are extracted in other processes from this
# many articles on (fewer are done sooner in one), sent in batches of
# PARALLEL_BATCH and chunks of PARALLEL_CHUNK.
PARALLEL_BATCH = 2_000
PARALLEL_CHUNK = 50
# Cached features are read and new ones saved this many articles at a time.
CACHE_BATCH = 2_000
# Evidence keys: this many bytes of a BLAKE2b hash, as hex.
KEY_BYTES = 16

Sketch = tuple[bytes, int]
"""A cached sketch: the MinHash signature's bytes and the sampled shingle count."""


class EvidenceCache(Protocol):
    """Where evidence made by earlier builds is kept (the state store)."""

    def sketches(self, keys: Sequence[str]) -> dict[str, Sketch]: ...

    def features(self, keys: Sequence[str]) -> dict[str, str]: ...

    def save_evidence(self, rows: Sequence[tuple[str, bytes, int, str]]) -> None: ...


class ArticleTexts(Sequence[str]):
    """The texts of some articles, unpacked one at a time as they are read.

    Articles hold their texts compressed; a list of every text unpacked at
    once would hold the corpus whole again.
    """

    def __init__(self, articles: Sequence[Article]) -> None:
        self._articles = articles

    def __len__(self) -> int:
        return len(self._articles)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [article.text for article in self._articles[index]]
        return self._articles[index].text


def evidence_key(article: Article, code: str) -> str:
    """What an article's evidence depends on, hashed: headline, text and the code.

    The text is hashed as the article holds it, packed: the same packing
    always gives the same bytes, so a rebuild keys its thousands of settled
    articles without unpacking their texts (a text packed by another
    compressor version gets another key and is simply worked out again).
    """
    digest = hashlib.blake2b(digest_size=KEY_BYTES)
    for part in (code, article.title):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\x00")
    digest.update(article.packed_text)
    return digest.hexdigest()


def sketches(
    articles: Sequence[Article],
    jobs: int = 1,
    cache: EvidenceCache | None = None,
    keys: Sequence[str] = (),
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64], frozenset[int]]:
    """Every article's MinHash signature and shingle count, and which were made anew.

    With a ``cache``, ``keys`` holds each article's ``evidence_key``; the
    signatures it knows are reused and only the others are signed.
    """
    known = cache.sketches(keys) if cache is not None else {}
    if not known:
        made_sigs, made_sizes = signatures_over(ArticleTexts(articles), jobs)
        return made_sigs, made_sizes, frozenset(range(len(articles)))
    missing = [i for i, key in enumerate(keys) if key not in known]
    sigs = np.empty((len(articles), PERMUTATIONS), dtype=np.uint32)
    sizes = np.empty(len(articles), dtype=np.int64)
    for index, key in enumerate(keys):
        if key in known:
            signature, count = known[key]
            sigs[index] = np.frombuffer(signature, dtype=np.uint32)
            sizes[index] = count
    if missing:
        unsigned = ArticleTexts([articles[i] for i in missing])
        sigs[missing], sizes[missing] = signatures_over(unsigned, jobs)
    return sigs, sizes, frozenset(missing)


def bags_and_names(
    articles: Sequence[Article],
    order: Sequence[int],
    jobs: int = 1,
    cache: EvidenceCache | None = None,
    keys: Sequence[str] = (),
    made: tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64], frozenset[int]] | None = None,
) -> Iterator[tuple[Counter[str], Names]]:
    """The term bag and names-only features of the articles at ``order``, in that order.

    With a ``cache``, features it holds are reused, and the articles whose
    sketches were ``made`` anew (``sketches``' result) are saved with theirs.
    """
    if cache is None or made is None:
        yield from _extracted(((articles[i].title, articles[i].text) for i in order), jobs)
        return
    sigs, sizes, fresh = made
    new = _extracted(((articles[i].title, articles[i].text) for i in order if i in fresh), jobs)
    for start in range(0, len(order), CACHE_BATCH):
        batch = order[start : start + CACHE_BATCH]
        stored = cache.features([keys[i] for i in batch if i not in fresh])
        saving: list[tuple[str, bytes, int, str]] = []
        for index in batch:
            if index in fresh:
                bag, names = next(new)
                encoded = _encode(bag, names)
                saving.append((keys[index], sigs[index].tobytes(), int(sizes[index]), encoded))
                yield bag, names
            else:
                yield parse_features(stored[keys[index]])
        if saving:
            cache.save_evidence(saving)


def _bag_and_names(title_and_text: tuple[str, str]) -> tuple[Counter[str], Names]:
    """An article's term bag and its names-only features: what clustering keeps of it."""
    found = text_features(*title_and_text)
    return found.terms(), found.names_only()


def _extracted(texts: Iterator[tuple[str, str]], jobs: int) -> Iterator[tuple[Counter[str], Names]]:
    """``_bag_and_names`` of each (title, text), in order, over ``jobs`` processes when worth it.

    Extraction is a pure function of the text, so any number of processes
    gives the same results; texts go out in batches so they never all wait
    in a queue at once.
    """
    batches = iter(lambda: list(islice(texts, PARALLEL_BATCH)), [])
    first = next(batches, [])
    if jobs < 2 or len(first) < PARALLEL_BATCH:
        yield from map(_bag_and_names, chain(first, chain.from_iterable(batches)))
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for batch in chain([first], batches):
            yield from pool.map(_bag_and_names, batch, chunksize=PARALLEL_CHUNK)


def _encode(bag: Counter[str], names: Names) -> str:
    """Features as cached: the bag in its order, the names and their spellings."""
    return json.dumps(
        {
            "bag": list(bag.items()),
            "names": list(zip(names.keys, names.counts, strict=True)),
            "spellings": list(zip(names.keys, names.spellings, strict=True)),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def parse_features(text: str) -> tuple[Counter[str], Names]:
    """The bag and names-only features ``_encode`` wrote."""
    data = json.loads(text)
    # Interned as fresh extraction interns them: names recur across articles.
    spelled = dict(data["spellings"])
    keys = tuple(intern(key) for key, _ in data["names"])
    return Counter(dict(data["bag"])), Names(
        keys=keys,
        counts=tuple(count for _, count in data["names"]),
        spellings=tuple(intern(spelled.get(key, key)) for key in keys),
    )
