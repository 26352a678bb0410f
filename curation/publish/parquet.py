"""Write records to Parquet, byte for byte the same on every machine.

One folder per language under ``data/``, so that the card can declare one config
per language and a default config over ``data/*/*.parquet``. Records arrive in id
order and are written in that order, so no sort (and no corpus in memory) is
needed; a shard is closed every :data:`ROWS_PER_SHARD` rows.

Every writer option that could change the bytes is spelled out here. The footer
still names the pyarrow version (``created_by``), which is why pyarrow is pinned
exactly; :func:`content_digest` hashes the rows themselves, so a pyarrow upgrade
can be told apart from a change of data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from curation.publish.language_config import language_folder
from curation.record import Record
from curation.schema import arrow_schema, record_row

# Small enough that a shard stays well under the Hub's recommended 500 MB, large
# enough that a 5-million-record corpus makes a few hundred files, not millions.
ROWS_PER_SHARD = 100_000
# Rows buffered per language before a row group is written: bounds memory.
ROWS_PER_ROW_GROUP = 10_000

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


def canonical_json(value: object) -> str:
    """JSON with sorted keys and fixed separators: the same value, the same bytes."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass
class _Shard:
    path: Path
    writer: pq.ParquetWriter
    rows: int = 0


@dataclass
class ParquetShards:
    """Streams rows into ``data/<language>/train-NNNNN-of-MMMMM.parquet``."""

    root: Path
    file_metadata: dict[str, str]
    counts: dict[str, int] = field(default_factory=dict)
    # In-memory Arrow size per language: the Hub's ``num_bytes`` of a split.
    nbytes: dict[str, int] = field(default_factory=dict)
    _buffers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _shards: dict[str, list[Path]] = field(default_factory=dict)
    _open: dict[str, _Shard] = field(default_factory=dict)
    _digest: Any = field(default_factory=hashlib.sha256)

    def __post_init__(self) -> None:
        schema = arrow_schema()
        metadata = dict(schema.metadata or {})
        metadata.update({k.encode(): v.encode() for k, v in sorted(self.file_metadata.items())})
        self._schema = schema.with_metadata(metadata)

    def write(self, records: Iterable[Record]) -> None:
        for record in records:
            row = record_row(record)
            self._digest.update(canonical_json(row).encode("utf-8") + b"\n")
            language = language_folder(record)
            self.counts[language] = self.counts.get(language, 0) + 1
            buffer = self._buffers.setdefault(language, [])
            buffer.append(row)
            if len(buffer) >= ROWS_PER_ROW_GROUP:
                self._flush(language)

    def _flush(self, language: str) -> None:
        rows = self._buffers.get(language) or []
        while rows:
            shard = self._open.get(language)
            if shard is None:
                index = len(self._shards.setdefault(language, []))
                path = self.root / language / f"train-{index:05d}.parquet"
                path.parent.mkdir(parents=True, exist_ok=True)
                shard = _Shard(path, pq.ParquetWriter(path, self._schema, **WRITER_OPTIONS))
                self._open[language] = shard
                self._shards[language].append(path)
            take = min(len(rows), ROWS_PER_SHARD - shard.rows)
            table = pa.Table.from_pylist(rows[:take], schema=self._schema)
            self.nbytes[language] = self.nbytes.get(language, 0) + table.nbytes
            shard.writer.write_table(table, row_group_size=ROWS_PER_ROW_GROUP)
            shard.rows += take
            rows = rows[take:]
            if shard.rows == ROWS_PER_SHARD:
                shard.writer.close()
                del self._open[language]
        self._buffers[language] = []

    def close(self) -> dict[str, list[Path]]:
        """Flush and close every shard, name it ``-of-`` the count; return the paths by language."""
        for language in sorted(self._buffers):
            self._flush(language)
        for language in sorted(self._open):
            self._open[language].writer.close()
        self._open.clear()
        final: dict[str, list[Path]] = {}
        for language in sorted(self._shards):
            paths = self._shards[language]
            final[language] = []
            for index, path in enumerate(paths):
                target = path.with_name(f"train-{index:05d}-of-{len(paths):05d}.parquet")
                path.rename(target)
                final[language].append(target)
        return final

    @property
    def content_sha256(self) -> str:
        """SHA-256 of the canonical JSON of all rows, in order: not tied to the Parquet encoding."""
        return str(self._digest.hexdigest())


def read_rows(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Rows of some Parquet files, for tests and for ``verify``'s record-level diff."""
    rows: list[dict[str, Any]] = []
    for path in sorted(paths):
        rows.extend(pq.read_table(path).to_pylist())
    return rows
