"""The dedup passes' compact state answers what plain dicts and lists answered.

The passes keep their state across the corpus in packed buffers and sorted runs of
32-bit fingerprints (:mod:`curation.packed`, :class:`curation.corpus.dedup_near.BandIndex`)
instead of a dict per record. Here each pass runs beside a reference written as the
passes were before (a dict from digest to id; a dict from full band key to
positions, signatures in a list) on a handmade corpus of clusters, and both must
keep and drop the same records with the same survivors and similarities, whatever
the batching, the index's flushes, merges and run limit, and even when almost every
fingerprint collides.
"""

from __future__ import annotations

import functools
import pickle
import random

import numpy as np
import pytest

from curation import packed
from curation.corpus import DedupExact, DedupNear, dedup_near
from curation.corpus.dedup_exact import DUPLICATE_OF_EARLIER_RECORD, text_digest
from curation.corpus.dedup_near import (
    SIMILARITY_DIGITS,
    BandIndex,
    NearDupRules,
    band_keys,
    signature,
)
from curation.packed import HexDigests, PackedStrings
from curation.pipeline import StepReport
from curation.record import Record
from curation.rules import RulesFile, load_rules

WORDS = [
    *[
        "trade",
        "grew",
        "by",
        "a",
        "third",
        "last",
        "year",
        "driven",
        "by",
        "energy",
        "exports",
        "and",
        "a",
        "surge",
        "in",
    ],
    *[
        "торговля",
        "выросла",
        "на",
        "треть",
        "за",
        "прошлый",
        "год",
        "благодаря",
        "экспорту",
        "энергии",
    ],
    *[
        "贸易",
        "去年",
        "增长",
        "三分之一",
        "主要",
        "由于",
        "能源",
        "出口",
        "和",
        "网上",
        "零售",
        "激增",
    ],
]


@functools.cache
def rules() -> RulesFile:
    return load_rules()["dedup"]


