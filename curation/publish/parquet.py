"""Write records to Parquet, byte for byte the same on every machine.

One folder per language under ``data/``, so that the card can declare one config
per language and a default config over ``data/*/*.parquet``. Records arrive in id
order and are written in that order, so no sort (and no corpus in memory) is
needed; a shard is closed every :data:`ROWS_PER_SHARD` rows.

Memory is bounded by bytes, not by a count of rows: a language's rows are written as
a row group once their canonical JSON reaches :data:`BYTES_PER_ROW_GROUP`, so a
corpus of long documents with long provenance holds no more than one of short ones.
Until then they wait as that JSON, compressed (:class:`_Buffer`), and become Arrow
only when their row group is written, a few at a time (:data:`ROWS_PER_CHUNK`). The size of a
row is the length of the canonical JSON the content digest hashes anyway; it depends
only on the row, so the row groups, like the bytes, are the same whatever the batch
size or the number of jobs.

Every writer option that could change the bytes is spelled out here. The footer
still names the pyarrow version (``created_by``), which is why pyarrow is pinned
exactly; :func:`content_digest` hashes the rows themselves, so a pyarrow upgrade
can be told apart from a change of data.

A build with the record cache hands the writer the files of its last build
(:class:`KeptFiles`, kept by :meth:`curation.cache.RecordCache.kept_parquet` with
their rows): a language whose rows come exactly as the kept file's is neither
buffered nor compressed nor written, and the kept file's bytes are copied in its
place. A file's bytes depend only on its rows and on what :func:`writer_key` hashes
(schema and metadata, writer options, row group and shard bounds, the pyarrow
version), so the copy is the file the rows would make. The rows are compared a
block at a time (:data:`BUFFER_BLOCK_BYTES` of them, as the writer compressed them):
the sha256 of the block's lines against the one kept, so the kept rows are not even
read while they match. At the first block that differs (or a row more, or fewer at
the end), the rows of that file matched so far are read back from the kept rows
(each block checked against its sha256 again) and written as they always are, then
the rows of the block that differed (:class:`_Following`): only what changed, from
its file's start, is written.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from curation.publish.language_config import language_folder
from curation.record import AnyRecord, StoredRecord
from curation.schema import arrow_schema, record_row

# Small enough that a shard stays well under the Hub's recommended 500 MB, large
# enough that a 5-million-record corpus makes a few hundred files, not millions.
ROWS_PER_SHARD = 100_000
# A row group is written once a language's buffered rows reach this many bytes of
# canonical JSON (about their size in Arrow): 16 MiB keeps the build's memory low
# (one buffer per language) while row groups stay large enough for fast scans and
# few enough per file (a 100,000-row shard of 6 KB documents makes about 40).
BYTES_PER_ROW_GROUP = 16 << 20
# Rows turned into one Arrow record batch at a time when a row group is written.
ROWS_PER_CHUNK = 256
# The rows waiting for their row group are compressed in blocks of this many bytes of
# canonical JSON, with zstd at its fastest level: about as small as zlib's fastest
# level made them (4,880 of the 10k benchmark's rows: 2.2x against 2.3x) at three
# times its speed; zlib took a tenth of a rebuild from the record cache. A block
# waits whole before it is compressed: 256 KiB a language at most. Smaller row
# groups would hold less too, but compress worse: the benchmark's English rows,
# written in row groups of 400 rows instead of all in one, take 3.6 MB instead of 2.2.
BUFFER_BLOCK_BYTES = 256 << 10
BUFFER_CODEC = "zstd"
BUFFER_CODEC_LEVEL = 1
# Jobs (a block to compress, a row group to write) handed to the writing thread and
# not yet done, at most: what they hold is some blocks' lines (256 KiB each).
WRITER_JOBS = 8
# The last row group of every language waits for the files to be closed, at the end of
# the build (a language whose rows fill no row group is written whole then: two of
# the four at 10,000 benchmark documents). They are written this many at a time: one
# after the other, the end of a rebuild from the record cache waited a second for
# them while a core stood idle. Two, for the two cores of the benchmark; each holds
# one row group (its table and pages) while it is written, when the build's workers
# have stopped.
CLOSING_WRITERS = 2

WRITER_OPTIONS: dict[str, Any] = {
    "version": "2.6",
    "data_page_version": "1.0",
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
    "write_page_index": False,
    "store_schema": True,
    "write_batch_size": 1024,
    "data_page_size": 1 << 20,
}


class KeptFileChanged(OSError):
    """A file the record cache kept gave other rows when read again during a build."""


_CHANGED = (
    "the rows the record cache kept of data/{language} could not be read again as they "
    "were read before ({error}): another process changed the cache? Run the build again, "
    "or build with --no-cache"
)


class KeptFile(Protocol):
    """A Parquet file of the last build, kept with its rows (:class:`KeptFiles`)."""

    @property
    def rows(self) -> int: ...

    @property
    def nbytes(self) -> int:
        """Its row groups' in-memory Arrow size, summed (the Hub's ``num_bytes``)."""
        ...

    @property
    def blocks(self) -> Sequence[tuple[int, int, str]]:
        """Its rows as the writer compressed them, in blocks: each block's compressed
        size, the size of its JSON lines and their sha256 (hex)."""
        ...

    def lines(self) -> Iterator[bytes]:
        """Its rows' canonical JSON, one item per row (without the newline), in order.

        Raises OSError (or ValueError) if they cannot be read; the caller checks them
        against :attr:`blocks`."""
        ...

    def copy_to(self, path: Path) -> bool:
        """Write the file's bytes to ``path``; False (nothing left there) if they are
        not the bytes that were kept."""
        ...


@dataclass(frozen=True)
class WrittenFile:
    """A Parquet file this build wrote, with its rows kept beside it for the next build."""

    path: Path
    rows: int
    nbytes: int
    rows_path: Path  # its rows' canonical JSON lines in compressed blocks
    rows_sha256: str  # of the bytes at rows_path
    blocks: tuple[tuple[int, int, str], ...]  # as KeptFile.blocks


class KeptFiles(Protocol):
    """Where the last build's files are kept (:meth:`curation.cache.RecordCache.kept_parquet`)."""

    def files(self, key: str) -> Mapping[str, Sequence[KeptFile]]:
        """The last build's files by language folder, in order, if it wrote them with
        the writer ``key`` (:func:`writer_key`); nothing otherwise."""
        ...

    def rows_file(self) -> tuple[Path, IO[bytes]] | None:
        """A new temporary file for a file's rows, open for writing; None if there can be none."""
        ...

    def save(self, key: str, files: Mapping[str, Sequence[KeptFile | WrittenFile]]) -> None:
        """Keep this build's files (written, or reused as they were) for the next."""
        ...


