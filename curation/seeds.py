"""The seeds folder: raw text files and their metadata sidecars.

``seeds/<id>.txt`` is the raw text, byte for byte as submitted; ``seeds/<id>.json``
is its sidecar, validated against ``schema/sidecar.schema.json``. Ids look like
``004_b57d5ccfbe06e458``: a running number, then 16 hex digits.

:func:`validate_seeds` collects every problem in the folder before it reports;
:func:`iter_seed_batches` streams the seeds, in id order, as batches of records.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from curation.errors import InvalidInput, Problem
from curation.paths import SCHEMA_DIR
from curation.record import Record

SEED_ID = re.compile(r"^[0-9]{3,}_[0-9a-f]{16}$")
SIDECAR_SCHEMA = SCHEMA_DIR / "sidecar.schema.json"

# Files a seeds folder may hold besides seeds, e.g. a README for contributors.
# ``.last-id`` holds the highest seed number ever used (curation.contribute.seed_ids).
ALLOWED_EXTRA_FILES = frozenset({"README.md", ".gitkeep", ".last-id"})


@dataclass(frozen=True, slots=True)
class Seed:
    id: str
    text_path: Path
    sidecar_path: Path


def _sidecar_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SIDECAR_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def sidecar_validator() -> jsonschema.Draft202012Validator:
    """A validator for sidecars against ``schema/sidecar.schema.json``."""
    return _sidecar_validator()


def _line_and_column(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def decode_seed_bytes(data: bytes, where: str) -> tuple[str | None, list[Problem]]:
    """Decode a seed's bytes as UTF-8, or say precisely why they are not seed text."""
    if not data.strip():
        return None, [Problem(where, "the file is empty (or only whitespace)")]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            Problem(
                where,
                "the file is UTF-16 (it starts with a UTF-16 byte-order mark); seeds must be UTF-8",
                "re-add it with `curation add-seed`, which converts UTF-16 with a BOM to UTF-8",
            )
        ]
    if b"\x00" in data:
        line, column = _line_and_column(data, data.index(b"\x00"))
        return None, [
            Problem(f"{where}:{line}:{column}", "the file holds NUL bytes: it is binary, not text")
        ]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line, column = _line_and_column(data, error.start)
        bad = data[error.start : error.start + 4].hex(" ")
        return None, [
            Problem(
                f"{where}:{line}:{column}",
                f"not valid UTF-8 (byte offset {error.start}: {bad}): {error.reason}",
                "convert it to UTF-8, e.g. `iconv -f WINDOWS-1251 -t UTF-8`",
            )
        ]


def discover_seeds(seeds_dir: Path) -> tuple[list[Seed], list[Problem]]:
    """Pair text files with sidecars; report strays. Sorted by id, whatever the listing order."""
    problems: list[Problem] = []
    if not seeds_dir.is_dir():
        raise InvalidInput([Problem(str(seeds_dir), "the seeds folder does not exist")])
    texts: dict[str, Path] = {}
    sidecars: dict[str, Path] = {}
    for path in sorted(seeds_dir.iterdir()):
        if path.name in ALLOWED_EXTRA_FILES:
            continue
        kind = {".txt": texts, ".json": sidecars}.get(path.suffix)
        if path.is_symlink():
            problems.append(Problem(str(path), "is a symbolic link; seeds must be regular files"))
        elif not path.is_file():
            problems.append(Problem(str(path), "unexpected folder in the seeds folder"))
        elif kind is None or not SEED_ID.match(path.stem):
            problems.append(
                Problem(
                    str(path),
                    "unknown file: the seeds folder holds only <id>.txt and <id>.json, "
                    "with ids like 005_0123456789abcdef",
                    "add seeds with `curation add-seed PATH`",
                )
            )
        else:
            kind[path.stem] = path
    for seed_id in sorted(texts.keys() - sidecars.keys()):
        problems.append(
            Problem(
                str(texts[seed_id]),
                f"no sidecar: expected {seed_id}.json beside it",
                "`curation add-seed` writes the sidecar",
            )
        )
    for seed_id in sorted(sidecars.keys() - texts.keys()):
        problems.append(
            Problem(str(sidecars[seed_id]), f"sidecar without a seed: no {seed_id}.txt")
        )
    seeds = [Seed(i, texts[i], sidecars[i]) for i in sorted(texts.keys() & sidecars.keys())]
    return seeds, problems


