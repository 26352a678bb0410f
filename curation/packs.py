"""Packs: many entries of the record cache in one file, found through an index at its start.

A file per cleaned document made a rebuild open, read and close ten thousand files
to find ten thousand entries, and a folder of ten thousand files is slow to list,
copy and remove. A pack holds the entries of one batch (or of one ``add-seed``),
written once, renamed into place whole (:meth:`curation.cache.RecordCache.write_atomically`),
never changed afterwards: its name is the sha256 of its bytes, so the same entries
make the same file. A reader loads the index of every pack (a few bytes an entry)
and reads an entry's bytes where the index says.

The format, every integer little-endian::

    curation-pack <format> <count> <sha256 of the index>\\n
    <count> index rows: key (32 bytes), offset (8 bytes), length (8 bytes)
    the entries, each at its offset counted from the end of the index

An entry keeps its own header and checksum (:func:`curation.cache.encode_entry`),
so a damaged entry is found when it is read, and a damaged index when the pack is
opened; either way :class:`DamagedPack` or the cache's own check says so, and the
cache cleans the records again.

>>> pack = encode_pack([(b"k" * 32, b"first"), (b"j" * 32, b"second")])
>>> rows, start = decode_index(pack)
>>> [(r["key"].tobytes()[:1], pack[start + int(r["offset"]):][: int(r["length"])]) for r in rows]
[(b'k', b'first'), (b'j', b'second')]
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

PACK_MAGIC = b"curation-pack"
PACK_FORMAT = 1
KEY_SIZE = 32  # a sha256 digest
PACK_SUFFIX = ".pack"

# One index row. The key as four 64-bit numbers: its bytes exactly (a bytes dtype would
# drop trailing zeros), the first of them sortable for the lookup.
INDEX_ROW = np.dtype([("key", "<u8", (4,)), ("offset", "<u8"), ("length", "<u8")])

# The header line is short: magic, format, count, a hex digest. A longer first line
# is not a pack's.
_MAX_HEADER = 128


class DamagedPack(ValueError):
    """A pack whose header or index cannot be trusted: cut short, altered, or not a pack."""


def encode_pack(entries: Sequence[tuple[bytes, bytes]]) -> bytes:
    """The bytes of a pack of ``entries`` (key, entry bytes), in their order.

    A key given twice is stored once, the first time.
    """
    rows: list[tuple[np.ndarray, int, int]] = []
    data = []
    offset = 0
    seen: set[bytes] = set()
    for key, entry in entries:
        if len(key) != KEY_SIZE:
            raise ValueError(f"a pack key is {KEY_SIZE} bytes, not {len(key)}")
        if key in seen:
            continue
        seen.add(key)
        rows.append((np.frombuffer(key, dtype="<u8"), offset, len(entry)))
        data.append(entry)
        offset += len(entry)
    index = np.array(rows, dtype=INDEX_ROW).tobytes()
    header = b"%s %d %d %s\n" % (
        PACK_MAGIC,
        PACK_FORMAT,
        len(rows),
        hashlib.sha256(index).hexdigest().encode(),
    )
    return header + index + b"".join(data)


def pack_name(data: bytes) -> str:
    """The file name of a pack: the sha256 of its bytes (so the same entries, the same name)."""
    return hashlib.sha256(data).hexdigest() + PACK_SUFFIX


def decode_index(head: bytes, size: int | None = None) -> tuple[np.ndarray, int]:
    """The index rows of the pack that starts with ``head``, and where its entries start.

    ``head`` holds at least the header and the index (the whole pack will do);
    ``size``, the pack's length, if known, is checked against the rows.
    :class:`DamagedPack` if anything does not check out.
    """
    header, newline, _ = head[:_MAX_HEADER].partition(b"\n")
    parts = header.split(b" ")
    if not newline or len(parts) != 4 or parts[0] != PACK_MAGIC:
        raise DamagedPack("no pack header (cut short or not a pack)")
    if parts[1] != str(PACK_FORMAT).encode():
        raise DamagedPack(f"pack format {parts[1]!r}, expected {PACK_FORMAT}")
    if not parts[2].isdigit():
        raise DamagedPack(f"entry count {parts[2]!r} is not a number")
    count = int(parts[2])
    start = len(header) + 1
    index = head[start : start + count * INDEX_ROW.itemsize]
    if len(index) != count * INDEX_ROW.itemsize:
        raise DamagedPack("its index is cut short")
    if hashlib.sha256(index).hexdigest().encode() != parts[3]:
        raise DamagedPack("index checksum mismatch (cut short or changed after it was written)")
    rows = np.frombuffer(index, dtype=INDEX_ROW)
    data_start = start + len(index)
    if (
        size is not None
        and count
        and int((rows["offset"] + rows["length"]).max()) > size - data_start
    ):
        raise DamagedPack("its index points past the end of the file (cut short)")
    return rows, data_start


def index_size(head: bytes) -> int:
    """How many bytes the header and index of a pack take, from its first line (0: unknown)."""
    header, newline, _ = head[:_MAX_HEADER].partition(b"\n")
    parts = header.split(b" ")
    if not newline or len(parts) != 4 or not parts[2].isdigit():
        return 0
    return len(header) + 1 + int(parts[2]) * INDEX_ROW.itemsize