def writer_key(schema: pa.Schema) -> str:
    """A digest of everything besides the rows that decides a file's bytes: the schema
    with its metadata, the writer options, the row group and shard bounds, the
    pyarrow version (and the codec of the kept rows)."""
    settings = {
        "schema": schema.serialize().to_pybytes().hex(),
        "options": WRITER_OPTIONS,
        "rows_per_shard": ROWS_PER_SHARD,
        "bytes_per_row_group": BYTES_PER_ROW_GROUP,
        "rows_per_chunk": ROWS_PER_CHUNK,
        "buffer": [BUFFER_CODEC, BUFFER_CODEC_LEVEL],
        "pyarrow": pa.__version__,
    }
    return hashlib.sha256(canonical_json(settings).encode()).hexdigest()


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def kept_lines(stream: Readable, blocks: Iterable[tuple[int, int, str]]) -> Iterator[bytes]:
    """The rows of a :class:`WrittenFile`'s rows file (``blocks`` as it lists them)."""
    for compressed, size, _digest in blocks:
        block = stream.read(compressed)
        if len(block) != compressed:
            raise KeptFileChanged(f"{getattr(stream, 'name', 'kept rows')}: cut short")
        yield from (
            _codec().decompress(block, decompressed_size=size, asbytes=True).split(b"\n")[:-1]
        )


