"""The record schema: ``schema/record.schema.json`` is the one source of truth.

From it come the Arrow schema the Parquet files are written with, the
``datasets.Features`` stored in the Parquet metadata and the card, and the
validator the tests check published rows against.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import datasets
import jsonschema
import pyarrow as pa

from curation.paths import SCHEMA_DIR
from curation.record import Record

RECORD_SCHEMA_PATH = SCHEMA_DIR / "record.schema.json"

_ARROW_TYPES = {
    "string": pa.string(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
}


@functools.cache
def record_json_schema() -> dict[str, Any]:
    return json.loads(RECORD_SCHEMA_PATH.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _arrow_type(spec: dict[str, Any]) -> pa.DataType:
    if "x-dtype" in spec:
        return _ARROW_TYPES[spec["x-dtype"]]
    if spec.get("type") == "array":
        return pa.list_(_arrow_type(spec["items"]))
    if spec.get("type") == "object":
        return pa.struct([_arrow_field(name, spec) for name in spec["x-order"]])
    raise ValueError(f"no Arrow type for schema {spec}")


def _arrow_field(name: str, parent: dict[str, Any]) -> pa.Field:
    spec = parent["properties"][name]
    nullable = isinstance(spec.get("type"), list) and "null" in spec["type"]
    return pa.field(name, _arrow_type(spec), nullable=nullable)


@functools.cache
def features() -> datasets.Features:
    """The ``datasets.Features`` of a record, derived from the JSON schema."""
    schema = record_json_schema()
    arrow = pa.schema([_arrow_field(name, schema) for name in schema["x-order"]])
    return datasets.Features.from_arrow_schema(arrow)


def arrow_schema() -> pa.Schema:
    """The Arrow schema, with the ``huggingface`` metadata key that carries the features."""
    return features().arrow_schema


def record_row(record: Record) -> dict[str, Any]:
    """A record as a plain row of the published dataset, in schema order."""
    row = {
        "id": record.id,
        "seed_id": record.seed_id,
        "part": record.part,
        "text": record.text,
        "title": record.title,
        "author": record.author,
        "language": record.language,
        "language_score": record.language_score,
        "language_decided_by": record.language_decided_by,
        "source": record.source,
        "date": record.date,
        "time": record.time,
        "url": record.url,
        "license": record.license,
        "num_chars": len(record.text),
        "provenance": [
            {
                "step": e.step,
                "rule": e.rule,
                "start": e.start,
                "end": e.end,
                "before": e.before,
                "after": e.after,
            }
            for e in record.provenance
        ],
        "warnings": [
            {"step": w.step, "code": w.code, "message": w.message} for w in record.warnings
        ],
    }
    return {name: row[name] for name in record_json_schema()["x-order"]}


@functools.cache
def row_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(record_json_schema())
