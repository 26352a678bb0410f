"""wordfreq's Zipf frequencies from compact tables: the same numbers, a fraction of the memory.

``wordfreq.zipf_frequency`` keeps each language's word list twice, as read (a
list of lists of words) and as a dict from word to frequency, both cached for the
life of the process: some 120 MiB for Russian and 35 MiB for English, in every
process that cleans (a forked worker counts its own). The steps only ever ask for
the frequency of a word, so here each list is kept as the bytes of its words
one after the other, with where each word starts, its frequency band (centibels,
which is all a frequency is in wordfreq) and 32 bits of its hash: about 19 MiB for
Russian, loaded on first use of the language, in the processes that use it.

:func:`zipf_frequency` gives the number ``wordfreq.zipf_frequency(word, lang)``
gives (word list ``"best"``, minimum 0), bit for bit: the tokens, the treatment
of digits and the rounding are wordfreq's own functions or its formula, and a
test compares the two on every word of a sample of each list and on phrases,
numbers and unknown words.

>>> zipf_frequency("the", "en"), zipf_frequency("qwxzv", "en")
(7.73, 0.0)
"""

from __future__ import annotations

import bisect
import functools
import gzip
import math
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np

from curation.heap import give_back_free_memory

# wordfreq divides a frequency by this for each word boundary its Chinese
# tokenizer inferred (wordfreq.INFERRED_SPACE_FACTOR).
INFERRED_SPACE_FACTOR = 10.0

# Frequencies of words asked for again are remembered: a page repeats its words.
# Bounded, so that the memory it takes does not grow with the corpus.
CACHED_WORDS = 1 << 14


# Bytes of a word list reordered at a time when its table is built: the index of
# their positions is 8 bytes a byte, so a chunk bounds that temporary (some 8 MiB).
REORDER_CHUNK = 1 << 16


@functools.cache
def _wordfreq() -> Any:
    """wordfreq's functions (and langcodes and msgpack, which it brings), imported on
    the first word asked about, not with this module: the steps' modules import this
    one, and a process that only writes what the record cache kept (a rebuild's)
    asks no word's frequency; the imports took a fifth of a second there."""
    import langcodes
    import msgpack
    from wordfreq import available_languages
    from wordfreq.language_info import get_language_info
    from wordfreq.numbers import digit_freq, smash_numbers
    from wordfreq.tokens import lossy_tokenize

    return SimpleNamespace(
        langcodes=langcodes,
        msgpack=msgpack,
        available_languages=available_languages,
        get_language_info=get_language_info,
        digit_freq=digit_freq,
        smash_numbers=smash_numbers,
        lossy_tokenize=lossy_tokenize,
    )


@functools.cache
def available_languages() -> frozenset[str]:
    """The languages wordfreq has a word list for (``wordfreq.available_languages()``),
    asked once: wordfreq lists its data folder on every call (5 ms, more than the rest
    of a page)."""
    return frozenset(_wordfreq().available_languages())


def word_hash(data: bytes) -> int:
    """The 32 bits (the CRC-32 of ``data``) that a table sorts its words by.

    Only where a word sits in a table depends on it: every lookup compares the word's
    bytes, so two words with the same bits (a collision) give the same answers. Not
    Python's ``hash``, which changes with PYTHONHASHSEED from one interpreter to the
    next: a table kept in the record cache (:class:`curation.cache.WordTableMemo`) is
    looked up by other processes than the one that ordered it.
    """
    return zlib.crc32(data)


