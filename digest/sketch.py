"""Near-copies: MinHash sketches of word shingles, banded for candidate lookup.

Syndicated agency text is republished under other headlines, with the outlet's
own boilerplate or a trimmed ending. Such copies share most of their word
5-grams ("shingles"). Each text is reduced to a MinHash signature: for each of
``PERMUTATIONS`` hash functions, the smallest hash over its shingles; two
signatures agree in a position with probability equal to the texts' Jaccard
similarity. Signatures are cut into bands and texts sharing a whole band
become candidates (locality-sensitive hashing), so no pair of texts is
compared unless they probably overlap; each candidate is then verified with
its estimated containment (the share of the shorter text found in the longer).

Everything is vectorised with numpy; overflow wraps, which is what the hash
maps want (h -> a*h+b mod 2^32 with odd a permutes the 32-bit values).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import xxhash

from digest.features import Spacing, is_word_character

# Words per shingle: long enough that two independent reports rarely share
# one by chance, short enough that an edited sentence still leaves most intact.
SHINGLE_WORDS = 5
# Hash functions per signature; the Jaccard estimate's standard error is about
# sqrt(J(1-J)/128) <= 0.045.
PERMUTATIONS = 128
# 32 bands of 4 rows: a pair with Jaccard 0.5 becomes a candidate with
# probability 1-(1-0.5^4)^32 = 0.87, one with Jaccard 0.7 with 0.9999, one
# with Jaccard 0.2 with 0.05.
BANDS = 32
ROWS = PERMUTATIONS // BANDS
# A text is a copy of another when at least this share of the shorter one's
# shingles is estimated to appear in the longer one: agency copy with a
# trimmed ending or an added paragraph stays above it, two outlets' own
# reports quoting the same statement stay far below it.
COPY_CONTAINMENT = 0.75
# Texts with fewer sampled shingles than this (about 35 words) are too short
# for a sketch to mean much (one shared sentence would make them "copies");
# they are compared by fingerprint only.
MIN_SHINGLES = 8
# Only the shingles whose hash is divisible by this are sketched: the same
# shingles in every text, so a copy and its source are sampled alike, and a
# quarter of the hashing work (a 700-word article keeps about 170 shingles).
SAMPLE_ONE_IN = 4
# Shingles hashed at once; bounds the memory of one batch of signatures
# (BATCH_SHINGLES * PERMUTATION_CHUNK * 4 bytes, 13 MB). Larger batches
# measured no faster.
BATCH_SHINGLES = 100_000
PERMUTATION_CHUNK = 32

# Signing is spread over processes only for at least this many texts (fewer
# are signed faster than processes start), in parts of this many texts.
PARALLEL_MIN_TEXTS = 2_000
PARALLEL_PART = 1_000

# Runs of word characters (what the regex \w+ finds), lower case: the sketch
# ignores case and punctuation.
_WORDS = Spacing(is_word_character)
_SHIFT32 = np.uint64(32)
# Odd multiplier combining the word hashes of one shingle by position.
_SHINGLE_BASE = np.uint64(0x9E3779B97F4A7C15)
_EMPTY = np.uint32(0xFFFFFFFF)


def _permutation_parameters() -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """Fixed parameters of the maps h -> a*h+b mod 2^32 (a odd: a bijection)."""
    generator = np.random.default_rng(20200926)
    high = np.iinfo(np.uint32).max
    multipliers = generator.integers(1, high, size=PERMUTATIONS, dtype=np.uint32) | np.uint32(1)
    offsets = generator.integers(0, high, size=PERMUTATIONS, dtype=np.uint32)
    return multipliers, offsets


@dataclass(frozen=True, slots=True)
class NearCopy:
    """Two texts (by index) whose shingles overlap like a copy and its source."""

    first: int
    second: int
    jaccard: float
    containment: float


class WordHashes(dict[str, int]):
    """Stable 64-bit hashes of words, each word hashed once per instance."""

    def __missing__(self, word: str) -> int:
        code = self[word] = xxhash.xxh3_64_intdigest(word.encode("utf-8"))
        return code

    def of(self, words: list[str]) -> npt.NDArray[np.uint64]:
        """The hashes of ``words``, in order."""
        return np.fromiter(map(self.__getitem__, words), dtype=np.uint64, count=len(words))


def shingle_hashes(text: str, hashes: WordHashes) -> npt.NDArray[np.uint32]:
    """The distinct sampled shingle hashes of ``text`` (32-bit)."""
    words = text.lower().translate(_WORDS).split()
    if len(words) < SHINGLE_WORDS:
        return np.empty(0, dtype=np.uint32)
    codes = hashes.of(words)
    count = len(words) - SHINGLE_WORDS + 1
    mixed = codes[:count].copy()
    for offset in range(1, SHINGLE_WORDS):
        mixed = mixed * _SHINGLE_BASE + codes[offset : offset + count]
    top = (mixed >> _SHIFT32).astype(np.uint32)
    return np.unique(top[top % SAMPLE_ONE_IN == 0])


def signatures(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """MinHash signatures (one row per text) and each text's sampled shingle count.

    Texts are shingled a batch at a time and each batch signed before the
    next is shingled, so memory holds one batch's shingles, not the corpus's.
    """
    parameters = _permutation_parameters()
    hashes = WordHashes()
    sizes = np.zeros(len(texts), dtype=np.int64)
    result = np.full((len(texts), PERMUTATIONS), _EMPTY, dtype=np.uint32)
    batch: list[npt.NDArray[np.uint32]] = []
    start = total = 0
    for position, text in enumerate(texts):
        shingles = shingle_hashes(text, hashes)
        if batch and total + len(shingles) > BATCH_SHINGLES:
            _sign_batch(batch, sizes[start:position], result[start:position], parameters)
            batch, start, total = [], position, 0
        batch.append(shingles)
        sizes[position] = len(shingles)
        total += len(shingles)
    if batch:
        _sign_batch(batch, sizes[start:], result[start:], parameters)
    return result, sizes


def _sign_batch(
    hashes: Sequence[npt.NDArray[np.uint32]],
    sizes: npt.NDArray[np.int64],
    out: npt.NDArray[np.uint32],
    parameters: tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]],
) -> None:
    """Fill ``out`` with the signatures of one batch of texts."""
    present = np.flatnonzero(sizes)
    if len(present) == 0:
        return
    joined = np.concatenate([hashes[int(i)] for i in present])
    starts = np.concatenate(([0], np.cumsum(sizes[present])[:-1]))
    multipliers, offsets = parameters
    for first in range(0, PERMUTATIONS, PERMUTATION_CHUNK):
        last = first + PERMUTATION_CHUNK
        values = multipliers[first:last, None] * joined[None, :]
        values += offsets[first:last, None]
        minima = np.minimum.reduceat(values, starts, axis=1)
        out[present, first:last] = minima.T


def _band_keys(signature_rows: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint64]:
    """One 64-bit key per text for one band: its rows mixed together."""
    key = np.zeros(signature_rows.shape[0], dtype=np.uint64)
    for column in range(signature_rows.shape[1]):
        key = key * _SHINGLE_BASE + signature_rows[:, column].astype(np.uint64)
    return key


def candidate_pairs(
    sigs: npt.NDArray[np.uint32], usable: npt.NDArray[np.bool_]
) -> npt.NDArray[np.int64]:
    """Index pairs (first < second) of usable texts that share at least one band.

    Within a bucket each text is paired with the bucket's first text and its
    predecessor: enough to connect a group of copies without listing all of
    its pairs, which would grow with the square of a much-copied text.
    """
    indices = np.flatnonzero(usable)
    found: list[npt.NDArray[np.int64]] = []
    for band in range(BANDS):
        keys = _band_keys(sigs[indices, band * ROWS : (band + 1) * ROWS])
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        members = indices[order]
        same_as_previous = np.concatenate(([False], sorted_keys[1:] == sorted_keys[:-1]))
        if not same_as_previous.any():
            continue
        run_start = np.maximum.accumulate(np.where(same_as_previous, 0, np.arange(len(keys))))
        later = np.flatnonzero(same_as_previous)
        for partner in (members[run_start[later]], members[later - 1]):
            low = np.minimum(partner, members[later])
            high = np.maximum(partner, members[later])
            found.append(np.stack((low, high), axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(found), axis=0)


def signatures_over(
    texts: Sequence[str], jobs: int
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """``signatures(texts)``, signed in parts over ``jobs`` processes when worth it.

    A text's signature depends on nothing but the text, so the parts put
    together are exactly the signatures made in one process.
    """
    if jobs < 2 or len(texts) < PARALLEL_MIN_TEXTS:
        return signatures(texts)
    # Parts are sent a wave (one per process) at a time, so only a wave's
    # texts wait to be signed, never the whole corpus.
    wave = jobs * PARALLEL_PART
    signed: list[tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for first in range(0, len(texts), wave):
            ends = range(first, min(first + wave, len(texts)), PARALLEL_PART)
            signed.extend(pool.map(signatures, [texts[e : e + PARALLEL_PART] for e in ends]))
    return np.concatenate([s for s, _ in signed]), np.concatenate([z for _, z in signed])


def near_copies(texts: Sequence[str], jobs: int = 1) -> tuple[NearCopy, ...]:
    """Every verified copy relation among ``texts``, sorted by index pair.

    ``jobs`` processes sign the texts; the result does not depend on it.
    """
    return copies_among(*signatures_over(texts, jobs))


def copies_among(
    sigs: npt.NDArray[np.uint32], sizes: npt.NDArray[np.int64]
) -> tuple[NearCopy, ...]:
    """Every verified copy relation among texts given by their signatures and shingle counts."""
    pairs = candidate_pairs(sigs, sizes >= MIN_SHINGLES)
    if len(pairs) == 0:
        return ()
    first, second = pairs[:, 0], pairs[:, 1]
    jaccard = (sigs[first] == sigs[second]).mean(axis=1)
    smaller = np.minimum(sizes[first], sizes[second])
    # |A∩B| = J(|A|+|B|)/(1+J); containment divides it by the smaller set.
    shared = jaccard * (sizes[first] + sizes[second]) / (1.0 + jaccard)
    containment = np.minimum(shared / smaller, 1.0)
    keep = np.flatnonzero(containment >= COPY_CONTAINMENT)
    return tuple(
        NearCopy(int(first[k]), int(second[k]), float(jaccard[k]), float(containment[k]))
        for k in keep
    )