def handmade_corpus(count: int = 120, seed: int = 5) -> list[Record]:
    """Records in id order: originals, exact copies (case and spacing changed), near
    copies (a few words replaced) and texts with no letters, in a fixed shuffle."""
    pick = random.Random(seed)
    originals = [" ".join(pick.choice(WORDS) for _ in range(60)) for _ in range(count // 4)]
    texts: list[str] = []
    for number in range(count):
        kind = pick.random()
        base = pick.choice(originals)
        if kind < 0.35:
            texts.append(" ".join(pick.choice(WORDS) for _ in range(60)))
        elif kind < 0.55:
            texts.append(base.upper().replace(" ", "  "))
        elif kind < 0.9:
            words = base.split()
            for _ in range(pick.randint(1, 8)):
                words[pick.randrange(len(words))] = pick.choice(WORDS)
            texts.append(" ".join(words))
        else:
            texts.append("... 123 !!" if number % 2 else "")
    return [Record(f"{n:04d}_{n:016x}", 0, text) for n, text in enumerate(texts, start=1)]


def report(name: str) -> StepReport:
    return StepReport(name, "")


class ReferenceExact:
    """dedup_exact as it was: a dict from digest to the first id."""

    def __init__(self) -> None:
        self.kept: dict[bytes, str] = {}
        self.duplicates: list[tuple[str, str]] = []

    def process(self, batch: list[Record]) -> list[str]:
        out = []
        for record in batch:
            digest = text_digest(record.text)
            if digest in self.kept:
                self.duplicates.append((record.id, self.kept[digest]))
            else:
                self.kept[digest] = record.id
                out.append(record.id)
        return out


class ReferenceNear:
    """dedup_near as it was: a dict from full band key to positions, signatures in a list."""

    def __init__(self) -> None:
        self.rules = NearDupRules.from_rules(rules())
        self.ids: list[str] = []
        self.signatures: list[np.ndarray] = []
        self.bands: dict[int, list[int]] = {}
        self.near: list[tuple[str, str, float]] = []

    def process(self, batch: list[Record]) -> list[str]:
        out = []
        for record in batch:
            values = signature(record.text, self.rules)
            if not len(values):
                out.append(record.id)
                continue
            keys = band_keys(values, self.rules).tolist()
            positions = sorted({p for key in keys for p in self.bands.get(key, [])})
            match = None
            for position in positions:
                estimate = float((self.signatures[position] == values).mean())
                if estimate >= self.rules.threshold:
                    match = (position, round(estimate, SIMILARITY_DIGITS))
                    break
            if match is None:
                for key in keys:
                    self.bands.setdefault(key, []).append(len(self.ids))
                self.ids.append(record.id)
                self.signatures.append(values)
                out.append(record.id)
            else:
                self.near.append((record.id, self.ids[match[0]], match[1]))
        return out


def run_both(batch_size: int, index: BandIndex | None = None) -> None:
    corpus = handmade_corpus()
    exact, near = DedupExact(), DedupNear(rules())
    if index is not None:
        near._bands = index
    reference_exact, reference_near = ReferenceExact(), ReferenceNear()
    kept, expected = [], []
    for start in range(0, len(corpus), batch_size):
        batch = corpus[start : start + batch_size]
        survivors = near.process(exact.process(batch, report("exact")), report("near"))
        kept += [r.id for r in survivors]
        wanted = set(reference_exact.process(batch))
        expected += reference_near.process([r for r in batch if r.id in wanted])
    assert kept == expected
    assert [(d.dropped_id, d.kept_id) for d in exact.duplicates()] == reference_exact.duplicates
    assert [
        (d.dropped_id, d.kept_id, d.similarity) for d in near.near_duplicates()
    ] == reference_near.near
    # The corpus exercises both passes.
    assert len(reference_exact.duplicates) >= 10 and len(reference_near.near) >= 10


@pytest.mark.parametrize("batch_size", [1, 7, 120])
def test_both_passes_answer_what_the_dicts_answered(batch_size: int) -> None:
    run_both(batch_size)


@pytest.mark.parametrize(
    ("buffer_size", "run_limit", "file_from", "block_entries"),
    [
        (3, 8, 1, 1024),
        (32, 64, 40, 1024),
        (5, 1 << 19, 1 << 15, 1024),
        (5, 1 << 19, 1, 1024),
        (5, 1 << 19, 1, 1),
        (3, 40, 1, 3),
        (32, 1 << 19, 40, 7),
    ],
)
@pytest.mark.parametrize("fingerprints_on_file", [False, True])
def test_the_same_whatever_the_flushes_merges_run_limit_and_files(
    monkeypatch: pytest.MonkeyPatch,
    buffer_size: int,
    run_limit: int,
    file_from: int,
    block_entries: int,
    fingerprints_on_file: bool,
) -> None:
    """Runs in memory or on file, read back in blocks of every size: one entry, a few,
    more than a run has."""
    monkeypatch.setattr(dedup_near, "BLOCK_ENTRIES", block_entries)
    index = BandIndex(
        buffer_size=buffer_size,
        run_limit=run_limit,
        file_from=file_from,
        fingerprints_on_file=fingerprints_on_file,
    )
    run_both(5, index)
    on_file = [run.on_file for run in index._runs]
    if file_from == 1:
        assert all(on_file)
    elif file_from > len(index):
        assert not any(on_file)
    else:
        assert any(on_file)
    # More than one run was left unmerged where the limit is small.
    if run_limit == 8:
        assert len(index._runs) > 10


def test_the_same_when_almost_every_fingerprint_collides(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fingerprints of 3 bits: nearly every kept record is a candidate for each lookup, and
    the pass must still keep only those that share a whole key (and dedup_exact only the
    one with the whole digest)."""

    def three_bits(keys: np.ndarray) -> np.ndarray:
        return (np.asarray(keys, dtype=np.uint64) & np.uint64(7)).astype(np.uint32)

    monkeypatch.setattr(dedup_near, "_fingerprints", three_bits)
    run_both(4, BandIndex(buffer_size=3, run_limit=16, file_from=8))
    # Each fingerprint's entries then span many blocks of a run on file.
    monkeypatch.setattr(dedup_near, "BLOCK_ENTRIES", 2)
    run_both(4, BandIndex(buffer_size=3, run_limit=64, file_from=8, fingerprints_on_file=True))


@pytest.mark.parametrize("block_entries", [1, 2, 5, 64])
def test_a_run_on_file_finds_the_ranges_a_run_in_memory_finds(
    monkeypatch: pytest.MonkeyPatch, block_entries: int
) -> None:
    """Every key asked for (present or not, repeated, below the first and above the last
    fence), in a run whose equal keys cross block edges: the same indices and ranges
    as the binary search of the whole run, and the same positions."""
    monkeypatch.setattr(dedup_near, "BLOCK_ENTRIES", block_entries)
    generator = np.random.default_rng(7)
    keys = np.sort(generator.integers(10, 60, 300).astype(np.uint32))
    positions = generator.integers(0, 1000, 300).astype(np.uint32)
    in_memory = dedup_near._Run(keys, positions, on_file=False)
    on_file = dedup_near._Run(keys, positions, on_file=True, fingerprints_on_file=True)
    assert on_file.on_file and not in_memory.on_file and on_file._keys is None
    for asked in ([0, 5, 10, 10, 33, 59, 61, 70], list(range(0, 70)), [35], [61], []):
        ordered = np.array(asked, dtype=np.uint32)
        expected, got = in_memory.ranges(ordered), on_file.ranges(ordered)
        for mine, theirs in zip(expected, got, strict=True):
            assert mine.tolist() == theirs.tolist()
        _, starts, ends = got
        assert all(
            (keys[start:end] == ordered[hit]).all() for hit, start, end in zip(*got, strict=True)
        )
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            assert on_file.positions(start, end).tolist() == positions[start:end].tolist()
    assert on_file.keys().tolist() == keys.tolist()
    assert on_file.take(np.array([0, 1, 2, 50, 51, 299])).tolist() == (
        positions[[0, 1, 2, 50, 51, 299]].tolist()
    )
    on_file.close()


def test_the_index_holds_a_bounded_part_of_its_fingerprints_in_memory() -> None:
    """What grows with the records is on file: in memory, the runs under ``file_from``
    entries and one fingerprint a block of those above it."""
    index = BandIndex(
        buffer_size=64, run_limit=1 << 14, file_from=1 << 10, fingerprints_on_file=True
    )
    generator = np.random.default_rng(11)
    for start in range(0, 200_000, 2_000):
        keys = generator.integers(0, 2**64, 2_000, dtype=np.uint64)
        index.add_many(keys, np.arange(start, start + 2_000) // 32)
    assert len(index) == 200_000
    in_memory = sum(
        run._keys.nbytes + run._positions.nbytes if not run.on_file else run._fences.nbytes
        for run in index._runs
    )
    assert in_memory < 8 * (1 << 10) * 2 + 4 * 200_000 // dedup_near.BLOCK_ENTRIES
    assert sum(run.on_file for run in index._runs) >= 10


@pytest.mark.parametrize("spill_at", [1, 40])
def test_the_same_when_the_passes_keep_their_lists_in_files(
    monkeypatch: pytest.MonkeyPatch, spill_at: int
) -> None:
    """The kept records' ids and digests past a few bytes in memory (the rest in their
    temporary files, :class:`curation.packed.SpilledBytes`): every candidate's digest
    and every survivor's id is read back from a file or across its edge."""
    monkeypatch.setattr(packed, "SPILL_BYTES", spill_at)
    run_both(7)


def test_the_index_answers_a_superset_of_a_dict_and_the_run_limit_holds() -> None:
    index, reference = BandIndex(buffer_size=4, run_limit=12, file_from=6), dict[int, set[int]]()
    generator = np.random.default_rng(3)
    for position in range(200):
        keys = generator.integers(0, 2**64, 3, dtype=np.uint64)
        if position % 10 == 0:  # same low 32 bits as key 0, other high bits
            keys[1] = np.uint64(int(keys[0]) ^ (1 << 40))
        index.add(keys, position)
        for key in keys.tolist():
            reference.setdefault(key, set()).add(position)
        probe = keys[:1]
        found = set(index.positions(probe).tolist())
        assert reference[int(probe[0])] <= found
        assert position in found
    assert all(len(run) <= 12 for run in index._runs)
    assert len(index) == 600


def test_dedup_exact_reports_the_first_id_for_each_digest() -> None:
    dedup = DedupExact()
    counts = report("exact")
    batch = [Record(f"{n:03d}_{n:016x}", 0, text) for n, text in enumerate("aAbBa", start=1)]
    kept = dedup.process(batch, counts)
    assert [r.id[:3] for r in kept] == ["001", "003"]
    assert [(d.dropped_id[:3], d.kept_id[:3]) for d in dedup.duplicates()] == [
        ("002", "001"),
        ("004", "003"),
        ("005", "001"),
    ]
    assert counts.drops[DUPLICATE_OF_EARLIER_RECORD] == 3


ODD_STRINGS = ["", "0001_ab", "ключ", "键", "a\ud800b", "x" * 300, "\x00"]


def test_packed_strings_read_back_every_string() -> None:
    packed = PackedStrings(ODD_STRINGS)
    assert list(packed) == ODD_STRINGS and len(packed) == len(ODD_STRINGS)
    assert [packed[i] for i in range(-len(ODD_STRINGS), len(ODD_STRINGS))] == ODD_STRINGS * 2
    assert list(packed[2:5]) == ODD_STRINGS[2:5] and list(packed[::-2]) == ODD_STRINGS[::-2]
    assert packed == PackedStrings(ODD_STRINGS) and packed != PackedStrings(ODD_STRINGS[:-1])
    assert list(pickle.loads(pickle.dumps(packed))) == ODD_STRINGS
    with pytest.raises(IndexError):
        packed[len(ODD_STRINGS)]


def test_hex_digests_keep_sha256_in_32_bytes_and_anything_else_as_given() -> None:
    import hashlib

    digests = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(5)]
    items = [digests[0], "", digests[1], "AB" * 32, "not hex", digests[2]]
    packed = HexDigests(items)
    assert list(packed) == items and [packed[i] for i in range(-6, 6)] == items * 2
    assert list(packed[1:4]) == items[1:4]
    assert len(packed._data) == 32 * len(items) and len(packed._other) == 3
    assert list(pickle.loads(pickle.dumps(packed))) == items
    with pytest.raises(IndexError):
        packed[6]


def test_a_record_similar_enough_but_sharing_no_whole_band_key_is_not_a_candidate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One value changed in every band: 3/4 of the values equal (above the threshold),
    yet no band equal, so LSH never pairs the two (the dict never did). With fingerprints
    of 3 bits they share fingerprints all the same: the whole keys must decide."""
    near_rules = NearDupRules.from_rules(rules())
    assert near_rules.rows == 4 and near_rules.threshold <= 0.75
    first = np.arange(near_rules.num_perm, dtype=np.uint32) * np.uint32(7919)
    second = first.copy()
    second[:: near_rules.rows] += np.uint32(1)
    monkeypatch.setattr(
        dedup_near,
        "_fingerprints",
        lambda keys: (np.asarray(keys, dtype=np.uint64) & np.uint64(7)).astype(np.uint32),
    )
    batch = [Record("001_0000000000000001", 0, "a"), Record("002_0000000000000002", 0, "b")]
    # In the buffer, in a run in memory, in a run on file.
    for index in (
        BandIndex(),
        BandIndex(buffer_size=1),
        BandIndex(buffer_size=1, file_from=1),
        BandIndex(buffer_size=1, file_from=1, fingerprints_on_file=True),
    ):
        dedup = DedupNear(rules())
        dedup._bands = index
        assert len(dedup.process(batch, report("near"), keys=[first, second])) == 2
        assert dedup.near_duplicates() == []
        # The same pair with one band left whole is a near-duplicate.
        third = second.copy()
        third[0] = first[0]
        assert (
            dedup.process([Record("003_0000000000000003", 0, "c")], report("near"), keys=[third])
            == []
        )


@pytest.mark.parametrize("module", ["curation.packed", "curation.corpus.dedup_near"])
def test_doctests(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
