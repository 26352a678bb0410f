"""Passes that look across records (lines recurring across a site, deduplication).

They are kept apart from the per-record steps in :mod:`curation.steps` because they
scale differently: a step sees one record, a corpus pass remembers something about
every record it has kept (for exact dedup, one digest and id per record; for
near-duplicate removal, one MinHash signature, id and band keys per record; for
recurring lines, a key and a count per distinct short line of a site).
"""

from __future__ import annotations

from curation.corpus.dedup_exact import DedupExact, Duplicate
from curation.corpus.dedup_near import DedupNear, NearDuplicate
from curation.corpus.recurring_lines import StripRecurringLines

__all__ = ["DedupExact", "DedupNear", "Duplicate", "NearDuplicate", "StripRecurringLines"]
