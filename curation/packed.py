"""Lists of short strings kept in a few buffers instead of one Python object each.

A build holds some lists that grow with the corpus: every seed's id and digests
(:class:`curation.seeds.SeedList`), every published seed's id and sha256 for the
manifest (:class:`curation.publish.summary.BuildSummary`), the ids of the records the
dedup passes kept. As ``list[str]`` each item costs its string object (49 bytes of
header for ASCII, 73 for other text, plus the characters) and a pointer: some 130
bytes for a 64-character digest. Here an item is its UTF-8 bytes and an 8-byte end
offset (:class:`PackedStrings`), or 32 raw bytes for a lowercase sha256 in hex
(:class:`HexDigests`). The items read back are equal strings; nothing else changes.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

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
