"""The record cache: what the record steps made of each input record, kept between runs.

Cleaning is the slow part of a build (tens of milliseconds a seed), and a seed
that has not changed cleans to the same records every time: the steps are pure
functions of the record and the rules. So ``build`` (and ``add-seed`` and
``review``, which clean the corpus in memory when ``dist/`` is not current) keep,
per input record, the records and step counts the steps made of it, and reuse
them while nothing that decides them has changed. The corpus passes
(``dedup_exact``, ``dedup_near``) always run again, on the cached records: they
look across records, and a seed added or changed anywhere can change their
decisions anywhere.

What decides an entry, all hashed into its key (:func:`settings_key`, :func:`record_key`):

- the input record: its id, its text (so the seed's bytes) and every field taken
  from its sidecar, which is hashed whole, in canonical JSON;
- the ordered ids (name and version) of the record steps;
- the sha256 of every rules file;
- the versions of the pinned libraries (:data:`curation.publish.summary.PINNED_LIBRARIES`),
  the Python version and its Unicode database;
- the source of the ``curation`` package itself: a step must bump its version when
  its behaviour changes, but a working tree between two commits has not done it
  yet, and a cache that served the records of yesterday's code would hide the
  change.

The cache can never change the output: an entry is only ever the exact result of
cleaning the same input with the same everything, it round-trips records exactly
(:mod:`marshal` keeps every string, number and the order of every mapping), and an entry
that does not check out (checksum, format, key) is ignored with a warning and
cleaned afresh. Still, ``curation verify``, ``release`` and CI's comparison of
``dist/`` never read it: they rebuild from nothing, so a bug here could not hide
itself.

Where: ``$CURATION_CACHE_DIR``, else ``$XDG_CACHE_HOME/curation``, else
``~/.cache/curation`` (the folder ``curation check`` already keeps its cache in;
``CURATION_CACHE_DIR=`` with an empty value turns both off), under
``records/<settings key>/packs/``: the entries of a batch in one pack
(:mod:`curation.packs`), named for its sha256, with an index of its entries at its
start. A rebuild reads every pack's index, then its entries where they lie, in the
order they were written, the entries of a batch that lie together with one read; a
file per entry made it open ten thousand files. Never
inside ``dist/`` or ``seeds/``: the cache is not part of the dataset.

An entry holds, per cleaned record, its published row as the writer writes it, its
text, and the fields the corpus passes and the card read (:func:`encode_entry`): a
build takes a hit as a :class:`~curation.record.StoredRecord` and writes its row
without decoding the record (:meth:`RecordCache.clean_stored`). A seed's entry is
found by the sha256 of its text that validation computed
(:class:`~curation.seeds.UnreadSeed`), so the text of a hit is read once, not twice.

Each pack is written to a temporary file in ``records/<settings key>/tmp/`` and
renamed into place, so a reader sees a whole pack or none; a write cut short by a
kill leaves only a temporary file, which no reader looks at and which a later run
removes once it is an hour old. A crash can still leave a renamed pack whose bytes
never reached the disk: its index checksum or an entry's then fails, and the pack is
ignored with a warning and removed. A build compacts the packs once they are many
(:meth:`RecordCache.compact`), so the entries of seeds that changed do not pile up.

Beside the records, the settings folder keeps what the corpus passes computed of
each text in the last build (:class:`SignatureMemo`): ``dedup_near``'s MinHash
signatures and ``dedup_exact``'s digests, by a digest of the text. Both are pure
functions of the text and of settings in the folder's key, so a remembered value
is the value that would be computed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import logging
import marshal
import os
import re
import shutil
import struct
import sys
import tempfile
import time
import unicodedata
import weakref
from array import array
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Generic, TypeVar

import numpy as np

from curation.corpus.dedup_exact import DIGEST_SIZE, text_digest
from curation.corpus.dedup_near import NearDupRules, signature
from curation.ngram_trie import NgramTrie
from curation.packed import SortedDigests, SpilledBytes, sorted_distinct
from curation.packs import (
    PACK_SUFFIX,
    DamagedPack,
    decode_index,
    encode_pack,
    index_size,
    pack_name,
)
from curation.pipeline import EarlyCleaning, StepReport
from curation.record import AnyRecord, Record, StoredRecord, Warning_
from curation.rules import RuleSet, load_rules
from curation.seeds import FileStats, KnownSeed, UnreadSeed
from curation.steps.base import Step

# pyarrow is imported where a build writes, and the steps where they run, not by every command.
if TYPE_CHECKING:
    from curation.publish import parquet
    from curation.steps.identify_language import ModelArrays
    from curation.word_frequency import FrequencyTable

logger = logging.getLogger(__name__)

# Bumped whenever the layout of an entry changes: old entries then live under
# another settings key and are never read. 2: entries in packs (curation.packs), the
# record key hashes the text's sha256 instead of the text. 3: a record as its published
# row and the fields a build reads (curation.record.StoredRecord), beside its text.
# 4: the body in marshal, the steps' numbers as 64-bit integers (encode_entry).
CACHE_FORMAT = 4

# The first line of every entry: this magic, the format and the sha256 of the rest.
MAGIC = b"curation-records"
SIGNATURES_MAGIC = b"curation-signatures"
SIDECARS_MAGIC = b"curation-valid-sidecars"
KNOWN_SEEDS_MAGIC = b"curation-known-seeds"
# A memo's key of a text (blake2b), and a sidecar's sha256, in bytes.
DIGEST_WIDTH = 16
SHA256_WIDTH = 32
# An entry's key: the sha256 of its input record (record_key), in bytes.
KEY_WIDTH = 32
# Signatures read from the temporary file at a time while a memo is saved.
SIGNATURES_PER_READ = 4096

# A temporary file older than this was left by a write that was killed (a live
# write takes milliseconds): it is removed when the cache is next used.
STALE_TEMPORARY_SECONDS = 3600

# Temporary files are named curation-<start of the target's name>-<mkstemp's 8 characters>.
TEMPORARY_PREFIX = "curation-"
TEMPORARY_NAME = re.compile(r"^curation-[0-9a-z-]{1,16}-[0-9a-z_]{8}$")

# Settings folders (records/<sha256>) kept when the cache is opened: the most
# recently used ones, one per code version, rules or libraries tried lately.
KEPT_SETTINGS = 8
SETTINGS_NAME = re.compile(r"^[0-9a-f]{64}$")
USED_MARK = "last-used"

# The packs of a settings folder are in its folder ``packs/``, named for their sha256.
PACKS = "packs"
PACK_NAME = re.compile(r"^[0-9a-f]{64}\.pack$")
# A compaction writes packs of this many entries: the batch size of a build.
ENTRIES_PER_PACK = 256
# Packs beyond twice what the used entries need before a build compacts them: a
# rebuild or an add-seed adds one small pack, and some dozens of them cost nothing.
EXTRA_PACKS = 16
# Entries this run wrote that are found in a dict before they are sorted in with
# the others (see _Written): some 0.6 MiB of dict.
RECENT_ENTRIES = 4096
# Packs kept open while reading (a build reads them in the order they were written).
OPEN_PACKS = 8

PACKAGE_DIR = Path(__file__).resolve().parent

# What cleaning one input record made: the records, and each step's counts for it.
Cleaned = tuple[list[Record], list[StepReport]]

# Cleans batches of records and yields, for each batch, one result per record, in order.
CleanEach = Callable[[Iterable[Sequence[Record]]], Iterator[list[Cleaned]]]


def cache_dir() -> Path | None:
    """Where the cache lives, from the environment; None when it is turned off.

    ``$CURATION_CACHE_DIR`` (empty: off), else ``$XDG_CACHE_HOME/curation``, else
    ``~/.cache/curation``: where ``curation check`` has always kept its cache.
    """
    configured = os.environ.get("CURATION_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "curation"


def canonical_bytes(value: object) -> bytes:
    """Canonical JSON (sorted keys, fixed separators), for hashing.

    >>> canonical_bytes({"b": 1, "a": [None, "é"]})
    b'{"a":[null,"\\\\u00e9"],"b":1}'
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


@functools.cache
def code_digest(package: Path = PACKAGE_DIR) -> str:
    """The sha256 of every Python file of the ``curation`` package, and of every table
    its code reads as it would compute it (``*.txt``: the steps' combining marks), by
    relative path."""
    digest = hashlib.sha256()
    found = [*package.rglob("*.py"), *package.rglob("*.txt")]
    for path in sorted(found):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def python_version() -> str:
    """major.minor: what can change the standard library's behaviour (unicodedata, re)."""
    return f"{sys.version_info[0]}.{sys.version_info[1]}"


def settings_key(steps: Sequence[Step], rules: RuleSet) -> str:
    """A digest of everything besides the input record that decides what the steps make of it."""
    from curation.publish.summary import library_versions

    settings = {
        "format": CACHE_FORMAT,
        "steps": [step.id for step in steps],
        "rules": rules.digests,
        "libraries": library_versions(),
        "python": python_version(),
        "unicode": unicodedata.unidata_version,
        "code": code_digest(),
    }
    return hashlib.sha256(canonical_bytes(settings)).hexdigest()


def record_key(record: Record | UnreadSeed) -> str:
    """The sha256 of an input record: every field, its sidecar (``declared``) whole.

    The text goes in by its own sha256 (of its UTF-8 bytes): the same key as the
    text itself would give, without writing a seed's text out as canonical JSON,
    and without reading the text of a seed whose sha256 validation computed
    (:class:`~curation.seeds.UnreadSeed`).

    >>> a = Record("001_0123456789abcdef", 0, "Text.", declared={"title": None})
    >>> b = Record("001_0123456789abcdef", 0, "Text.", declared={"title": "T"})
    >>> c = Record("001_0123456789abcdef", 0, "Text!", declared={"title": None})
    >>> len({record_key(a), record_key(b), record_key(c)}), len(record_key(a))
    (3, 64)
    """
    if isinstance(record, UnreadSeed):
        if record.seed.record_key:
            return record.seed.record_key  # validation made it (KnownSeeds.key_of)
        value = _record_json(record.without_text())
        value["text"] = record.text_sha256
    else:
        value = _record_json(record)
        value["text"] = hashlib.sha256(record.text.encode("utf-8", "surrogatepass")).hexdigest()
    return hashlib.sha256(canonical_bytes(value)).hexdigest()


# ---------------------------------------------------------------------------
# Entries: records and step counts, exactly as they were.

# The version of marshal's format an entry's body is written in. 2, not the newest:
# from 3 on, marshal marks a string interned or not and writes an object met twice as
# a reference when something else holds it too, so equal entries could differ in
# their bytes (and a pack is named for its bytes). 2 has neither, and keeps a float's
# exact bits. marshal's format may change between Python versions: the settings key
# holds the Python version (:func:`settings_key`), so an entry is only read by the
# version that wrote it.
MARSHAL_VERSION = 2

# The four numbers of each step's counts (StepReport), in this order, in an entry.
_REPORT_COUNTS = ("records_in", "records_out", "chars_in", "chars_out")
# An entry's counts: each step's _REPORT_COUNTS, as signed 64-bit little-endian numbers.
_COUNT = np.dtype("<i8")

# The header line of an entry of this format, up to its checksum (64 hex digits, a newline).
_HEADER = b"%s %d " % (MAGIC, CACHE_FORMAT)
_HEADER_SIZE = len(_HEADER) + 64 + 1


_RECORD_FIELDS = tuple(f.name for f in fields(Record))


class DamagedEntry(ValueError):
    """An entry that cannot be trusted: cut short, altered, or not an entry of this key."""


def _record_json(record: Record) -> dict[str, Any]:
    value: dict[str, Any] = {name: getattr(record, name) for name in _RECORD_FIELDS}
    value["provenance"] = [
        [e.step, e.rule, e.start, e.end, e.before, e.after] for e in record.provenance
    ]
    value["warnings"] = [[w.step, w.code, w.message] for w in record.warnings]
    return value


