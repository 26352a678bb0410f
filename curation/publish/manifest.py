"""``dist/manifest.json``: exactly what made this dataset.

Dataset and tool versions, every step's id, the digest of every rules file, the
versions of the libraries that decide the output, the language-id model's file and
sha256, the sha256 of every seed read (published or not), each published
file's sha256 and size, and the records content hash (independent of the Parquet
encoding, so a pyarrow upgrade can be told apart from a change of data).
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Any

from curation.errors import DamagedMetadata, Problem
from curation.publish.checksums import file_sha256
from curation.publish.summary import BuildSummary

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1


def language_model() -> dict[str, str]:
    """py3langid's model file: its version pins it, its sha256 proves which bytes were used."""
    try:
        from py3langid.langid import MODEL_FILE

        model = resources.files("py3langid").joinpath(MODEL_FILE)
        digest = hashlib.sha256(model.read_bytes()).hexdigest()
    except (ImportError, OSError):
        return {"library": "py3langid", "file": "not installed", "sha256": ""}
    return {
        "library": "py3langid",
        "version": version("py3langid"),
        "file": f"py3langid/{MODEL_FILE}",
        "sha256": digest,
    }


def manifest(summary: BuildSummary, root: Path, files: list[Path]) -> dict[str, Any]:
    seeds_published = (summary.seed_ids, summary.seed_sha256)
    return {
        "format": MANIFEST_FORMAT,
        "dataset": {"name": summary.dataset.name, "version": summary.dataset.version},
        "tool_version": summary.libraries.get("curation", "unknown"),
        "steps": summary.steps,
        "rules": summary.rules,
        "libraries": summary.libraries,
        "language_model": language_model(),
        "seeds": dict(zip(*(summary.input_seeds or seeds_published), strict=True)),
        "records": {
            "count": summary.num_examples,
            "content_sha256": summary.content_sha256,
            "by_language": {c.language: c.num_examples for c in summary.configs},
        },
        "files": {
            rel.as_posix(): {"sha256": file_sha256(root / rel), "size": (root / rel).stat().st_size}
            for rel in sorted(files, key=lambda p: p.as_posix())
        },
        "duplicates_dropped": [{"dropped": d, "kept": k} for d, k in summary.duplicates],
        "near_duplicates_dropped": [
            {"dropped": d, "kept": k, "similarity": s} for d, k, s in summary.near_duplicates
        ],
    }


def write_manifest(summary: BuildSummary, root: Path, files: list[Path]) -> Path:
    target = root / MANIFEST_NAME
    # Written as it is encoded: with an indent, json builds the text from a list of
    # small strings, some five per seed (30 MiB at 100,000 seeds), then joins them.
    with target.open("w", encoding="utf-8", newline="\n") as file:
        json.dump(
            manifest(summary, root, files), file, ensure_ascii=False, indent=2, sort_keys=True
        )
        file.write("\n")
    return target


def read_manifest(root: Path) -> dict[str, Any]:
    """The manifest of the dataset in ``root``; :class:`DamagedMetadata` if it cannot be read."""
    path = root / MANIFEST_NAME
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as error:
        line = path.read_bytes().count(b"\n", 0, error.start) + 1
        raise DamagedMetadata([Problem(f"{path}:{line}", f"not UTF-8: {error.reason}")]) from None
    except json.JSONDecodeError as error:
        raise DamagedMetadata(
            [Problem(f"{path}:{error.lineno}:{error.colno}", f"not valid JSON: {error.msg}")]
        ) from None
    if not isinstance(manifest, dict):
        raise DamagedMetadata([Problem(str(path), "not a JSON object")])
    return manifest
