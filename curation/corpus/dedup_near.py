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
(``num_perm`` uint32 values, 512 bytes), its id and, per LSH band, a 32-bit
fingerprint of the band's 64-bit key with the record's position
(:class:`BandIndex`), never a text or a shingle set. All of it goes to temporary
files (:class:`SignatureRows`, :class:`BandIndex`, the ids'
:class:`~curation.packed.PackedStrings`), read back where a later record may share
a band: what stays in memory is bounded (the newest entries, one fingerprint of
every :data:`BLOCK_ENTRIES` of the index, and its sieve of ``2**SIEVE_BITS`` bytes),
not some bytes a record, so the
pass's memory is the same at 10,000 records and at a million. Because the texts
are gone when a later record arrives, the similarity that decides is the MinHash
estimate (the share of equal signature values), not the exact Jaccard index that
``check`` computes.
"""

from __future__ import annotations

import os
import sys
import tempfile
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

import numpy as np

from curation.contribute.near_duplicates import minhash_values, shingle_hashes
from curation.errors import InvalidInput, Problem
from curation.packed import PackedStrings
from curation.record import AnyRecord
from curation.rules import RulesFile

if TYPE_CHECKING:  # the build module that wires passes imports both: no import cycle
    from curation.pipeline import StepReport

NEAR_DUPLICATE_OF_EARLIER_RECORD = "near_duplicate_of_earlier_record"

# Similarities are published rounded, like the language score: the same on every machine.
SIMILARITY_DIGITS = 4

# Signatures of kept records wait in memory until this many are written to their file
# together (512 KiB with the shipped rules).
SIGNATURES_PER_WRITE = 1024

# Pairs of a record and a candidate kept before its batch compared at once (a
# signature of each, its band keys and its band keys against the record's: some 5 KiB
# a pair with the shipped rules).
PAIRS_AT_ONCE = 4096

# Positions of kept records in the band index: 32 bits, four billion records.
_POSITION = np.uint32
# What the band index keeps of a key (see BandIndex).
_FINGERPRINT = np.uint32
# Entries of a band index's run on file per fingerprint it keeps in memory (_Run): a
# lookup reads whole blocks, 4 KiB of fingerprints each.
BLOCK_ENTRIES = 1024

# dedup_near's band index sieves the keys it is asked with 2**21 flags (2 MiB): at 10,000
# records (320,000 keys) one key in 7 of those in no run goes on to the runs, one in 2
# at 50,000; past some 200,000 records nearly all do (the sieve is then worth nothing,
# and costs a lookup of a batch's keys: exact either way).
SIEVE_BITS = 21

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


def band_keys(values: np.ndarray, rules: NearDupRules) -> np.ndarray:
    """One 64-bit key per LSH band, the band's number mixed in (so one dict serves all bands).

    Two signatures share a key when a band of ``rows`` values is equal in both
    (and, with chance about 2^-64 per pair, otherwise: the estimate then decides).
    ``values`` may also be a 2-D array of signatures, one a row: then one row of keys each.
    """
    width = rules.bands * rules.rows
    bands = (
        values[..., :width].astype(np.uint64).reshape(*values.shape[:-1], rules.bands, rules.rows)
    )
    keys = np.arange(rules.bands, dtype=np.uint64)
    for column in range(rules.rows):
        keys = (keys * _ROLL) ^ bands[..., column]
    keys ^= keys >> np.uint64(30)
    keys *= _MIX1
    keys ^= keys >> np.uint64(27)
    keys *= _MIX2
    keys ^= keys >> np.uint64(31)
    return keys


def band_keys_of_rows(values: np.ndarray, rules: NearDupRules) -> np.ndarray:
    """:func:`band_keys` of each row of a 2-D array of signatures, in one pass of numpy:
    a ``(rows, bands)`` array, row ``i`` the keys of signature ``i``."""
    keys: np.ndarray = band_keys(values, rules)
    return keys


class _Run:
    """One sorted run of a :class:`BandIndex`: fingerprints and the positions of their
    records, in the same order.

    A small run keeps both in memory. A run ``on_file`` keeps its positions in a
    temporary file of its own (removed when the run is merged or the index
    collected), read only for the entries a lookup finds; with
    ``fingerprints_on_file``, its fingerprints too, and in memory only the first
    fingerprint of every block of :data:`BLOCK_ENTRIES` (its *fences*): a lookup
    reads the blocks that may hold the keys it is given, one read per stretch of
    neighbouring blocks, from the operating system's page cache, which is not the
    build's memory.
    """

    def __init__(
        self,
        fingerprints: np.ndarray,
        positions: np.ndarray,
        on_file: bool,
        fingerprints_on_file: bool = False,
    ) -> None:
        self._length = len(fingerprints)
        self._keys: np.ndarray | None = fingerprints
        self._positions: np.ndarray | None = positions
        self._file: IO[bytes] | None = None
        if not on_file:
            return
        self._file = tempfile.TemporaryFile(prefix="curation-dedup-bands-")  # noqa: SIM115
        weakref.finalize(self, self._file.close)
        self._file.write(fingerprints.astype("<u4").tobytes())
        self._file.write(positions.astype("<u4").tobytes())
        self._file.flush()
        self._positions = None
        if fingerprints_on_file:
            self._fences = fingerprints[::BLOCK_ENTRIES].copy()
            self._keys = None

    def __len__(self) -> int:
        return self._length

    @property
    def on_file(self) -> bool:
        return self._file is not None

    def _read(
        self, column: int, start: int, end: int, into: np.ndarray | None = None
    ) -> np.ndarray:
        """Entries ``start`` to ``end`` of the file's fingerprints (column 0) or
        positions (column 1), read into ``into`` if given (a uint32 array of their number)."""
        assert self._file is not None
        entries = np.empty(end - start, dtype=_FINGERPRINT) if into is None else into
        size = 4 * (end - start)
        offset = 4 * (column * self._length + start)
        _pread_fully(self._file, memoryview(entries.data).cast("B")[:size], offset)
        return entries

    def keys(self) -> np.ndarray:
        """Every fingerprint, in order."""
        return self._keys if self._keys is not None else self._read(0, 0, self._length)

    def positions(self, start: int = 0, end: int | None = None) -> np.ndarray:
        """The positions of entries ``start`` to ``end`` (to the last by default)."""
        end = self._length if end is None else end
        if self._positions is not None:
            return self._positions[start:end]
        return self._read(1, start, end)

    def take(self, places: np.ndarray) -> np.ndarray:
        """The positions at ``places`` (ascending within each stretch of neighbours);
        from the file, one read per stretch of places less than a block apart (a read
        costs more than a block's bytes copied: one read per place took a tenth of a
        rebuild's dedup_near)."""
        if self._positions is not None:
            chosen: np.ndarray = self._positions[places]
            return chosen
        if not len(places):
            return np.zeros(0, dtype=_POSITION)
        steps = np.diff(places)
        breaks = np.flatnonzero((steps < 0) | (steps > BLOCK_ENTRIES)) + 1
        # Within a stretch the places ascend: its first is its least, its last its greatest.
        firsts = places[np.r_[0, breaks]]
        ends = places[np.r_[breaks - 1, len(places) - 1]] + 1
        sizes = ends - firsts
        local_starts = np.cumsum(sizes) - sizes
        read = np.empty(int(sizes.sum()), dtype=_FINGERPRINT)
        stretches = zip(local_starts.tolist(), firsts.tolist(), ends.tolist(), strict=True)
        for at, first, end in stretches:
            self._read(1, first, end, into=read[at : at + end - first])
        counts = np.diff(np.r_[0, breaks, len(places)])
        taken: np.ndarray = read[places - np.repeat(firsts - local_starts, counts)]
        return taken

    def ranges(self, ordered: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For fingerprints ``ordered`` (ascending, repeats allowed): the indices into
        ``ordered`` of those the run has, and where each one's entries start and end."""
        if self._keys is not None:
            return _ranges(self._keys, ordered)
        if not len(ordered):
            return _ranges(self._fences[:0], ordered)
        # A key's entries lie in the blocks from the one before the first fence that
        # is not below it to the last fence that is not above it.
        count = len(self._fences)
        first = np.maximum(np.searchsorted(self._fences, ordered, side="left") - 1, 0)
        last = np.maximum(np.searchsorted(self._fences, ordered, side="right") - 1, first)
        marks = np.bincount(first, minlength=count + 1) - np.bincount(last + 1, minlength=count + 1)
        blocks = np.flatnonzero(np.cumsum(marks[:count]) > 0)
        firsts, ends = _stretches(blocks)
        starts = [BLOCK_ENTRIES * block for block in firsts]
        stops = [min(BLOCK_ENTRIES * block, self._length) for block in ends]
        # The blocks read, end to end, are sorted too; an entry's place in the run is its
        # place among them plus the entries left out before its stretch, and all of a
        # key's entries are in one stretch.
        local_starts = np.cumsum(
            [0, *(stop - start for start, stop in zip(starts, stops, strict=True))]
        )
        read = np.empty(int(local_starts[-1]), dtype=_FINGERPRINT)
        for at, start, stop in zip(local_starts.tolist()[:-1], starts, stops, strict=True):
            self._read(0, start, stop, into=read[at : at + stop - start])
        skipped = np.array(starts, dtype=np.int64) - local_starts[:-1]
        hit, begin, end = _ranges(read, ordered)
        shift = skipped[np.searchsorted(local_starts, begin, side="right") - 1]
        return hit, begin + shift, end + shift

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


def _pread_fully(file: IO[bytes], view: memoryview, offset: int) -> None:
    """Fill ``view`` from ``offset`` of ``file`` (:func:`_pread_into` until it is full:
    preadv may stop short, as read does); OSError if the file ends first."""
    read = 0
    while read < len(view):
        got = _pread_into(file, view[read:], offset + read)
        if not got:
            raise OSError(f"read {read} of {len(view)} bytes from a temporary file")
        read += got


def _pread_into(file: IO[bytes], view: memoryview, offset: int) -> int:
    """Read into ``view`` from ``offset`` of ``file`` without moving its position (which
    a forked process shares); how many bytes were read."""
    if hasattr(os, "preadv"):
        return os.preadv(file.fileno(), [view], offset)
    file.seek(offset)  # pragma: no cover - no preadv (Windows): one thread reads an index
    data = file.read(len(view))  # pragma: no cover
    view[: len(data)] = data  # pragma: no cover
    return len(data)  # pragma: no cover


def _ranges(keys: np.ndarray, ordered: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:meth:`_Run.ranges` over ``keys`` (sorted) in memory. A binary search for each of
    a sorted batch of keys walks through the run in order (about a third of the time
    of the batch as it comes), and only the few keys found are searched for again for
    the end of their range."""
    starts = np.searchsorted(keys, ordered, side="left")
    inside = np.flatnonzero(starts < len(keys))
    hit = inside[keys[starts[inside]] == ordered[inside]]
    ends = np.searchsorted(keys, ordered[hit], side="right")
    return hit, starts[hit], ends


def _stretches(places: np.ndarray) -> tuple[list[int], list[int]]:
    """Where each stretch of consecutive ``places`` (ascending) begins, and ends (after
    its last)."""
    breaks = np.flatnonzero(np.diff(places) != 1) + 1
    firsts = places[np.r_[0, breaks]].tolist()
    ends = (places[np.r_[breaks - 1, len(places) - 1]] + 1).tolist()
    return firsts, ends


class BandIndex:
    """Band keys of the kept records, and which records (by position) may have each one.

    A dict from key to position costs about 100 bytes per band per record; here each
    key is kept as its low 32 bits (its *fingerprint*), in a few sorted runs looked up
    by binary search, each with its records' 32-bit positions in the same order.
    :meth:`positions` gives every record that has one of the keys asked for, and the
    few that only share a fingerprint (about one lookup in 40,000 at 100,000 records
    with 32 bands): the caller checks the full keys, as :class:`DedupNear` does from
    the signatures it reads anyway, so the answers are those of a dict.

    New keys wait in a small dict; a full one becomes a run, and runs of like size are
    merged, as in a binary counter, so there are about log2(records) runs and each key
    is merged that many times. A merge sorts the two runs end to end (a stable sort,
    which finds the two sorted halves and merges them once). Runs stop growing at
    ``run_limit`` entries: a merge holds both runs, both end to end, the sort's order
    and the merged run for a moment (some 32 bytes an entry); one of the whole index
    at 100,000 records would take 100 MiB.
    Runs of ``file_from`` entries or more keep their positions in a temporary file,
    read only where a fingerprint is found: 4 bytes of memory an entry. With
    ``fingerprints_on_file``, such runs keep their fingerprints there too, with one of
    every :data:`BLOCK_ENTRIES` in memory (:class:`_Run`): the index's memory then
    stays under some ``file_from`` entries and a 256th of a fingerprint an entry,
    however many records are kept. That is for an index looked up a batch of keys at
    a time (:meth:`matches`: each run is read once a batch); one looked up a key at a
    time would read a block of every run for each key.

    With ``sieve_bits``, :meth:`matches` first asks a sieve of ``2**sieve_bits`` flags
    (a byte each, whatever the corpus), one for each value of a fingerprint's top
    ``sieve_bits`` bits, set for every fingerprint in a run: a key whose flag is clear
    is in no run, and only the others are looked for there. A set flag only lets a
    key through, so the answers are the same; what it saves is the binary search of
    most of a batch's keys in every run (most keys are in none). Bytes, not bits: a
    flag is set by plain assignment (setting bits, ``np.bitwise_or.at``, cost as much
    as the searches it saved).
    """

    def __init__(
        self,
        buffer_size: int = 1 << 12,
        run_limit: int = 1 << 18,
        file_from: int = 1 << 15,
        fingerprints_on_file: bool = False,
        sieve_bits: int = 0,
    ) -> None:
        self._buffer_size = buffer_size
        self._run_limit = run_limit
        self._file_from = file_from
        self._sieve = np.zeros(1 << sieve_bits, dtype=bool) if sieve_bits else None
        self._sieve_shift = _FINGERPRINT(32 - sieve_bits)
        self._fingerprints_on_file = fingerprints_on_file
        self._buffer: dict[int, list[int]] = {}  # fingerprint -> positions
        # The buffered fingerprints and positions in the order they came, for _flush.
        self._buffered_keys: list[int] = []
        self._buffered_positions: list[int] = []
        self._runs: list[_Run] = []

    def __len__(self) -> int:
        return len(self._buffered_keys) + sum(len(run) for run in self._runs)

    def add(self, keys: np.ndarray, position: int) -> None:
        listed = _fingerprints(keys).tolist()
        for key in listed:
            self._buffer.setdefault(key, []).append(position)
        self._buffered_keys += listed
        self._buffered_positions += [position] * len(listed)
        if len(self._buffered_keys) >= self._buffer_size:
            self._flush()

    def positions(self, keys: np.ndarray) -> np.ndarray:
        """Sorted, distinct positions of the records that share at least one of ``keys``'s
        fingerprints: every record that has one of ``keys``, and rarely one that does not."""
        fingerprints = _fingerprints(keys)
        found = [
            np.array(self._buffer[key], dtype=np.int64)
            for key in fingerprints.tolist()
            if key in self._buffer
        ]
        ordered = _distinct(fingerprints)
        for run in self._runs:
            _, starts, ends = run.ranges(ordered)
            # Most keys are in no run: only those that are cost a step of Python.
            for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
                found.append(run.positions(start, end))
        if not found:
            return np.zeros(0, dtype=np.int64)
        return _distinct(np.concatenate(found)).astype(np.int64)

    def add_many(self, keys: np.ndarray, positions: np.ndarray) -> None:
        """Add ``keys[i]`` for the record at ``positions[i]``, for every ``i``: what
        :meth:`add` of each would do, as one sorted run (no dict, no Python loop)."""
        if self._buffered_keys:
            self._flush()
        if len(keys):
            self._add_run(_fingerprints(keys), positions.astype(_POSITION))

    def matches(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every (index into ``keys``, position) such that the record at that position
        has ``keys[index]``, and rarely one that only shares its fingerprint (as
        :meth:`positions`): :meth:`positions` of many keys at once, each match kept
        apart, in two int64 arrays (in no particular order)."""
        which: list[np.ndarray] = []
        found: list[np.ndarray] = []
        keys = _fingerprints(keys)
        if self._buffer:
            for index, key in enumerate(keys.tolist()):
                for position in self._buffer.get(key, ()):
                    which.append(np.array([index], dtype=np.int64))
                    found.append(np.array([position], dtype=np.int64))
        # Which keys may be in a run: every key, or those the sieve lets through.
        sieved = (
            np.arange(len(keys), dtype=np.int64)
            if self._sieve is None or not self._runs
            else np.flatnonzero(self._sifts(keys))
        )
        # The keys in order, once for every run (see _ranges).
        order = sieved[np.argsort(keys[sieved], kind="stable")]
        ordered = keys[order]
        for run in self._runs:
            hit, starts, ends = run.ranges(ordered)
            if not len(hit):
                continue
            repeats = ends - starts
            # Each hit's range of the run, laid end to end: start + 0, 1, ..., count - 1.
            firsts = np.repeat(np.cumsum(repeats) - repeats, repeats)
            places = np.repeat(starts, repeats) + np.arange(int(repeats.sum())) - firsts
            which.append(np.repeat(order[hit], repeats).astype(np.int64))
            found.append(run.take(places).astype(np.int64))
        if not which:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty.copy()
        return np.concatenate(which), np.concatenate(found)

    def _flush(self) -> None:
        keys = np.array(self._buffered_keys, dtype=_FINGERPRINT)
        positions = np.array(self._buffered_positions, dtype=_POSITION)
        self._buffer, self._buffered_keys, self._buffered_positions = {}, [], []
        self._add_run(keys, positions)

    def _sifts(self, fingerprints: np.ndarray) -> np.ndarray:
        """Whether each fingerprint's flag in the sieve is set (it may be in a run)."""
        assert self._sieve is not None
        sifts: np.ndarray = self._sieve[fingerprints >> self._sieve_shift]
        return sifts

    def _add_run(self, fingerprints: np.ndarray, positions: np.ndarray) -> None:
        if self._sieve is not None:
            self._sieve[fingerprints >> self._sieve_shift] = True
        order = np.argsort(fingerprints, kind="stable")
        self._runs.append(self._run(fingerprints[order], positions[order]))
        # Merge while the newest run is at least as large as the one before it.
        while (
            len(self._runs) > 1
            and len(self._runs[-1]) >= len(self._runs[-2])
            and len(self._runs[-1]) + len(self._runs[-2]) <= self._run_limit
        ):
            newer = self._runs.pop()
            older = self._runs.pop()
            keys = np.concatenate((older.keys(), newer.keys()))
            # A stable sort puts the newer run's keys after the older run's equal ones.
            # Of two sorted runs end to end, numpy's stable sort (a timsort, past 16-bit
            # keys) makes one merge: a third of the time of inserting one run into the
            # other where binary search puts its keys.
            order = np.argsort(keys, kind="stable")
            merged = self._run(
                keys[order], np.concatenate((older.positions(), newer.positions()))[order]
            )
            older.close()
            newer.close()
            self._runs.append(merged)

    def _run(self, keys: np.ndarray, positions: np.ndarray) -> _Run:
        on_file = len(keys) >= self._file_from
        return _Run(keys, positions, on_file, fingerprints_on_file=self._fingerprints_on_file)


def _distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` (sorted, distinct) of a 1-D array, without its first call's
    import of ``numpy.ma`` (numpy 2.4 asks it whether the array is masked): some 30 ms of
    a rebuild, once, for the few values a lookup finds.

    >>> _distinct(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    first: np.ndarray = ordered[np.r_[True, ordered[1:] != ordered[:-1]]]
    return first


def _fingerprints(keys: np.ndarray) -> np.ndarray:
    """The low 32 bits of each 64-bit key (the keys are mixed: any 32 bits will do)."""
    return (np.asarray(keys, dtype=np.uint64) & np.uint64(0xFFFFFFFF)).astype(_FINGERPRINT)


def _shared_keys(bands: np.ndarray) -> dict[int, list[int]]:
    """For each row of ``bands`` that shares a key with an earlier row, those earlier
    rows (distinct, ascending)."""
    count, width = bands.shape
    if count < 2:
        return {}
    flat = bands.ravel()
    order = np.argsort(flat, kind="stable")  # stable: rows ascend within a key
    ordered = flat[order]
    if not (ordered[1:] == ordered[:-1]).any():
        return {}
    shared: dict[int, set[int]] = {}
    owners = (order // width).tolist()
    # Runs of one key in the sorted keys: each row in a run shares it with the rows
    # before it in the run.
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(ordered)]
    several = np.flatnonzero(ends - starts > 1)
    for start, end in zip(starts[several].tolist(), ends[several].tolist(), strict=True):
        rows = owners[start:end]
        for later, row in enumerate(rows):
            for other in rows[:later]:
                if other != row:
                    shared.setdefault(row, set()).add(other)
    return {row: sorted(others) for row, others in shared.items()}


class SignatureRows:
    """The signatures of the kept records, by position, in a temporary file.

    Rows are appended in memory and written :data:`SIGNATURES_PER_WRITE` at a
    time; :meth:`rows` reads the rows a lookup needs (a few per record at most)
    from the file or from the rows not yet written. What the file holds stays in
    the operating system's page cache, which is not this process's memory.
    """

    def __init__(self, width: int, rows_per_write: int = SIGNATURES_PER_WRITE) -> None:
        self._width = width
        self._row_bytes = 4 * width
        self._rows_per_write = rows_per_write
        # Opened at the first write, so that a pass that has kept nothing yet can be
        # sent to other processes (the Ray engine ships the passes before any record);
        # open as long as the pass lives, closed (and so removed) when it is collected.
        self._file: IO[bytes] | None = None
        self._written = 0  # rows in the file
        self._pending = bytearray()  # rows after those, little-endian uint32

    def _opened(self) -> IO[bytes]:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="curation-dedup-near-")  # noqa: SIM115
            weakref.finalize(self, self._file.close)
        return self._file

    def __len__(self) -> int:
        return self._written + len(self._pending) // self._row_bytes

    def append(self, values: np.ndarray) -> None:
        self._pending += values.astype("<u4").tobytes()
        if len(self._pending) >= self._rows_per_write * self._row_bytes:
            file = self._opened()
            file.seek(0, 2)
            file.write(self._pending)
            file.flush()  # rows() reads the file with pread, past Python's buffer
            self._written += len(self._pending) // self._row_bytes
            self._pending = bytearray()

    def rows(self, positions: np.ndarray) -> np.ndarray:
        """The signatures at ``positions``, one row each, as uint32; one ``pread`` a row
        on file (a seek and a buffered read cost two system calls and 8 KiB copied)."""
        found = np.empty((len(positions), self._width), dtype=np.uint32)
        view = memoryview(found.data).cast("B")
        size = self._row_bytes
        for index, position in enumerate(positions.tolist()):
            into = view[index * size : (index + 1) * size]
            if position >= self._written:
                start = (position - self._written) * size
                into[:] = self._pending[start : start + size]
                continue
            _pread_fully(self._opened(), into, position * size)
        if sys.byteorder != "little":  # pragma: no cover - the rows are little-endian
            found.byteswap(inplace=True)
        return found


class DedupNear:
    """The ``dedup_near`` corpus pass; one instance serves one build (it remembers signatures)."""

    name = "dedup_near"
    version = 1
    rewrites = False
    description = (
        "drop a record whose MinHash-estimated similarity (character shingles) with an "
        "earlier kept record reaches the threshold of dedup.toml; the first in record-id "
        "order stays"
    )

    def __init__(
        self,
        rules: RulesFile,
        signature_of: Callable[[str, NearDupRules], np.ndarray] | None = None,
    ) -> None:
        """``signature_of``: :func:`signature` or a function that gives the same values
        (the record cache's memo of earlier builds' signatures, :mod:`curation.cache`);
        if it has a ``many`` (the memo's), that gives the signatures of a batch of texts
        at once (as :meth:`SignatureMemo.values_of <curation.cache.SignatureMemo.values_of>`
        does), and is asked instead."""
        self.rules = NearDupRules.from_rules(rules)
        self._signature_of = signature_of or signature
        self._signatures_of: Callable[[Sequence[str]], tuple[np.ndarray, np.ndarray]] | None = (
            getattr(signature_of, "many", None)
        )
        self._ids = PackedStrings()
        self._signatures = SignatureRows(self.rules.num_perm, SIGNATURES_PER_WRITE)
        # Looked up a batch at a time: its fingerprints, 128 bytes a record, go to files.
        self._bands = BandIndex(fingerprints_on_file=True, sieve_bits=SIEVE_BITS)
        self._near_duplicates: list[NearDuplicate] = []

    def record_key(self, record: AnyRecord) -> np.ndarray:
        """The per-record work: the record's MinHash signature (no state)."""
        return self._signature_of(record.text, self.rules)

    def process(
        self,
        batch: Sequence[AnyRecord],
        report: StepReport,
        keys: Sequence[np.ndarray] | None = None,
    ) -> list[AnyRecord]:
        """Keep or drop each record of ``batch``, in order, as if one at a time.

        The records' band keys are made, and looked up in the index of the records
        kept before the batch, for the whole batch at once; records of the batch that
        share a band key with an earlier one of the batch are found by sorting its
        keys. Only a record with a candidate (a few in a hundred) costs a step of
        Python beyond a test, and the kept records' keys join the index as one run:
        a rebuild from the record cache, which has every signature at hand, spent
        most of this pass's time on one lookup and one insertion per record.
        """
        rules = self.rules
        # Records without letters or digits (an empty signature) are similar to
        # nothing and never indexed.
        if keys is None and self._signatures_of is not None:
            rows, lengths = self._signatures_of([record.text for record in batch])
            indexed = np.flatnonzero(lengths).tolist()
            signatures = rows[indexed] if len(indexed) < len(rows) else rows
        else:
            if keys is None:
                keys = [self.record_key(record) for record in batch]
            indexed = [index for index, values in enumerate(keys) if len(values)]
            signatures = (
                np.stack([keys[index] for index in indexed])
                if indexed
                else np.zeros((0, rules.num_perm), dtype=np.uint32)
            )
        bands = band_keys_of_rows(signatures, rules)
        # Each row's first match among the records kept before this batch, decided
        # for the whole batch at once; those are all earlier than any record of the
        # batch, so only a row without one looks at the batch's own (``within``).
        which, found = self._bands.matches(bands.ravel())
        before = self._earliest_before(signatures, bands, which // rules.bands, found)
        within = _shared_keys(bands)
        kept: list[AnyRecord] = []
        kept_rows: list[int] = []
        position_of_row: dict[int, int] = {}
        row_of_index = dict(zip(indexed, range(len(indexed)), strict=True))
        for index, record in enumerate(batch):
            row = row_of_index.get(index)
            if row is None:
                kept.append(record)
                continue
            match = before.get(row)
            if match is None:
                # The batch's kept rows before this one that share a band key with it,
                # ascending, and so are their positions.
                earlier = [other for other in within.get(row, ()) if other in position_of_row]
                if earlier:
                    match = self._earliest_among(
                        signatures[row],
                        bands[row],
                        np.array([position_of_row[other] for other in earlier], dtype=np.int64),
                        signatures[earlier],
                        bands[earlier],
                    )
            if match is None:
                position_of_row[row] = len(self._ids)
                self._signatures.append(signatures[row])
                self._ids.append(record.id)
                kept_rows.append(row)
                kept.append(record)
                continue
            position, similarity = match
            self._near_duplicates.append(NearDuplicate(record.id, self._ids[position], similarity))
            report.drops[NEAR_DUPLICATE_OF_EARLIER_RECORD] += 1
            report.rules[NEAR_DUPLICATE_OF_EARLIER_RECORD] += 1
        if kept_rows:
            self._bands.add_many(
                bands[kept_rows].ravel(),
                np.repeat([position_of_row[row] for row in kept_rows], rules.bands),
            )
        return kept

    def _earliest_before(
        self, signatures: np.ndarray, bands: np.ndarray, rows: np.ndarray, positions: np.ndarray
    ) -> dict[int, tuple[int, float]]:
        """:meth:`_earliest_among` of each row of ``signatures`` (band keys ``bands``)
        among its candidates kept before the batch (pairs of ``rows`` and
        ``positions``, as the band index found them, repeats and all), for all rows
        at once: the signatures of the candidates are read once a batch, not once a
        record that has them, and compared in a few numpy operations. By row, the
        first kept record at or above the threshold and the estimate."""
        if not len(rows):
            return {}
        # Distinct pairs by row, then position: one number each (as np.unique of the
        # pairs along axis 0 gives them, which took six times as long).
        width = int(positions.max()) + 1
        combined = _distinct(rows.astype(np.int64) * width + positions)
        pairs = np.stack([combined // width, combined % width], axis=1)
        earliest: dict[int, tuple[int, float]] = {}
        for start in range(0, len(pairs), PAIRS_AT_ONCE):
            chunk = pairs[start : start + PAIRS_AT_ONCE]
            chunk_rows, chunk_positions = chunk[:, 0], chunk[:, 1]
            distinct, place = np.unique(chunk_positions, return_inverse=True)
            kept = self._signatures.rows(distinct)
            kept_keys = band_keys(kept, self.rules)[place]
            # As _earliest_among: a candidate that shares a whole key, not only a
            # fingerprint, with the record (any of its bands against any of the record's).
            shares = (kept_keys[:, :, None] == bands[chunk_rows][:, None, :]).any(axis=(1, 2))
            estimates = (kept[place] == signatures[chunk_rows]).mean(axis=1)
            passing = np.flatnonzero(shares & (estimates >= self.rules.threshold))
            for index in passing.tolist():
                row = int(chunk_rows[index])
                if row not in earliest:
                    earliest[row] = (
                        int(chunk_positions[index]),
                        round(float(estimates[index]), SIMILARITY_DIGITS),
                    )
        return earliest

    def _earliest_among(
        self,
        values: np.ndarray,
        keys: np.ndarray,
        positions: np.ndarray,
        rows: np.ndarray,
        row_keys: np.ndarray,
    ) -> tuple[int, float] | None:
        """The first kept record of ``positions`` (sorted) at or above the threshold, and
        the estimate; ``values`` and ``keys`` are the record's signature and band keys,
        ``rows`` and ``row_keys`` those of the kept records (of the batch: at hand, not
        read back from the file they were written to)."""
        # A candidate must share a whole key, as with a dict of the keys (np.isin of
        # the keys, as a comparison of every pair: a few rows of 32 keys).
        shares = (row_keys[:, :, None] == keys[None, None, :]).any(axis=(1, 2))
        positions, rows = positions[shares], rows[shares]
        estimates = (rows == values).mean(axis=1)
        above = np.flatnonzero(estimates >= self.rules.threshold)
        if not len(above):
            return None
        first = int(above[0])
        return int(positions[first]), round(float(estimates[first]), SIMILARITY_DIGITS)

    def near_duplicates(self) -> list[NearDuplicate]:
        """Every record dropped so far, its survivor and their similarity, in stream order."""
        return list(self._near_duplicates)
