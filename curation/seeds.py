"""The seeds folder: raw text files and their metadata sidecars.

``seeds/<id>.txt`` is the raw text, byte for byte as submitted; ``seeds/<id>.json``
is its sidecar, validated against ``schema/sidecar.schema.json``. Ids look like
``004_b57d5ccfbe06e458``: a running number, then 16 hex digits.

:func:`validate_seeds` collects every problem in the folder before it reports;
:func:`iter_seed_batches` streams the seeds, in id order, as batches of records.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import json
import os
import re
import stat
import struct
import unicodedata
from array import array
from collections import deque
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar, cast, overload

import jsonschema

from curation.errors import InvalidInput, Problem
from curation.packed import HexDigests, PackedStrings, SpilledBytes
from curation.paths import SCHEMA_DIR
from curation.record import Record
from curation.rules import ValidDigests

SEED_ID = re.compile(r"^[0-9]{3,}_[0-9a-f]{16}$")
SIDECAR_SCHEMA = SCHEMA_DIR / "sidecar.schema.json"

# Files a seeds folder may hold besides seeds, e.g. a README for contributors.
# ``.last-id`` holds the highest seed number ever used (curation.contribute.seed_ids).
ALLOWED_EXTRA_FILES = frozenset({"README.md", ".gitkeep", ".last-id"})

# A long news article is 5-50 KB of text; a file over 1 MiB is a book, a dump of
# many pages or the wrong file, and one seed that large would also dominate a
# review page. The limit is well under the repository's check-added-large-files
# hook (2048 KB), so an accepted seed can always be committed. `check`, `add-seed`
# and `build` all refuse a larger seed (:func:`size_problem`).
MAX_SEED_BYTES = 1024 * 1024

_UTF32_BOMS = {b"\xff\xfe\x00\x00": "LE", b"\x00\x00\xfe\xff": "BE"}
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# Characters that show nothing: every kind of space and line break, control and
# format characters (zero-width space, word joiner, byte-order mark, bidi controls,
# soft hyphen). A seed made only of these is empty once normalize_unicode has run.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


@dataclass(frozen=True, slots=True)
class Seed:
    id: str
    text_path: Path
    sidecar_path: Path
    # The sha256 of the sidecar's bytes as validate_seeds found them valid ("": not
    # validated): reading the seed again, the same bytes need no second schema check.
    sidecar_sha256: str = ""
    # The sha256 and size of the text's bytes as validate_seeds read them ("", 0: not
    # validated): the record cache finds a seed's entry without reading its text again.
    text_sha256: str = ""
    text_size: int = 0
    # What validate_seeds' ``select`` said of the sidecar (None: not asked): a pass
    # that needs only some seeds finds them without reading every sidecar again.
    selected: bool | None = None
    # The record cache's key of the seed's record ("": not known), found by a
    # validation given KnownSeeds: the sidecar need not be read again to make it.
    record_key: str = ""


@dataclass(frozen=True)
class SeedList(Sequence[Seed]):
    """Seeds of one folder, in id order, held as their ids and sidecar digests.

    What :func:`validate_seeds` returns: a build holds it from the validation to its
    last read of the input, and every worker it forks counts the pages again. A
    :class:`Seed` with its two paths costs some 750 bytes (pathlib keeps each path's
    parts), its id and digests as strings some 400: 72 MiB at 100,000 seeds against
    38. Packed (:mod:`curation.packed`: the id's UTF-8 bytes, each sha256 as 32 raw
    bytes, the size and answer in arrays) a seed takes about 100 bytes, 10 MiB at
    100,000. A seed is made again, the same, when it is asked for.

    :func:`discover_seeds` lists the ids only: a seed beyond the digests held is one
    not validated (a :class:`Seed`'s defaults).
    """

    folder: Path
    ids: PackedStrings = dataclasses.field(default_factory=PackedStrings)
    sidecar_sha256: HexDigests = dataclasses.field(default_factory=HexDigests)
    # What validate_seeds read of each text and asked of each sidecar (see Seed).
    text_sha256: HexDigests = dataclasses.field(default_factory=HexDigests)
    text_size: array[int] = dataclasses.field(default_factory=lambda: array("q"))
    # select's answer: 1 yes, 0 no, -1 not asked (Seed.selected None).
    selected: array[int] = dataclasses.field(default_factory=lambda: array("b"))
    # With KnownSeeds: each seed's record key (Seed.record_key), and its files' stats
    # when validation read or looked at them (FileStats, packed: check_unchanged).
    record_key: HexDigests = dataclasses.field(default_factory=HexDigests)
    stats: SpilledBytes = dataclasses.field(default_factory=SpilledBytes)

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Seed: ...

    @overload
    def __getitem__(self, index: slice) -> SeedList: ...

    def __getitem__(self, index: int | slice) -> Seed | SeedList:
        if isinstance(index, slice):
            return SeedList(
                self.folder,
                self.ids[index],
                self.sidecar_sha256[index],
                self.text_sha256[index],
                self.text_size[index],
                self.selected[index],
                self.record_key[index],
                _stats_slice(self.stats, range(len(self.ids))[index]),
            )
        return self._seed(index)

    def __iter__(self) -> Iterator[Seed]:
        for index in range(len(self.ids)):
            yield self._seed(index)

    def _seed(self, index: int) -> Seed:
        seed_id = self.ids[index]
        index = range(len(self.ids))[index]  # a negative index counted from the end
        # discover_seeds pairs <folder>/<id>.txt with <folder>/<id>.json, nothing else.
        text_path = _child(self.folder, f"{seed_id}.txt")
        sidecar_path = _child(self.folder, f"{seed_id}.json")
        if index >= len(self.sidecar_sha256):  # listed, not validated
            return Seed(seed_id, text_path, sidecar_path)
        return Seed(
            seed_id,
            text_path,
            sidecar_path,
            self.sidecar_sha256[index],
            self.text_sha256[index],
            self.text_size[index],
            _answer(self.selected[index]),
            self.record_key[index] if index < len(self.record_key) else "",
        )

    def stats_of(self, index: int) -> FileStats | None:
        """The stats of the files of seed ``index`` when validation read them (None if
        it was not asked to keep them)."""
        if len(self.stats) < _STATS.size * (index + 1):
            return None
        at = _STATS.size * index
        return cast(FileStats, _STATS.unpack(self.stats.read(at, at + _STATS.size)))


def _stats_slice(stats: SpilledBytes, indices: range) -> SpilledBytes:
    """The packed stats of the seeds ``indices`` (a step of 1) of ``stats``."""
    part = SpilledBytes()
    if indices and len(stats) >= _STATS.size * indices.stop:
        part.extend(stats.read(_STATS.size * indices.start, _STATS.size * indices.stop))
    return part


def _answer(packed: int) -> bool | None:
    """A ``SeedList.selected`` entry as ``Seed.selected`` holds it (-1: not asked)."""
    return None if packed < 0 else bool(packed)


def _child(folder: Path, name: str) -> Path:
    """``folder / name`` for a plain file name (no separator): what pathlib's own
    directory listing uses (``_make_child_relpath``) where Python has it, without
    parsing ``name`` again; a build makes two paths per seed each time it goes over
    the seeds, and parsing them was a tenth of a rebuild from the record cache."""
    make = getattr(folder, "_make_child_relpath", None)
    return make(name) if make is not None else folder / name


# What changes whenever one of a seed's two files is written to, renamed over or
# replaced: device, inode, size, modification and status-change times in nanoseconds,
# of the text, then of the sidecar. The status-change time is set by the system at
# every write and cannot be set back by a program.
FileStats = tuple[int, int, int, int, int, int, int, int, int, int]
# FileStats packed (device and inode unsigned, sizes and times signed).
_STATS = struct.Struct("<QQqqqQQqqq")


def file_stats(text: os.stat_result, sidecar: os.stat_result) -> FileStats:
    """The :data:`FileStats` of a seed from the stat of its text and of its sidecar."""
    return (
        text.st_dev,
        text.st_ino,
        text.st_size,
        text.st_mtime_ns,
        text.st_ctime_ns,
        sidecar.st_dev,
        sidecar.st_ino,
        sidecar.st_size,
        sidecar.st_mtime_ns,
        sidecar.st_ctime_ns,
    )


@dataclass(frozen=True, slots=True)
class KnownSeed:
    """What :func:`validate_seeds` found of a valid seed: the sha256 of its text's
    bytes, the sha256 of its sidecar's, and ``select``'s answer (1, 0; -1 not asked).
    The text's size is in its :data:`FileStats`."""

    text_sha256: str
    sidecar_sha256: str
    selected: int
    record_key: str


class KnownSeeds(Protocol):
    """Valid seeds an earlier validation read, by the :data:`FileStats` of their files
    then, and a way to note this validation's (the record cache keeps them between
    builds: :class:`curation.cache.KnownSeedMemo`). Seeds are asked about and noted in
    id order."""

    def find(self, seed_id: str, stats: FileStats) -> KnownSeed | None: ...

    def add(self, seed_id: str, stats: FileStats, seed: KnownSeed) -> None: ...

    def remembered(self) -> int:
        """How many seeds the earlier validation found valid."""
        ...

    def key_of(self, seed: UnreadSeed) -> str:
        """The record cache's key of the seed's record (:func:`curation.cache.record_key`)."""
        ...


# The sha256 of sidecar bytes known to pass the schema and value checks, and a way to
# note more (the record cache keeps them between builds: :mod:`curation.cache`).
ValidSidecars = ValidDigests


def _sidecar_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SIDECAR_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


@functools.cache
def _shared_validator() -> jsonschema.Draft202012Validator:
    """One validator for the seeds read one at a time (:meth:`UnreadSeed.read`)."""
    return _sidecar_validator()


def sidecar_validator() -> jsonschema.Draft202012Validator:
    """A validator for sidecars against ``schema/sidecar.schema.json``."""
    return _sidecar_validator()


def _line_and_column(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def size_problem(path: Path | str, size: int) -> Problem | None:
    """A problem if a seed of ``size`` bytes is over :data:`MAX_SEED_BYTES`."""
    if size <= MAX_SEED_BYTES:
        return None
    return Problem(
        str(path),
        f"the file is {size:,} bytes, over the limit of {MAX_SEED_BYTES:,} bytes (1 MiB) "
        "for one seed",
        "a seed is one document: split a collection into one file per article",
    )


def file_kind(path: Path) -> str:
    """What ``path`` is, in words, for a message about something that is not a regular file.

    >>> file_kind(Path("/"))
    'a folder'
    """
    mode = path.lstat().st_mode
    kinds = (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISREG, "a regular file"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _invisible(character: str) -> bool:
    return unicodedata.category(character) in _INVISIBLE_CATEGORIES


def text_problems(text: str, where: str) -> list[Problem]:
    r"""Why a decoded seed text is not a text at all, or nothing if it is one.

    The build would drop a text of only spaces and invisible characters, and would
    publish a text without a single letter (emoji, digits or punctuation only) under
    the language ``und``: neither is a document in a language, so both are refused
    here, where `check`, `add-seed` and `build` all look.

    >>> text_problems("\N{NO-BREAK SPACE}\N{ZERO WIDTH SPACE}\n", "x.txt")[0].message[:39]
    'holds no visible text: only spaces and '
    >>> text_problems("!!! 2024 \N{GRINNING FACE}", "x.txt")[0].message[:21]
    'holds no letter at al'
    >>> text_problems("Привет", "x.txt")
    []
    """
    if all(_invisible(c) for c in text):
        shown = sorted({c for c in text if not c.isascii()})[:3]
        names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in shown)
        return [
            Problem(
                where,
                "holds no visible text: only spaces and invisible characters"
                + (f" ({names})" if names else ""),
                "the build would publish nothing from it: put the article's text in the file",
            )
        ]
    if not any(unicodedata.category(c).startswith("L") for c in text):
        return [
            Problem(
                where,
                "holds no letter at all (only digits, punctuation, symbols or emoji): a seed "
                "is a text in some language",
                "put the article's text in the file",
            )
        ]
    return []


def decode_seed_bytes(data: bytes, where: str) -> tuple[str | None, list[Problem]]:
    """Decode a seed's bytes as UTF-8, or say precisely why they are not seed text.

    The one check of a seed's content, used by `check`, `build` and `add-seed`
    (which first applies its documented conversions), so that the three agree.
    """
    too_large = size_problem(where, len(data))
    if too_large:
        return None, [too_large]
    if not data.strip():
        return None, [Problem(where, "the file is empty (or only whitespace)")]
    for bom, order in _UTF32_BOMS.items():  # before UTF-16: FF FE 00 00 also starts FF FE
        if data.startswith(bom):
            return None, [
                Problem(
                    where,
                    f"the file is UTF-32 {order} (it starts with a UTF-32 byte-order mark); "
                    "seeds must be UTF-8",
                    "convert it, e.g. `iconv -f UTF-32 -t UTF-8 FILE > FILE.txt`; "
                    "add-seed does not convert UTF-32",
                )
            ]
    if data.startswith(_UTF16_BOMS):
        return None, [
            Problem(
                where,
                "the file is UTF-16 (it starts with a UTF-16 byte-order mark); seeds must be UTF-8",
                "re-add it with `curation add-seed`, which converts UTF-16 with a BOM to UTF-8",
            )
        ]
    if b"\x00" in data:
        line, column = _line_and_column(data, data.index(b"\x00"))
        return None, [
            Problem(f"{where}:{line}:{column}", "the file holds NUL bytes: it is binary, not text")
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _line_and_column(data, error.start)
        bad = data[error.start : error.start + 4].hex(" ")
        return None, [
            Problem(
                f"{where}:{line}:{column}",
                f"not valid UTF-8 (byte offset {error.start}: {bad}): {error.reason}",
                "convert it to UTF-8, e.g. `iconv -f WINDOWS-1251 -t UTF-8`",
            )
        ]
    problems = text_problems(text, where)
    return (None if problems else text), problems


def discover_seeds(seeds_dir: Path) -> tuple[SeedList, list[Problem]]:
    """Pair text files with sidecars; report strays. Sorted by id, whatever the listing order.

    What it keeps of the listing is each pair's id (a seed's paths are made again when
    it is asked for, :class:`SeedList`): a ``Seed`` with its paths for every pair, and
    a ``DirEntry`` and a path for every file, took some 1.3 KB a seed, held through
    the validation (at 100,000 seeds the build's first phase peaked at 249 MiB; 145
    now).
    """
    problems: list[tuple[str, Problem]] = []  # by file name: in the listing's sorted order
    if not seeds_dir.is_dir():
        raise InvalidInput([Problem(str(seeds_dir), "the seeds folder does not exist")])
    texts: set[str] = set()
    sidecars: set[str] = set()
    # scandir: what each entry is comes with the listing, not from two stat calls a file.
    with os.scandir(seeds_dir) as listing:
        for entry in listing:
            if entry.name in ALLOWED_EXTRA_FILES:
                continue
            problem = _entry_problem(seeds_dir, entry)
            if problem is not None:
                problems.append((entry.name, problem))
                continue
            if entry.name.endswith(".txt"):  # else ".json" (_entry_problem)
                texts.add(entry.name[: -len(".txt")])
            else:
                sidecars.add(entry.name[: -len(".json")])
    found = sorted(problems, key=lambda named: named[0])
    reported = [problem for _name, problem in found]
    for seed_id in sorted(texts - sidecars):
        reported.append(
            Problem(
                str(_child(seeds_dir, f"{seed_id}.txt")),
                f"no sidecar: expected {seed_id}.json beside it",
                "`curation add-seed` writes the sidecar",
            )
        )
    for seed_id in sorted(sidecars - texts):
        reported.append(
            Problem(
                str(_child(seeds_dir, f"{seed_id}.json")),
                f"sidecar without a seed: no {seed_id}.txt",
            )
        )
    texts &= sidecars
    del sidecars
    seeds = SeedList(seeds_dir, PackedStrings(sorted(texts)))
    return seeds, reported


def _entry_problem(seeds_dir: Path, entry: os.DirEntry[str]) -> Problem | None:
    """Why a file of the seeds folder is not a seed's text or sidecar, or None if it is."""
    name = entry.name
    stem, dot, suffix = name.rpartition(".")
    # The common case, without a path made (a tenth of validating a cached seed).
    seed_file = dot and suffix in ("txt", "json") and SEED_ID.match(stem)
    if seed_file and not entry.is_symlink() and entry.is_file():
        return None
    path = _child(seeds_dir, name)
    if entry.is_symlink():
        return Problem(str(path), "is a symbolic link; seeds must be regular files")
    if not entry.is_file():
        return Problem(
            str(path),
            f"is {file_kind(path)}: the seeds folder holds only regular files",
            "move it out of the seeds folder",
        )
    if path.suffix not in (".txt", ".json") or not SEED_ID.match(path.stem):
        return Problem(
            str(path),
            "unknown file: the seeds folder holds only <id>.txt and <id>.json, "
            "with ids like 005_0123456789abcdef",
            "add seeds with `curation add-seed PATH`",
        )
    return None


# Bidi embedding, override and isolate controls: they reorder how the characters
# around them are shown (a "Trojan Source" title can display as other text than it
# holds). In seed text normalize_unicode removes them; in a sidecar value, which is
# published as it is (columns, card), they are refused.
BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
# The characters of general category Cc, U+0000-U+001F and U+007F-U+009F: a set that
# Unicode's stability policy fixes (a test checks it against unicodedata).
CONTROLS = frozenset(map(chr, [*range(0x20), *range(0x7F, 0xA0)]))
_REFUSED_IN_VALUES = BIDI_CONTROLS | CONTROLS


def sidecar_value_problems(sidecar: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, problem) for each string value holding a control or bidi control character.

    Sidecar values go into the published columns and the card unchanged, so they
    must not carry characters that change how the text around them is shown.

    >>> sidecar_value_problems({"title": "Nice\N{RIGHT-TO-LEFT OVERRIDE}txt.exe", "date": None})
    [('title', 'holds U+202E RIGHT-TO-LEFT OVERRIDE at character 5: control and bidi control \
characters are not allowed in sidecar values')]
    """
    problems = []
    for field, value in sidecar.items():
        # A value with no character of the two sets has nothing for the loop below to
        # find (a set's isdisjoint goes over the string in C; the loop, in Python, was a
        # tenth of validating a seed).
        if not isinstance(value, str) or _REFUSED_IN_VALUES.isdisjoint(value):
            continue
        for index, character in enumerate(value, start=1):
            if character in BIDI_CONTROLS or unicodedata.category(character) == "Cc":
                name = unicodedata.name(character, "control character")
                problems.append(
                    (
                        field,
                        f"holds U+{ord(character):04X} {name} at character {index}: control "
                        "and bidi control characters are not allowed in sidecar values",
                    )
                )
                break
    return problems


def read_sidecar(
    seed: Seed, validator: jsonschema.Draft202012Validator
) -> tuple[dict[str, Any] | None, list[Problem]]:
    sidecar, problems, _digest = _read_sidecar(seed, validator)
    return sidecar, problems


def _read_sidecar(
    seed: Seed,
    validator: jsonschema.Draft202012Validator,
    known_valid: Container[str] = (),
    data: bytes | None = None,
) -> tuple[dict[str, Any] | None, list[Problem], str]:
    """The sidecar, its problems, and the sha256 of the bytes that were read (``data``,
    if given: the file's bytes, read ahead by :func:`_read_ahead`).

    Bytes equal to those ``validate_seeds`` found valid (``seed.sidecar_sha256``) are
    not checked against the schema again: the check costs most of what reading a
    cached seed costs, and it would find what it found before. Bytes whose sha256 is
    in ``known_valid`` (an earlier build found them valid) skip the schema and value
    checks too, which depend on the bytes only; the id is still checked against the
    file name.
    """
    where = str(seed.sidecar_path)
    if data is None:
        data = seed.sidecar_path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    try:
        sidecar = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        return None, [Problem(where, f"not valid UTF-8: {error.reason}")], digest
    except json.JSONDecodeError as error:
        return (
            None,
            [Problem(f"{where}:{error.lineno}:{error.colno}", f"not valid JSON: {error.msg}")],
            digest,
        )
    if seed.sidecar_sha256 and digest == seed.sidecar_sha256:
        return sidecar, [], digest
    problems = []
    # Bytes found valid before need only the id check below, which depends on the file name.
    if digest not in known_valid:
        problems += _schema_problems(sidecar, validator, where)
        if isinstance(sidecar, dict):
            problems += [
                Problem(f"{where}#{field}", message, "remove the character from the value")
                for field, message in sidecar_value_problems(sidecar)
            ]
    if isinstance(sidecar, dict) and sidecar.get("id") not in (None, seed.id):
        problems.append(
            Problem(f"{where}#id", f"id {sidecar['id']!r} does not match the file name {seed.id!r}")
        )
    return (sidecar if not problems else None), problems, digest


# The sha256 of schema/sidecar.schema.json that _surely_valid was written for: with
# any other schema it is not used (a test says so when the schema changes).
CHECKED_SCHEMA_SHA256 = "405f313baedee88d0738e184392a90aea3759772d0fa1c7a0da1663a5b1ba6a0"
_SIDECAR_FIELDS = frozenset(
    [
        *("id", "sha256", "languages", "source", "date", "url", "title", "license"),
        *("provenance", "contributor", "date_added"),
    ]
)
_OPTIONAL_TEXTS = ("source", "title", "license", "provenance", "contributor")
_DIGITS = frozenset("0123456789")
_LOWER_HEX = frozenset("0123456789abcdef")
_LOWER_ASCII = frozenset("abcdefghijklmnopqrstuvwxyz")


@functools.cache
def _checked_schema() -> dict[str, Any] | None:
    """The sidecar schema, if it is the one :func:`_surely_valid` was written for."""
    data = SIDECAR_SCHEMA.read_bytes()
    if hashlib.sha256(data).hexdigest() != CHECKED_SCHEMA_SHA256:
        return None
    schema: dict[str, Any] = json.loads(data.decode("utf-8"))
    return schema


def _is_date(value: object) -> bool:
    """Whether ``value`` is a string ``NNNN-NN-NN`` of ASCII digits, nothing more."""
    return (
        isinstance(value, str)
        and len(value) == 10
        and value[4] == value[7] == "-"
        and _DIGITS.issuperset(value[:4] + value[5:7] + value[8:])
    )


def _surely_valid(sidecar: object) -> bool:
    """True only if the sidecar schema (as of :data:`CHECKED_SCHEMA_SHA256`) accepts
    ``sidecar``: jsonschema's check cost half of validating a seed.

    Each test is as strict as the schema's or stricter (an ASCII-only URL, no newline
    where the schema's ``$`` would allow one at the end), so a sidecar it passes is
    valid; any other goes to jsonschema, which says what is wrong (or that nothing is).
    """
    if not isinstance(sidecar, dict) or sidecar.keys() != _SIDECAR_FIELDS:
        return False  # a field missing or one too many: jsonschema says which
    seed_id, sha256 = sidecar["id"], sidecar["sha256"]
    if not isinstance(seed_id, str) or not isinstance(sha256, str):
        return False
    number, _, digest = seed_id.partition("_")
    if len(number) < 3 or not _DIGITS.issuperset(number) or len(digest) != 16:
        return False
    if not _LOWER_HEX.issuperset(digest) or len(sha256) != 64 or not _LOWER_HEX.issuperset(sha256):
        return False
    languages = sidecar["languages"]
    if languages is not None:
        if not isinstance(languages, list) or not languages:
            return False
        for language in languages:
            if not isinstance(language, str) or len(language) != 2:
                return False
            if not _LOWER_ASCII.issuperset(language):
                return False
        if len(set(languages)) != len(languages):
            return False
    for name in _OPTIONAL_TEXTS:
        value = sidecar[name]
        if value is not None and (not isinstance(value, str) or not value):
            return False
    if sidecar["date"] is not None and not _is_date(sidecar["date"]):
        return False
    url = sidecar["url"]
    if url is not None:
        if not isinstance(url, str):
            return False
        rest = url.removeprefix("https://") if url.startswith("https://") else None
        rest = url.removeprefix("http://") if rest is None and url.startswith("http://") else rest
        # \S+ to the end: here printable ASCII but the space only.
        if not rest or not all("!" <= c <= "~" for c in rest):
            return False
    return _is_date(sidecar["date_added"])


def _schema_problems(
    sidecar: object, validator: jsonschema.Draft202012Validator, where: str
) -> list[Problem]:
    if validator.schema == _checked_schema() and _surely_valid(sidecar):
        return []  # what jsonschema would find (the oracle: tests/test_seeds_fast_paths.py)
    problems = []
    for invalid in sorted(
        validator.iter_errors(sidecar), key=lambda e: list(map(str, e.absolute_path))
    ):
        field_path = "/".join(str(p) for p in invalid.absolute_path)
        problems.append(Problem(f"{where}#{field_path}" if field_path else where, invalid.message))
    return problems


def load_seed(
    seed: Seed, validator: jsonschema.Draft202012Validator, known_valid: Container[str] = ()
) -> tuple[str | None, dict[str, Any] | None, str, list[Problem]]:
    """Read and check one seed: (text, sidecar, sha256 of the raw bytes, problems).

    The one validator of a seed, used by `check` and `build` alike. A file over the
    size limit is not read (its digest is then empty). Sidecar bytes whose sha256 is in
    ``known_valid`` (an earlier build found them valid: :class:`ValidSidecars`) skip the
    checks that depend on the bytes only.
    """
    text, sidecar, digest, problems, _sidecar_digest = _load_seed(seed, validator, known_valid)
    return text, sidecar, digest, problems


@dataclass(frozen=True, slots=True)
class _SeedBytes:
    """A seed's two files as read (:func:`_read_seed_bytes`): the text's size, its bytes
    and their sha256 (None and "" when it is over the size limit: not read), and the
    sidecar's bytes."""

    text_size: int
    text: bytes | None
    text_sha256: str
    sidecar: bytes
    # The files' stats as their descriptors gave them before they were read (None if
    # not asked for), and what an earlier validation found of the seed when these
    # stats are the ones it had then (the files were then not read: _read_unless_known).
    stats: FileStats | None = None
    known: KnownSeed | None = None


def _read_unless_known(seeds_dir: Path, known: KnownSeeds) -> Callable[[str], _SeedBytes]:
    """For a seed id of ``seeds_dir``: :func:`_read_seed_bytes` with the files' stats,
    for a seed whose stats ``known`` does not hold. A seed whose stats it holds is not
    read (nor its paths made): its files have not been written to since an earlier
    validation read them."""

    def read(seed_id: str) -> _SeedBytes:
        stats = _stats_now(seeds_dir, seed_id)  # None: the read below says what is wrong
        found = known.find(seed_id, stats) if stats else None
        if found is None or stats is None:
            seed = Seed(
                seed_id, _child(seeds_dir, f"{seed_id}.txt"), _child(seeds_dir, f"{seed_id}.json")
            )
            return _read_seed_bytes(seed, with_stats=True)
        return _SeedBytes(stats[2], None, found.text_sha256, b"", stats, found)

    return read


def _stats_now(seeds_dir: Path, seed_id: str) -> FileStats | None:
    """The :data:`FileStats` of the seed ``seed_id``'s files now; None if either cannot
    be looked at. The paths are made as strings: a ``Path`` for each of two files was
    most of the time of a seed that is not read."""
    prefix = f"{seeds_dir}{os.sep}{seed_id}"
    try:
        return file_stats(os.stat(f"{prefix}.txt"), os.stat(f"{prefix}.json"))  # noqa: PTH116
    except OSError:
        return None


def _read_seed_bytes(seed: Seed, with_stats: bool = False) -> _SeedBytes:
    """Read a seed's files (the text only if it is not over the size limit).

    Each file through one descriptor (its size from it, then its bytes to the end),
    without a file object: the thread that reads ahead of validation
    (:class:`_ReadAhead`) takes the interpreter's lock back after every call into the
    system, and a path's stat, a file object's own stat and buffer made it the slower
    of the two, which validation waited for."""
    fd = os.open(seed.text_path, os.O_RDONLY)
    try:
        text_stat = os.fstat(fd)
        size = text_stat.st_size
        data = None if size_problem(seed.text_path, size) else _read_to_end(fd, size)
    finally:
        os.close(fd)
    fd = os.open(seed.sidecar_path, os.O_RDONLY)
    try:
        sidecar_stat = os.fstat(fd)
        sidecar = _read_to_end(fd, sidecar_stat.st_size)
    finally:
        os.close(fd)
    stats = file_stats(text_stat, sidecar_stat) if with_stats else None
    if data is None:
        return _SeedBytes(size, None, "", sidecar, stats)
    return _SeedBytes(size, data, hashlib.sha256(data).hexdigest(), sidecar, stats)


def _read_to_end(fd: int, size: int) -> bytes:
    """Every byte of the file ``fd`` whose size was ``size``: one read when it still is
    (a regular file gives what it has up to what is asked), more if it has grown."""
    data = os.read(fd, size + 1)
    if len(data) <= size:
        return data
    parts = [data]
    while chunk := os.read(fd, 1 << 16):
        parts.append(chunk)
    return b"".join(parts)


# Seeds whose files a thread reads (and whose texts it hashes) ahead of their checks,
# at a time; two such chunks are ahead at most. Reading a file and hashing its bytes
# release the GIL: on another core they cost the validation (the build's first pass
# over every seed) nothing but the handing over.
READ_AHEAD_SEEDS = 64

_Item = TypeVar("_Item")
_Read = TypeVar("_Read")


def _read_ahead(
    items: Sequence[_Item], read: Callable[[_Item], _Read]
) -> Iterator[tuple[_Item, _Read]]:
    """Each item with ``read`` of it, in order (:class:`_ReadAhead`)."""
    return iter(_ReadAhead(items, read))


class _ReadAhead(Generic[_Item, _Read]):
    """Each item with ``read`` of it, in order, ``read`` done by a thread up to two
    chunks of :data:`READ_AHEAD_SEEDS` ahead. An error of ``read`` is raised when its
    item's turn comes, as if it were read then; reads after it are dropped."""

    def __init__(self, items: Sequence[_Item], read: Callable[[_Item], _Read]) -> None:
        self._items = items
        self._read = read
        self._pending: deque[Future[list[tuple[_Item, _Read | None, BaseException | None]]]]
        self._pending = deque()

    def _read_chunk(
        self, chunk: Sequence[_Item]
    ) -> list[tuple[_Item, _Read | None, BaseException | None]]:
        # The items as the thread took them: a SeedList makes a new Seed (and its
        # paths) each time it is indexed, and the thread's have their paths' strings made.
        results: list[tuple[_Item, _Read | None, BaseException | None]] = []
        for item in chunk:
            try:
                results.append((item, self._read(item), None))
            except Exception as error:  # raised in the caller's thread, at its item
                results.append((item, None, error))
                break
        return results

    def __iter__(self) -> Iterator[tuple[_Item, _Read]]:
        items = self._items
        starts = iter(range(0, len(items), READ_AHEAD_SEEDS))
        with ThreadPoolExecutor(1, thread_name_prefix="curation-read-ahead") as pool:
            for start in itertools.islice(starts, 2):
                chunk = items[start : start + READ_AHEAD_SEEDS]
                self._pending.append(pool.submit(self._read_chunk, chunk))
            while self._pending:
                results = self._pending.popleft().result()
                following = next(starts, None)
                if following is not None:
                    chunk = items[following : following + READ_AHEAD_SEEDS]
                    self._pending.append(pool.submit(self._read_chunk, chunk))
                for item, value, error in results:
                    if error is not None:
                        raise error
                    yield item, cast(_Read, value)

    def wait(self) -> None:
        """Return once the thread has read what it was given (and reads nothing more
        until the next item is taken): before this process forks, so that no file is
        being read, nor any lock held for it, at that moment."""
        wait(list(self._pending))


# The share of a folder's seeds an earlier validation must have found for this one to
# look at their stats in its own thread (:class:`_ReadHere`): a rebuild's. Below it,
# most seeds are read, and a thread reads them ahead.
KNOWN_SHARE = 0.9


class _ReadHere(Generic[_Item, _Read]):
    """Each item with ``read`` of it, in order, read in the caller's thread: validation
    of a folder an earlier one found (nearly) all of, where ``read`` is two stats and a
    look-up for most seeds. Handing those over from :class:`_ReadAhead`'s thread, which
    takes the interpreter's lock back after every call into the system, cost more than
    the stats: 0.12-0.16 s of the 0.5 s validation of 10,000 known seeds. A seed that
    must be read (changed since) is read here, without the thread's overlap."""

    def __init__(self, items: Sequence[_Item], read: Callable[[_Item], _Read]) -> None:
        self._items = items
        self._read = read

    def __iter__(self) -> Iterator[tuple[_Item, _Read]]:
        read = self._read
        for item in self._items:
            yield item, read(item)

    def wait(self) -> None:
        """Nothing is being read in another thread (see :meth:`_ReadAhead.wait`)."""


def _load_seed(
    seed: Seed,
    validator: jsonschema.Draft202012Validator,
    known_valid: Container[str] = (),
    files: _SeedBytes | None = None,
) -> tuple[str | None, dict[str, Any] | None, str, list[Problem], str]:
    """:func:`load_seed`, and the sha256 of the sidecar bytes it read; ``files``, if
    given, are the seed's files read ahead (:func:`_read_ahead`)."""
    if files is None:
        files = _read_seed_bytes(seed)
    if files.text is None:  # over the size limit: not read
        too_large = size_problem(seed.text_path, files.text_size)
        sidecar, sidecar_problems, sidecar_digest = _read_sidecar(
            seed, validator, known_valid, files.sidecar
        )
        problems = [too_large] if too_large else []
        return None, sidecar, "", [*problems, *sidecar_problems], sidecar_digest
    digest = files.text_sha256
    text, problems = decode_seed_bytes(files.text, str(seed.text_path))
    sidecar, sidecar_problems, sidecar_digest = _read_sidecar(
        seed, validator, known_valid, files.sidecar
    )
    problems += sidecar_problems
    if sidecar is not None and sidecar["sha256"] != digest:
        problems.append(
            Problem(
                f"{seed.sidecar_path}#sha256",
                f"sha256 {sidecar['sha256']} does not match the seed file ({digest}): "
                "the text changed after the sidecar was written",
                "if the change is intended, put the new sha256 in the sidecar",
            )
        )
    return text, sidecar, digest, problems, sidecar_digest


def duplicate_problem(
    seed: Seed, digest: str, first_with_digest: dict[str, str], hint: str
) -> Problem | None:
    """A problem if an earlier seed has the same bytes; else remember this one's digest.

    An empty digest (a file too large to read) is never a duplicate.
    """
    if not digest:
        return None
    if digest in first_with_digest:
        return Problem(
            str(seed.text_path),
            f"identical content to seed {first_with_digest[digest]}: duplicate seed",
            hint,
        )
    first_with_digest[digest] = seed.id
    return None


def no_seeds_problem(seeds_dir: Path, seeds: Sequence[Seed]) -> Problem | None:
    """A folder without a single seed cannot be built: `check` and `build` both say so."""
    if seeds:
        return None
    return Problem(
        str(seeds_dir),
        "no seeds: the folder holds no <id>.txt file with its <id>.json sidecar",
        "add one with `curation add-seed PATH`",
    )


def validate_seeds(
    seeds_dir: Path,
    valid_sidecars: ValidSidecars | None = None,
    select: Callable[[Mapping[str, Any]], bool] | None = None,
    changed: Callable[[Record], object] | None = None,
    known: KnownSeeds | None = None,
) -> SeedList:
    """Check the whole folder and raise :class:`InvalidInput` listing every problem.

    The seeds returned carry the sha256 of the sidecar bytes found valid, so that
    reading them again (:func:`iter_seed_batches`) checks the schema only of a
    sidecar changed since. ``valid_sidecars``, if given, holds the sha256 of sidecar
    bytes an earlier build found valid (they are not checked against the schema
    again) and is told of each sidecar found valid now. ``select``, if given, is
    asked about each valid sidecar, and its answer kept in the seed (``selected``) for
    :func:`iter_seed_batches`. ``changed``, if given with ``valid_sidecars``, is handed
    the record of each valid seed whose sidecar an earlier build had not found valid:
    a seed added or changed since (its sidecar names its text's sha256), which a
    build with the record cache will clean (:class:`curation.pipeline.EarlyCleaning`).
    ``known``, if given, holds what an earlier validation found of seeds whose files
    have the same :data:`FileStats` now (not written to since): those are not read
    again; it is told of each valid seed (with the stats its files had before they
    were read).
    """
    found, problems = discover_seeds(seeds_dir)
    empty = no_seeds_problem(seeds_dir, found)
    if empty:
        problems.append(empty)
    validator = _sidecar_validator()
    first_with_digest: dict[str, str] = {}
    seeds = SeedList(seeds_dir)
    duplicate_hint = "remove one of the two files and its sidecar"
    # With ``known``, the reader is handed ids: a seed it need not read is not made.
    reading: _ReadAhead[Seed, _SeedBytes] | _ReadAhead[str, _SeedBytes] | _ReadHere[str, _SeedBytes]
    if known is None:
        reading = _ReadAhead(found, _read_seed_bytes)
    else:
        mostly_known = known.remembered() >= KNOWN_SHARE * len(found)
        reader = _ReadHere if mostly_known else _ReadAhead
        reading = reader(found.ids, _read_unless_known(seeds_dir, known))
    valid: Container[str] = valid_sidecars if valid_sidecars is not None else ()
    for index, (item, files) in enumerate(reading):
        if files.known is not None and (files.known.selected < 0) == (select is None):
            # The reader was handed ids (with ``known``): the id is the item.
            seed_id = item if isinstance(item, str) else found.ids[index]
            _add_known(seeds, seed_id, files, valid_sidecars, known)
            if files.text_sha256 not in first_with_digest:  # the common case: no Seed made
                first_with_digest[files.text_sha256] = seed_id
            elif duplicate := duplicate_problem(
                found[index], files.text_sha256, first_with_digest, duplicate_hint
            ):
                problems.append(duplicate)
            continue
        seed = item if isinstance(item, Seed) else found[index]
        if files.known is not None:  # known, but select was not asked then: read it
            files = _read_seed_bytes(seed, with_stats=True)
        text, sidecar, digest, seed_problems, sidecar_digest = _load_seed(
            seed, validator, valid, files
        )
        if sidecar is not None and valid_sidecars is not None:
            if changed and text is not None and not seed_problems and sidecar_digest not in valid:
                reading.wait()  # changed() may fork the build's workers
                changed(seed_record(seed, text, sidecar))
            valid_sidecars.add(sidecar_digest)
        selected = int(select(sidecar)) if select and isinstance(sidecar, dict) else -1
        seeds.ids.append(seed.id)
        seeds.sidecar_sha256.append(sidecar_digest)
        seeds.text_sha256.append(digest or "")
        seeds.text_size.append(files.text_size if digest else 0)
        seeds.selected.append(selected)
        valid_seed = text is not None and sidecar is not None and not seed_problems
        if known is not None and files.stats and valid_seed:
            assert sidecar is not None
            validated = Seed(
                seed.id,
                seed.text_path,
                seed.sidecar_path,
                sidecar_digest,
                digest,
                files.text_size,
                _answer(selected),
            )
            key = known.key_of(UnreadSeed(validated, sidecar))
            known.add(seed.id, files.stats, KnownSeed(digest, sidecar_digest, selected, key))
            seeds.record_key.append(key)
            seeds.stats.extend(_STATS.pack(*files.stats))
        elif known is not None:
            seeds.record_key.append("")
            seeds.stats.extend(bytes(_STATS.size))
        problems += seed_problems
        duplicate = duplicate_problem(seed, digest, first_with_digest, duplicate_hint)
        if duplicate:
            problems.append(duplicate)
    if problems:
        raise InvalidInput(problems)
    return seeds


def _add_known(
    seeds: SeedList,
    seed_id: str,
    files: _SeedBytes,
    valid_sidecars: ValidSidecars | None,
    known: KnownSeeds | None,
) -> None:
    """Add to ``seeds`` a seed whose files were not read: ``files.known`` is what an
    earlier validation found of them, with the same stats (``files.stats``)."""
    assert files.known is not None and files.stats is not None
    if valid_sidecars is not None:
        valid_sidecars.add(files.known.sidecar_sha256)
    seeds.ids.append(seed_id)
    seeds.sidecar_sha256.append(files.known.sidecar_sha256)
    seeds.text_sha256.append(files.known.text_sha256)
    seeds.text_size.append(files.text_size)
    seeds.selected.append(files.known.selected)
    seeds.record_key.append(files.known.record_key)
    seeds.stats.extend(_STATS.pack(*files.stats))
    if known is not None:
        known.add(seed_id, files.stats, files.known)


def seed_record(seed: Seed, text: str, sidecar: dict[str, Any]) -> Record:
    """The record a seed starts as, before any step. Part 0 until a split says otherwise."""
    return Record(
        seed_id=seed.id,
        part=0,
        text=text,
        declared=sidecar,
        title=sidecar["title"],
        source=sidecar["source"],
        date=sidecar["date"],
        url=sidecar["url"],
        license=sidecar["license"],
    )


def iter_seed_batches(
    seeds: Sequence[Seed],
    batch_size: int = 256,
    wanted: Callable[[Mapping[str, Any]], bool] | None = None,
) -> Iterator[list[Record]]:
    """Stream already-validated seeds as batches of records, in id order.

    ``wanted``, if given, is asked about each seed's sidecar first, and a seed it
    refuses is skipped before its text is read and its sidecar checked again: a pass
    that needs only some seeds (those with a site, for the recurring lines) does
    not pay for the others. A seed that validation already asked (``validate_seeds``
    given the same predicate as ``select``) keeps that answer: its sidecar is not read.
    """
    validator = _sidecar_validator()
    batch: list[Record] = []
    selected: Iterable[bool | None] = (
        map(_answer, seeds.selected) if isinstance(seeds, SeedList) else [s.selected for s in seeds]
    )
    for index, known in enumerate(selected):
        if wanted is not None and known is False:
            continue  # skipped before its Seed (and paths) are even made
        seed = seeds[index]
        if wanted is not None and known is None and not _wanted(seed, wanted):
            continue
        text, sidecar, _digest, problems = load_seed(seed, validator)
        if problems or text is None or sidecar is None:  # changed since validation
            raise InvalidInput(problems or [Problem(str(seed.text_path), "could not be read")])
        batch.append(seed_record(seed, text, sidecar))
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(frozen=True, slots=True)
class UnreadSeed:
    """A validated seed whose text is read only when it is needed.

    A build with the record cache cleans only the seeds the cache has no entry for,
    and finds an entry by the sha256 of the text that validation computed: the text
    of a seed whose entry is found is not read a second time.
    """

    seed: Seed
    # None when the seed's record key is known (Seed.record_key): not read again.
    sidecar: dict[str, Any] | None

    @property
    def text_sha256(self) -> str:
        return self.seed.text_sha256

    @property
    def text_size(self) -> int:
        """UTF-8 bytes of the text (the file's size: a seed is UTF-8 without a BOM)."""
        return self.seed.text_size

    def without_text(self) -> Record:
        """The seed's record with an empty text: every other field as it will be."""
        sidecar = self.sidecar
        if sidecar is None:
            _text, sidecar, _digest, problems = load_seed(self.seed, _shared_validator())
            if problems or sidecar is None:
                raise InvalidInput(problems or [_changed(self.seed)])
        return seed_record(self.seed, "", sidecar)

    def read(self, validator: jsonschema.Draft202012Validator | None = None) -> Record:
        """The seed's record, its text read and checked as :func:`iter_seed_batches` does,
        and refused if it is not the text validated (its record key, made from the
        sha256 validation read, would name other bytes)."""
        text, sidecar, digest, problems = load_seed(self.seed, validator or _shared_validator())
        if problems or text is None or sidecar is None:  # changed since validation
            raise InvalidInput(problems or [Problem(str(self.seed.text_path), "could not be read")])
        if digest != self.seed.text_sha256:
            raise InvalidInput([_changed(self.seed)])
        return seed_record(self.seed, text, sidecar)


def _changed(seed: Seed) -> Problem:
    return Problem(
        str(seed.text_path),
        f"its bytes are no longer those validated (sha256 {seed.text_sha256}): "
        "the seed changed during the build",
        "run the build again",
    )


def check_unchanged(seeds: SeedList) -> None:
    """Raise :class:`InvalidInput` naming every seed of ``seeds`` whose files' stats are
    not those validation kept (:meth:`SeedList.stats_of`): written to, replaced or
    removed during the build, whose output would mix its old and new bytes or use the
    old ones. Seeds whose stats were not kept are not looked at."""
    problems = []
    for index, seed_id in enumerate(seeds.ids):
        kept = seeds.stats_of(index)
        if kept is None:
            break
        if _stats_now(seeds.folder, seed_id) != kept:
            problems.append(_changed(seeds[index]))
    if problems:
        raise InvalidInput(problems)


def iter_unread_seed_batches(
    seeds: Sequence[Seed], batch_size: int = 256
) -> Iterator[list[UnreadSeed]]:
    """:func:`iter_seed_batches` with the texts left unread: only the sidecars are read.

    The seeds must come from :func:`validate_seeds` (which recorded the sha256 of each
    text); a sidecar changed since is checked again, and refused if it no longer
    passes or names another text. A seed whose record key validation found
    (``Seed.record_key``) comes without its sidecar, which is not read: its files'
    stats are checked once the build is done (:func:`check_unchanged`).
    """
    digests = seeds.text_sha256 if isinstance(seeds, SeedList) else [s.text_sha256 for s in seeds]
    if not all(digests):
        raise ValueError("iter_unread_seed_batches needs seeds from validate_seeds")
    validator = _sidecar_validator()
    batch: list[UnreadSeed] = []
    # A rebuild's: validation found (nearly) every seed's record key, and a keyed seed
    # is not read: the reading thread would only hand it over (see _ReadHere).
    keyed = (
        isinstance(seeds, SeedList)
        and len(seeds.record_key) == len(seeds)
        and seeds.record_key.not_digests() <= (1 - KNOWN_SHARE) * len(seeds)
    )
    reading = (_ReadHere if keyed else _ReadAhead)(seeds, _read_sidecar_unless_keyed)
    for seed, data in reading:
        if data is None:
            batch.append(UnreadSeed(seed, None))
            if len(batch) == batch_size:
                yield batch
                batch = []
            continue
        sidecar, problems, _digest = _read_sidecar(seed, validator, (), data)
        if sidecar is not None and sidecar["sha256"] != seed.text_sha256:
            problems.append(
                Problem(
                    f"{seed.sidecar_path}#sha256",
                    f"sha256 {sidecar['sha256']} is not that of the text validated "
                    f"({seed.text_sha256}): the seed changed during the build",
                    "run the build again",
                )
            )
        if problems or sidecar is None:
            raise InvalidInput(problems or [Problem(str(seed.sidecar_path), "could not be read")])
        batch.append(UnreadSeed(seed, sidecar))
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _read_sidecar_unless_keyed(seed: Seed) -> bytes | None:
    """The sidecar's bytes; None for a seed whose record key is known (not read)."""
    return None if seed.record_key else _read_sidecar_bytes(seed)


def _read_sidecar_bytes(seed: Seed) -> bytes:
    """A sidecar's bytes, read as :func:`_read_seed_bytes` reads them."""
    fd = os.open(seed.sidecar_path, os.O_RDONLY)
    try:
        return _read_to_end(fd, os.fstat(fd).st_size)
    finally:
        os.close(fd)


def _wanted(seed: Seed, wanted: Callable[[Mapping[str, Any]], bool]) -> bool:
    """``wanted`` of the seed's sidecar; True when it cannot be read (the full read
    that follows then reports why)."""
    try:
        sidecar = json.loads(seed.sidecar_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    return not isinstance(sidecar, dict) or wanted(sidecar)