@dataclass(frozen=True, slots=True)
class FrequencyTable:
    """One language's word list, in arrays: no Python object per word.

    The words are ordered by :func:`word_hash`: ``hashes`` holds each word's hash
    (sorted), ``words`` their UTF-8 bytes one after the other in the same order,
    ``starts`` where each begins (one more offset at the end) and ``bands`` its
    frequency band (centibels below 0: the frequency is ``10 ** (-band / 100)``). A
    lookup is a binary search in ``hashes`` (in C) and a comparison of bytes: ten
    bytes a word besides its own.
    """

    words: bytearray
    starts: array[int]
    bands: array[int]
    hashes: array[int]

    @classmethod
    def from_buckets(cls, buckets: Iterable[list[str]]) -> FrequencyTable:
        """From wordfreq's buckets, in order (bucket ``i`` holds the words at ``-i`` centibels)."""
        listed = bytearray()
        sizes = array("I")
        bands = array("H")
        hashes = array("I")
        for band, bucket in enumerate(buckets):
            # A bucket at a time, each word's bytes, length and hash made by maps in C.
            encoded = [word.encode("utf-8", "surrogatepass") for word in bucket]
            listed += b"".join(encoded)
            sizes.extend(map(len, encoded))
            bands.extend(array("H", [band]) * len(encoded))
            hashes.extend(map(word_hash, encoded))
        ends = np.cumsum(np.frombuffer(sizes, dtype=np.uint32), dtype=np.uint32)
        starts = array("I", [0])
        starts.frombytes(ends.tobytes())
        del ends, sizes
        # Stable: of a word listed in two bands, the later entry comes last (see frequency).
        # 32-bit offsets and order throughout (a list is far below 4 GiB): the build's
        # temporaries are part of the worker's peak memory.
        order = np.argsort(np.frombuffer(hashes, dtype=np.uint32), kind="stable")
        order = order.astype(np.uint32)
        begins = np.frombuffer(starts, dtype=np.uint32)
        lengths = np.diff(begins)[order]
        new_starts = np.zeros(len(order) + 1, dtype=np.uint32)
        np.cumsum(lengths, out=new_starts[1:])
        source = np.frombuffer(listed, dtype=np.uint8)
        # Filled through a view, kept as is: a second copy of the words (bytes(...))
        # would raise the load's peak by their size.
        reordered = bytearray(len(source))
        words = np.frombuffer(reordered, dtype=np.uint8)
        for first in range(0, len(order), REORDER_CHUNK):
            chunk = slice(first, first + REORDER_CHUNK)
            # Each byte's position in ``listed``: its word's start there plus its offset.
            moved = begins[order[chunk]].astype(np.int64) - new_starts[:-1][chunk]
            shift = np.repeat(moved, lengths[chunk])
            done = int(new_starts[chunk.start])
            end = int(new_starts[min(chunk.stop, len(order))])
            words[done:end] = source[np.arange(done, end) + shift]
        del words, source, listed  # the view first: a bytearray with a view cannot change
        return cls(
            reordered,
            array("I", new_starts.tobytes()),
            array("H", np.frombuffer(bands, dtype=np.uint16)[order].tobytes()),
            array("I", np.frombuffer(hashes, dtype=np.uint32)[order].tobytes()),
        )

    def frequency(self, word: str) -> float | None:
        """The word's frequency as wordfreq's dict holds it, or None if it is not listed."""
        key = word.encode("utf-8", "surrogatepass")
        target = word_hash(key)
        hashes, starts = self.hashes, self.starts
        position = bisect.bisect_left(hashes, target)
        found = None
        # wordfreq's dict keeps the last band a word is listed in: the last match here.
        while position < len(hashes) and hashes[position] == target:
            if self.words[starts[position] : starts[position + 1]] == key:
                found = position
            position += 1
        if found is None:
            return None
        # wordfreq.cB_to_freq(-band), the same expression.
        return float(10 ** (-self.bands[found] / 100))


