"""Near-duplicate removal across records: MinHash LSH over character shingles.

A record is dropped when its estimated Jaccard similarity with an earlier *kept*
record reaches the threshold of ``curation/rules/dedup.toml``; the earlier record
is its survivor. Records stream through corpus passes in id order (seeds sorted by
id, parts in order), so the survivor of every cluster is the record with the
smallest id, whatever the batch size or the number of jobs: the decision for a
record depends only on the records before it, never on how they were batched.

Shingles are those of ``check`` and ``add-seed``
(:func:`curation.contribute.near_duplicates.shingle_hashes`): character n-grams
of the text with everything but letters and digits removed. They work the same
for every script, with or without spaces between words, and are blind to line
wrapping, hyphenation and punctuation styles; ``dedup.toml`` gives the measured
comparison with word n-grams.

What is kept across the corpus is, per kept record, its MinHash signature
(``num_perm`` uint32 values), its id and one 64-bit key per LSH band; never a text
or a shingle set. Because the texts are gone when a later record arrives, the
similarity that decides is the MinHash estimate (the share of equal signature
values), not the exact Jaccard index that ``check`` computes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from curation.contribute.near_duplicates import minhash_values, shingle_hashes
from curation.errors import InvalidInput, Problem
from curation.record import Record
from curation.rules import RulesFile

if TYPE_CHECKING:  # the build module that wires passes imports both: no import cycle
    from curation.pipeline import StepReport

NEAR_DUPLICATE_OF_EARLIER_RECORD = "near_duplicate_of_earlier_record"

# Similarities are published rounded, like the language score: the same on every machine.
SIMILARITY_DIGITS = 4

# Signatures are kept in one growing array; its capacity doubles from this many rows.
_INITIAL_ROWS = 1024

# Mixing constants of the band keys (splitmix64's finalizer, as in shingle_hashes).
_ROLL = np.uint64(0x100000001B3)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


@dataclass(frozen=True, slots=True)
class NearDupRules:
    """The parameters of ``dedup_near``, from ``curation/rules/dedup.toml``."""

    shingle_chars: int
    num_perm: int
    seed: int
    bands: int
    rows: int
    threshold: float

    @classmethod
    def from_rules(cls, rules: RulesFile) -> NearDupRules:
        """The parameters; :class:`InvalidInput` if the bands need more values than there are."""
        near = rules["near"]
        if near["bands"] * near["rows"] > near["num_perm"]:
            raise InvalidInput(
                [
                    Problem(
                        f"{rules.name}.toml#near",
                        f"bands × rows ({near['bands']} × {near['rows']}) exceeds num_perm "
                        f"({near['num_perm']}): each band takes `rows` signature values",
                    )
                ]
            )
        return cls(
            shingle_chars=near["shingle_chars"],
            num_perm=near["num_perm"],
            seed=near["seed"],
            bands=near["bands"],
            rows=near["rows"],
            threshold=near["threshold"],
        )


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    """A dropped record, the earlier record it nearly repeats, and their estimated similarity."""

    dropped_id: str
    kept_id: str
    similarity: float


def signature(text: str, rules: NearDupRules) -> np.ndarray:
    """The MinHash signature of ``text`` as ``num_perm`` uint32 values; empty if it has no letters.

    >>> from curation.rules import load_rules
    >>> rules = NearDupRules.from_rules(load_rules()["dedup"])
    >>> same = signature("Trade grew by a third.", rules)
    >>> bool((same == signature("TRADE grew\\nby a third!", rules)).all())
    True
    >>> len(signature("...", rules))
    0
    """
    shingles = shingle_hashes(text, rules.shingle_chars)
    if not len(shingles):
        return np.zeros(0, dtype=np.uint32)
    return minhash_values(shingles, rules.num_perm, rules.seed)


def band_keys(values: np.ndarray, rules: NearDupRules) -> list[int]:
    """One 64-bit key per LSH band, the band's number mixed in (so one dict serves all bands).

    Two signatures share a key when a band of ``rows`` values is equal in both
    (and, with chance about 2^-64 per pair, otherwise: the estimate then decides).
    """
    bands = values[: rules.bands * rules.rows].astype(np.uint64).reshape(rules.bands, rules.rows)
    keys = np.arange(rules.bands, dtype=np.uint64)
    for column in range(rules.rows):
        keys = (keys * _ROLL) ^ bands[:, column]
    keys ^= keys >> np.uint64(30)
    keys *= _MIX1
    keys ^= keys >> np.uint64(27)
    keys *= _MIX2
    keys ^= keys >> np.uint64(31)
    return [int(key) for key in keys]


class DedupNear:
    """The ``dedup_near`` corpus pass; one instance serves one build (it remembers signatures)."""

    name = "dedup_near"
    version = 1
    description = (
        "drop a record whose MinHash-estimated similarity (character shingles) with an "
        "earlier kept record reaches the threshold of dedup.toml; the first in record-id "
        "order stays"
    )

    def __init__(self, rules: RulesFile) -> None:
        self.rules = NearDupRules.from_rules(rules)
        self._ids: list[str] = []
        self._signatures = np.zeros((_INITIAL_ROWS, self.rules.num_perm), dtype=np.uint32)
        # band key -> the kept records (their positions in _ids) with that band; a
        # list only for the rare key that several kept records share.
        self._buckets: dict[int, int | list[int]] = {}
        self._near_duplicates: list[NearDuplicate] = []

    def process(self, batch: Sequence[Record], report: StepReport) -> list[Record]:
        kept: list[Record] = []
        for record in batch:
            values = signature(record.text, self.rules)
            if not len(values):  # no letters or digits: similar to nothing, never indexed
                kept.append(record)
                continue
            keys = band_keys(values, self.rules)
            match = self._earliest_match(values, keys)
            if match is None:
                self._keep(record.id, values, keys)
                kept.append(record)
                continue
            position, similarity = match
            self._near_duplicates.append(NearDuplicate(record.id, self._ids[position], similarity))
            report.drops[NEAR_DUPLICATE_OF_EARLIER_RECORD] += 1
            report.rules[NEAR_DUPLICATE_OF_EARLIER_RECORD] += 1
        return kept

    def _earliest_match(self, values: np.ndarray, keys: list[int]) -> tuple[int, float] | None:
        """The first kept record (in stream order) at or above the threshold, and the estimate."""
        candidates: set[int] = set()
        for key in keys:
            found = self._buckets.get(key)
            if isinstance(found, int):
                candidates.add(found)
            elif found is not None:
                candidates.update(found)
        if not candidates:
            return None
        positions = np.array(sorted(candidates), dtype=np.int64)
        estimates = (self._signatures[positions] == values).mean(axis=1)
        above = np.flatnonzero(estimates >= self.rules.threshold)
        if not len(above):
            return None
        first = int(above[0])
        return int(positions[first]), round(float(estimates[first]), SIMILARITY_DIGITS)

    def _keep(self, record_id: str, values: np.ndarray, keys: list[int]) -> None:
        position = len(self._ids)
        if position == len(self._signatures):
            grown = np.zeros((2 * position, self.rules.num_perm), dtype=np.uint32)
            grown[:position] = self._signatures
            self._signatures = grown
        self._signatures[position] = values
        self._ids.append(record_id)
        for key in keys:
            found = self._buckets.get(key)
            if found is None:
                self._buckets[key] = position
            elif isinstance(found, int):
                self._buckets[key] = [found, position]
            else:
                found.append(position)

    def near_duplicates(self) -> list[NearDuplicate]:
        """Every record dropped so far, its survivor and their similarity, in stream order."""
        return list(self._near_duplicates)
