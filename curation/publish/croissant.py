"""``dist/croissant.json``: the dataset described in MLCommons Croissant 1.1 (JSON-LD).

Croissant lets tools that are not ``datasets`` find the files, their checksums and
the fields: every Parquet file is a ``FileObject`` with its sha256 and size; one
``FileSet`` per config gathers a config's files; the ``default`` record set reads
every record through the ``FileSet`` of all files, and each field names the Parquet
column it comes from. Nested columns (``provenance``, ``warnings``) are repeated
fields whose sub-fields pick one key of each element.

``mlcroissant validate`` does not check what the words say; the tests do: the name,
version, license and citation here are the card's.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from curation.publish.card import citation_bibtex, dataset_url
from curation.publish.checksums import file_sha256
from curation.publish.description import hub_license_id
from curation.publish.summary import BuildSummary
from curation.release.changelog import release_date
from curation.schema import record_json_schema

CROISSANT_NAME = "croissant.json"
CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
PARQUET = "application/x-parquet"
RECORD_SET = "default"  # the Hub's name for the config that holds every record
ALL_FILES = "parquet-files"

# The @context of Croissant 1.1 as mlcroissant writes it: tools compare it key by
# key and warn about any difference.
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

# x-dtype of record.schema.json → Croissant data type.
DATA_TYPES = {
    "string": "sc:Text",
    "int32": "sc:Integer",
    "int64": "sc:Integer",
    "float64": "sc:Float",
    "bool": "sc:Boolean",
}


def licenses(summary: BuildSummary) -> list[dict[str, Any]]:
    """One entry per license statement the sidecars make, with its record count.

    The same facts as the card's License section, and the maintainers' note after them.
    """
    entries: list[dict[str, Any]] = []
    for statement, count in sorted(summary.licenses.items(), key=lambda kv: (-kv[1], kv[0])):
        entry: dict[str, Any] = {
            "@type": "sc:CreativeWork",
            # A sidecar's words: no markup survives into a page that renders this.
            "name": html.escape(" ".join(statement.split()), quote=False) or "No license stated",
            "description": f"{count} record(s); their `license` field holds the statement.",
        }
        hub_id = hub_license_id(statement)
        if hub_id:
            entry["identifier"] = hub_id
        entries.append(entry)
    note = summary.description.license_note if summary.description else None
    if note:
        entries.append(
            {
                "@type": "sc:CreativeWork",
                "name": "Maintainers' note",
                "description": " ".join(note.split()),
            }
        )
    return entries


def _field(record_set: str, name: str, spec: dict[str, Any], file_set: str) -> dict[str, Any]:
    field_id = f"{record_set}/{name}"
    field: dict[str, Any] = {"@type": "cr:Field", "@id": field_id, "name": name}
    if spec.get("description"):
        field["description"] = spec["description"]
    source = {"fileSet": {"@id": file_set}, "extract": {"column": name}}
    if spec.get("type") == "array":
        items = spec["items"]
        field["isArray"] = True
        field["subField"] = [
            {
                "@type": "cr:Field",
                "@id": f"{field_id}/{key}",
                "name": key,
                "dataType": DATA_TYPES[items["properties"][key]["x-dtype"]],
                "source": {**source, "transform": {"jsonPath": key}},
            }
            for key in items["x-order"]
        ]
        return field
    field["dataType"] = DATA_TYPES[spec["x-dtype"]]
    field["source"] = source
    return field


def croissant(summary: BuildSummary, root: Path, changelog: Path | None) -> dict[str, Any]:
    """The Croissant document of the dataset built in ``root``."""
    dataset = summary.dataset
    files: list[dict[str, Any]] = []
    file_sets: list[dict[str, Any]] = []
    for config in summary.configs:
        for name in config.files:
            path = root / name
            files.append(
                {
                    "@type": "cr:FileObject",
                    "@id": name,
                    "name": name,
                    "contentUrl": name,
                    "encodingFormat": PARQUET,
                    "contentSize": f"{path.stat().st_size} B",
                    "sha256": file_sha256(path),
                }
            )
        file_sets.append(
            {
                "@type": "cr:FileSet",
                "@id": f"parquet-files-{config.language}",
                "name": f"parquet-files-{config.language}",
                "description": f"The Parquet files of config {config.language}.",
                "encodingFormat": PARQUET,
                "includes": f"data/{config.language}/*.parquet",
            }
        )
    file_sets.insert(
        0,
        {
            "@type": "cr:FileSet",
            "@id": ALL_FILES,
            "name": ALL_FILES,
            "description": "Every Parquet file: the default config.",
            "encodingFormat": PARQUET,
            "includes": "data/*/*.parquet",
        },
    )
    schema = record_json_schema()
    fields = [
        _field(RECORD_SET, name, schema["properties"][name], ALL_FILES)
        for name in schema["x-order"]
    ]
    changelog_text = (
        changelog.read_text(encoding="utf-8") if changelog and changelog.is_file() else None
    )
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": dataset.name,
        "alternateName": dataset.pretty_name,
        "description": (
            (summary.description.plain_summary + " " if summary.description else "")
            + "Every record keeps the list of changes each cleaning step made (provenance)."
        ),
        "version": dataset.version,
        "license": licenses(summary),
        "citeAs": citation_bibtex(dataset, changelog_text),
        "creator": [{"@type": "sc:Organization", "name": a} for a in dataset.citation_authors],
        "inLanguage": [c.language for c in summary.configs if c.language != "und"],
        "keywords": list(summary.description.tags) if summary.description else [],
    }
    published = release_date(changelog_text, dataset.version)
    if published:  # only a released version has a date; the build never reads the clock
        document["datePublished"] = published
    url = dataset_url(dataset)
    if url:
        document["url"] = url
    document["distribution"] = files + file_sets
    document["recordSet"] = [
        {
            "@type": "cr:RecordSet",
            "@id": RECORD_SET,
            "name": RECORD_SET,
            "description": "Every record, in id order within each config.",
            "key": {"@id": f"{RECORD_SET}/id"},
            "field": fields,
        }
    ]
    return document


def write_croissant(summary: BuildSummary, root: Path, changelog: Path | None) -> Path:
    target = root / CROISSANT_NAME
    text = json.dumps(croissant(summary, root, changelog), ensure_ascii=False, indent=2)
    target.write_text(text + "\n", encoding="utf-8", newline="\n")
    return target