def _read_buckets(path: str) -> Iterator[list[str]]:
    """The buckets of a wordfreq list (its "cBpack": gzipped msgpack), one at a time.

    wordfreq's ``read_cBpack`` decodes the whole list at once, some 60 MiB of Python
    objects for Russian at its peak; streamed, one bucket is held at a time.
    """
    with gzip.open(path, "rb") as packed:
        unpacker = _wordfreq().msgpack.Unpacker(packed, raw=False)
        count = unpacker.read_array_header()
        header = unpacker.unpack()
        known = isinstance(header, dict) and header.get("format") == "cB"
        if not known or header.get("version") != 1:
            raise ValueError(f"{path}: not a wordfreq word list (header {header!r})")
        for _ in range(count - 1):
            yield unpacker.unpack()


def build_table(path: str) -> FrequencyTable:
    """The table of the wordfreq list at ``path``, built from the list."""
    return FrequencyTable.from_buckets(_read_buckets(path))


# What frequency_table reads a list's table with: build_table, unless a build with the
# record cache lent it a memo of the tables built (load_tables_with).
_table_loader: Callable[[str], FrequencyTable] = build_table


@contextmanager
def load_tables_with(loader: Callable[[str], FrequencyTable]) -> Iterator[None]:
    """Have :func:`frequency_table` read a list's table with ``loader`` (given the
    list's path, the table :func:`build_table` makes of it) in this process and in
    the processes it forks meanwhile; :func:`build_table` again after.

    Reading a list and ordering its words took a fifth to half a second a language in
    every cleaning process (Russian the most): a build with the record cache lends it
    :class:`curation.cache.WordTableMemo`, which keeps the tables built.
    """
    global _table_loader
    before, _table_loader = _table_loader, loader
    try:
        yield
    finally:
        _table_loader = before


@functools.cache
def frequency_table(lang: str) -> FrequencyTable:
    """The compact table of the list wordfreq uses for ``lang`` (its "best"), read once.

    The language is matched as ``wordfreq.get_frequency_list`` matches it
    (``pt-BR`` reads the ``pt`` list) and an unknown one raises its LookupError.
    """
    wordfreq = _wordfreq()
    available = wordfreq.available_languages("best")
    # As wordfreq: a high distance, so that Chinese scripts share one list.
    best, _distance = wordfreq.langcodes.closest_match(lang, list(available), max_distance=60)
    if best == "und":
        raise LookupError(f"No wordlist 'best' available for language {lang!r}")
    table = _table_loader(available[best])
    # What reading the list left free on the heap (its words, the build's arrays) would
    # stay in the process's resident memory until the heap's top is reused.
    give_back_free_memory()
    return table


def _word_frequency(word: str, lang: str, minimum: float) -> float:
    """``wordfreq._word_frequency(word, lang, "best", minimum)``, on the compact table."""
    wordfreq = _wordfreq()
    tokens = wordfreq.lossy_tokenize(word, lang)
    if not tokens:
        return minimum
    table = frequency_table(lang)
    one_over_result = 0.0
    for token in tokens:
        smashed = wordfreq.smash_numbers(token)
        freq = table.frequency(smashed)
        if freq is None:
            return minimum
        if smashed != token:
            freq *= wordfreq.digit_freq(token)
        one_over_result += 1.0 / freq
    freq = 1.0 / one_over_result
    if wordfreq.get_language_info(lang)["tokenizer"] == "jieba":
        freq *= INFERRED_SPACE_FACTOR ** -(len(tokens) - 1)
    unrounded = max(freq, minimum)
    if unrounded == 0.0:
        return 0.0
    leading_zeroes = math.floor(-math.log(unrounded, 10))
    return round(unrounded, leading_zeroes + 3)


@functools.lru_cache(maxsize=CACHED_WORDS)
def zipf_frequency(word: str, lang: str) -> float:
    """``wordfreq.zipf_frequency(word, lang)``: the word's frequency on the Zipf scale.

    Zipf 0 is a word seen once per billion words or never (wordfreq's minimum 0
    is a frequency of 1e-9); 7.73 is "the" in English.
    """
    freq = _word_frequency(word, lang, 10**0.0 / 1e9)  # wordfreq.zipf_to_freq(0.0)
    return round(math.log(freq, 10) + 9, 2)
