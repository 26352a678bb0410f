"""Passes that look across records (deduplication).

They are kept apart from the per-record steps in :mod:`curation.steps` because they
scale differently: a step sees one record, a corpus pass remembers something about
every record it has kept (for exact dedup, one digest and id per record; for
near-duplicate removal, one MinHash signature, id and band keys per record).
"""

from __future__ import annotations

from curation.corpus.dedup_exact import DedupExact, Duplicate
from curation.corpus.dedup_near import DedupNear, NearDuplicate

__all__ = ["DedupExact", "DedupNear", "Duplicate", "NearDuplicate"]
