"""Lists of short strings kept in a few buffers instead of one Python object each.

A build holds some lists that grow with the corpus: every seed's id and digests
(:class:`curation.seeds.SeedList`), every published seed's id and sha256 for the
manifest (:class:`curation.publish.summary.BuildSummary`), the ids of the records the
dedup passes kept. As ``list[str]`` each item costs its string object (49 bytes of
header for ASCII, 73 for other text, plus the characters) and a pointer: some 130
bytes for a 64-character digest. Here an item is its UTF-8 bytes and an 8-byte end
offset (:class:`PackedStrings`), or 32 raw bytes for a lowercase sha256 in hex
(:class:`HexDigests`). The items read back are equal strings; nothing else changes.

The record cache's memos of a build (one digest per text, :mod:`curation.cache`) are
sets of fixed-width digests: :class:`SortedDigests` holds them sorted in one buffer,
and :func:`sorted_distinct` sorts a buffer of them once, at the end.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

import numpy as np

# A sha256 as sidecars and the manifest spell it (hashlib's hexdigest).
_HEX64 = re.compile(r"[0-9a-f]{64}")


class PackedStrings(Sequence[str]):
    """An append-only list of strings, held as one UTF-8 buffer and the end of each item.

    >>> ids = PackedStrings(["0001_ab", "0002_cd"])
    >>> ids.append("0003_ef")
    >>> ids[-1], len(ids), list(ids[:2])
    ('0003_ef', 3, ['0001_ab', '0002_cd'])
    """

    __slots__ = ("_data", "_ends")

    def __init__(self, items: Iterable[str] = ()) -> None:
        self._data = bytearray()
        self._ends = array("Q")
        for item in items:
            self.append(item)

    def append(self, item: str) -> None:
        # surrogatepass: any str reads back as itself, lone surrogates included.
        self._data += item.encode("utf-8", "surrogatepass")
        self._ends.append(len(self._data))

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> PackedStrings: ...

    def __getitem__(self, index: int | slice) -> str | PackedStrings:
        if isinstance(index, slice):
            return PackedStrings(self._item(i) for i in range(len(self))[index])
        return self._item(range(len(self))[index])  # IndexError as a list raises it

    def _item(self, index: int) -> str:
        start = self._ends[index - 1] if index else 0
        return self._data[start : self._ends[index]].decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        start = 0
        for end in self._ends:
            yield self._data[start:end].decode("utf-8", "surrogatepass")
            start = end

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedStrings):
            return self._ends == other._ends and self._data == other._data
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def __repr__(self) -> str:
        return f"PackedStrings({list(self)!r})"


class HexDigests(Sequence[str]):
    """An append-only list of sha256 digests in hex, 32 bytes each.

    An item that is not 64 lowercase hex digits (``""`` for a file not read, say)
    is kept as it is, aside, so every item reads back equal to what was appended.

    >>> digests = HexDigests(["ab" * 32, ""])
    >>> digests[0] == "ab" * 32, digests[1], len(digests)
    (True, '', 2)
    """

    __slots__ = ("_data", "_other")

    def __init__(self, items: Iterable[str] = ()) -> None:
        self._data = bytearray()
        self._other: dict[int, str] = {}  # index -> an item that is not a hex sha256
        for item in items:
            self.append(item)

    def append(self, item: str) -> None:
        if _HEX64.fullmatch(item):
            self._data += bytes.fromhex(item)
        else:
            self._other[len(self._data) // 32] = item
            self._data += bytes(32)

    def __len__(self) -> int:
        return len(self._data) // 32

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> HexDigests: ...

    def __getitem__(self, index: int | slice) -> str | HexDigests:
        if isinstance(index, slice):
            return HexDigests(self._item(i) for i in range(len(self))[index])
        return self._item(range(len(self))[index])

    def _item(self, index: int) -> str:
        other = self._other.get(index)
        if other is not None:
            return other
        return self._data[32 * index : 32 * index + 32].hex()

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
