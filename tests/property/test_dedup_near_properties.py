"""dedup_near properties: the pass is total, and its band index finds what a dict finds."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from curation.corpus import DedupNear, dedup_near
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


def _add_many(index: BandIndex, group: list[list[int]], first: int, spread: int = 1) -> None:
    """Records ``first``, ``first + 1``... with the keys of ``group`` (times ``spread``),
    added at once."""
    index.add_many(
        np.array([key for keys in group for key in keys], dtype=np.uint64) * np.uint64(spread),
        np.array(
            [first + offset for offset, keys in enumerate(group) for _ in keys], dtype=np.int64
        ),
    )


def _remember(reference: dict[int, set[int]], group: list[list[int]], first: int) -> None:
    """The same records in the dict the index is compared with."""
    for offset, keys in enumerate(group):
        for key in keys:
            reference.setdefault(key, set()).add(first + offset)


def _matches_in(reference: dict[int, set[int]], probe: list[int]) -> list[tuple[int, int]]:
    """Each (place in ``probe``, record) pair the dict gives, sorted."""
    return sorted(
        (place, position)
        for place, key in enumerate(probe)
        for position in reference.get(key, set())
    )


@given(
    st.lists(st.lists(st.integers(0, 40), min_size=1, max_size=4), max_size=40),
    st.integers(1, 5),
    st.sampled_from([3, 4, 6]),
    st.booleans(),
)
def test_a_sieved_band_index_finds_every_match_a_dict_finds(
    records: list[list[int]], per_add: int, sieve_bits: int, fingerprints_on_file: bool
) -> None:
    """With a sieve of a few bits (some set, some clear), matches still gives each (key,
    record) pair a dict gives: a key whose bit is clear is in no run. The keys are
    spread over the fingerprints' 32 bits, so their top bits (the sieve's) differ."""
    spread = np.uint64(0x9E3779B1)
    index = BandIndex(
        buffer_size=3,
        file_from=6,
        fingerprints_on_file=fingerprints_on_file,
        sieve_bits=sieve_bits,
    )
    reference: dict[int, set[int]] = {}
    for first in range(0, len(records), per_add):
        group = records[first : first + per_add]
        _add_many(index, group, first, int(spread))
        _remember(reference, group, first)
        probe = np.arange(41, dtype=np.uint64)
        which, found = index.matches(probe * spread)
        expected = _matches_in(reference, probe.tolist())
        assert sorted(set(zip(which.tolist(), found.tolist(), strict=True))) == expected


def test_the_sieve_keeps_keys_in_no_run_from_the_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys whose sieve bit is clear are not looked for in the runs at all."""
    asked: list[int] = []
    ranges = dedup_near._Run.ranges

    def counted(run: dedup_near._Run, ordered: np.ndarray) -> object:
        asked.append(len(ordered))
        return ranges(run, ordered)

    monkeypatch.setattr(dedup_near._Run, "ranges", counted)
    index = BandIndex(sieve_bits=16)
    index.add_many(np.arange(1, 9, dtype=np.uint64) << np.uint64(20), np.arange(8))
    which, found = index.matches(np.arange(1, 1001, dtype=np.uint64) << np.uint64(20))
    assert sorted(which.tolist()) == list(range(8)) and sorted(found.tolist()) == list(range(8))
    assert asked == [8]


@given(
    st.lists(st.lists(st.integers(0, 40), min_size=1, max_size=4), max_size=40),
    st.integers(1, 5),
)
def test_the_band_index_finds_every_match_of_many_keys_at_once(
    records: list[list[int]], per_add: int
) -> None:
    """add_many (records added a few at a time, runs merged) and single adds mixed;
    matches gives each (key, record) pair that a dict gives, and nothing else."""
    index, reference = BandIndex(buffer_size=3), dict[int, set[int]]()
    for first in range(0, len(records), per_add):
        group = records[first : first + per_add]
        if first % 2:
            for offset, keys in enumerate(group):
                index.add(np.array(keys, dtype=np.uint64), first + offset)
        else:
            _add_many(index, group, first)
        _remember(reference, group, first)
        probe = np.array([0, 1, 2, *group[0], 39, 40], dtype=np.uint64)
        which, found = index.matches(probe)
        expected = _matches_in(reference, probe.tolist())
        # A record that has a key twice matches it twice, as positions() lists it once.
        assert sorted(set(zip(which.tolist(), found.tolist(), strict=True))) == expected