def canonical_json(value: object) -> str:
    """JSON with sorted keys and fixed separators: the same value, the same bytes."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass
class _Shard:
    path: Path
    writer: pq.ParquetWriter
    rows: int = 0
    nbytes: int = 0
    # Where its rows are kept for the next build (KeptFiles), their blocks and digest.
    rows_path: Path | None = None
    rows_file: IO[bytes] | None = None
    blocks: list[tuple[int, int, str]] = field(default_factory=list)
    rows_digest: Any = field(default_factory=hashlib.sha256)

    def keep_blocks(self, buffer: _Buffer) -> None:
        """Append a row group's compressed blocks to the file's kept rows."""
        if self.rows_file is not None and buffer.digests is not None:
            for (block, size), digest in zip(buffer.blocks, buffer.digests, strict=True):
                self.rows_file.write(block)
                self.rows_digest.update(block)
                self.blocks.append((len(block), size, digest))

    def close(self) -> None:
        self.writer.close()
        if self.rows_file is not None:
            self.rows_file.close()


@dataclass
class _Following:
    """A language whose rows so far are the rows of the kept files: file ``index`` of
    ``files`` is being compared, block ``block`` of it; ``matched`` rows of it are in
    the blocks before, whose lines had the sha256 kept; ``held`` are the rows of the
    block being compared (``held_bytes`` of lines, hashed in ``hasher``). The files
    before it were complete and are copied (``ParquetShards._reuse``)."""

    files: Sequence[KeptFile]
    index: int = 0
    block: int = 0
    matched: int = 0
    held: list[bytes] = field(default_factory=list)
    held_bytes: int = 0
    hasher: Any = field(default_factory=hashlib.sha256)

    @property
    def file(self) -> KeptFile:
        return self.files[self.index]

    def next_block(self) -> None:
        self.matched += len(self.held)
        self.block += 1
        self.held, self.held_bytes, self.hasher = [], 0, hashlib.sha256()

    def next_file(self) -> None:
        self.index += 1
        self.block = self.matched = 0


@dataclass
class _Buffer:
    """One language's rows waiting for their row group: their canonical JSON lines,
    compressed in blocks (held as Arrow, four languages' 16 MiB each and their copies
    were the largest part of the writing process's memory)."""

    # Compressed blocks, each with the size of its JSON lines.
    blocks: list[tuple[bytes, int]] = field(default_factory=list)
    # The lines of the block being filled, not compressed yet.
    lines: list[bytes] = field(default_factory=list)
    lines_bytes: int = 0
    count: int = 0
    json_bytes: int = 0  # their canonical JSON, uncompressed
    # The sha256 of each block's lines, when the rows are kept for the next build.
    digests: list[str] | None = None

    def add(self, row: bytes) -> bool:
        """Add a row; True when the block being filled is full (:meth:`take_block`)."""
        self.lines.append(row)
        self.lines_bytes += len(row) + 1
        self.count += 1
        self.json_bytes += len(row) + 1
        return self.lines_bytes >= BUFFER_BLOCK_BYTES

    def take_block(self) -> list[bytes]:
        """The lines of the block being filled, for :meth:`add_block`; a new one starts."""
        lines, self.lines, self.lines_bytes = self.lines, [], 0
        return lines

    def add_block(self, lines: list[bytes]) -> None:
        """Compress the lines of a block (:meth:`take_block`) and keep them."""
        if lines:
            data = b"\n".join(lines) + b"\n"
            self.blocks.append((_codec().compress(data, asbytes=True), len(data)))
            if self.digests is not None:
                self.digests.append(hashlib.sha256(data).hexdigest())

    def chunks(self, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
        """The rows as Arrow record batches, in order; the buffer is spent."""
        self.add_block(self.take_block())
        rows: list[bytes] = []
        while self.blocks:
            block, size = self.blocks.pop(0)
            data = _codec().decompress(block, decompressed_size=size, asbytes=True)
            rows += data.split(b"\n")[:-1]  # every line ends with one
            del data
            while len(rows) >= ROWS_PER_CHUNK:
                yield from rows_to_arrow(rows[:ROWS_PER_CHUNK], schema).to_batches()
                del rows[:ROWS_PER_CHUNK]
        if rows:
            yield from rows_to_arrow(rows, schema).to_batches()


@functools.cache
def _codec() -> pa.Codec:
    return pa.Codec(BUFFER_CODEC, compression_level=BUFFER_CODEC_LEVEL)


@dataclass
class ParquetShards:
    """Streams rows into ``data/<language>/train-NNNNN-of-MMMMM.parquet``."""

    root: Path
    file_metadata: dict[str, str]
    # The files of the last build (curation.cache); None: every file is written.
    kept: KeptFiles | None = None
    counts: dict[str, int] = field(default_factory=dict)
    # In-memory Arrow size per language: the Hub's ``num_bytes`` of a split.
    nbytes: dict[str, int] = field(default_factory=dict)
    _buffers: dict[str, _Buffer] = field(default_factory=dict)
    _shards: dict[str, list[Path]] = field(default_factory=dict)
    _open: dict[str, _Shard] = field(default_factory=dict)
    _digest: Any = field(default_factory=hashlib.sha256)
    # The thread that compresses blocks and writes row groups (_in_writer), made at the
    # first, its jobs not yet seen done, and the last row group's.
    _writer: ThreadPoolExecutor | None = None
    _jobs: deque[Future[None]] = field(default_factory=deque)
    _last_group: Future[None] | None = None
    # Languages whose rows so far are the kept files' (nothing of them written yet).
    _following: dict[str, _Following] = field(default_factory=dict)
    # Every file of each language, in order: reused as kept, or written (a _Shard).
    _files: dict[str, list[KeptFile | _Shard]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        schema = arrow_schema()
        metadata = dict(schema.metadata or {})
        metadata.update({k.encode(): v.encode() for k, v in sorted(self.file_metadata.items())})
        self._schema = schema.with_metadata(metadata)
        self.key = writer_key(self._schema)
        if self.kept is not None:
            self._following = {
                language: _Following(files)
                for language, files in self.kept.files(self.key).items()
                if files
            }

    def write(self, records: Iterable[AnyRecord]) -> None:
        for record in records:
            # A record the cache stored comes with its row (the same bytes: curation.cache).
            if isinstance(record, StoredRecord):
                data = record.row
            else:
                data = canonical_json(record_row(record)).encode("utf-8")
            line = data + b"\n"
            self._digest.update(line)
            language = language_folder(record)
            self.counts[language] = self.counts.get(language, 0) + 1
            following = self._following.get(language)
            if following is not None:
                self._follow(language, following, data, line)
            else:
                self._add(language, data)

    def _add(self, language: str, data: bytes) -> None:
        """Buffer one row of ``language`` and write a row group when it is due."""
        buffer = self._buffers.get(language)
        if buffer is None:
            buffer = self._buffers[language] = self._new_buffer()
        if buffer.add(data):
            self._in_writer(functools.partial(buffer.add_block, buffer.take_block()))
        shard = self._open.get(language)
        shard_full = (shard.rows if shard else 0) + buffer.count >= ROWS_PER_SHARD
        if buffer.json_bytes >= BYTES_PER_ROW_GROUP or shard_full:
            self._flush(language)

    def _new_buffer(self) -> _Buffer:
        return _Buffer(digests=[] if self.kept is not None else None)

    def _follow(self, language: str, following: _Following, row: bytes, line: bytes) -> None:
        """Compare ``row`` (``line``: with its newline) with the kept rows of ``language``,
        a block at a time; at a block that differs, write from here on (:meth:`_diverge`)."""
        following.held.append(row)
        file = following.file
        if following.block < len(file.blocks):
            _compressed, size, digest = file.blocks[following.block]
            following.held_bytes += len(line)
            following.hasher.update(line)
            if following.held_bytes < size:
                return
            if following.held_bytes == size and following.hasher.hexdigest() == digest:
                following.next_block()
                # A file closed full, not the last, is complete, whatever comes next.
                if (
                    following.block == len(file.blocks)
                    and following.index + 1 < len(following.files)
                    and self._reuse(language, following)
                ):
                    following.next_file()
                return
        self._diverge(language)

    def _reuse(self, language: str, following: _Following) -> bool:
        """Copy the kept file being followed, every block of which matched, in place of
        writing it; False if it holds other than its listed rows or its bytes do not
        check out."""
        file = following.file
        if following.held or following.matched != file.rows:
            return False
        paths = self._shards.setdefault(language, [])
        path = self.root / language / f"train-{len(paths):05d}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not file.copy_to(path):
            return False
        paths.append(path)
        self._files.setdefault(language, []).append(file)
        self.nbytes[language] = self.nbytes.get(language, 0) + file.nbytes
        return True

    def _diverge(self, language: str) -> None:
        """Stop following ``language``: the rows of its current kept file that matched
        are read back (each block checked against its sha256) and written, as they would
        have been as they came, then the rows held since."""
        following = self._following.pop(language)
        file = following.file
        if following.matched:
            lines = file.lines()
            try:
                count = 0
                for _compressed, size, digest in file.blocks[: following.block]:
                    rows: list[bytes] = []
                    block = hashlib.sha256()
                    read = 0
                    while read < size:
                        row = next(lines)
                        rows.append(row)
                        block.update(row + b"\n")
                        read += len(row) + 1
                    if read != size or block.hexdigest() != digest:
                        raise KeptFileChanged(
                            _CHANGED.format(language=language, error="other rows")
                        )
                    for row in rows:
                        self._add(language, row)
                    count += len(rows)
            except KeptFileChanged:
                raise
            except (OSError, ValueError, StopIteration, pa.ArrowException) as error:
                raise KeptFileChanged(_CHANGED.format(language=language, error=error)) from error
            finally:
                close = getattr(lines, "close", None)
                if close is not None:
                    close()
            if count != following.matched:  # the blocks hold other rows than listed
                raise KeptFileChanged(_CHANGED.format(language=language, error="other rows"))
        for row in following.held:
            self._add(language, row)

    def _flush(self, language: str) -> None:
        """Write the language's buffered rows as one row group (they never cross a shard).

        Which file and how many rows are decided here; the row group is made and
        written in the writing thread (:meth:`_in_writer`)."""
        group = self._group(language)
        if group is not None:
            self._in_writer(group, row_group=True)

    def _group(self, language: str) -> Callable[[], None] | None:
        """What writes the language's buffered rows as one row group (None if there are
        none): their file is chosen (opened if need be) here, in the caller's order."""
        buffer = self._buffers.get(language)
        if buffer is None or not buffer.count:
            return None
        shard = self._open.get(language)
        if shard is None:
            index = len(self._shards.setdefault(language, []))
            path = self.root / language / f"train-{index:05d}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            shard = _Shard(path, pq.ParquetWriter(path, self._schema, **WRITER_OPTIONS))
            rows_file = self.kept.rows_file() if self.kept is not None else None
            if rows_file is not None:
                shard.rows_path, shard.rows_file = rows_file
            self._open[language] = shard
            self._shards[language].append(path)
            self._files.setdefault(language, []).append(shard)
        shard.rows += buffer.count
        self._buffers[language] = self._new_buffer()
        full = shard.rows >= ROWS_PER_SHARD
        if full:
            del self._open[language]
        return functools.partial(self._write_group, language, buffer, shard, full)

    def _write_group(self, language: str, buffer: _Buffer, shard: _Shard, close: bool) -> None:
        buffer.add_block(buffer.take_block())
        shard.keep_blocks(buffer)
        # One contiguous table: the pages then depend on the rows only, not on the chunks.
        chunks = list(buffer.chunks(self._schema))
        table = pa.Table.from_batches(chunks, schema=self._schema).combine_chunks()
        del chunks
        self.nbytes[language] = self.nbytes.get(language, 0) + table.nbytes
        shard.nbytes += table.nbytes
        shard.writer.write_table(table, row_group_size=table.num_rows)
        del table
        # Arrow's allocator keeps what the row group's arrays and pages took, for its
        # next allocations; hand it back, as curation.heap does for the C heap.
        pa.default_memory_pool().release_unused()
        if close:
            shard.close()

    def _in_writer(self, job: Callable[[], None], row_group: bool = False) -> None:
        """Run ``job`` (a block's compression, a row group's writing) in the writing
        thread, after the jobs before it.

        Compressing, decompressing the rows, reading them into Arrow and compressing
        the pages release the GIL: this thread goes on with the next batches meanwhile
        (a rebuild from the record cache waited for them a fifth of its time). One row
        group at a time: a row group's job waits until the one before it is done, so
        its table is held once, as it was when this thread wrote it; at most
        :data:`WRITER_JOBS` jobs wait (a block's lines each). An error of a job is
        raised here, at a later job, or by :meth:`close`."""
        while self._jobs and (self._jobs[0].done() or len(self._jobs) >= WRITER_JOBS):
            self._jobs.popleft().result()
        if row_group and self._last_group is not None:
            self._last_group.result()
        if self._writer is None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="curation-parquet")
        future = self._writer.submit(job)
        self._jobs.append(future)
        if row_group:
            self._last_group = future

    def writing(self) -> Future[None] | None:
        """The row group being made in the writing thread, if it is not done yet: what
        the build's own cleaning waits for (:attr:`curation.pipeline.Pipeline.busy`)."""
        group = self._last_group
        return group if group is not None and not group.done() else None

    def _wait_for_writer(self) -> None:
        """Wait until every job is done; raise the first error (the others are lost)."""
        jobs, self._jobs, self._last_group = self._jobs, deque(), None
        for future in jobs:
            future.result()

    def _stop_writer(self) -> None:
        """End the writing thread (a job not started is cancelled); a later job starts another."""
        if self._writer is not None:
            self._writer.shutdown(wait=True, cancel_futures=True)
            self._writer = None

    def abandon(self) -> None:
        """Stop writing (the build failed): wait for the jobs given to the writing thread
        and close the files, so that nothing writes into them once this returns."""
        with contextlib.suppress(Exception):
            self._wait_for_writer()
        self._stop_writer()
        for shard in self._open.values():
            with contextlib.suppress(Exception):
                shard.close()
        self._open.clear()
        self._following.clear()
        for files in self._files.values():
            for file in files:
                if isinstance(file, _Shard) and file.rows_path is not None:
                    with contextlib.suppress(OSError):
                        file.rows_path.unlink()

    def close(self) -> dict[str, list[Path]]:
        """Flush and close every shard, name it ``-of-`` the count; return the paths by language."""
        try:
            # A language still followed had every row of its kept files: its last file
            # is copied too, unless it had more rows (then it is written).
            for language in sorted(self._following):
                following = self._following[language]
                if following.block == len(following.file.blocks) and self._reuse(
                    language, following
                ):
                    del self._following[language]
                else:
                    self._diverge(language)
            self._wait_for_writer()
            groups = [self._group(language) for language in sorted(self._buffers)]
            self._write_last_groups([group for group in groups if group is not None])
        finally:
            self._stop_writer()
        for language in sorted(self._open):
            self._open[language].close()
        self._open.clear()
        final: dict[str, list[Path]] = {}
        for language in sorted(self._shards):
            paths = self._shards[language]
            final[language] = []
            for index, path in enumerate(paths):
                target = path.with_name(f"train-{index:05d}-of-{len(paths):05d}.parquet")
                path.rename(target)
                final[language].append(target)
                file = self._files[language][index]
                if isinstance(file, _Shard):
                    file.path = target
        return final

    def keep(self) -> None:
        """Hand the files of this build (after :meth:`close`) to :attr:`kept` for the next."""
        if self.kept is None:
            return
        files: dict[str, list[KeptFile | WrittenFile]] = {}
        for language in sorted(self._files):
            shards = [f for f in self._files[language] if isinstance(f, _Shard)]
            if any(shard.rows_path is None for shard in shards):
                for shard in shards:  # a file whose rows could not be kept: written next time
                    if shard.rows_path is not None:
                        with contextlib.suppress(OSError):
                            shard.rows_path.unlink()
                continue
            files[language] = []
            for file in self._files[language]:
                if not isinstance(file, _Shard):
                    files[language].append(file)
                    continue
                assert file.rows_path is not None
                files[language].append(
                    WrittenFile(
                        file.path,
                        file.rows,
                        file.nbytes,
                        file.rows_path,
                        file.rows_digest.hexdigest(),
                        tuple(file.blocks),
                    )
                )
        self.kept.save(self.key, files)

    @staticmethod
    def _write_last_groups(groups: list[Callable[[], None]]) -> None:
        """Write each language's last row group, :data:`CLOSING_WRITERS` at a time (they
        are in different files, and every file's bytes depend on its own rows only);
        the first error is raised once none is being written."""
        with ThreadPoolExecutor(
            CLOSING_WRITERS, thread_name_prefix="curation-parquet-last"
        ) as writers:
            for future in [writers.submit(group) for group in groups]:
                future.result()

    @property
    def content_sha256(self) -> str:
        """SHA-256 of the canonical JSON of all rows, in order: not tied to the Parquet encoding."""
        return str(self._digest.hexdigest())


def rows_to_arrow(rows: list[bytes], schema: pa.Schema) -> pa.Table:
    """Rows in canonical JSON (one per item) as an Arrow table of ``schema``.

    The same arrays ``pa.RecordBatch.from_pylist`` makes of the rows as Python
    objects (a test compares them on every row of a build), read by Arrow's own
    JSON reader. ``from_pylist`` asks of every column whether it is a pandas
    object, which imports pandas (some 40 MiB) into the process that writes.
    """
    data = b"\n".join(rows)
    table = pa_json.read_json(
        io.BytesIO(data),
        # One block: a row may be larger than the default block, and one thread
        # keeps the reading as light as the writing.
        read_options=pa_json.ReadOptions(use_threads=False, block_size=len(data) + 1),
        parse_options=pa_json.ParseOptions(
            explicit_schema=schema, unexpected_field_behavior="error"
        ),
    )
    return table.replace_schema_metadata(schema.metadata)  # the reader keeps none


def read_rows(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Rows of some Parquet files, for tests and for ``verify``'s record-level diff."""
    rows: list[dict[str, Any]] = []
    for path in sorted(paths):
        rows.extend(pq.read_table(path).to_pylist())
    return rows
