"""Near-duplicate seeds: Jaccard similarity of character 5-gram sets, found with MinHash LSH.

Two texts are compared as *sets of shingles*: every run of :data:`SHINGLE_CHARS`
characters of their comparison form (:func:`comparison_form`: NFKC, case-folded,
everything but letters and digits removed). Removing spaces and punctuation makes
the comparison blind to line wrapping, end-of-line hyphens, quote styles and
full-width punctuation, which differ between two copies of one article far more
often than words do; character shingles (rather than words) work the same for
Chinese and Japanese, which are written without spaces.

The similarity is the exact Jaccard index of the two shingle sets. MinHash
signatures (``datasketch``, fixed seed and number of permutations, so the same on
every machine) and an LSH index only *find candidates* without comparing every pair,
at a threshold below the decision threshold; every candidate is then measured
exactly, so the verdict never depends on MinHash's estimation error.

What the threshold means, measured on news paragraphs (the tests re-measure it on
synthetic texts: tests/contribute/test_near_duplicates.py):

===============================================================  ==========
the second text is the first ...                                  similarity
===============================================================  ==========
re-wrapped, re-hyphenated, re-cased, other quotes or spaces       1.00
with a 300-character footer added ("Subscribe to ...")            0.97
with one sentence in fourteen rewritten                           0.87
with three sentences in fourteen rewritten                        0.77
with five sentences in fourteen rewritten                         0.65
cut to its first half                                             0.56
another report on the same subject, same outlet, same week        0.01-0.08
===============================================================  ==========
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

# Five characters is about one word in alphabetic scripts and two or three words of
# Chinese: long enough that unrelated texts in one language share few shingles
# (same-subject English reports share under a tenth), short enough that one
# edited word changes only a handful of them.
SHINGLE_CHARS = 5

# A copy with about a fifth of its sentences rewritten (≈0.75) is still the same
# article; a text cut to its first half (≈0.56) or a different report on the same
# event (<0.1) is not. 0.7 sits in the gap with room on both sides.
NEAR_DUPLICATE_THRESHOLD = 0.7

# LSH only proposes candidates; it is tuned to miss almost nothing at or above the
# decision threshold (pairs down to 0.5 are proposed, false negatives weighted 9:1),
# and the exact Jaccard of each candidate decides.
CANDIDATE_THRESHOLD = 0.5
LSH_WEIGHTS = (0.1, 0.9)
# The LSH's bands and the signature values in each: what datasketch's ``MinHashLSH``
# picks for that threshold and those weights (a test asks it). Written here, not
# asked of datasketch at run time: datasketch imports scipy to pick them, which was
# three fifths of every ``curation check`` (the pre-commit hook), some 1.4 s.
LSH_BANDS = 32
LSH_ROWS = 4

# 128 permutations: the LSH bands at 0.5 are then reliable (datasketch's default).
NUM_PERM = 128
# Fixed, so that signatures and candidate sets are the same on every machine.
MINHASH_SEED = 1
# Texts measured exactly for a review's nearest neighbours (SignatureScan.nearest):
# those with the highest MinHash estimates.
NEAREST_MEASURED = 64

_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")

# Polynomial rolling hash over code points, then the splitmix64 finalizer: a fixed,
# well-mixed 64-bit hash per shingle, computed for a whole text at once in numpy.
_ROLL = np.uint64(0x100000001B3)
_MIX = (np.uint64(30), np.uint64(0xBF58476D1CE4E5B9), np.uint64(27))
_MIX2 = (np.uint64(0x94D049BB133111EB), np.uint64(31))


def comparison_form(text: str) -> str:
    """The text as it is compared: NFKC, case-folded, only letters and digits.

    >>> comparison_form("Cooperation  between\\nChina and Rus-\\nsia, «digital» 2021")
    'cooperationbetweenchinaandrussiadigital2021'
    >>> comparison_form("中俄数字合作。（人民网）")
    '中俄数字合作人民网'
    """
    return _NOT_LETTER_OR_DIGIT.sub("", unicodedata.normalize("NFKC", text).casefold())


def shingle_hashes(text: str, width: int = SHINGLE_CHARS) -> np.ndarray:
    """Sorted, distinct 64-bit hashes of the text's character shingles of ``width`` characters.

    A text shorter than one shingle is one shingle; a text with no letters or
    digits has none, and is similar to nothing. The build's ``dedup_near`` pass
    (:mod:`curation.corpus.dedup_near`) shingles with this function too, with the
    width its rules file gives.
    """
    form = comparison_form(text)
    if not form:
        return np.zeros(0, dtype=np.uint64)
    points = np.frombuffer(form.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    width = min(width, len(points))
    count = len(points) - width + 1
    hashes = np.zeros(count, dtype=np.uint64)
    for offset in range(width):
        hashes = (hashes * _ROLL) ^ points[offset : offset + count]
    hashes ^= hashes >> _MIX[0]
    hashes *= _MIX[1]
    hashes ^= hashes >> _MIX[2]
    hashes *= _MIX2[0]
    hashes ^= hashes >> _MIX2[1]
    hashes.sort()
    if count > 1:
        hashes = hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))]
    return hashes


def jaccard(first: np.ndarray, second: np.ndarray) -> float:
    """Exact Jaccard index of two shingle sets from :func:`shingle_hashes`.

    >>> jaccard(shingle_hashes("the same words"), shingle_hashes("The same, words!"))
    1.0
    >>> jaccard(shingle_hashes("abc"), shingle_hashes("..."))
    0.0
    """
    if not len(first) or not len(second):
        return 0.0
    shared = len(np.intersect1d(first, second, assume_unique=True))
    return shared / (len(first) + len(second) - shared)


@functools.cache
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations for ``num_perm`` and ``seed`` (the tests compare).

    Drawn as ``MinHash._init_permutations`` draws them, from numpy's
    ``RandomState(seed)``: the same on every machine. Odd multipliers, so that each
    map is a bijection of the 32-bit values.
    """
    generator = np.random.RandomState(seed)
    multipliers = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2)
    multipliers += np.uint32(1)
    offsets = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return multipliers, offsets


