"""Exact deduplication across records: a text that an earlier record already has is dropped.

Texts are compared in a normal form (NFKC, casefolded, whitespace collapsed;
punctuation kept, since two texts that differ in punctuation were edited apart).
The stream comes in record-id order (seeds sorted by id, parts in order), so the
record that stays is always the one with the smallest id, whatever the batch size.

Memory: per kept record, a 16-byte BLAKE2b digest of the normal form, the
record's id (needed to say what a dropped record duplicates) and 8 bytes of index;
never the text. A dict from digest to id took some 170 bytes a record; the digests
in one buffer, the ids packed (:class:`curation.packed.PackedStrings`) and the
index of :mod:`curation.corpus.dedup_near` (the digest's first 8 bytes as the key)
take about 60: 6 MiB at 100,000 records.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from curation.corpus.dedup_near import BandIndex
from curation.packed import PackedStrings, SpilledBytes
from curation.record import AnyRecord

if TYPE_CHECKING:  # the build module that wires passes imports both: no import cycle
    from curation.pipeline import StepReport

DUPLICATE_OF_EARLIER_RECORD = "duplicate_of_earlier_record"

# 128 bits: the chance that two different texts of a five-million-record corpus
# share a digest is about 4e-26.
DIGEST_SIZE = 16


def normal_form(text: str) -> str:
    """The text as compared: NFKC, casefolded, every run of whitespace one space.

    >>> normal_form("Ｔrade  GREW.\\n\\nBy a third.")
    'trade grew. by a third.'
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def text_digest(text: str) -> bytes:
    """A 16-byte BLAKE2b digest of the normal form of ``text``."""
    # surrogatepass: a lone surrogate must not make the pass raise; it is hashed as is.
    data = normal_form(text).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).digest()


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A dropped record and the earlier record whose text it repeats."""

    dropped_id: str
    kept_id: str


class DedupExact:
    """The ``dedup_exact`` corpus pass; one instance serves one build (it remembers digests)."""

    name = "dedup_exact"
    version = 1
    rewrites = False
    description = (
        "drop a record whose text (NFKC, casefolded, whitespace collapsed) equals an "
        "earlier record's; the first in record-id order stays"
    )

    def __init__(self, digest_of: Callable[[str], bytes] | None = None) -> None:
        """``digest_of``: :func:`text_digest` or a function that gives the same digests
        (the record cache's memo of earlier builds' digests, :mod:`curation.cache`);
        if it has a ``many`` (the memo's), that gives the digests of a batch of texts at
        once, and is asked instead."""
        self._digest_of = digest_of or text_digest
        self._digests_of: Callable[[Sequence[str]], Sequence[bytes]] = getattr(
            digest_of, "many", None
        ) or (lambda texts: [self._digest_of(text) for text in texts])
        # The kept records' digests (DIGEST_SIZE bytes each) and ids, by position, read
        # only where the index finds a candidate (their newest in memory: SpilledBytes),
        # and which positions may hold a digest (its first 8 bytes as the index's key).
        self._digests = SpilledBytes()
        self._ids = PackedStrings()
        self._index = BandIndex()
        self._duplicates: list[Duplicate] = []

    def record_key(self, record: AnyRecord) -> bytes:
        """The per-record work: the digest of the record's normal form (no state)."""
        return self._digest_of(record.text)

    def process(
        self, batch: Sequence[AnyRecord], report: StepReport, keys: Sequence[bytes] | None = None
    ) -> list[AnyRecord]:
        """Keep or drop each record of ``batch``, in order, as if one at a time.

        The batch's digests are looked up in the index of the records kept before it
        at once (:meth:`BandIndex.matches`), and a digest met twice in the batch is
        found by a dict of the batch's: a record's earlier twin is a record kept
        before the batch or, if there is none, the first of the batch with its digest
        (a digest seen once is never kept again, so there is never a choice). The
        batch's kept records join the index as one run; a lookup and an insertion of
        each record took most of a rebuild's time in this pass.
        """
        if keys is None:
            keys = self._digests_of([record.text for record in batch])
        # Little-endian, as np.frombuffer(digest[:8], "<u8") of each.
        index_keys = np.frombuffer(b"".join(keys), dtype="<u8")[:: DIGEST_SIZE // 8]
        before: dict[int, str] = {}
        which, found = self._index.matches(index_keys)
        # Few: the records with an earlier twin, and rarely one that only shares the
        # index's fingerprint, told apart by the whole digest.
        for row, position in zip(which.tolist(), found.tolist(), strict=True):
            start = position * DIGEST_SIZE
            if self._digests.read(start, start + DIGEST_SIZE) == keys[row]:
                before[row] = self._ids[position]
        first = len(self._ids)
        within: dict[bytes, str] = {}  # digest -> id, of the batch's kept records
        kept: list[AnyRecord] = []
        kept_rows: list[int] = []
        for row, (record, digest) in enumerate(zip(batch, keys, strict=True)):
            earlier = before.get(row)
            if earlier is None:
                earlier = within.get(digest)
            if earlier is None:
                within[digest] = record.id
                self._ids.append(record.id)
                kept_rows.append(row)
                kept.append(record)
                continue
            self._duplicates.append(Duplicate(record.id, earlier))
            report.drops[DUPLICATE_OF_EARLIER_RECORD] += 1
            report.rules[DUPLICATE_OF_EARLIER_RECORD] += 1
        if kept_rows:
            self._digests.extend(b"".join([keys[row] for row in kept_rows]))
            self._index.add_many(
                index_keys[kept_rows], np.arange(first, first + len(kept_rows), dtype=np.int64)
            )
        return kept

    def duplicates(self) -> list[Duplicate]:
        """Every record dropped so far and the record it duplicates, in stream order."""
        return list(self._duplicates)
