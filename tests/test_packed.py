"""The packed lists keep only their newest bytes in memory and read every item back.

:class:`curation.packed.SpilledBytes` moves a buffer's older bytes to a temporary
file; :class:`~curation.packed.PackedStrings` and :class:`~curation.packed.HexDigests`
are built on it. Here tiny thresholds make a few items cross the file's edge in every
way, and each list must answer as a plain ``list`` of the same items does.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import random
from pathlib import Path

import pytest

from curation import packed
from curation.packed import SPILL_BYTES, HexDigests, PackedStrings, SpilledBytes
from tests.test_build import build_in, make_project, tree_digests

STRINGS = ["", "0001_ab", "ключ", "键", "a\ud800b", "x" * 300, "\x00", *map(str, range(200))]
DIGESTS = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(60)] + ["", "AB" * 32]


@pytest.mark.parametrize("spill_at", [1, 5, 64, SPILL_BYTES])
def test_spilled_bytes_read_any_range_as_a_bytearray_does(spill_at: int) -> None:
    chooser = random.Random(spill_at)
    data, expected = SpilledBytes(spill_at=spill_at), bytearray()
    for _ in range(300):
        piece = bytes(chooser.randrange(256) for _ in range(chooser.randrange(12)))
        data.extend(piece)
        expected += piece
        assert data.in_memory < max(spill_at, 12)
    for _ in range(500):
        start = chooser.randrange(len(expected) + 1)
        end = chooser.randrange(start, len(expected) + 1)
        assert data.read(start, end) == expected[start:end]
    assert len(data) == len(expected) and data.read(0, len(data)) == expected
    assert pickle.loads(pickle.dumps(data)).read(0, len(expected)) == expected
    with pytest.raises(IndexError):
        data.read(0, len(expected) + 1)


@pytest.mark.parametrize("spill_at", [1, 7, 100])
def test_packed_lists_past_their_memory_read_back_every_item(spill_at: int) -> None:
    strings = PackedStrings(STRINGS, spill_at=spill_at)
    digests = HexDigests(DIGESTS, spill_at=spill_at)
    for listed, items in ((strings, STRINGS), (digests, DIGESTS)):
        assert list(listed) == items and len(listed) == len(items)
        order = list(range(-len(items), len(items)))
        random.Random(spill_at).shuffle(order)
        assert [listed[i] for i in order] == [items[i] for i in order]
        assert list(listed[3:40:3]) == items[3:40:3]
        assert list(pickle.loads(pickle.dumps(listed))) == items
    assert strings == PackedStrings(STRINGS) and strings != PackedStrings(STRINGS[:-1])
    assert strings._data.in_memory < spill_at + 300 and digests._data.in_memory < spill_at + 32


@pytest.mark.parametrize("spill_at", [1, 7, 100])
def test_a_slice_of_a_packed_list_is_the_list_of_the_slice(spill_at: int) -> None:
    """A slice of consecutive items is copied a buffer at a time (a build's read-ahead
    takes the seeds in slices): it answers, and grows, as the slice of a list does."""
    strings = PackedStrings(STRINGS, spill_at=spill_at)
    digests = HexDigests(DIGESTS, spill_at=spill_at)
    for listed, items, more in ((strings, STRINGS, "0009_ff"), (digests, DIGESTS, "")):
        bounds = [None, 0, 1, 2, 5, 59, 60, 61, len(items), len(items) + 3, -1, -3, -60]
        for start in bounds:
            for stop in bounds:
                for step in (None, 1, 2, -1):
                    part = listed[start:stop:step]
                    expected = items[start:stop:step]
                    assert list(part) == expected and len(part) == len(expected)
                    assert [part[i] for i in range(-len(expected), len(expected))] == [
                        *expected,
                        *expected,
                    ]
                    part.append(more)
                    assert list(part) == [*expected, more]


def test_a_list_of_100000_ids_keeps_a_bounded_part_in_memory() -> None:
    """What a 100,000-seed build holds: its ids' bytes and their ends stay under
    :data:`SPILL_BYTES` in memory each (they are some 3.4 MB)."""
    ids = PackedStrings(f"{n:06d}_{n * 7919 % 10**16:016x}" for n in range(100_000))
    digests = HexDigests(hashlib.sha256(str(n).encode()).hexdigest() for n in range(100_000))
    assert ids._data.in_memory < SPILL_BYTES and ids._ends.in_memory < SPILL_BYTES
    assert digests._data.in_memory < SPILL_BYTES
    assert ids[54_321] == f"054321_{54_321 * 7919 % 10**16:016x}"
    assert digests[99_999] == hashlib.sha256(b"99999").hexdigest()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_process_reads_and_appends_without_touching_the_owners_file() -> None:
    """A worker forked from the build shares the file's descriptor: its appends must go
    to a file of its own, or they would land where the owner's next bytes are. Here the
    owner appends first and the child after it, both past the memory threshold."""
    strings = PackedStrings(STRINGS, spill_at=16)
    go_read, go_write = os.pipe()
    done_read, done_write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's answer is the assertion
        ok = False
        try:
            os.read(go_read, 1)  # the owner has appended
            ok = list(strings) == STRINGS
            strings.append("c" * 40)
            ok = ok and list(strings) == [*STRINGS, "c" * 40]
        finally:
            os.write(done_write, b"1" if ok else b"0")
            os._exit(0)
    strings.append("p" * 40)
    os.write(go_write, b"1")
    answer = os.read(done_read, 1)
    os.waitpid(child, 0)
    for descriptor in (go_read, go_write, done_read, done_write):
        os.close(descriptor)
    assert answer == b"1"
    assert list(strings) == [*STRINGS, "p" * 40]


def test_a_build_whose_lists_all_go_to_their_files_writes_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every packed list of a build (seeds, manifest, dedup ids, the cache's memos) past
    its memory after a few items: the same dist/ and the same memos in the cache as a
    build that keeps them all in memory, first build and rebuild."""
    trees = []
    for spill_at in (SPILL_BYTES, 16):
        monkeypatch.setattr(packed, "SPILL_BYTES", spill_at)
        project = make_project(tmp_path / str(spill_at))
        cache = tmp_path / f"cache-{spill_at}"
        monkeypatch.setenv("CURATION_CACHE_DIR", str(cache))
        assert build_in(project, "-q") == 0
        first = tree_digests(project / "dist")
        assert build_in(project, "-q", "--dist", str(project / "again")) == 0
        assert tree_digests(project / "again") == first
        memos = {
            name: digest
            for name, digest in tree_digests(cache).items()
            if "signatures" in name or name.startswith("sidecars/")
        }
        trees.append((first, memos))
    assert trees[0] == trees[1] and trees[0][1]