def read_sidecar(
    seed: Seed, validator: jsonschema.Draft202012Validator
) -> tuple[dict[str, Any] | None, list[Problem]]:
    where = str(seed.sidecar_path)
    try:
        sidecar = json.loads(seed.sidecar_path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        return None, [Problem(where, f"not valid UTF-8: {error.reason}")]
    except json.JSONDecodeError as error:
        return None, [
            Problem(f"{where}:{error.lineno}:{error.colno}", f"not valid JSON: {error.msg}")
        ]
    problems = []
    for invalid in sorted(
        validator.iter_errors(sidecar), key=lambda e: list(map(str, e.absolute_path))
    ):
        field_path = "/".join(str(p) for p in invalid.absolute_path)
        problems.append(Problem(f"{where}#{field_path}" if field_path else where, invalid.message))
    if isinstance(sidecar, dict) and sidecar.get("id") not in (None, seed.id):
        problems.append(
            Problem(f"{where}#id", f"id {sidecar['id']!r} does not match the file name {seed.id!r}")
        )
    return (sidecar if not problems else None), problems


def load_seed(
    seed: Seed, validator: jsonschema.Draft202012Validator
) -> tuple[str | None, dict[str, Any] | None, str, list[Problem]]:
    """Read and check one seed: (text, sidecar, sha256 of the raw bytes, problems)."""
    data = seed.text_path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    text, problems = decode_seed_bytes(data, str(seed.text_path))
    sidecar, sidecar_problems = read_sidecar(seed, validator)
    problems += sidecar_problems
    if sidecar is not None and sidecar["sha256"] != digest:
        problems.append(
            Problem(
                f"{seed.sidecar_path}#sha256",
                f"sha256 {sidecar['sha256']} does not match the seed file ({digest}): "
                "the text changed after the sidecar was written",
                "if the change is intended, put the new sha256 in the sidecar",
            )
        )
    return text, sidecar, digest, problems


def duplicate_problem(
    seed: Seed, digest: str, first_with_digest: dict[str, str], hint: str
) -> Problem | None:
    """A problem if an earlier seed has the same bytes; else remember this one's digest."""
    if digest in first_with_digest:
        return Problem(
            str(seed.text_path),
            f"identical content to seed {first_with_digest[digest]}: duplicate seed",
            hint,
        )
    first_with_digest[digest] = seed.id
    return None


def validate_seeds(seeds_dir: Path) -> list[Seed]:
    """Check the whole folder and raise :class:`InvalidInput` listing every problem."""
    seeds, problems = discover_seeds(seeds_dir)
    validator = _sidecar_validator()
    first_with_digest: dict[str, str] = {}
    for seed in seeds:
        _text, _sidecar, digest, seed_problems = load_seed(seed, validator)
        problems += seed_problems
        duplicate = duplicate_problem(
            seed, digest, first_with_digest, "remove one of the two files and its sidecar"
        )
        if duplicate:
            problems.append(duplicate)
    if not seeds and not problems:
        problems.append(Problem(str(seeds_dir), "no seeds: the folder holds no <id>.txt files"))
    if problems:
        raise InvalidInput(problems)
    return seeds


def seed_record(seed: Seed, text: str, sidecar: dict[str, Any]) -> Record:
    """The record a seed starts as, before any step. Part 0 until a split says otherwise."""
    return Record(
        seed_id=seed.id,
        part=0,
        text=text,
        declared=sidecar,
        title=sidecar["title"],
        source=sidecar["source"],
        date=sidecar["date"],
        url=sidecar["url"],
        license=sidecar["license"],
    )


def iter_seed_batches(seeds: list[Seed], batch_size: int = 256) -> Iterator[list[Record]]:
    """Stream already-validated seeds as batches of records, in id order."""
    validator = _sidecar_validator()
    batch: list[Record] = []
    for seed in seeds:
        text, sidecar, _digest, problems = load_seed(seed, validator)
        if problems or text is None or sidecar is None:  # changed since validation
            raise InvalidInput(problems or [Problem(str(seed.text_path), "could not be read")])
        batch.append(seed_record(seed, text, sidecar))
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch
