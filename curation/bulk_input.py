"""Bulk input: documents from JSONL and Parquet shards instead of a seeds folder.

``curation build --input PATH...`` reads shards of documents, each with an id, a
text and optional metadata (title, source, date, url, license, languages), so a
million documents need a few files rather than a million-file ``seeds/``:

- JSONL, one JSON object per line: ``.jsonl``, ``.jsonl.gz``, ``.jsonl.zst``
  (zstd is read with pyarrow's codec, already pinned for the Parquet output, so no
  new dependency);
- Parquet: ``.parquet``, read a row group at a time;
- a folder: every such shard inside it, in name order.

Columns are named by :class:`InputColumns` (``--id-column``, ``--text-column``,
``--column FIELD=COLUMN``); a metadata field whose column is absent is null.

Order: records stream through the corpus passes in id order, so that the record
kept from a set of duplicates is always the one with the smallest id. Each shard
must therefore list its documents in increasing id order (the check names the
file and line that breaks it); shards are merged by id, so how documents are
spread over shards does not matter. Ids are unique across all shards.

Unlike a seeds folder, bulk input may hold byte-identical documents: they are not
refused, the ``dedup_exact`` pass drops every copy after the first, with its reason.
Everything is checked in a first streaming pass (:func:`validate_inputs`) that
collects every problem before any cleaning starts.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import pyarrow as pa
import pyarrow.parquet as pq

from curation.errors import InvalidInput, Problem
from curation.record import Record
from curation.seeds import SIDECAR_SCHEMA

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst")
PARQUET_SUFFIXES = (".parquet",)

# Metadata fields a document may carry, with the sidecar's meaning and rules
# (schema/sidecar.schema.json validates each value).
METADATA_FIELDS = ("title", "source", "date", "url", "license", "languages")

# Ids become record ids (``<id>-<part>``) and appear in the card and the manifest:
# printable, no spaces or slashes, and short enough to read.
INPUT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$")

# A bad shard of a million lines must not print a million problems.
MAX_PROBLEMS = 100

# Rows read from Parquet at a time.
PARQUET_BATCH_ROWS = 1024


@dataclass(frozen=True)
class InputColumns:
    """Which column holds the id, the text and each metadata field."""

    id: str = "id"
    text: str = "text"
    metadata: Mapping[str, str] = field(
        default_factory=lambda: {name: name for name in METADATA_FIELDS}
    )

    @classmethod
    def from_options(cls, id_column: str, text_column: str, mapping: list[str]) -> InputColumns:
        """Columns from the CLI: ``--column FIELD=COLUMN`` renames one metadata field."""
        metadata = {name: name for name in METADATA_FIELDS}
        problems = []
        for item in mapping:
            name, sep, column = item.partition("=")
            if not sep or name not in METADATA_FIELDS or not column:
                problems.append(
                    Problem(
                        f"--column {item}",
                        "expected FIELD=COLUMN with FIELD one of " + ", ".join(METADATA_FIELDS),
                    )
                )
                continue
            metadata[name] = column
        if problems:
            raise InvalidInput(problems)
        return cls(id_column, text_column, metadata)


@dataclass(frozen=True, slots=True)
class InputDocument:
    """One document read from a shard, and where it was (``file:line`` or ``file#row N``)."""

    id: str
    text: str
    metadata: dict[str, Any]
    where: str
    shard: Path


def input_shards(paths: list[Path]) -> list[Path]:
    """The shard files named by ``paths`` (folders expanded, in name order); problems raised."""
    shards: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and _is_shard(p))
            if not found:
                problems.append(Problem(str(path), "no input shards in this folder", _SUFFIX_HINT))
            shards.extend(found)
        elif not path.is_file():
            problems.append(Problem(str(path), "input not found"))
        elif not _is_shard(path):
            problems.append(Problem(str(path), "unknown input format", _SUFFIX_HINT))
        else:
            shards.append(path)
    if problems:
        raise InvalidInput(problems)
    return shards