def encode_entry(key: str, cleaned: Cleaned) -> bytes:
    """An entry's bytes: a header line with the sha256 of the body, then the body.

    The body is one value in :mod:`marshal` (:data:`MARSHAL_VERSION`): the key, the
    ids of the steps, their counts (:data:`_COUNT` numbers, then the counters of the
    steps that counted any), and per record its sidecar, the fields a build reads, its
    text and its published row (:class:`~curation.record.StoredRecord`) in UTF-8. A
    hit gives the build the row it writes without decoding the record. marshal, not
    JSON: the body is only ever read back by the code (and Python) that wrote it,
    after its checksum, and marshal reads it back several times faster; it keeps
    every string (a lone surrogate too), number and the order of every mapping.

    >>> record = Record("001_0123456789abcdef", 0, "Text.", declared={"title": None})
    >>> entry = encode_entry("ab" * 32, ([record], []))
    >>> entry.partition(b" ")[0], decode_entry("ab" * 32, entry, ())[0] == [record]
    (b'curation-records', True)
    """
    from curation.publish.parquet import canonical_json
    from curation.schema import record_row

    records, reports = cleaned
    stored = []
    for record in records:
        # surrogatepass keeps a lone surrogate (which no step should make, but a str
        # may hold) exact; the writer encodes rows strictly, so a row that needs it is
        # marked, and such a record is given back whole (the writer then fails as it
        # would have without the cache).
        text = record.text.encode("utf-8", "surrogatepass")
        row_json = canonical_json(record_row(record))
        try:
            row, strict = row_json.encode("utf-8"), True
        except UnicodeEncodeError:
            row, strict = row_json.encode("utf-8", "surrogatepass"), False
        stored.append(
            (
                record.seed_id,
                record.part,
                record.declared,
                record.title,
                record.language,
                record.language_decided_by,
                record.source,
                record.date,
                record.license,
                tuple((w.step, w.code, w.message) for w in record.warnings),
                text,
                row,
                strict,
            )
        )
    counts = np.array(
        [getattr(report, name) for report in reports for name in _REPORT_COUNTS], dtype=_COUNT
    )
    # Counters as pairs: their order (first seen, first listed) is kept. Most steps
    # fire no rule on most records: only the steps that counted something are listed.
    counters = tuple(
        (
            index,
            tuple(report.rules.items()),
            tuple(report.drops.items()),
            tuple(report.rule_chars_removed.items()),
        )
        for index, report in enumerate(reports)
        if report.rules or report.drops or report.rule_chars_removed
    )
    body = marshal.dumps(
        (
            bytes.fromhex(key),
            tuple(report.step for report in reports),
            counts.tobytes(),
            counters,
            tuple(stored),
        ),
        MARSHAL_VERSION,
    )
    return b"%s%s\n%s" % (_HEADER, hashlib.sha256(body).hexdigest().encode(), body)


def decode_entry(key: str, data: bytes, steps: Sequence[Step]) -> Cleaned:
    """The records and counts of an entry; :class:`DamagedEntry` if it does not check out."""
    return _cleaned(_decode_raw(key, data, steps), steps)


def _cleaned(decoded: _Decoded, steps: Sequence[Step]) -> Cleaned:
    """An entry as decoded (:func:`_decode_raw`), its records whole and counts counted."""
    records, counts, counters = decoded
    reports = [StepReport(step.id, step.description) for step in steps]
    _add_counters(reports, counters)
    _add_counts(reports, [counts])
    return [_whole(record) for record in records], reports


def _whole(record: AnyRecord) -> Record:
    return record.record() if isinstance(record, StoredRecord) else record


# The counters of an entry's steps that counted something: (the step's place in the
# pipeline, its rules, drops and characters removed by rule as (name, count) pairs).
_Pairs = tuple[tuple[str, int], ...]
_Counters = tuple[tuple[int, _Pairs, _Pairs, _Pairs], ...]
# An entry's records (stored, or whole where the row could not be stored), its steps'
# numbers (_COUNT bytes) and counters, checked.
_Decoded = tuple[list[AnyRecord], bytes, _Counters]


def _add_counts(reports: Sequence[StepReport], counts: Sequence[bytes]) -> None:
    """Add the numbers (:data:`_REPORT_COUNTS`) of entries (:func:`encode_entry`) to ``reports``.

    All of a batch's entries at once, as one array: adding them a step and an entry at
    a time in Python cost a rebuild more than reading the entries. Exact: the sums of
    a batch's counts are far below 2**63."""
    if not counts or not reports:
        return
    width = len(_REPORT_COUNTS)
    sums = np.frombuffer(b"".join(counts), dtype=_COUNT).reshape(-1, width * len(reports))
    totals = sums.sum(axis=0, dtype=_COUNT).tolist()
    for at, report in enumerate(reports):
        records_in, records_out, chars_in, chars_out = totals[width * at : width * (at + 1)]
        report.records_in += records_in
        report.records_out += records_out
        report.chars_in += chars_in
        report.chars_out += chars_out


def _add_counters(reports: Sequence[StepReport], counters: _Counters) -> None:
    """Add an entry's counters to ``reports``, as StepReport.add would: a name first
    counted here is listed after the names counted before."""
    for index, rules, drops, removed in counters:
        report = reports[index]
        for counter, pairs in (
            (report.rules, rules),
            (report.drops, drops),
            (report.rule_chars_removed, removed),
        ):
            for name, count in pairs:
                counter[name] += count


def _check_counters(counters: object, steps: int) -> _Counters:
    """``counters`` if they are counters of ``steps`` steps as :func:`encode_entry` writes them.

    A pair that is not two items raises ValueError or TypeError, which the caller
    reports as a damaged entry. Only the steps that counted something are listed: the
    common case is a step or two with a pair or two."""
    if type(counters) is not tuple:
        raise DamagedEntry("no counters")
    last = -1
    for index, *lists in counters:
        if type(index) is not int or not last < index < steps or len(lists) != 3:
            raise DamagedEntry(f"counters of a step {index!r} of {steps}")
        last = index
        for pairs in lists:
            if type(pairs) is not tuple:
                raise DamagedEntry(f"counters of step {index} that are not counts")
            for name, count in pairs:
                if type(name) is not str or type(count) is not int:
                    raise DamagedEntry(f"counters of step {index} that are not counts")
    return counters


# The ids of the last steps asked about (a Step's id is a property that formats it).
_last_step_ids: tuple[Sequence[Step] | None, tuple[str, ...]] = (None, ())


def _step_ids(steps: Sequence[Step]) -> tuple[str, ...]:
    global _last_step_ids
    if _last_step_ids[0] is not steps:
        _last_step_ids = (steps, tuple(step.id for step in steps))
    return _last_step_ids[1]


def _decode_raw(
    key: str, data: bytes | memoryview, steps: Sequence[Step], text_keys: bool = False
) -> _Decoded:
    """:func:`decode_entry`, the counts left as they are stored (checked); ``text_keys``:
    the memo key of each record's text is made from its bytes here (:func:`_text_key`),
    for a build whose corpus passes are about to ask for it. ``data`` may be a view
    into a larger buffer (:meth:`_Packs.read_ahead`): it is read, never kept."""
    view = memoryview(data)
    header = bytes(view[:_HEADER_SIZE])
    if not header.startswith(_HEADER) or header[-1:] != b"\n":
        parts = bytes(view[:128]).partition(b"\n")[0].split(b" ")
        if len(parts) == 3 and parts[0] == MAGIC and parts[1] != str(CACHE_FORMAT).encode():
            raise DamagedEntry(f"format {parts[1]!r}, expected {CACHE_FORMAT}")
        raise DamagedEntry("no entry header (cut short or not a cache entry)")
    body = view[_HEADER_SIZE:]
    if hashlib.sha256(body).hexdigest().encode() != header[len(_HEADER) : -1]:
        raise DamagedEntry("checksum mismatch (cut short or changed after it was written)")
    # The checksum says these are the bytes encode_entry wrote; what follows checks
    # that they are an entry of this key and of these steps, and that every value a
    # build adds up or writes is of its type, each check a comparison or two.
    try:
        entry_key, step_ids, counts, counters, stored = marshal.loads(body)
        if entry_key != bytes.fromhex(key):
            raise DamagedEntry(f"holds the entry of key {bytes(entry_key).hex()[:16]}…")
        ids = _step_ids(steps)
        if step_ids != ids:
            raise DamagedEntry(f"counts of steps {step_ids!r} where {ids!r} were expected")
        if type(counts) is not bytes or len(counts) != _COUNT.itemsize * 4 * len(ids):
            raise DamagedEntry(f"counts of {len(counts) // _COUNT.itemsize} numbers")
        records = _stored_records(stored, text_keys)
        return records, counts, _check_counters(counters, len(ids))
    except (ValueError, TypeError, EOFError) as error:
        if isinstance(error, DamagedEntry):
            raise
        raise DamagedEntry(f"unreadable body: {type(error).__name__}: {error}") from None


def _stored_records(stored: object, text_keys: bool = False) -> list[AnyRecord]:
    """The records of an entry's body (see :func:`encode_entry`); ``text_keys``: see
    :func:`_decode_raw`. A record of other fields raises ValueError or TypeError."""
    if type(stored) is not tuple:
        raise DamagedEntry("no list of records")
    records: list[AnyRecord] = []
    for value in stored:
        (
            seed_id,
            part,
            declared,
            title,
            language,
            decided_by,
            source,
            date,
            license_,
            warnings,
            text_bytes,
            row,
            strict,
        ) = value
        if type(text_bytes) is not bytes or type(row) is not bytes or type(declared) is not dict:
            raise DamagedEntry("a record without its text, its row or its sidecar")
        text = str(text_bytes, "utf-8", "surrogatepass")
        if text_keys:
            _remember_text_key(text, text_bytes)
        stored_record = StoredRecord(
            seed_id,
            part,
            text,
            declared,
            title,
            language,
            decided_by,
            source,
            date,
            license_,
            tuple(Warning_(*warning) for warning in warnings) if warnings else (),
            row,
        )
        records.append(stored_record if strict is True else stored_record.record())
    return records


# ---------------------------------------------------------------------------
# The store.


@dataclass
class CacheStats:
    """What one command did with the cache, for it to say."""

    hits: int = 0
    misses: int = 0
    damaged: int = 0
    write_errors: int = 0


