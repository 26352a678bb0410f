"""curation.word_frequency's table build as it was at 5d5e1a3, kept to check the faster one
against (``tests/test_word_frequency.py``): a word at a time, where the build now takes a
bucket at a time."""

from __future__ import annotations

from array import array
from collections.abc import Iterable

import numpy as np

from curation import word_frequency


def table_arrays(
    buckets: Iterable[list[str]],
) -> tuple[bytearray, array[int], array[int], array[int]]:
    """The arrays FrequencyTable.from_buckets ordered, before they are ordered: the words'
    bytes, their starts (one more at the end), bands and hashes, as listed."""
    listed = bytearray()
    starts = array("I", [0])
    bands = array("H")
    hashes = array("I")
    for band, bucket in enumerate(buckets):
        for word in bucket:
            data = word.encode("utf-8", "surrogatepass")
            listed += data
            starts.append(len(listed))
            bands.append(band)
            hashes.append(word_frequency.word_hash(data))
    return listed, starts, bands, hashes


def table(buckets: Iterable[list[str]]) -> word_frequency.FrequencyTable:
    """FrequencyTable.from_buckets' table: the words listed as at 5d5e1a3, then ordered by
    hash (stable) one word at a time, the plain way, not by chunks of bytes."""
    listed, starts, bands, hashes = table_arrays(buckets)
    order = np.argsort(np.frombuffer(hashes, dtype=np.uint32), kind="stable")
    begins = np.frombuffer(starts, dtype=np.uint32).astype(np.int64)
    words = bytearray().join(bytes(listed[begins[k] : begins[k + 1]]) for k in order.tolist())
    lengths = np.diff(begins)[order]
    new_starts = np.zeros(len(order) + 1, dtype=np.uint32)
    np.cumsum(lengths, out=new_starts[1:])
    return word_frequency.FrequencyTable(
        words,
        array("I", new_starts.tobytes()),
        array("H", np.frombuffer(bands, dtype=np.uint16)[order].tobytes()),
        array("I", np.frombuffer(hashes, dtype=np.uint32)[order].tobytes()),
    )