_SUFFIX_HINT = "input shards end in " + ", ".join(JSONL_SUFFIXES + PARQUET_SUFFIXES)


def _is_shard(path: Path) -> bool:
    return path.name.endswith(JSONL_SUFFIXES + PARQUET_SUFFIXES)


def _open_binary(path: Path) -> io.BufferedIOBase:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rb")
    if path.name.endswith(".zst"):
        return io.BufferedReader(pa.input_stream(str(path), compression="zstd"))
    return path.open("rb")


def _field_validators() -> dict[str, jsonschema.Draft202012Validator]:
    schema = json.loads(SIDECAR_SCHEMA.read_text(encoding="utf-8"))
    return {
        name: jsonschema.Draft202012Validator(schema["properties"][name])
        for name in METADATA_FIELDS
    }


class _ShardReader:
    """Reads one shard into :class:`InputDocument` objects, collecting what is wrong."""

    def __init__(self, path: Path, columns: InputColumns, problems: list[Problem]) -> None:
        self.path = path
        self.columns = columns
        self.problems = problems
        self.validators = _field_validators()

    def documents(self) -> Iterator[InputDocument]:
        if self.path.name.endswith(PARQUET_SUFFIXES):
            rows = self._parquet_rows()
        else:
            rows = self._jsonl_rows()
        previous: InputDocument | None = None
        for where, row in rows:
            document = self._document(where, row)
            if document is None:
                continue
            if previous is not None and document.id <= previous.id:
                self.problems.append(
                    Problem(
                        where,
                        f"id {document.id!r} is not after the previous id {previous.id!r} "
                        f"({previous.where}): a shard lists its documents in increasing id order",
                        'sort the shard by id, e.g. `sort` on a JSONL file of `{"id": ...` '
                        "lines, or pyarrow's `Table.sort_by('id')`",
                    )
                )
                continue
            previous = document
            yield document

    def _jsonl_rows(self) -> Iterator[tuple[str, Any]]:
        try:
            with _open_binary(self.path) as stream:
                for number, line in enumerate(stream, start=1):
                    where = f"{self.path}:{number}"
                    if not line.strip():
                        continue  # a blank line (e.g. at the end) holds no document
                    try:
                        yield where, json.loads(line.decode("utf-8"))
                    except UnicodeDecodeError as error:
                        self.problems.append(Problem(where, f"not valid UTF-8: {error.reason}"))
                    except json.JSONDecodeError as error:
                        self.problems.append(
                            Problem(f"{where}:{error.colno}", f"not valid JSON: {error.msg}")
                        )
        except (OSError, EOFError, pa.ArrowException) as error:
            self.problems.append(Problem(str(self.path), f"cannot be read: {error}"))

    def _parquet_rows(self) -> Iterator[tuple[str, Any]]:
        try:
            parquet = pq.ParquetFile(self.path)
        except (OSError, pa.ArrowException) as error:
            self.problems.append(Problem(str(self.path), f"not a readable Parquet file: {error}"))
            return
        available = set(parquet.schema_arrow.names)
        wanted = [self.columns.id, self.columns.text]
        wanted += [c for c in self.columns.metadata.values() if c not in wanted]
        missing = [c for c in (self.columns.id, self.columns.text) if c not in available]
        if missing:
            self.problems.append(
                Problem(
                    str(self.path),
                    f"no column {', '.join(map(repr, missing))} "
                    f"(columns: {', '.join(sorted(available))})",
                    "name the columns with --id-column and --text-column",
                )
            )
            return
        number = 0
        try:
            for batch in parquet.iter_batches(
                batch_size=PARQUET_BATCH_ROWS, columns=[c for c in wanted if c in available]
            ):
                for row in batch.to_pylist():
                    yield f"{self.path}#row {number}", row
                    number += 1
        except (OSError, pa.ArrowException) as error:
            self.problems.append(Problem(f"{self.path}#row {number}", f"cannot be read: {error}"))

    def _document(self, where: str, row: Any) -> InputDocument | None:
        columns = self.columns
        if not isinstance(row, dict):
            self.problems.append(Problem(where, "not a JSON object"))
            return None
        found = []
        document_id, text = row.get(columns.id), row.get(columns.text)
        if not isinstance(document_id, str) or not INPUT_ID.match(document_id):
            found.append(
                Problem(
                    f"{where}#{columns.id}",
                    f"the id must be a string of letters, digits, '.', '_', ':' or '-' "
                    f"(at most 200, not starting with punctuation); got {document_id!r}",
                    "name the id column with --id-column",
                )
            )
        if not isinstance(text, str):
            found.append(
                Problem(
                    f"{where}#{columns.text}",
                    f"the text must be a string; got {type(text).__name__}",
                    "name the text column with --text-column",
                )
            )
        metadata: dict[str, Any] = {}
        for name, column in columns.metadata.items():
            value = row.get(column)
            for invalid in self.validators[name].iter_errors(value):
                found.append(Problem(f"{where}#{column}", f"{name}: {invalid.message}"))
            metadata[name] = value
        self.problems.extend(found)
        if found:
            return None
        assert isinstance(document_id, str) and isinstance(text, str)
        return InputDocument(document_id, text, metadata, where, self.path)