class _Written:
    """The entries of the packs this run wrote, in the order written, found by key.

    A first build writes one per record, so what stays in memory is, per entry sorted
    in, its position in key order and its key's first 8 bytes (12 bytes; a dict of
    tuples took 240). Its key, pack, offset and length are in :class:`SpilledBytes`
    (52 bytes an entry, in a temporary file past their newest), read back for a key
    whose first 8 bytes match and for the entries a build reads again. The newest
    :data:`RECENT_ENTRIES` are in a dict, then sorted in with the others (merged in
    one pass: a build of n entries costs n / RECENT_ENTRIES passes over 12 n bytes).
    """

    def __init__(self) -> None:
        self._keys = SpilledBytes()
        self._places = SpilledBytes()  # _PLACE for each entry
        self._count = 0
        # The positions of the entries sorted in so far, in the order of their keys, and
        # the first 8 bytes of each of those keys (as a big-endian number, so that they
        # sort as the keys do): a lookup is a binary search and a comparison of keys.
        self._order = array("I")
        self._prefixes = array("Q")
        self._recent: dict[bytes, int] = {}

    def add(self, key: bytes, pack: int, offset: int, length: int) -> None:
        """Register an entry, unless its key is known already (same key, same bytes)."""
        if self.find(key) is not None:
            return
        self._recent[key] = self._count
        self._keys.extend(key)
        self._places.extend(_PLACE.pack(pack, offset, length))
        self._count += 1
        if len(self._recent) >= RECENT_ENTRIES:
            self._sort_in_recent()

    def _sort_in_recent(self) -> None:
        recent = np.array([int.from_bytes(key[:8], "big") for key in self._recent], dtype="=u8")
        positions = np.array(list(self._recent.values()), dtype="=u4")
        order = np.argsort(recent, kind="stable")
        prefixes = np.frombuffer(self._prefixes, dtype="=u8")
        where = np.searchsorted(prefixes, recent[order], side="right")
        merged_prefixes = np.insert(prefixes, where, recent[order])
        merged_order = np.insert(np.frombuffer(self._order, dtype="=u4"), where, positions[order])
        del prefixes  # a view of the array, which is replaced
        self._prefixes = array("Q")
        self._prefixes.frombytes(merged_prefixes.tobytes())
        self._order = array("I")
        self._order.frombytes(merged_order.tobytes())
        self._recent.clear()

    def find(self, key: bytes) -> int | None:
        """The position of the entry of ``key``, or None."""
        position = self._recent.get(key)
        if position is not None:
            return position
        if len(key) != KEY_WIDTH:
            return None
        prefix = int.from_bytes(key[:8], "big")
        at = bisect_left(self._prefixes, prefix)
        while at < len(self._prefixes) and self._prefixes[at] == prefix:
            position = self._order[at]
            if self.key(position) == key:
                return position
            at += 1
        return None

    def place(self, position: int) -> tuple[int, int, int]:
        """The pack, offset and length of the entry at ``position``."""
        start = _PLACE.size * position
        pack, offset, length = _PLACE.unpack(self._places.read(start, start + _PLACE.size))
        return pack, offset, length

    def key(self, position: int) -> bytes:
        return self._keys.read(KEY_WIDTH * position, KEY_WIDTH * (position + 1))

    def __len__(self) -> int:
        return self._count


# An entry's pack, offset and length in a _Written.
_PLACE = struct.Struct("<IQQ")

# Reads that name their position; missing on Windows, which seeks and reads instead.
_PREAD: Callable[[int, int, int], bytes] | None = getattr(os, "pread", None)


class _Packs:
    """The entries of one settings folder: the index of every pack, merged, and its use.

    Index rows live in numpy arrays sorted by the first 8 bytes of their key; the
    packs written by this run are found in a :class:`_Written` beside them. ``used``
    marks the rows this run read, for :meth:`RecordCache.compact`.
    """

    def __init__(self, folder: Path, cache: RecordCache) -> None:
        self.folder = folder / PACKS
        self.paths: list[Path] = []
        keys, packs, offsets, lengths = [], [], [], []
        try:
            found = sorted(self.folder.glob("*" + PACK_SUFFIX))  # sorted: the same order anywhere
        except OSError:
            found = []
        for path in found:
            try:
                with path.open("rb") as stream:
                    head = stream.read(4096)
                    size = index_size(head)
                    if size > len(head):
                        head += stream.read(size - len(head))
                    rows, start = decode_index(head, os.fstat(stream.fileno()).st_size)
            except FileNotFoundError:
                continue  # compacted away by another run since it was listed
            except OSError as error:
                logger.warning("cache: cannot read %s (%s); not using it", path, error)
                continue
            except DamagedPack as damaged:
                cache.damaged_pack(path, str(damaged))
                continue
            keys.append(rows["key"])
            packs.append(np.full(len(rows), len(self.paths), dtype=np.uint32))
            offsets.append(rows["offset"] + np.uint64(start))
            lengths.append(rows["length"])
            self.paths.append(path)
        all_keys = np.concatenate(keys) if keys else np.zeros((0, 4), dtype="<u8")
        order = np.argsort(all_keys[:, 0], kind="stable")
        self.keys = all_keys[order]
        self.prefixes = np.ascontiguousarray(self.keys[:, 0])
        self.packs = np.concatenate(packs)[order] if packs else np.zeros(0, dtype=np.uint32)
        self.offsets = np.concatenate(offsets)[order] if offsets else np.zeros(0, dtype="<u8")
        self.lengths = np.concatenate(lengths)[order] if lengths else np.zeros(0, dtype="<u8")
        # The first row of each key prefix, and each row's key as bytes: a lookup is a
        # dict get and a bytes comparison (two binary searches in numpy, and a
        # comparison of arrays, cost a rebuild about a tenth of a millisecond a seed).
        prefixes = self.prefixes.tolist()
        self._first = {prefix: row for row, prefix in reversed(list(enumerate(prefixes)))}
        self._prefix_list = prefixes
        self._key_bytes = [key.tobytes() for key in self.keys]
        # Each row's pack, offset and length as the numbers a lookup takes (a numpy
        # scalar made into a number cost a microsecond a read).
        self._pack_of = array("I", self.packs.astype("=u4").tobytes())
        self._offset_of = array("Q", self.offsets.astype("=u8").tobytes())
        self._length_of = array("Q", self.lengths.astype("=u8").tobytes())
        self.used = np.zeros(len(self.keys), dtype=bool)
        self.dead = np.zeros(len(self.keys), dtype=bool)  # found damaged
        self.written = _Written()
        self._open: dict[int, IO[bytes]] = {}
        # Bytes read ahead (read_ahead), by pack: where they start in it, and a view of them.
        self._ahead: dict[int, tuple[int, memoryview]] = {}

    def rows(self, key: bytes) -> list[int]:
        """Index rows (positions in the sorted arrays) holding ``key``."""
        prefix = int.from_bytes(key[:8], "little")  # the key's first "<u8", as indexed
        row = self._first.get(prefix)
        found: list[int] = []
        while row is not None and row < len(self._prefix_list) and self._prefix_list[row] == prefix:
            if self._key_bytes[row] == key:
                found.append(row)
            row += 1
        return found

    def places(self, key: bytes) -> list[tuple[int, int, int, int | None]]:
        """Where the entry of ``key`` may be, in the order to try them: (pack, offset,
        length, index row). The pack this run wrote it to first (row None), then the
        index rows not found damaged."""
        found: list[tuple[int, int, int, int | None]] = []
        written = self.written.find(key)
        if written is not None:
            found.append((*self.written.place(written), None))
        for row in self.rows(key):
            if not self.dead[row]:
                found.append((self._pack_of[row], self._offset_of[row], self._length_of[row], row))
        return found

    def read_ahead(self, places: Iterable[tuple[int, int, int]]) -> None:
        """Read the entries at ``places`` (pack, offset, length) with one read a pack, for
        :meth:`read` to give them from memory until :meth:`forget_ahead`.

        A build reads a batch's entries, and they lie side by side in a pack or two:
        the batch's pack when it was written or compacted. A read of each (a seek and
        a read, each a system call) cost a rebuild more than all its reading of the
        bytes did. A pack's entries are read together only when the bytes between them
        are fewer than theirs: a few entries scattered over a large pack are read one
        by one. What is read is what the batch's records hold anyway, and no more
        than twice it. A read that fails is left to :meth:`read`, which meets the
        same error entry by entry and says so.
        """
        spans: dict[int, tuple[int, int, int, int]] = {}  # pack: start, end, bytes, entries
        for pack, offset, length in places:
            start, end, size, count = spans.get(pack, (offset, offset, 0, 0))
            spans[pack] = (min(start, offset), max(end, offset + length), size + length, count + 1)
        for pack, (start, end, size, count) in spans.items():
            if count < 2 or end - start > 2 * size:
                continue
            try:
                data = self._pread(pack, start, end - start)
            except OSError:
                continue
            if len(data) == end - start:
                self._ahead[pack] = (start, memoryview(data))

    def forget_ahead(self) -> None:
        """Drop what :meth:`read_ahead` read."""
        self._ahead.clear()

    def read(self, pack: int, offset: int, length: int) -> bytes | memoryview:
        """The bytes of one entry (FileNotFoundError if its pack was removed meanwhile);
        a view of them if they were read ahead (:meth:`read_ahead`)."""
        ahead = self._ahead.get(pack)
        if ahead is not None:
            start, data = ahead
            if start <= offset and offset + length <= start + len(data):
                return data[offset - start : offset - start + length]
        read = self._pread(pack, offset, length)
        if len(read) != length:
            raise DamagedEntry("the pack is shorter than its index says")
        return read

    def _pread(self, pack: int, offset: int, length: int) -> bytes:
        stream = self._open.get(pack)
        if stream is None:
            if len(self._open) >= OPEN_PACKS:
                self.close()
            stream = self._open[pack] = self.paths[pack].open("rb")
        if _PREAD is not None:
            return _PREAD(stream.fileno(), length, offset)  # one system call, not two
        stream.seek(offset)  # pragma: no cover - Windows
        return stream.read(length)  # pragma: no cover

    def add_pack(self, path: Path, entries: Sequence[tuple[bytes, int, int]]) -> None:
        """Register a pack this run wrote: (key, offset, length) of each entry."""
        number = len(self.paths)
        self.paths.append(path)
        for key, offset, length in entries:
            self.written.add(key, number, offset, length)

    def close(self) -> None:
        for stream in self._open.values():
            stream.close()
        self._open.clear()