# MurmurHash3's 32-bit finalizer, which datasketch's "affine32" scheme applies to
# every input hash before its permutations (datasketch.minhash._FMIX_CONSTANTS).
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))

# Every value of the MinHash of no shingles (datasketch's ``MinHash.is_empty``).
_EMPTY_VALUE = np.iinfo(np.uint32).max

# Shingles permuted at a time: bounds the temporary array (rows × num_perm × 4 bytes,
# 4 MiB at 128 permutations) whatever the length of the text.
_MINHASH_CHUNK = 8192


def minhash_values(
    shingles: np.ndarray, num_perm: int = NUM_PERM, seed: int = MINHASH_SEED
) -> np.ndarray:
    """The ``num_perm`` uint32 values of the MinHash of a shingle set.

    The same numbers as datasketch's ``MinHash(scheme="affine32")`` fed the
    shingles' top 32 bits (the tests check it), computed on the whole array at
    once: datasketch's ``update_batch`` hashes its input one Python object at a
    time, which took twice as long on the benchmark's documents (3,000 shingles
    each: 13.5 against 7.3 ms on a loaded machine).
    """
    multipliers, offsets = (p.astype(np.uint32) for p in _permutations(num_perm, seed))
    values = np.full(num_perm, _EMPTY_VALUE, dtype=np.uint32)
    # One table of permuted values, filled in place chunk after chunk: a new table
    # for each product and each sum (1.5 MB each at 3,000 shingles, given back to the
    # system and faulted in again every time) made this three times slower.
    permuted = np.empty((min(len(shingles), _MINHASH_CHUNK), num_perm), dtype=np.uint32)
    for start in range(0, len(shingles), _MINHASH_CHUNK):
        hashes = (shingles[start : start + _MINHASH_CHUNK] >> np.uint64(32)).astype(np.uint32)
        hashes ^= hashes >> _FMIX32[0]
        hashes *= _FMIX32[1]
        hashes ^= hashes >> _FMIX32[2]
        hashes *= _FMIX32[3]
        hashes ^= hashes >> _FMIX32[0]
        rows = permuted[: len(hashes)]
        np.multiply(hashes[:, None], multipliers, out=rows)
        rows += offsets  # uint32 arithmetic wraps modulo 2**32, as datasketch's does
        np.minimum(values, rows.min(axis=0), out=values)
    return values


