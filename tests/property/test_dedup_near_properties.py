"""dedup_near properties: the pass is total, and its band index finds what a dict finds."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from curation.corpus import DedupNear
from curation.corpus.dedup_near import BandIndex, NearDupRules
from curation.pipeline import StepReport
from curation.record import Record
from curation.rules import RulesFile, load_rules

pytestmark = pytest.mark.property


@functools.cache
def rules() -> RulesFile:
    return load_rules()["dedup"]


def record(seed: int, text: str) -> Record:
    return Record(f"{seed:03d}_{seed:016x}", 0, text)


def ids(records: list[Record]) -> list[str]:
    return [r.id for r in records]


def report() -> StepReport:
    return StepReport("dedup_near_v1", DedupNear.description)


@given(st.lists(st.text(), max_size=6))
def test_the_pass_is_total_and_every_drop_names_an_earlier_kept_record(texts: list[str]) -> None:
    """Any strings (lone surrogates, controls, empty): no exception; kept and dropped
    records split the batch, and each survivor is kept and comes first."""
    dedup = DedupNear(rules())
    batch = [record(n, text) for n, text in enumerate(texts, start=1)]
    kept = ids(dedup.process(batch, report()))
    found = dedup.near_duplicates()
    assert sorted(kept + [d.dropped_id for d in found]) == ids(batch)
    threshold = NearDupRules.from_rules(rules()).threshold
    for pair in found:
        assert pair.kept_id in kept and pair.kept_id < pair.dropped_id
        assert threshold <= pair.similarity <= 1


@given(st.lists(st.lists(st.integers(0, 40), min_size=1, max_size=4), max_size=60))
def test_the_band_index_finds_what_a_dict_finds(records: list[list[int]]) -> None:
    """Whatever the buffer flushes and run merges, a lookup finds every record with a key."""
    # Small runs keep their positions in memory, larger ones (6 entries up) on file.
    index, reference = BandIndex(buffer_size=3, file_from=6), dict[int, set[int]]()
    for position, keys in enumerate(records):
        index.add(np.array(keys, dtype=np.uint64), position)
        for key in keys:
            reference.setdefault(key, set()).add(position)
        for probe in ([0, 1, 2], keys, [39, 40]):
            expected = sorted(set().union(*(reference.get(k, set()) for k in probe)))
            assert index.positions(np.array(probe, dtype=np.uint64)).tolist() == expected
    assert len(index) == sum(len(keys) for keys in records)