class RecordCache:
    """Cleaned records by input record, in packs under ``root/records/<settings key>/packs/``.

    One instance may serve several pipelines (their settings keys differ if their
    steps or rules do); :attr:`stats` adds up what all of them did.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.stats = CacheStats()
        self._can_write = True
        self._folders: dict[str, Path] = {}
        self._packs: dict[Path, _Packs] = {}

    @classmethod
    def from_environment(cls, use_cache: bool = True) -> RecordCache | None:
        """The cache at :func:`cache_dir`, or None when it is turned off."""
        folder = cache_dir() if use_cache else None
        return cls(folder) if folder is not None else None

    def describe(self) -> str:
        """One line for the end of a command: what was reused, cleaned, ignored.

        >>> cache = RecordCache(Path("/tmp/c")); cache.stats.hits, cache.stats.misses = 9, 1
        >>> cache.describe()
        'cache: 9 of 10 documents reused, 1 cleaned (/tmp/c)'
        """
        stats = self.stats
        line = (
            f"cache: {stats.hits:,} of {stats.hits + stats.misses:,} documents reused, "
            f"{stats.misses:,} cleaned ({self.root})"
        )
        if stats.damaged:
            line += f"; {stats.damaged:,} damaged entries ignored"
        if stats.write_errors:
            line += "; could not write to it"
        return line

    def folder(self, steps: Sequence[Step], rules: RuleSet) -> Path:
        """The folder of the entries made with these steps and rules (and code, libraries)."""
        settings = settings_key(steps, rules)
        if settings not in self._folders:
            folder = self.root / "records" / settings
            self._folders[settings] = folder
            self._remove_stale_temporaries(folder / "tmp")
            self._mark_used(folder)
            self._remove_unused_settings(folder.parent)
        return self._folders[settings]

    def _mark_used(self, folder: Path) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / USED_MARK).touch()
        except OSError:
            pass  # put() says so if the folder cannot be written

    def _remove_unused_settings(self, records: Path) -> None:
        """Entries of settings (code, rules, libraries) not used for a while: only this tool's.

        Every edit of the code starts a new settings folder, each as large as the
        cleaned corpus: all but the :data:`KEPT_SETTINGS` most recently used go,
        except any used in the last :data:`STALE_TEMPORARY_SECONDS` (another run
        may be using it now).
        """
        try:
            used = []
            for folder in records.iterdir():
                if SETTINGS_NAME.match(folder.name):
                    try:
                        used.append(((folder / USED_MARK).stat().st_mtime, folder))
                    except OSError:
                        used.append((0.0, folder))  # no mark: being made, or damaged
        except OSError:
            return
        now = time.time()
        for mtime, folder in sorted(used, reverse=True)[KEPT_SETTINGS:]:
            if now - mtime > STALE_TEMPORARY_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)

    def _packs_of(self, folder: Path) -> _Packs:
        if folder not in self._packs:
            self._packs[folder] = _Packs(folder, self)
        return self._packs[folder]

    def damaged_pack(self, path: Path, reason: str) -> None:
        """Say that the pack at ``path`` is damaged, and remove it: it is never read again."""
        self.stats.damaged += 1
        logger.warning(
            "cache: ignored damaged pack %s: %s; its records are cleaned again", path, reason
        )
        if PACK_NAME.match(path.name):
            with contextlib.suppress(OSError):
                path.unlink()

    def _read(
        self, folder: Path, key: str, steps: Sequence[Step], text_keys: bool = False
    ) -> _Decoded | None:
        """The entry of ``key``, decoded (counts as they are stored); None if there is
        none or it does not check out (warned, and its pack removed). ``text_keys``: see
        :func:`_decode_raw`."""
        return self._read_many(folder, [key], steps, text_keys)[0]

    def _read_many(
        self, folder: Path, keys: Sequence[str], steps: Sequence[Step], text_keys: bool = False
    ) -> list[_Decoded | None]:
        """:meth:`_read` of each of ``keys``, their entries read a pack at a time where
        they lie together (:meth:`_Packs.read_ahead`)."""
        packs = self._packs_of(folder)
        places = [packs.places(bytes.fromhex(key)) for key in keys]
        packs.read_ahead(found[0][:3] for found in places if found)
        try:
            return [
                self._decoded(packs, key, found, steps, text_keys)
                for key, found in zip(keys, places, strict=True)
            ]
        finally:
            packs.forget_ahead()

    def _decoded(
        self,
        packs: _Packs,
        key: str,
        places: list[tuple[int, int, int, int | None]],
        steps: Sequence[Step],
        text_keys: bool,
    ) -> _Decoded | None:
        """The entry of ``key`` from the first of its ``places`` (:meth:`_Packs.places`)
        where it checks out."""
        for pack, offset, length, row in places:
            if row is not None and packs.dead[row]:
                continue  # an entry read before this one found its pack damaged
            path = packs.paths[pack]
            try:
                decoded = _decode_raw(key, packs.read(pack, offset, length), steps, text_keys)
            except FileNotFoundError:
                continue  # its pack was compacted away by another run
            except OSError as error:
                logger.warning(
                    "cache: cannot read %s (%s); cleaning that record again", path, error
                )
                continue
            except DamagedEntry as damaged:
                if row is not None:
                    packs.dead[packs.packs == pack] = True
                self.damaged_pack(path, f"entry {key[:16]}…: {damaged}")
                continue
            if row is not None:
                packs.used[row] = True
            return decoded
        return None

    def has_entries(self, steps: Sequence[Step], rules: RuleSet) -> bool:
        """Whether any entry of these settings is known: a rebuild, not a first build."""
        packs = self._packs_of(self.folder(steps, rules))
        return bool(len(packs.keys) or len(packs.written))

    def has_entry(self, folder: Path, key: str) -> bool:
        """Whether an entry of ``key`` is known in ``folder`` (:meth:`folder`; its bytes
        are checked only when read)."""
        packs = self._packs_of(folder)
        digest = bytes.fromhex(key)
        return packs.written.find(digest) is not None or any(
            not packs.dead[r] for r in packs.rows(digest)
        )

    def get(self, folder: Path, key: str, steps: Sequence[Step]) -> Cleaned | None:
        """The entry of ``key``; None if there is none or it does not check out (warned)."""
        try:
            decoded = self._read(folder, key, steps)
        finally:
            self._packs_of(folder).close()
        return None if decoded is None else _cleaned(decoded, steps)

    def put(self, folder: Path, key: str, cleaned: Cleaned) -> None:
        """Store one entry, in a pack of its own (see :meth:`put_many`)."""
        self.put_many(folder, [(key, encode_entry(key, cleaned))])

    def put_many(self, folder: Path, entries: Sequence[tuple[str, bytes]]) -> None:
        """Store encoded entries (key, :func:`encode_entry` bytes) as one pack, atomically
        (a temporary file, then a rename); a failure only warns, once."""
        data = encode_pack([(bytes.fromhex(key), entry) for key, entry in entries])
        path = folder / PACKS / pack_name(data)
        if self.write_atomically(folder, path, data):
            rows, start = decode_index(data)
            self._packs_of(folder).add_pack(
                path,
                [
                    (row["key"].tobytes(), start + int(row["offset"]), int(row["length"]))
                    for row in rows
                ],
            )

    def compact(self, steps: Sequence[Step], rules: RuleSet) -> None:
        """After a build: rewrite the entries it used into full packs once the packs are many.

        Each rebuild adds a pack for the seeds it cleaned, and leaves in the old
        packs the entries of the seeds that changed, which nothing will read again.
        When the packs are more than twice (plus :data:`EXTRA_PACKS`) what the
        entries used by this build need, or hold more entries it did not use than it
        used, the used entries are copied (their bytes, unchanged) into new packs of
        :data:`ENTRIES_PER_PACK` and the old packs removed. Only a build calls it: it
        reads the whole input, so what it did not use belongs to no seed of it. A
        kill in the middle leaves both the new packs and some old ones: the same
        entries twice, which the next compaction removes.
        """
        folder = self.folder(steps, rules)
        packs = self._packs.get(folder)
        if packs is None:
            return
        used = int(packs.used.sum()) + len(packs.written)
        unused = len(packs.used) - int(packs.used.sum())
        needed = -(-used // ENTRIES_PER_PACK)
        if len(packs.paths) <= 2 * needed + EXTRA_PACKS and unused <= used:
            return
        places = [
            (int(packs.packs[r]), int(packs.offsets[r]), int(packs.lengths[r]), packs.keys[r])
            for r in np.flatnonzero(packs.used & ~packs.dead).tolist()
        ]
        places.sort(key=lambda place: (place[0], place[1]))  # the order they were written in
        places += [
            (*packs.written.place(n), np.frombuffer(packs.written.key(n), dtype="<u8"))
            for n in range(len(packs.written))
        ]
        kept: set[Path] = set()
        try:
            for first in range(0, len(places), ENTRIES_PER_PACK):
                chunk = places[first : first + ENTRIES_PER_PACK]
                entries = [(key.tobytes(), bytes(packs.read(*place))) for *place, key in chunk]
                data = encode_pack(entries)
                path = folder / PACKS / pack_name(data)
                if not self.write_atomically(folder, path, data):
                    return
                kept.add(path)
        except (OSError, DamagedEntry) as error:
            logger.warning("cache: could not compact %s (%s); left as it was", folder, error)
            return
        finally:
            packs.close()
        for path in packs.paths:
            if path not in kept:
                with contextlib.suppress(OSError):
                    path.unlink()
        del self._packs[folder]  # read again if this cache serves another build

    def signature_memo(self, steps: Sequence[Step], rules: RuleSet) -> SignatureMemo:
        """The MinHash signatures ``dedup_near`` computed in the last build with these settings."""
        near = NearDupRules.from_rules(rules["dedup"])
        return SignatureMemo(
            self.folder(steps, rules) / "near-signatures",
            self,
            lambda text: signature(text, near),
            near.num_perm,
        )

    def exact_digest_memo(self, steps: Sequence[Step], rules: RuleSet) -> SignatureMemo:
        """The digests ``dedup_exact`` computed in the last build (16 bytes as 4 values each)."""
        return SignatureMemo(
            self.folder(steps, rules) / "exact-digests",
            self,
            lambda text: np.frombuffer(text_digest(text), dtype="<u4").astype(np.uint32),
            DIGEST_SIZE // 4,
        )

    def fingerprint_memo(self) -> SignatureMemo:
        """The signatures ``add-seed`` and ``review`` compared the corpus's raw and
        published texts with, in ``fingerprints/`` under the cache.

        A signature is a function of the text, of
        :mod:`curation.contribute.near_duplicates` and of numpy, not of the pipeline's
        steps or rules: the file is named for those two only (as ``check``'s cache
        is), so that an edit of a step does not make the next ``add-seed`` compute
        the signature of every text of the corpus again (a minute at 10,000 seeds).
        """
        from importlib.metadata import version

        from curation.contribute import near_duplicates

        source = Path(near_duplicates.__file__ or "").read_bytes()
        key = {
            "format": CACHE_FORMAT,
            "code": hashlib.sha256(source).hexdigest(),
            "numpy": version("numpy"),
        }
        folder = self.root / "fingerprints"
        path = folder / hashlib.sha256(canonical_bytes(key)).hexdigest()
        _remove_old_settings(folder, path)

        def compute(text: str) -> np.ndarray:
            return near_duplicates.minhash_values(near_duplicates.shingle_hashes(text))

        return SignatureMemo(path, self, compute, near_duplicates.NUM_PERM)

    def kept_parquet(self, steps: Sequence[Step], rules: RuleSet) -> KeptParquet:
        """The Parquet files of the last build with these settings, with their rows
        (:class:`~curation.publish.parquet.ParquetShards`' ``kept``)."""
        return KeptParquet(self.folder(steps, rules), self)

    def language_model_memo(self) -> LanguageModelMemo:
        """py3langid's model kept decoded for ``identify_language`` (:class:`LanguageModelMemo`)."""
        return LanguageModelMemo(self)

    def word_table_memo(self) -> WordTableMemo:
        """wordfreq's lists kept as the tables ``zipf_frequency`` reads (:class:`WordTableMemo`)."""
        return WordTableMemo(self)

    def valid_sidecars(self) -> ValidDigestMemo:
        """The sha256 of the sidecars the last build found valid, for :func:`validate_seeds`."""
        return ValidDigestMemo(self)

    def valid_rules(self) -> ValidDigestMemo:
        """The digests of the rules files the last build found valid, for :func:`load_rules`."""
        return ValidDigestMemo(self, "rules", "rules file")

    def known_seeds(self, seeds_dir: Path, select: str = "") -> KnownSeedMemo:
        """What the last validation of ``seeds_dir`` found of its seeds, by their files'
        stats, for :func:`validate_seeds` (``select``: the name of what it is given as
        ``select``, whose answers the memo keeps)."""
        return KnownSeedMemo(self, seeds_dir, select)

    def write_atomically(
        self, folder: Path, path: Path, data: bytes | Callable[[IO[bytes]], None]
    ) -> bool:
        """Write ``data`` to ``path`` through a temporary file in ``folder/tmp``; False if not.

        ``data`` is the bytes, or what writes them to the temporary file (opened for
        writing and seeking)."""
        if not self._can_write:
            return False
        temporary: Path | None = None
        try:
            (folder / "tmp").mkdir(parents=True, exist_ok=True)
            path.parent.mkdir(exist_ok=True)
            handle, name = tempfile.mkstemp(
                dir=folder / "tmp", prefix=f"{TEMPORARY_PREFIX}{path.name[:16]}-"
            )
            temporary = Path(name)
            with os.fdopen(handle, "wb") as out:
                if callable(data):
                    data(out)
                else:
                    out.write(data)
            temporary.replace(path)
            return True
        except OSError as error:
            self.cannot_write(folder, error)
            if temporary is not None:
                temporary.unlink(missing_ok=True)
            return False

    @property
    def can_write(self) -> bool:
        """False once a write failed: nothing more is written this run."""
        return self._can_write

    def cannot_write(self, folder: Path, error: OSError) -> None:
        """Say once that the cache cannot be written, and write nothing more this run."""
        if self._can_write:
            self.stats.write_errors += 1
            self._can_write = False
            logger.warning("cache: cannot write under %s (%s); not caching", folder, error)

    def _remove_stale_temporaries(self, tmp: Path) -> None:
        """Temporary files of writes that were killed; only this tool's, only old ones."""
        try:
            leftovers = list(tmp.iterdir())
        except OSError:
            return
        now = time.time()
        for path in leftovers:
            if not TEMPORARY_NAME.match(path.name):
                continue  # not a file this tool made: left alone
            try:
                if now - path.stat().st_mtime > STALE_TEMPORARY_SECONDS:
                    path.unlink()
            except OSError:
                pass  # removed by another run meanwhile, or not ours to remove

    def clean(
        self,
        steps: Sequence[Step],
        rules: RuleSet,
        batches: Iterable[Sequence[Record]],
        clean_each: CleanEach,
    ) -> Iterator[tuple[list[Record], list[StepReport]]]:
        """For each batch, its cleaned records and step counts, as ``run_steps`` gives them.

        Records with an entry come from the cache; the others of the batch go, as
        one batch, to ``clean_each`` (which may run them in other processes) and
        are stored, as one pack. Batches stay in order and are pulled lazily, so
        memory holds what ``clean_each`` holds plus the batches it has not given
        back yet.
        """
        for records, reports in self.clean_stored(steps, rules, batches, clean_each):
            yield [_whole(record) for record in records], reports

    def clean_stored(
        self,
        steps: Sequence[Step],
        rules: RuleSet,
        batches: Iterable[Sequence[Record | UnreadSeed]],
        clean_each: CleanEach,
        early: EarlyCleaning | None = None,
    ) -> Iterator[tuple[list[AnyRecord], list[StepReport]]]:
        """:meth:`clean`, the records that came from the cache left as the
        :class:`~curation.record.StoredRecord` of their entries (what a build writes).

        An input may be a :class:`~curation.seeds.UnreadSeed`: its text is read only
        if the cache has no entry for it. A record without an entry whose key
        ``early`` holds is taken from there (cleaned ahead:
        :class:`~curation.pipeline.EarlyCleaning`), not handed to ``clean_each``; it is
        stored as any other."""
        folder = self.folder(steps, rules)
        pending: deque[tuple[list[str], list[_Decoded | None]]] = deque()

        def misses() -> Iterator[list[Record]]:
            for batch in batches:
                keys = [record_key(record) for record in batch]
                found = self._read_many(folder, keys, steps, text_keys=True)
                pending.append((keys, found))
                yield [
                    record.read() if isinstance(record, UnreadSeed) else record
                    for record, key, hit in zip(batch, keys, found, strict=True)
                    if hit is None and (early is None or key not in early)
                ]

        try:
            for fresh in clean_each(misses()):
                keys, found = pending.popleft()
                cleaned = iter(fresh)
                records: list[AnyRecord] = []
                reports = [StepReport(step.id, step.description) for step in steps]
                new: list[tuple[str, bytes]] = []
                counts: list[bytes] = []  # the hits' numbers, added at once (_add_counts)
                for key, hit in zip(keys, found, strict=True):
                    if hit is None:
                        self.stats.misses += 1
                        made = early.take(key) if early and key in early else next(cleaned)
                        new.append((key, encode_entry(key, made)))
                        records.extend(made[0])
                        for report, record_report in zip(reports, made[1], strict=True):
                            report.add(record_report)
                    else:
                        self.stats.hits += 1
                        hit_records, hit_counts, hit_counters = hit
                        records.extend(hit_records)
                        counts.append(hit_counts)
                        if hit_counters:  # in order: a counter lists names first seen first
                            _add_counters(reports, hit_counters)
                _add_counts(reports, counts)
                if new:
                    self.put_many(folder, new)
                yield records, reports
        finally:
            self._packs_of(folder).close()


_One = TypeVar("_One")
_Many = TypeVar("_Many")


class OfText(Generic[_One, _Many]):
    """A function of a text (and of settings it ignores), as a corpus pass takes one
    (``DedupExact(digest_of=...)``), that also answers a batch of texts at once
    (:attr:`many`), which the pass then asks instead."""

    def __init__(self, one: Callable[..., _One], many: Callable[[Sequence[str]], _Many]) -> None:
        self._one = one
        self.many = many

    def __call__(self, text: str, *settings: object) -> _One:
        return self._one(text, *settings)


class SignatureMemo:
    """MinHash signatures of the texts of the last run, by text digest, in one file.

    Computing a signature costs as much as a light cleaning step, and what looks
    across the corpus needs one for every text on every run: ``dedup_near`` in a
    build (:meth:`RecordCache.signature_memo`), the near-duplicate checks of
    ``add-seed`` (:meth:`RecordCache.fingerprint_memo`). Without a memo, a rebuild
    after one changed seed would spend most of its time on the signatures of
    unchanged texts. A signature is a function of the text and of settings that
    are all in the folder's settings key (rules, code, library versions), so a
    remembered one is the one that would be computed. The file holds the
    signatures of one run, the last: :meth:`save` rewrites it.
    """

    def __init__(
        self, path: Path, cache: RecordCache, compute: Callable[[str], np.ndarray], length: int
    ) -> None:
        self.path = path
        self._cache = cache
        self._compute = compute
        self._length = length  # of every non-empty signature
        self._old = _Signatures.empty()
        # This run's signatures wait in a temporary file until save(), and so do each
        # one's digest and where it is (offset and number of values), 28 bytes a text,
        # read only by save(): in memory, only their newest (SpilledBytes). A text met
        # twice is written twice, and save() keeps one.
        self._digests = SpilledBytes()
        self._offsets = SpilledBytes()  # little-endian uint64
        self._lengths = SpilledBytes()  # little-endian uint32
        self._values = tempfile.TemporaryFile(prefix="curation-signatures-")  # noqa: SIM115
        weakref.finalize(self, self._values.close)  # open as long as the memo lives
        self._values_size = 0
        # Whether the file was read (save) since the last write: a write then seeks back
        # to the end first. Seeking before every write flushed the buffer each time, a
        # system call or two per text (a fiftieth of a rebuild's main thread).
        self._values_read = False
        self.hits = 0
        # dedup_near's signature_of: :func:`curation.corpus.dedup_near.signature` (the
        # rules are the memo's), and dedup_exact's digest_of:
        # :func:`curation.corpus.dedup_exact.text_digest` (of a memo made by
        # :meth:`RecordCache.exact_digest_memo`); each also of a batch of texts at once.
        self.signature = OfText(self._signature, self.values_of)
        self.digest = OfText(self._digest, self._digests_of)
        old = _read_memo(cache, self.path, "signatures", _Signatures.decode)
        if old is not None:
            self._old = old

    def values(self, text: str) -> np.ndarray:
        """The signature of ``text``: remembered, or computed (and remembered)."""
        digest = _text_key(text)
        values = self._old.get(digest)
        if values is None or len(values) not in (0, self._length):
            values = self._compute(text)
        else:
            self.hits += 1
        self._remember(digest, [values])
        return values

    def values_of(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`values` of each of ``texts``, at once: a ``(len(texts), length)`` array
        whose row ``i`` holds the signature of ``texts[i]`` if it is not empty (else
        zeros), and the number of values of each (``length`` or 0).

        What a corpus pass asks for a batch of records: the remembered ones are found
        by one binary search of the batch's keys and copied out of the file as read in
        one step, and only their place there is remembered for :meth:`save` (a
        remembered signature is the bytes :meth:`save` would write again), where
        :meth:`values` costs a search, a copy and a write for each text.
        """
        digests = b"".join([_text_key(text) for text in texts])
        old = self._old.find(digests, self._length)
        rows, lengths = self._old.rows(old, self._length)
        self.hits += int((old >= 0).sum())
        # Where save() finds each one's values: -1 - its index in the old file, or
        # (computed) its offset in the temporary file.
        places = -1 - old
        computed = np.flatnonzero(old < 0).tolist()
        if computed:
            made = [self._compute(texts[index]) for index in computed]
            for index, values in zip(computed, made, strict=True):
                if len(values) not in (0, self._length):
                    raise ValueError(f"a signature of {len(values)} values, not {self._length}")
                rows[index, : len(values)] = values
                lengths[index] = len(values)
            places[computed] = self._write_values(made)
        self._digests.extend(digests)
        self._offsets.extend(places.astype("<i8").tobytes())
        self._lengths.extend(lengths.astype("<u4").tobytes())
        return rows, lengths

    def _remember(self, digest: bytes, made: Sequence[np.ndarray]) -> None:
        offsets = self._write_values(made)
        self._digests.extend(digest)
        self._offsets.extend(offsets.astype("<i8").tobytes())
        self._lengths.extend(np.array([len(v) for v in made], dtype="<u4").tobytes())

    def _write_values(self, made: Sequence[np.ndarray]) -> np.ndarray:
        """Write the signatures ``made`` to the temporary file; where each one starts."""
        data = [values.astype("<u4").tobytes() for values in made]
        sizes = np.array([len(piece) for piece in data], dtype=np.int64)
        offsets = self._values_size + np.cumsum(sizes) - sizes
        if self._values_read:
            self._values.seek(self._values_size)
            self._values_read = False
        self._values.write(b"".join(data))
        self._values_size += int(sizes.sum())
        return offsets

    def _signature(self, text: str, rules: NearDupRules | None = None) -> np.ndarray:
        return self.values(text)

    def _digest(self, text: str) -> bytes:
        return self.values(text).astype("<u4").tobytes()

    def _digests_of(self, texts: Sequence[str]) -> list[bytes]:
        rows, lengths = self.values_of(texts)
        if (lengths != self._length).any():
            raise ValueError("a digest memo's signatures all have the same length")
        data = rows.astype("<u4").tobytes()
        size = 4 * self._length
        return [data[start : start + size] for start in range(0, len(data), size)]

    def save(self) -> None:
        """Keep the signatures of this run (only) for the next.

        The file is written as it is read from the temporary one and the old file, a
        few thousand signatures at a time: a build's signatures are never all in memory.
        """
        all_digests = self._digests.read(0, len(self._digests))
        kept = sorted_distinct(all_digests, DIGEST_WIDTH)
        digests = np.frombuffer(all_digests, dtype=np.uint8).reshape(-1, DIGEST_WIDTH)
        ordered = digests[kept].tobytes()
        del digests, all_digests
        if ordered == self._old.digests.data:
            return  # the same texts as the last run: the same file
        offsets = np.frombuffer(self._offsets.read(0, len(self._offsets)), dtype="<i8")[kept]
        lengths = np.frombuffer(self._lengths.read(0, len(self._lengths)), dtype="<u4")[kept]
        self._values.flush()
        self._values_read = True
        old = self._old

        def values() -> Iterator[bytes]:
            for first in range(0, len(kept), SIGNATURES_PER_READ):
                chunk = []
                for offset, length in zip(
                    offsets[first : first + SIGNATURES_PER_READ].tolist(),
                    lengths[first : first + SIGNATURES_PER_READ].tolist(),
                    strict=True,
                ):
                    if offset < 0:  # as the old file has it
                        start = int(old.starts[-1 - offset])
                        chunk.append(old.body[start : start + 4 * length])
                        continue
                    self._values.seek(offset)
                    chunk.append(self._values.read(4 * length))
                yield b"".join(chunk)

        body = itertools.chain([ordered, lengths.astype("<u4").tobytes()], values())
        self._cache.write_atomically(
            self.path.parent, self.path, _checked_file(SIGNATURES_MAGIC, len(kept), body)
        )


@dataclass(frozen=True)
class _Signatures:
    """A file of signatures (a :class:`SignatureMemo`'s), as read: sorted digests, and
    where each one's values are in the file's body.

    The file: a header line ``curation-signatures <format> <count> <sha256 of the
    body>``, then the body: the digests (16 bytes each, sorted), the number of values
    of each (``<u4``), and the values (``<u4``), in the digests' order.
    """

    digests: SortedDigests
    body: bytes
    starts: np.ndarray  # of each one's values in the body
    lengths: np.ndarray
    # The digests' first and last 8 bytes as big-endian numbers (which sort as the
    # bytes do), for finding a batch of digests at once (find).
    high: np.ndarray
    low: np.ndarray

    @classmethod
    def empty(cls) -> _Signatures:
        nothing = np.zeros(0, dtype=np.int64)
        words = np.zeros(0, dtype=np.uint64)
        return cls(SortedDigests(b"", DIGEST_WIDTH), b"", nothing, nothing, words, words)

    @classmethod
    def decode(cls, data: bytes) -> _Signatures:
        count, body = _checked_body(SIGNATURES_MAGIC, data)
        lengths = np.frombuffer(body, dtype="<u4", count=count, offset=DIGEST_WIDTH * count)
        values_start = (DIGEST_WIDTH + 4) * count
        if values_start + 4 * int(lengths.sum()) != len(body):
            raise DamagedEntry("its length does not match its header")
        starts = values_start + 4 * (np.cumsum(lengths, dtype=np.int64) - lengths)
        digests = SortedDigests(body[: DIGEST_WIDTH * count], DIGEST_WIDTH)
        words = np.frombuffer(digests.data, dtype=">u8").reshape(-1, 2).astype(np.uint64)
        return cls(digests, body, starts, lengths.astype(np.int64), words[:, 0], words[:, 1])

    def get(self, digest: bytes) -> np.ndarray | None:
        index = self.digests.index(digest)
        if index is None:
            return None
        count, start = int(self.lengths[index]), int(self.starts[index])
        return np.frombuffer(self.body, "<u4", count, start).astype(np.uint32)

    def find(self, digests: bytes, length: int) -> np.ndarray:
        """The index of each of ``digests`` (16 bytes each, end to end), or -1 for one
        not in the file or whose signature has neither ``length`` values nor none:
        :meth:`get` of each, by one binary search of them all."""
        words = np.frombuffer(digests, dtype=">u8").reshape(-1, 2).astype(np.uint64)
        high, low = words[:, 0], words[:, 1]
        first = np.searchsorted(self.high, high, side="left")
        after = np.searchsorted(self.high, high, side="right")
        found = np.full(len(words), -1, dtype=np.int64)
        # One digest of the file starts as each: it is the one if it ends as it too.
        one = np.flatnonzero(after - first == 1)
        one = one[self.low[first[one]] == low[one]]
        found[one] = first[one]
        # Several start as it (a chance of 2^-64 a pair): the digests compared whole.
        for index in np.flatnonzero(after - first > 1).tolist():
            at = self.digests.index(digests[DIGEST_WIDTH * index : DIGEST_WIDTH * (index + 1)])
            found[index] = -1 if at is None else at
        usable = found >= 0
        sizes = self.lengths[found[usable]]
        usable[usable] = (sizes == length) | (sizes == 0)
        found[~usable] = -1
        return found

    def rows(self, found: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
        """The signatures at ``found`` (as :meth:`find` gives them) as rows of ``length``
        values (zeros where -1 or empty), and the number of values of each."""
        rows = np.zeros((len(found), length), dtype=np.uint32)
        lengths = np.zeros(len(found), dtype=np.int64)
        full = np.flatnonzero(found >= 0)
        full = full[self.lengths[found[full]] == length]
        if len(full):
            # Row i of the windows: the `length` values from the i-th of the body.
            windows = np.lib.stride_tricks.sliding_window_view(
                np.frombuffer(self.body, dtype="<u4"), length
            )
            rows[full] = windows[self.starts[found[full]] // 4]
            lengths[full] = length
        return rows, lengths


# Texts whose memo key _text_key remembers: more than a batch's records, so that the
# second memo of a build (dedup_near's, after dedup_exact's) finds every text of the
# batch the first one hashed.
TEXT_KEYS_REMEMBERED = 512


# Texts whose memo key was made from their bytes as their entry was read, and not asked
# for yet, at most: what a build reads ahead of its corpus passes (BATCHES_AHEAD
# batches) and more. Beyond it the oldest are forgotten (their keys are made again
# when asked: the same keys).
TEXT_KEYS_PENDING = 4096
_pending_text_keys: dict[str, bytes] = {}


def _remember_text_key(text: str, data: bytes | memoryview) -> None:
    """Make the memo key of ``text`` from ``data``, its UTF-8 (surrogatepass) bytes as
    read from an entry: :func:`_text_key` of the text then needs no encoding of it."""
    if len(_pending_text_keys) >= TEXT_KEYS_PENDING:
        del _pending_text_keys[next(iter(_pending_text_keys))]
    _pending_text_keys[text] = hashlib.blake2b(data, digest_size=DIGEST_WIDTH).digest()


@functools.lru_cache(maxsize=TEXT_KEYS_REMEMBERED)
def _text_key(text: str) -> bytes:
    """The key of ``text`` in a :class:`SignatureMemo`: a 16-byte BLAKE2b of its UTF-8.

    Remembered for the last texts: a build asks both its memos about the same texts,
    a batch at a time, and hashing each text twice was a tenth of what a rebuild
    from the record cache does in its main thread. The texts are the batch's, alive
    anyway; a str keeps its own hash, so finding one again costs no pass over it.
    A text read from the record cache comes with its key made from the bytes read
    (:func:`_remember_text_key`): encoding the text again cost as much as hashing it."""
    key = _pending_text_keys.pop(text, None)
    if key is not None:
        return key
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _checked_file(magic: bytes, count: int, body: Iterable[bytes]) -> Callable[[IO[bytes]], None]:
    """A writer of a memo file: a header line ``<magic> <format> <count> <sha256 of the
    body>``, then the body's pieces, hashed as they are written (the hash is written
    into the header last, in its place)."""

    def write(out: IO[bytes]) -> None:
        start = b"%s %d %d " % (magic, CACHE_FORMAT, count)
        out.write(start + b"0" * 64 + b"\n")
        digest = hashlib.sha256()
        for piece in body:
            digest.update(piece)
            out.write(piece)
        out.seek(len(start))
        out.write(digest.hexdigest().encode())

    return write


def _checked_body(magic: bytes, data: bytes) -> tuple[int, bytes]:
    """The count and body of a file :func:`_checked_file` wrote (DamagedEntry if it is not one)."""
    header, newline, body = data.partition(b"\n")
    parts = header.split(b" ")
    if not newline or len(parts) != 4 or parts[0] != magic:
        raise DamagedEntry(f"no header (cut short or not a {magic.decode()} file)")
    if parts[1] != str(CACHE_FORMAT).encode():
        raise DamagedEntry(f"format {parts[1]!r}, expected {CACHE_FORMAT}")
    if hashlib.sha256(body).hexdigest().encode() != parts[3]:
        raise DamagedEntry("checksum mismatch (cut short or changed after it was written)")
    if not parts[2].isdigit():
        raise DamagedEntry("its length does not match its header")
    return int(parts[2]), body


def load_checked_rules(cache: RecordCache | None) -> RuleSet:
    """:func:`~curation.rules.load_rules`; with the record cache, the rules files an
    earlier command found valid are not checked again (:meth:`RecordCache.valid_rules`)."""
    if cache is None:
        return load_rules()
    valid = cache.valid_rules()
    rules = load_rules(valid=valid)
    valid.save()
    return rules


class ValidDigestMemo:
    """The sha256 digests of the inputs the last build found valid, in one file.

    Checking an input against its schema costs more than reading it, and depends on
    its bytes only: the check is skipped for digests in this memo. Sidecars
    (:meth:`RecordCache.valid_sidecars`): checking one against
    ``schema/sidecar.schema.json`` (and its values for control characters);
    :func:`curation.seeds.validate_seeds` skips both for bytes in this memo. Rules
    files (:meth:`RecordCache.valid_rules`): checking one against its schema, each
    regex for linear time (:func:`curation.rules.load_rules`). The file is named for a
    digest of what decides the checks (:func:`_checks_key`: the sidecar schema's
    bytes, the code and the jsonschema version; a rules file's schema is in its
    digest); it holds the digests of the last build only (:meth:`save` rewrites it),
    in ``folder`` under the cache.
    """

    def __init__(self, cache: RecordCache, folder: str = "sidecars", what: str = "sidecar") -> None:
        self.folder = cache.root / folder
        self.path = self.folder / _checks_key()
        self._cache = cache
        self._old = SortedDigests(b"", SHA256_WIDTH)
        # This build's, raw, in the order met (32 bytes each), read only by save().
        self._new = SpilledBytes()

        def decode(data: bytes) -> SortedDigests:
            count, body = _checked_body(SIDECARS_MAGIC, data)
            if len(body) != SHA256_WIDTH * count:
                raise DamagedEntry("its length does not match its header")
            return SortedDigests(body, SHA256_WIDTH)

        old = _read_memo(cache, self.path, f"{what} digests", decode)
        if old is not None:
            self._old = old

    def __contains__(self, digest: object) -> bool:
        return isinstance(digest, str) and _raw_sha256(digest) in self._old

    def add(self, digest: str) -> None:
        raw = _raw_sha256(digest)
        if raw is not None:
            self._new.extend(raw)

    def save(self) -> None:
        """Keep the digests of this build (only) for the next; remove those of old settings."""
        new = self._new.read(0, len(self._new))
        digests = np.frombuffer(new, dtype=np.uint8).reshape(-1, SHA256_WIDTH)
        body = digests[sorted_distinct(new, SHA256_WIDTH)].tobytes()
        if body == self._old.data:
            return
        count = len(body) // SHA256_WIDTH
        if self._cache.write_atomically(
            self.folder, self.path, _checked_file(SIDECARS_MAGIC, count, [body])
        ):
            _remove_old_settings(self.folder, self.path)


# A file written to within this many nanoseconds before a validation stats it may be
# written to again with the same stats: a file system stamps a write with its clock's
# last tick (a few milliseconds; a whole second, or two, on some), so two writes in
# one tick give one time. What validation reads of such a seed is not remembered
# (KnownSeedMemo): git keeps the same rule for its index ("racy git").
RACY_NANOSECONDS = 3_000_000_000

# A KnownSeedMemo entry after its id: the text's then the sidecar's FileStats (device
# and inode unsigned, sizes and times signed), the sha256 of the text's bytes and of
# the sidecar's, select's answer, and the seed's record key.
_KNOWN_SEED = struct.Struct("<QQqqqQQqqq32s32sb32s")


class KnownSeedMemo:
    """What the last validation of one seeds folder found of each valid seed, by the
    stats of its two files, in one file: :func:`curation.seeds.validate_seeds` reads
    a seed whose files have the same stats (device, inode, size, modification and
    status-change times) no more. Reading and hashing every text was most of what a
    rebuild after one changed seed spent on validation.

    The stats change whenever a file is written to, renamed over or replaced: the
    status-change time is set by the system at each write and no program can set it
    back. A seed written to in the last :data:`RACY_NANOSECONDS` before validation
    started is not remembered: a second write in the same tick of the file system's
    clock would leave its stats as they were. The file is named for the folder's real
    path and identity and for what decides the checks (the sidecar schema, the code,
    the jsonschema version, ``select``); it holds the seeds of the last validation
    only (:meth:`save` rewrites it), in ``seeds/`` under the cache. Seeds are asked
    about and noted in id order, so the old entries are read as a cursor goes.
    """

    def __init__(self, cache: RecordCache, seeds_dir: Path, select: str = "") -> None:
        # Before any file is looked at: what is older than this, less the racy span,
        # was not written to while it was read.
        self._started = time.time_ns()
        folder = seeds_dir.resolve()
        try:
            identity = folder.stat()
            where = [str(folder), identity.st_dev, identity.st_ino]
        except OSError:
            where = [str(folder)]
        self.folder = cache.root / "seeds"
        self.path = self.folder / _checks_key({"folder": where, "select": select})
        self._cache = cache
        self._at = 0  # where the cursor is in _old
        self._new = SpilledBytes()
        self._count = 0
        old = _read_memo(cache, self.path, "known seeds", _known_seeds_body)
        self._old, self._old_count = old or (b"", 0)

    def _entry_at(self, at: int) -> tuple[bytes, int]:
        return _known_seed_at(self._old, at)

    def remembered(self) -> int:
        """How many seeds the last validation remembered."""
        return self._old_count

    def find(self, seed_id: str, stats: FileStats) -> KnownSeed | None:
        """What the last validation found of the seed ``seed_id``, if its files' stats
        were ``stats`` then; None if not. Asked in id order (an id lower than the last
        one asked about starts the cursor again)."""
        wanted = seed_id.encode()
        at = self._at
        if at < len(self._old) and self._entry_at(at)[0] > wanted:
            at = 0
        found, end = b"", at
        while at < len(self._old):
            found, end = self._entry_at(at)
            if found >= wanted:
                break
            at = end
        self._at = at
        if found != wanted:
            return None
        *old_stats, text_sha256, sidecar_sha256, selected, key = _KNOWN_SEED.unpack_from(
            self._old, end - _KNOWN_SEED.size
        )
        if tuple(old_stats) != stats:
            return None
        return KnownSeed(text_sha256.hex(), sidecar_sha256.hex(), selected, key.hex())

    def add(self, seed_id: str, stats: FileStats, seed: KnownSeed) -> None:
        """Note what this validation found of a valid seed whose files had ``stats``
        before they were read (not if either was written to too lately to tell)."""
        if max(stats[3], stats[4], stats[8], stats[9]) >= self._started - RACY_NANOSECONDS:
            return
        name = seed_id.encode()
        self._new.extend(
            len(name).to_bytes(2, "little")
            + name
            + _KNOWN_SEED.pack(
                *stats,
                bytes.fromhex(seed.text_sha256),
                bytes.fromhex(seed.sidecar_sha256),
                seed.selected,
                bytes.fromhex(seed.record_key),
            )
        )
        self._count += 1

    def key_of(self, seed: UnreadSeed) -> str:
        """:func:`record_key` of a seed validation just read."""
        return record_key(seed)

    def save(self) -> None:
        """Keep this validation's seeds (only) for the next; remove the files of the
        folders validated least recently (:func:`_remove_old_settings`)."""
        body = self._new.read(0, len(self._new))
        if body == self._old:
            with contextlib.suppress(OSError):
                os.utime(self.path)  # used last: the last to go (_remove_old_settings)
            return
        if self._cache.write_atomically(
            self.folder, self.path, _checked_file(KNOWN_SEEDS_MAGIC, self._count, [body])
        ):
            _remove_old_settings(self.folder, self.path)


def _known_seeds_body(data: bytes) -> tuple[bytes, int]:
    """The entries of a :class:`KnownSeedMemo` file and their count (DamagedEntry
    unless they are as many as its header says, whole, in id order)."""
    count, body = _checked_body(KNOWN_SEEDS_MAGIC, data)
    at, previous = 0, b""
    for _ in range(count):
        seed_id, at = _known_seed_at(body, at)
        if seed_id <= previous:
            raise DamagedEntry("its seeds are not in id order")
        previous = seed_id
    if at != len(body):
        raise DamagedEntry("its length does not match its header")
    return body, count


def _known_seed_at(body: bytes, at: int) -> tuple[bytes, int]:
    """The id of the :class:`KnownSeedMemo` entry at ``at`` of ``body``, and where the
    next one starts."""
    if at + 2 > len(body):
        raise DamagedEntry("an entry is cut short")
    length = int.from_bytes(body[at : at + 2], "little")
    end = at + 2 + length + _KNOWN_SEED.size
    if end > len(body):
        raise DamagedEntry("an entry is cut short")
    return body[at + 2 : at + 2 + length], end


_Memo = TypeVar("_Memo")


def _read_memo(
    cache: RecordCache, path: Path, what: str, decode: Callable[[bytes], _Memo]
) -> _Memo | None:
    """The memo file at ``path`` decoded; None if there is none yet, or if it does not
    check out (said, and counted as damaged: it is written again at the end)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None  # none yet
    try:
        return decode(data)
    except ValueError as damaged:  # DamagedEntry is one
        cache.stats.damaged += 1
        logger.warning("cache: ignored damaged %s %s: %s", what, path, damaged)
        return None


def _checks_key(more: Mapping[str, object] | None = None) -> str:
    """A digest of what decides the checks of a sidecar (the schema's bytes, the code, the
    jsonschema version, the cache's format) and of ``more``: the name of a memo's file."""
    from importlib.metadata import version

    from curation.seeds import SIDECAR_SCHEMA

    settings = {
        "format": CACHE_FORMAT,
        "schema": hashlib.sha256(SIDECAR_SCHEMA.read_bytes()).hexdigest(),
        "jsonschema": version("jsonschema"),
        "code": code_digest(),
        **(more or {}),
    }
    return hashlib.sha256(canonical_bytes(settings)).hexdigest()


def _remove_old_settings(folder: Path, current: Path) -> None:
    """Remove the files of ``folder`` named for other settings than ``current``'s, but
    the :data:`KEPT_SETTINGS` most recent (and any written in the last
    :data:`STALE_TEMPORARY_SECONDS`: another run may be using it)."""
    try:
        found = [
            (path.stat().st_mtime, path)
            for path in folder.iterdir()
            if SETTINGS_NAME.match(path.name) and path != current
        ]
    except OSError:
        return
    now = time.time()
    for mtime, path in sorted(found, reverse=True)[KEPT_SETTINGS - 1 :]:
        if now - mtime > STALE_TEMPORARY_SECONDS:
            with contextlib.suppress(OSError):
                path.unlink()


_Made = TypeVar("_Made")


def _kept_or_made(
    cache: RecordCache,
    folder: Path,
    path_of: Callable[[], Path],
    make: Callable[[], _Made],
    read: Callable[[Path], _Made | None],
    writer: Callable[[_Made], Callable[[IO[bytes]], None]],
) -> _Made:
    """What a memo of a source file keeps (:class:`LanguageModelMemo`,
    :class:`WordTableMemo`): read from where ``path_of`` says, or made and kept there
    (written through ``folder``'s temporary files, the older files beside it removed).
    A source that cannot be read is left to ``make``, which says what is wrong with it."""
    try:
        path = path_of()
    except OSError:
        return make()
    found = read(path)
    if found is None:
        found = make()
        if cache.write_atomically(folder, path, writer(found)):
            _remove_old_settings(path.parent, path)
    return found


class LanguageModelMemo:
    """py3langid's model as ``identify_language`` decodes it, kept decoded, in one file.

    Every process that identifies a language read the model from its LZMA file and
    found its n-gram trie (:func:`curation.steps.identify_language.load_model`): about
    a second, and in a one-seed rebuild a second of the early worker's start, which
    the build waited for (:class:`curation.pipeline.EarlyCleaning`). Here the arrays
    are kept as ``.npy`` arrays one after another, read back in a few hundredths of a
    second. The file is named for a digest of what decides them: the model file's
    sha256, the code and numpy's version; its body is checked against the sha256 in
    its header before it is used, and a file that does not check out is ignored with
    a warning and written again. In ``models/`` under the cache; a build lends
    :meth:`load` to the step (:func:`~curation.steps.identify_language.load_model_with`).
    """

    def __init__(self, cache: RecordCache) -> None:
        self.folder = cache.root / "models"
        self._cache = cache

    def path(self, source: Path) -> Path:
        """Where the arrays decoded from the model file ``source`` are kept."""
        with source.open("rb") as stream:
            source_sha256 = hashlib.file_digest(stream, "sha256").hexdigest()
        settings = {
            "format": CACHE_FORMAT,
            "model": source_sha256,
            "numpy": np.__version__,
            "code": code_digest(),
        }
        return self.folder / hashlib.sha256(canonical_bytes(settings)).hexdigest()

    def load(self, source: Path) -> ModelArrays:
        """The arrays of the model file ``source``: as kept, or decoded (and kept)."""
        from curation.steps.identify_language import load_model

        return _kept_or_made(
            self._cache,
            self.folder,
            lambda: self.path(source),
            lambda: load_model(source),
            self._read,
            _model_writer,
        )

    def _read(self, path: Path) -> ModelArrays | None:
        try:
            with path.open("rb") as stream:
                header = stream.readline()
                parts = header.split()
                if len(parts) != 4 or parts[0] != MODEL_MAGIC:
                    raise DamagedEntry("no header (cut short or not a model file)")
                if parts[1] != str(CACHE_FORMAT).encode() or parts[2] != b"%d" % MODEL_ARRAYS:
                    raise DamagedEntry(f"format {parts[1]!r} of {parts[2]!r} arrays")
                # The arrays are read from the bytes that were hashed: a file put in
                # its place meanwhile is another file, not these bytes.
                if hashlib.file_digest(stream, "sha256").hexdigest().encode() != parts[3]:
                    raise DamagedEntry("checksum mismatch (cut short or changed since written)")
                stream.seek(len(header))
                ptc, pc, classes, base, check, output, ends = (
                    np.lib.format.read_array(stream, allow_pickle=False)
                    for _ in range(MODEL_ARRAYS)
                )
                if stream.read(1) or ends.shape != (3,) or classes.dtype.kind != "U":
                    raise DamagedEntry("not the arrays of a model")
        except FileNotFoundError:
            return None  # none yet
        except (OSError, ValueError, EOFError) as damaged:
            self._cache.stats.damaged += 1
            logger.warning("cache: ignored damaged language model %s: %s", path, damaged)
            return None
        depth, root, dead = (int(value) for value in ends.tolist())
        return ptc, pc, classes.tolist(), NgramTrie(base, check, output, depth, root, dead)


MODEL_MAGIC = b"curation-language-model"
# The arrays of a kept model: ptc, pc, classes, the trie's base, check and output, and
# its depth, root and dead slot as one array.
MODEL_ARRAYS = 7


class _Hashing:
    """A file to write to that hashes what it is given."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self.digest = hashlib.sha256()

    def write(self, data: bytes | memoryview) -> int:
        self.digest.update(data)
        return self._out.write(data)


def _model_writer(arrays: ModelArrays) -> Callable[[IO[bytes]], None]:
    """A writer of :class:`LanguageModelMemo`'s file: a header line ``<magic> <format>
    <arrays> <sha256 of the body>``, then the arrays, hashed as they are written."""
    ptc, pc, classes, trie = arrays

    def write(out: IO[bytes]) -> None:
        start = b"%s %d %d " % (MODEL_MAGIC, CACHE_FORMAT, MODEL_ARRAYS)
        out.write(start + b"0" * 64 + b"\n")
        body = _Hashing(out)
        ends = np.array([trie.depth, trie.root, trie.dead], dtype=np.int64)
        for values in (ptc, pc, np.array(classes), trie.base, trie.check, trie.output, ends):
            # As np.lib.format.write_array writes it, but from the array's own bytes,
            # not copies of up to 16 MiB: freeing a block that large raises glibc's
            # mmap threshold to its size (mallopt(3)), and later allocations below it
            # then stay on the heap.
            values = np.ascontiguousarray(values)
            header = np.lib.format.header_data_from_array_1_0(values)
            np.lib.format.write_array_header_1_0(body, header)
            body.write(values.reshape(-1).view(np.uint8).data)
        out.seek(len(start))
        out.write(body.digest.hexdigest().encode())

    return write


class WordTableMemo:
    """wordfreq's lists as :mod:`curation.word_frequency` builds them, one file a list.

    Every process that asks a word's frequency read the list of its language (gzipped
    msgpack, a Python string a word) and ordered its words: a fifth to half a second
    a language (Russian the most), in each cleaning process. Here a table's four arrays
    are kept one after another, read back in a few hundredths of a second. The file is
    named for a digest of what decides them: the list file's sha256, the code and the
    byte order; its body is checked against the sha256 in its header before it is
    used, and a file that does not check out is ignored with a warning and written
    again. In ``words/<list>/`` under the cache (one folder a list, so that a list's
    old files are removed and not another's); a build lends :meth:`load` to
    :func:`~curation.word_frequency.frequency_table`
    (:func:`~curation.word_frequency.load_tables_with`). The table is the same arrays
    either way (a test compares them), and its answers do not depend on where it
    came from.
    """

    def __init__(self, cache: RecordCache) -> None:
        self.folder = cache.root / "words"
        self._cache = cache

    def path(self, source: Path) -> Path:
        """Where the table built from the list file ``source`` is kept."""
        with source.open("rb") as stream:
            source_sha256 = hashlib.file_digest(stream, "sha256").hexdigest()
        settings = {
            "format": CACHE_FORMAT,
            "list": source_sha256,
            "byteorder": sys.byteorder,
            "code": code_digest(),
        }
        name = source.name.split(".")[0]
        return self.folder / name / hashlib.sha256(canonical_bytes(settings)).hexdigest()

    def load(self, source: str) -> FrequencyTable:
        """The table of the list file ``source``: as kept, or built (and kept)."""
        from curation.word_frequency import build_table

        return _kept_or_made(
            self._cache,
            self.folder,
            lambda: self.path(Path(source)),
            lambda: build_table(source),
            self._read,
            _table_writer,
        )

    def _read(self, path: Path) -> FrequencyTable | None:
        from curation.word_frequency import FrequencyTable

        try:
            with path.open("rb") as stream:
                parts = stream.readline().split()
                if len(parts) != 5 or parts[0] != WORD_TABLE_MAGIC:
                    raise DamagedEntry("no header (cut short or not a word table)")
                if parts[1] != str(CACHE_FORMAT).encode():
                    raise DamagedEntry(f"format {parts[1]!r}")
                count, size = int(parts[2]), int(parts[3])
                body = hashlib.sha256()

                def read(nbytes: int) -> bytes:
                    data = stream.read(nbytes)
                    if len(data) != nbytes:
                        raise DamagedEntry("cut short")
                    body.update(data)
                    return data

                # The words straight into their bytearray: no second copy of them.
                words = bytearray(size)
                if stream.readinto(words) != size:
                    raise DamagedEntry("cut short")
                body.update(words)
                starts, bands, hashes = array("I"), array("H"), array("I")
                starts.frombytes(read((count + 1) * starts.itemsize))
                bands.frombytes(read(count * bands.itemsize))
                hashes.frombytes(read(count * hashes.itemsize))
                if stream.read(1) or body.hexdigest().encode() != parts[4]:
                    raise DamagedEntry("checksum mismatch (cut short or changed since written)")
        except FileNotFoundError:
            return None  # none yet
        except (OSError, ValueError) as damaged:
            self._cache.stats.damaged += 1
            logger.warning("cache: ignored damaged word table %s: %s", path, damaged)
            return None
        return FrequencyTable(words, starts, bands, hashes)


WORD_TABLE_MAGIC = b"curation-word-table"


def _table_writer(table: FrequencyTable) -> Callable[[IO[bytes]], None]:
    """A writer of :class:`WordTableMemo`'s file: a header line ``<magic> <format>
    <words> <bytes> <sha256 of the body>``, then the words' bytes, their starts,
    bands and hashes (native byte order), hashed as they are written."""

    def write(out: IO[bytes]) -> None:
        start = b"%s %d %d %d " % (
            WORD_TABLE_MAGIC,
            CACHE_FORMAT,
            len(table.hashes),
            len(table.words),
        )
        out.write(start + b"0" * 64 + b"\n")
        body = _Hashing(out)
        for values in (table.words, table.starts, table.bands, table.hashes):
            body.write(memoryview(values).cast("B"))
        out.seek(len(start))
        out.write(body.digest.hexdigest().encode())

    return write


def _raw_sha256(digest: str) -> bytes | None:
    """The 32 bytes of a sha256 in hex; None if ``digest`` is not one."""
    try:
        raw = bytes.fromhex(digest)
    except ValueError:
        return None
    return raw if len(raw) == SHA256_WIDTH else None


# ---------------------------------------------------------------------------
# The Parquet files of the last build.

PARQUET_MAGIC = b"curation-parquet-files"
# In a settings folder: the files (named for their sha256) and the list of the last build's.
KEPT_PARQUET = "parquet"
KEPT_LIST = "files"
KEPT_NAME = re.compile(r"^[0-9a-f]{64}\.(parquet|rows)$")
# Kept Parquet files are hashed and copied this many bytes at a time, never read whole.
COPY_PIECE_BYTES = 1 << 20


@dataclass(frozen=True)
class _KeptFile:
    """One Parquet file of the last build and its rows, as :class:`KeptParquet` lists
    them (:class:`~curation.publish.parquet.KeptFile`)."""

    rows: int
    nbytes: int
    parquet: Path
    parquet_sha256: str
    rows_path: Path
    rows_sha256: str
    blocks: tuple[tuple[int, int, str], ...]

    def lines(self) -> Iterator[bytes]:
        """The rows, as written (the writer checks them against :attr:`blocks`)."""
        from curation.publish.parquet import kept_lines

        with self.rows_path.open("rb") as stream:
            yield from kept_lines(stream, self.blocks)

    def copy_to(self, path: Path) -> bool:
        """Copy the file to ``path`` a piece at a time, hashing as it goes (a shard can
        be far larger than a build's memory should grow); False, and nothing left at
        ``path``, if it cannot be read or is not the bytes listed."""
        digest = hashlib.sha256()
        failed: OSError | None = None
        try:
            source = self.parquet.open("rb")
        except OSError as error:
            failed = error
        else:
            with source, path.open("wb") as target:  # an error writing is the build's
                while True:
                    try:
                        piece = source.read(COPY_PIECE_BYTES)
                    except OSError as error:
                        failed = error
                        break
                    if not piece:
                        break
                    digest.update(piece)
                    target.write(piece)
        if failed is not None:
            path.unlink(missing_ok=True)
            logger.warning("cache: cannot read %s (%s); writing it again", self.parquet, failed)
            return False
        if digest.hexdigest() != self.parquet_sha256:
            path.unlink()
            logger.warning("cache: ignored damaged file %s; writing that file again", self.parquet)
            return False
        return True

    def listed(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "nbytes": self.nbytes,
            "parquet": self.parquet_sha256,
            "rows_sha256": self.rows_sha256,
            "blocks": [list(block) for block in self.blocks],
        }


class KeptParquet:
    """The Parquet files the last build with these settings wrote, each with its rows,
    for the next build to copy where its rows are the same
    (:class:`~curation.publish.parquet.KeptFiles`).

    In ``parquet/`` of the settings folder: each file under its sha256, its rows (the
    canonical JSON lines, in the writer's compressed blocks) under theirs, and the
    list of the last build's files by language (``files``: for each file its rows,
    Arrow size, both digests and the blocks' sizes; with the writer's key, so a
    change of schema, dataset version or writer options reuses nothing). Every byte
    is checked before it is used: the list by its checksum, a file's rows by their
    sha256 when the list is read, its bytes by theirs as they are copied; the build's
    rows are compared with the kept ones, a block at a time by the sha256 the list
    gives each block, before the file is copied, so a file is used only where it is
    what the build would write. A file not listed by the last build is removed when
    the next one saves its list.
    """

    def __init__(self, settings: Path, cache: RecordCache) -> None:
        self.settings = settings
        self.folder = settings / KEPT_PARQUET
        self._cache = cache

    def files(self, key: str) -> dict[str, list[_KeptFile]]:
        try:
            data = (self.folder / KEPT_LIST).read_bytes()
        except OSError:
            return {}  # none yet
        try:
            _count, body = _checked_body(PARQUET_MAGIC, data)
            listed = json.loads(body)
            if listed["key"] != key:
                return {}  # another schema, dataset version, writer or pyarrow
            kept = {
                language: [
                    _KeptFile(
                        int(file["rows"]),
                        int(file["nbytes"]),
                        self.folder / f"{file['parquet']}.parquet",
                        str(file["parquet"]),
                        self.folder / f"{file['rows_sha256']}.rows",
                        str(file["rows_sha256"]),
                        tuple(
                            (int(size), int(json_size), str(digest))
                            for size, json_size, digest in file["blocks"]
                        ),
                    )
                    for file in files
                ]
                for language, files in listed["languages"].items()
            }
        except (DamagedEntry, ValueError, KeyError, TypeError) as damaged:
            self._cache.stats.damaged += 1
            logger.warning("cache: ignored damaged list of files %s: %s", self.folder, damaged)
            return {}
        return {
            language: files
            for language, files in kept.items()
            if all(self._rows_check_out(file) for file in files)
        }

    def _rows_check_out(self, file: _KeptFile) -> bool:
        """Whether a kept file's rows are the bytes listed (its sha256): checked before
        the build relies on them, as it does when it must write rows it compared only
        by their blocks' digests (a damaged file would stop it then)."""
        try:
            with file.rows_path.open("rb") as stream:
                digest = hashlib.file_digest(stream, "sha256").hexdigest()
        except OSError as error:
            logger.warning("cache: cannot read %s (%s); not using it", file.rows_path, error)
            return False
        if digest != file.rows_sha256:
            self._cache.stats.damaged += 1
            logger.warning("cache: ignored damaged file %s", file.rows_path)
            return False
        return True

    def rows_file(self) -> tuple[Path, IO[bytes]] | None:
        if not self._cache.can_write:
            return None
        try:
            (self.settings / "tmp").mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(
                dir=self.settings / "tmp", prefix=f"{TEMPORARY_PREFIX}rows-"
            )
        except OSError as error:
            self._cache.cannot_write(self.settings, error)
            return None
        return Path(name), os.fdopen(handle, "wb")

    def save(self, key: str, files: Mapping[str, Sequence[object]]) -> None:
        """List this build's files (kept or written) for the next; remove the others."""
        from curation.publish.parquet import WrittenFile

        listed: dict[str, list[dict[str, Any]]] = {}
        try:
            for language, language_files in sorted(files.items()):
                listed[language] = []
                for file in language_files:
                    if isinstance(file, _KeptFile):
                        listed[language].append(file.listed())
                    elif isinstance(file, WrittenFile):
                        listed[language].append(self._keep(file))
                    else:
                        raise TypeError(f"not a kept or written file: {file!r}")
        except OSError as error:
            self._cache.cannot_write(self.settings, error)
            return
        finally:
            for language_files in files.values():
                for file in language_files:
                    if isinstance(file, WrittenFile):
                        with contextlib.suppress(OSError):
                            file.rows_path.unlink()  # unless it was kept (renamed)
        body = canonical_bytes({"key": key, "languages": listed})
        if not self._cache.write_atomically(
            self.settings, self.folder / KEPT_LIST, _checked_file(PARQUET_MAGIC, 1, [body])
        ):
            return
        keep = {f"{f['parquet']}.parquet" for fs in listed.values() for f in fs}
        keep |= {f"{f['rows_sha256']}.rows" for fs in listed.values() for f in fs}
        with contextlib.suppress(OSError):
            for path in self.folder.iterdir():
                if KEPT_NAME.match(path.name) and path.name not in keep:
                    with contextlib.suppress(OSError):
                        path.unlink()

    def _keep(self, file: parquet.WrittenFile) -> dict[str, Any]:
        """Keep a file this build wrote and its rows (OSError if they cannot be)."""
        with file.path.open("rb") as source:
            sha256 = hashlib.file_digest(source, "sha256").hexdigest()
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{sha256}.parquet"

        def copy(out: IO[bytes]) -> None:
            with file.path.open("rb") as source:
                shutil.copyfileobj(source, out, COPY_PIECE_BYTES)

        if not target.exists() and not self._cache.write_atomically(self.settings, target, copy):
            raise OSError(f"cannot write {target}")
        rows_path = self.folder / f"{file.rows_sha256}.rows"
        file.rows_path.replace(rows_path)
        kept = _KeptFile(
            file.rows, file.nbytes, target, sha256, rows_path, file.rows_sha256, file.blocks
        )
        return kept.listed()