@dataclass(frozen=True)
class Fingerprint:
    """One text, ready to compare: a key (seed or record id), the text and the values of
    its MinHash signature (:func:`minhash_values`).

    The shingle set is computed when an exact comparison first needs it, so that a
    signature read from a cache saves the work for texts that have no candidates.
    Only the values are read, never a datasketch ``MinHash`` of them: making one was a
    seventh of an ``add-seed``, and importing datasketch more than half of a ``check``
    (``tests/oracles_datasketch.py`` makes them, to compare with datasketch).
    """

    key: str
    text: str = field(repr=False, compare=False)
    values: np.ndarray = field(repr=False, compare=False)

    @classmethod
    def of(cls, key: str, text: str) -> Fingerprint:
        shingles = shingle_hashes(text)
        fingerprint = cls(key, text, minhash_values(shingles))
        fingerprint.__dict__["shingles"] = shingles  # fills the cached_property below
        return fingerprint

    @functools.cached_property
    def shingles(self) -> np.ndarray:
        return shingle_hashes(self.text)

    @property
    def is_empty(self) -> bool:
        """No letters or digits: similar to nothing, and never indexed."""
        return bool((self.values == _EMPTY_VALUE).all())


# The exact similarity of two fingerprints' texts (exact_similarity, or a memo of it).
Similarity = Callable[[Fingerprint, Fingerprint], float]


def exact_similarity(first: Fingerprint, second: Fingerprint) -> float:
    """The Jaccard index of the two texts' shingle sets."""
    return jaccard(first.shingles, second.shingles)


@dataclass(frozen=True, order=True)
class Neighbour:
    """Another text and how similar it is; sorts most similar first, then by key."""

    sort_key: tuple[float, str] = field(init=False, repr=False)
    key: str
    similarity: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "sort_key", (-self.similarity, self.key))

    @property
    def is_near_duplicate(self) -> bool:
        return self.similarity >= NEAR_DUPLICATE_THRESHOLD


class NearDuplicateIndex:
    """Fingerprints of a corpus, queried for texts at least ``threshold`` similar."""

    def __init__(self, fingerprints: Iterable[Fingerprint] = ()) -> None:
        # One table per band, from the band's values (as bytes) to the keys that have
        # them: datasketch's ``MinHashLSH`` buckets, so the candidates are its own.
        self._buckets: list[dict[bytes, list[str]]] = [{} for _ in range(LSH_BANDS)]
        self._by_key: dict[str, Fingerprint] = {}
        for fingerprint in fingerprints:
            self.add(fingerprint)

    def __len__(self) -> int:
        return len(self._by_key)

    def add(self, fingerprint: Fingerprint) -> None:
        if fingerprint.key in self._by_key:
            raise ValueError(f"{fingerprint.key} is already in the index")
        self._by_key[fingerprint.key] = fingerprint
        if not fingerprint.is_empty:  # an empty set would collide with every other one
            for bucket, band in zip(self._buckets, _bands(fingerprint), strict=True):
                bucket.setdefault(band, []).append(fingerprint.key)

    def near_duplicates(
        self,
        fingerprint: Fingerprint,
        threshold: float = NEAR_DUPLICATE_THRESHOLD,
        similarity: Similarity | None = None,
    ) -> list[Neighbour]:
        """Texts in the index with exact similarity ≥ ``threshold`` (≥ the LSH's own).

        ``similarity(first, second)``, if given, is the exact similarity of two
        fingerprints' texts from elsewhere (remembered by ``check``'s cache):
        :func:`exact_similarity` by default.
        """
        if fingerprint.is_empty:
            return []
        measure = similarity or exact_similarity
        found = []
        candidates = {
            key
            for bucket, band in zip(self._buckets, _bands(fingerprint), strict=True)
            for key in bucket.get(band, ())
        }
        for key in candidates:
            if key == fingerprint.key:
                continue
            value = measure(fingerprint, self._by_key[key])
            if value >= threshold:
                found.append(Neighbour(key, value))
        return sorted(found)

    def nearest(
        self, fingerprint: Fingerprint, count: int, skip: Callable[[str], bool] | None = None
    ) -> list[Neighbour]:
        """The ``count`` most similar texts, measured exactly against every one (for reviews).

        ``skip(key)`` leaves texts out, e.g. the other records of the same seed.
        """
        scored = [
            Neighbour(key, jaccard(fingerprint.shingles, other.shingles))
            for key, other in self._by_key.items()
            if key != fingerprint.key and not (skip and skip(key))
        ]
        return sorted(n for n in scored if n.similarity > 0)[:count]


def _bands(fingerprint: Fingerprint) -> list[bytes]:
    """The signature's :data:`LSH_BANDS` bands of :data:`LSH_ROWS` values, as bytes."""
    values = fingerprint.values[: LSH_BANDS * LSH_ROWS].astype("<u4").tobytes()
    width = 4 * LSH_ROWS
    return [values[start : start + width] for start in range(0, len(values), width)]


