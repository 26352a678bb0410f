"""The record schema: ``schema/record.schema.json`` is the one source of truth.

From it come the Arrow schema the Parquet files are written with, the
``datasets.Features`` stored in the Parquet metadata and the card, and the
validator the tests check published rows against.

The features are written here as the JSON and YAML that ``datasets`` would write
(:func:`features_json`, :func:`features_yaml_list`; a test compares them with
``datasets.Features``), so that a build never imports ``datasets``: with pandas
it costs some 130 MiB in every process of the build, and a forked worker counts
it again.
"""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any

import jsonschema
import pyarrow as pa

from curation.paths import SCHEMA_DIR
from curation.record import Record

if TYPE_CHECKING:  # imported by features() only: a build does without it
    import datasets

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
    # Every field nullable, as datasets makes the Arrow type of its features: the
    # Parquet files have always been written with that schema.
    if "x-dtype" in spec:
        return _ARROW_TYPES[spec["x-dtype"]]
    if spec.get("type") == "array":
        return pa.list_(_arrow_type(spec["items"]))
    if spec.get("type") == "object":
        return pa.struct(
            [pa.field(name, _arrow_type(spec["properties"][name])) for name in spec["x-order"]]
        )
    raise ValueError(f"no Arrow type for schema {spec}")


def _feature(spec: dict[str, Any]) -> dict[str, Any]:
    """One feature as ``datasets.Features.to_dict`` writes it: a Value, a List or a dict."""
    if "x-dtype" in spec:
        return {"dtype": spec["x-dtype"], "_type": "Value"}
    if spec.get("type") == "array":
        return {"feature": _feature(spec["items"]), "_type": "List"}
    if spec.get("type") == "object":
        return {name: _feature(spec["properties"][name]) for name in spec["x-order"]}
    raise ValueError(f"no feature for schema {spec}")


def features_json() -> dict[str, Any]:
    """The features of a record as ``datasets.Features.to_dict()`` gives them."""
    schema = record_json_schema()
    return {name: _feature(schema["properties"][name]) for name in schema["x-order"]}


def _yaml_entry(name: str, spec: dict[str, Any]) -> dict[str, Any]:
    if "x-dtype" in spec:
        return {"name": name, "dtype": spec["x-dtype"]}
    items = spec.get("items", {})
    if spec.get("type") == "array" and items.get("type") == "object":
        return {"name": name, "list": _yaml_list(items)}
    if spec.get("type") == "array":
        return {"name": name, "list": _yaml_entry(name, items)["dtype"]}
    if spec.get("type") == "object":
        return {"name": name, "struct": _yaml_list(spec)}
    raise ValueError(f"no feature for schema {spec}")


def _yaml_list(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [_yaml_entry(name, spec["properties"][name]) for name in spec["x-order"]]


def features_yaml_list() -> list[dict[str, Any]]:
    """The features as the card's ``dataset_info`` lists them (``Features._to_yaml_list()``)."""
    return _yaml_list(record_json_schema())


def features() -> datasets.Features:
    """The ``datasets.Features`` of a record (imports ``datasets``: for tests and callers
    that load the dataset, never the build)."""
    import datasets

    return datasets.Features.from_dict(features_json())


def arrow_schema() -> pa.Schema:
    """The Arrow schema, with the ``huggingface`` metadata key that carries the features."""
    schema = record_json_schema()
    arrow = pa.schema(
        [pa.field(name, _arrow_type(schema["properties"][name])) for name in schema["x-order"]]
    )
    # datasets writes this key with json.dumps' default separators (", ", ": ").
    metadata = json.dumps({"info": {"features": features_json()}})
    return arrow.with_metadata({"huggingface": metadata})


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