def _merged(
    shards: list[Path], columns: InputColumns, problems: list[Problem]
) -> Iterator[InputDocument]:
    """Documents of every shard, merged into one stream in id order; a repeated id is a problem."""
    streams = [_ShardReader(path, columns, problems).documents() for path in shards]
    previous: InputDocument | None = None
    for document in heapq.merge(*streams, key=lambda d: d.id):
        if previous is not None and document.id == previous.id:
            problems.append(
                Problem(
                    document.where,
                    f"id {document.id!r} is used again (first at {previous.where})",
                    "ids are unique across all input shards",
                )
            )
            continue
        previous = document
        yield document


def validate_inputs(paths: list[Path], columns: InputColumns) -> list[Path]:
    """Read every shard once and raise :class:`InvalidInput` listing every problem found.

    Returns the shard files; :func:`iter_input_batches` then streams them.
    """
    shards = input_shards(paths)
    problems: list[Problem] = []
    count = 0
    for _document in _merged(shards, columns, problems):
        count += 1
    if not count and not problems:
        problems.append(Problem(" ".join(map(str, paths)), "no documents in the input"))
    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(
                Problem(str(shards[0]), f"... and {len(problems) - MAX_PROBLEMS} more problems")
            )
        raise InvalidInput(shown)
    return shards


def input_record(document: InputDocument) -> Record:
    """The record a document starts as, with a sidecar-like ``declared`` dict."""
    data = document.text.encode("utf-8", "surrogatepass")
    declared: dict[str, object] = {
        "id": document.id,
        "sha256": hashlib.sha256(data).hexdigest(),
        **document.metadata,
        # The file name, not its folder: the same shards give the same bytes anywhere.
        "provenance": f"bulk input {document.shard.name}",
        "contributor": None,
        "date_added": None,
    }
    return Record(
        seed_id=document.id,
        part=0,
        text=document.text,
        declared=declared,
        title=document.metadata.get("title"),
        source=document.metadata.get("source"),
        date=document.metadata.get("date"),
        url=document.metadata.get("url"),
        license=document.metadata.get("license"),
    )


def iter_input_batches(
    shards: list[Path], columns: InputColumns, batch_size: int = 256
) -> Iterator[list[Record]]:
    """Stream already-validated shards as batches of records, in id order."""
    problems: list[Problem] = []
    batch: list[Record] = []
    for document in _merged(shards, columns, problems):
        if problems:  # a shard changed since validation
            raise InvalidInput(problems)
        batch.append(input_record(document))
        if len(batch) == batch_size:
            yield batch
            batch = []
    if problems:
        raise InvalidInput(problems)
    if batch:
        yield batch
