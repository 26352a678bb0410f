"""dedup_exact's pass as it was (at 77289c1) before it looked a batch up at once, kept to
check the faster one against (``tests/corpus/test_dedup_exact.py``): each record looked up
in the index and added to it one at a time."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from curation.corpus.dedup_exact import (
    DIGEST_SIZE,
    DUPLICATE_OF_EARLIER_RECORD,
    Duplicate,
    text_digest,
)
from curation.corpus.dedup_near import BandIndex
from curation.packed import PackedStrings, SpilledBytes
from curation.pipeline import StepReport
from curation.record import AnyRecord


class DedupExactOneByOne:
    """``DedupExact`` at 77289c1: a lookup and an insertion per record."""

    def __init__(self, digest_of: Callable[[str], bytes] | None = None) -> None:
        self._digest_of = digest_of or text_digest
        self._digests = SpilledBytes()
        self._ids = PackedStrings()
        self._index = BandIndex()
        self._duplicates: list[Duplicate] = []

    def process(self, batch: Sequence[AnyRecord], report: StepReport) -> list[AnyRecord]:
        keys = [self._digest_of(record.text) for record in batch]
        kept: list[AnyRecord] = []
        for record, digest in zip(batch, keys, strict=True):
            key = np.frombuffer(digest[:8], dtype="<u8")
            earlier = self._earlier(key, digest)
            if earlier is None:
                self._index.add(key, len(self._ids))
                self._digests.extend(digest)
                self._ids.append(record.id)
                kept.append(record)
                continue
            self._duplicates.append(Duplicate(record.id, earlier))
            report.drops[DUPLICATE_OF_EARLIER_RECORD] += 1
            report.rules[DUPLICATE_OF_EARLIER_RECORD] += 1
        return kept

    def _earlier(self, key: np.ndarray, digest: bytes) -> str | None:
        for position in self._index.positions(key).tolist():
            start = position * DIGEST_SIZE
            if self._digests.read(start, start + DIGEST_SIZE) == digest:
                return self._ids[int(position)]
        return None

    def duplicates(self) -> list[Duplicate]:
        return list(self._duplicates)