class SignatureScan:
    """Fingerprints of a corpus, asked about a few texts: :class:`NearDuplicateIndex`'s
    answers, with its candidates found by comparing the query's LSH bands with every
    signature's at once, in numpy.

    The LSH index hashes each band of every signature into a table when it is built,
    which pays for itself over many queries (``check`` asks about every seed); for
    one new seed and its few records (``add-seed``), building it for a corpus of
    10,000 seeds was a third of the command's time. A band matches exactly when
    datasketch's table would put the two signatures in one bucket (the same ``rows``
    values), so the candidates, and the exact Jaccard that decides, are the same.
    """

    def __init__(self, fingerprints: Iterable[Fingerprint] = ()) -> None:
        # In key order: ties in nearest()'s estimates go to the smaller key.
        self._fingerprints = sorted((f for f in fingerprints if not f.is_empty), key=_key)
        keys = [f.key for f in self._fingerprints]
        if len(set(keys)) != len(keys):
            raise ValueError("a key is twice in the scan")
        values = [f.values for f in self._fingerprints]
        self._values = np.stack(values) if values else np.zeros((0, NUM_PERM), np.uint32)

    def near_duplicates(
        self, fingerprint: Fingerprint, threshold: float = NEAR_DUPLICATE_THRESHOLD
    ) -> list[Neighbour]:
        """Texts in the scan with exact similarity ≥ ``threshold`` (≥ the LSH's own)."""
        if fingerprint.is_empty or not self._fingerprints:
            return []
        query = fingerprint.values
        equal = self._values[:, : LSH_BANDS * LSH_ROWS] == query[: LSH_BANDS * LSH_ROWS]
        bands = equal.reshape(len(equal), LSH_BANDS, LSH_ROWS)
        candidates = np.flatnonzero(bands.all(axis=2).any(axis=1))
        found = []
        for index in candidates:
            other = self._fingerprints[index]
            if other.key == fingerprint.key:
                continue
            similarity = jaccard(fingerprint.shingles, other.shingles)
            if similarity >= threshold:
                found.append(Neighbour(other.key, similarity))
        return sorted(found)

    def nearest(
        self, fingerprint: Fingerprint, count: int, skip: Callable[[str], bool] | None = None
    ) -> list[Neighbour]:
        """The ``count`` most similar texts, for reviews: of the :data:`NEAREST_MEASURED`
        texts with the highest MinHash estimate, those most similar by exact measure.

        :meth:`NearDuplicateIndex.nearest` measures every text exactly, which needs
        every text's shingle set (a 10,000-seed corpus: minutes, and a gigabyte for
        the sets); the estimate of a pair ranks it within a few hundredths of its exact
        value (128 values), so a text outside the first :data:`NEAREST_MEASURED` by
        estimate is not among the first few by measure unless the corpus holds dozens
        of texts about as similar. A corpus of at most that many texts is measured
        whole, as the index does. ``skip(key)`` leaves texts out.
        """
        if fingerprint.is_empty or not self._fingerprints:
            return []
        estimates = (self._values == fingerprint.values).sum(axis=1)
        found = []
        measured = 0
        for index in np.argsort(-estimates, kind="stable"):
            if measured == NEAREST_MEASURED:
                break
            other = self._fingerprints[index]
            if other.key == fingerprint.key or (skip and skip(other.key)):
                continue
            measured += 1
            found.append(Neighbour(other.key, jaccard(fingerprint.shingles, other.shingles)))
        return sorted(n for n in found if n.similarity > 0)[:count]


def _key(fingerprint: Fingerprint) -> str:
    return fingerprint.key


def near_duplicate_pairs(
    fingerprints: Sequence[Fingerprint], similarity: Similarity | None = None
) -> list[tuple[str, Neighbour]]:
    """Every pair at or above the threshold, as (later key, earlier neighbour), keys in order.

    Each text is compared with the texts before it, so each pair is reported once,
    on the later one. ``similarity``: see :meth:`NearDuplicateIndex.near_duplicates`.
    """
    index = NearDuplicateIndex()
    pairs: list[tuple[str, Neighbour]] = []
    for fingerprint in sorted(fingerprints, key=lambda f: f.key):
        found = index.near_duplicates(fingerprint, similarity=similarity)
        pairs.extend((fingerprint.key, n) for n in found)
        index.add(fingerprint)
    return pairs
