"""Lists of short strings kept in a few buffers instead of one Python object each.

A build holds some lists that grow with the corpus: every seed's id and digests
(:class:`curation.seeds.SeedList`), every published seed's id and sha256 for the
manifest (:class:`curation.publish.summary.BuildSummary`), the ids of the records the
dedup passes kept. As ``list[str]`` each item costs its string object (49 bytes of
header for ASCII, 73 for other text, plus the characters) and a pointer: some 130
bytes for a 64-character digest. Here an item is its UTF-8 bytes and an 8-byte end
offset (:class:`PackedStrings`), or 32 raw bytes for a lowercase sha256 in hex
(:class:`HexDigests`). The items read back are equal strings; nothing else changes.

Those lists are appended to and read back in order (the manifest, the seeds a build
reads) or rarely by position (the record a duplicate duplicates). So their buffers
(:class:`SpilledBytes`) keep only their newest :data:`SPILL_BYTES` in memory and the
rest in an unnamed temporary file: at 100,000 seeds the lists a build holds come to
some 23 MiB, which then sit in the operating system's page cache, not in the build's
memory. A corpus of a few thousand seeds never reaches the file.

The record cache's memos of a build (one digest per text, :mod:`curation.cache`) are
sets of fixed-width digests: :class:`SortedDigests` holds them sorted in one buffer,
and :func:`sorted_distinct` sorts a buffer of them once, at the end.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import weakref
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, overload

import numpy as np

# A sha256 as sidecars and the manifest spell it (hashlib's hexdigest).
_HEX64 = re.compile(r"[0-9a-f]{64}")

# A buffer keeps at most this many of its newest bytes in memory; the rest is in its
# file. A quarter of a MiB: the dozen buffers of a build hold 3 MiB at most, and a
# corpus of a few thousand seeds keeps everything in memory.
SPILL_BYTES = 1 << 18
# Bytes read from a buffer's file at once: reading items in order (the manifest, the
# seeds) costs one read per window, not one per item.
READ_WINDOW = 1 << 16
_ITEM_END = 8  # bytes of an item's end offset (little-endian)


class SpilledBytes:
    """An append-only byte buffer that holds its newest bytes (less than ``spill_at``) in
    memory and the others in an unnamed temporary file (removed when the buffer is
    collected or the process ends, however it ends).

    Reads name their position (``os.pread``): a forked process shares the file's
    descriptor, not a file position. A process that did not make the file copies it
    into a file of its own before it first appends, so that the two never write to one
    file. A pickled buffer carries its bytes, not its file.

    >>> data = SpilledBytes(spill_at=4)
    >>> data.extend(b"abc"); data.extend(b"defg")
    >>> len(data), data.in_memory, data.read(2, 5), data.read(0, len(data))
    (7, 0, b'cde', b'abcdefg')
    """

    __slots__ = (
        "__weakref__",
        "_file",
        "_lock",
        "_owner",
        "_spill_at",
        "_spilled",
        "_tail",
        "_window",
        "_window_start",
    )

    def __init__(self, data: bytes = b"", spill_at: int | None = None) -> None:
        """``spill_at``: :data:`SPILL_BYTES` (read at each call) unless given."""
        self._spill_at = SPILL_BYTES if spill_at is None else spill_at
        self._file: IO[bytes] | None = None
        self._owner = 0  # the process that made the file
        self._spilled = 0  # bytes in the file
        self._tail = bytearray()  # the bytes after those
        # The last bytes read from the file, and where they start.
        self._window = b""
        self._window_start = 0
        # Only where os.pread is missing (Windows: no fork either), to seek and read.
        self._lock = threading.Lock()
        self.extend(data)

    def __len__(self) -> int:
        return self._spilled + len(self._tail)

    @property
    def in_memory(self) -> int:
        """How many of the bytes are in memory (the others are in the file)."""
        return len(self._tail)

    def extend(self, data: bytes | bytearray) -> None:
        self._tail += data
        if len(self._tail) >= self._spill_at:
            file = self._own_file()
            file.seek(self._spilled)
            file.write(self._tail)
            file.flush()
            self._spilled += len(self._tail)
            self._tail = bytearray()

    def _own_file(self) -> IO[bytes]:
        if self._file is not None and self._owner == os.getpid():
            return self._file
        file = tempfile.TemporaryFile(prefix="curation-packed-")  # noqa: SIM115
        weakref.finalize(self, file.close)
        for start in range(0, self._spilled, READ_WINDOW):
            file.write(self._file_bytes(start, min(start + READ_WINDOW, self._spilled)))
        self._file, self._owner = file, os.getpid()
        self._window, self._window_start = b"", 0
        return file

    def read(self, start: int, end: int) -> bytes:
        """The bytes from ``start`` to ``end`` (both within the buffer)."""
        if not 0 <= start <= end <= len(self):
            raise IndexError(f"bytes {start}:{end} of a buffer of {len(self)}")
        if start >= self._spilled:
            return bytes(self._tail[start - self._spilled : end - self._spilled])
        if end > self._spilled:
            return self._file_bytes(start, self._spilled) + bytes(self._tail[: end - self._spilled])
        return self._file_bytes(start, end)

    def _file_bytes(self, start: int, end: int) -> bytes:
        offset = start - self._window_start
        if offset < 0 or end - self._window_start > len(self._window):
            size = min(max(READ_WINDOW, end - start), self._spilled - start)
            self._window, self._window_start = self._pread(size, start), start
            offset = 0
        return self._window[offset : offset + end - start]

    def _pread(self, size: int, start: int) -> bytes:
        assert self._file is not None  # there are bytes in the file
        fileno = self._file.fileno()
        if hasattr(os, "pread"):
            data = os.pread(fileno, size, start)
        else:  # pragma: no cover - Windows
            with self._lock:
                self._file.seek(start)
                data = self._file.read(size)
        if len(data) != size:
            raise OSError(f"read {len(data)} of {size} bytes from a temporary file")
        return data

    def __reduce__(self) -> tuple[type[SpilledBytes], tuple[bytes, int]]:
        return (SpilledBytes, (self.read(0, len(self)), self._spill_at))


class PackedStrings(Sequence[str]):
    """An append-only list of strings, held as one UTF-8 buffer and the end of each item
    (8 bytes), both :class:`SpilledBytes`.

    >>> ids = PackedStrings(["0001_ab", "0002_cd"])
    >>> ids.append("0003_ef")
    >>> ids[-1], len(ids), list(ids[:2])
    ('0003_ef', 3, ['0001_ab', '0002_cd'])
    """

    __slots__ = ("_data", "_ends")

    def __init__(self, items: Iterable[str] = (), spill_at: int | None = None) -> None:
        self._data = SpilledBytes(spill_at=spill_at)
        self._ends = SpilledBytes(spill_at=spill_at)
        for item in items:
            self.append(item)

    def append(self, item: str) -> None:
        # surrogatepass: any str reads back as itself, lone surrogates included.
        self._data.extend(item.encode("utf-8", "surrogatepass"))
        self._ends.extend(len(self._data).to_bytes(_ITEM_END, "little"))

    def __len__(self) -> int:
        return len(self._ends) // _ITEM_END

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> PackedStrings: ...

    def __getitem__(self, index: int | slice) -> str | PackedStrings:
        if isinstance(index, slice):
            indices = range(len(self))[index]
            if indices.step == 1:
                return self._stretch(indices.start, indices.stop)
            return PackedStrings(self._item(i) for i in indices)
        return self._item(range(len(self))[index])  # IndexError as a list raises it

    def _stretch(self, first: int, stop: int) -> PackedStrings:
        """The items from ``first`` to before ``stop``, copied a buffer at a time, not
        an item at a time (a build's read-ahead takes the seeds' ids in slices)."""
        stretch = PackedStrings()
        if stop <= first:
            return stretch
        ends = np.frombuffer(self._ends.read(_ITEM_END * first, _ITEM_END * stop), dtype="<u8")
        start = (
            int.from_bytes(self._ends.read(_ITEM_END * (first - 1), _ITEM_END * first), "little")
            if first
            else 0
        )
        stretch._data.extend(self._data.read(start, int(ends[-1])))
        stretch._ends.extend((ends - np.uint64(start)).astype("<u8").tobytes())
        return stretch

    def _item(self, index: int) -> str:
        if index:
            ends = self._ends.read(_ITEM_END * (index - 1), _ITEM_END * (index + 1))
            start, end = (
                int.from_bytes(ends[:_ITEM_END], "little"),
                int.from_bytes(ends[_ITEM_END:], "little"),
            )
        else:
            start, end = 0, int.from_bytes(self._ends.read(0, _ITEM_END), "little")
        return self._data.read(start, end).decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        for index in range(len(self)):
            yield self._item(index)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedStrings):
            return len(self) == len(other) and all(
                mine == theirs for mine, theirs in zip(self, other, strict=True)
            )
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def __repr__(self) -> str:
        return f"PackedStrings({list(self)!r})"


class HexDigests(Sequence[str]):
    """An append-only list of sha256 digests in hex, 32 bytes each (:class:`SpilledBytes`).

    An item that is not 64 lowercase hex digits (``""`` for a file not read, say)
    is kept as it is, aside, so every item reads back equal to what was appended.

    >>> digests = HexDigests(["ab" * 32, ""])
    >>> digests[0] == "ab" * 32, digests[1], len(digests), digests.not_digests()
    (True, '', 2, 1)
    """

    __slots__ = ("_data", "_other")

    def __init__(self, items: Iterable[str] = (), spill_at: int | None = None) -> None:
        self._data = SpilledBytes(spill_at=spill_at)
        self._other: dict[int, str] = {}  # index -> an item that is not a hex sha256
        for item in items:
            self.append(item)

    def append(self, item: str) -> None:
        if _HEX64.fullmatch(item):
            self._data.extend(bytes.fromhex(item))
        else:
            self._other[len(self._data) // 32] = item
            self._data.extend(bytes(32))

    def __len__(self) -> int:
        return len(self._data) // 32

    def not_digests(self) -> int:
        """How many items are not a sha256 (``""``, say)."""
        return len(self._other)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> HexDigests: ...

    def __getitem__(self, index: int | slice) -> str | HexDigests:
        if isinstance(index, slice):
            indices = range(len(self))[index]
            if indices.step != 1:
                return HexDigests(self._item(i) for i in indices)
            # A stretch: its bytes copied at once, not a digest at a time.
            stretch = HexDigests()
            if indices:
                stretch._data.extend(self._data.read(32 * indices.start, 32 * indices.stop))
                stretch._other = {
                    at - indices.start: item for at, item in self._other.items() if at in indices
                }
            return stretch
        return self._item(range(len(self))[index])

    def _item(self, index: int) -> str:
        other = self._other.get(index)
        if other is not None:
            return other
        return self._data.read(32 * index, 32 * index + 32).hex()

    def __iter__(self) -> Iterator[str]:
        for index in range(len(self)):
            yield self._item(index)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, HexDigests):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"HexDigests({list(self)!r})"


def sorted_distinct(data: bytes | bytearray, width: int) -> np.ndarray:
    """The positions of the distinct items of ``data`` (items of ``width`` bytes, a
    multiple of 8), ordered as their bytes sort, the first of equal items.

    >>> sorted_distinct(b"bbbbbbbb" b"aaaaaaaa" b"bbbbbbbb", 8).tolist()
    [1, 0]
    """
    if width % 8 or len(data) % width:
        raise ValueError(f"{len(data)} bytes are not items of {width} bytes (a multiple of 8)")
    # Big-endian words compare as the bytes do; lexsort is stable and takes its
    # last key first.
    words = np.frombuffer(data, dtype=">u8").reshape(-1, width // 8)
    order = np.lexsort(words.T[::-1])
    ordered = words[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    return order[first]


class SortedDigests:
    """Byte strings of one width, sorted and distinct, in one buffer: the position of an
    item by binary search (over the first 8 bytes of each, then its whole bytes).

    An item costs its bytes and 8 more, where a ``set`` of ``bytes`` costs some 100.

    >>> digests = SortedDigests.of(b"bbbbbbbb" b"aaaaaaaa" b"bbbbbbbb", 8)
    >>> len(digests), digests.data, digests.index(b"bbbbbbbb"), b"cccccccc" in digests
    (2, b'aaaaaaaabbbbbbbb', 1, False)
    """

    __slots__ = ("_prefixes", "data", "width")

    def __init__(self, data: bytes, width: int) -> None:
        """``data``: the items, sorted and distinct (an item that is not is only not found)."""
        if width % 8 or len(data) % width:
            raise ValueError(f"{len(data)} bytes are not items of {width} bytes (a multiple of 8)")
        self.data = bytes(data)
        self.width = width
        prefixes = np.frombuffer(self.data, dtype=">u8")[:: width // 8]
        self._prefixes = array("Q")
        self._prefixes.frombytes(prefixes.astype("=u8").tobytes())

    @classmethod
    def of(cls, data: bytes | bytearray, width: int) -> SortedDigests:
        """The distinct items of ``data``, in any order, repeats allowed."""
        items = np.frombuffer(data, dtype=np.uint8).reshape(-1, width)
        return cls(items[sorted_distinct(data, width)].tobytes(), width)

    def index(self, item: bytes) -> int | None:
        """The position of ``item`` among the sorted items, or None."""
        if len(item) != self.width:
            return None
        prefix = int.from_bytes(item[:8], "big")
        at = bisect_left(self._prefixes, prefix)
        width = self.width
        while at < len(self._prefixes) and self._prefixes[at] == prefix:
            if self.data[at * width : (at + 1) * width] == item:
                return at
            at += 1
        return None

    def __contains__(self, item: object) -> bool:
        return isinstance(item, bytes) and self.index(item) is not None

    def __len__(self) -> int:
        return len(self._prefixes)
