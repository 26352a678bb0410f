"""Rules are data: patterns, word lists, month names and thresholds live in TOML files.

Each file in ``curation/rules/`` is validated against ``schema/rules/<name>.schema.json``
and loaded into a :class:`RulesFile`, which is hashable so steps can cache what they
compile from it. The sha256 of every file goes into the dataset manifest and card, so
a published dataset says exactly which rules made it.

A contributor adds a boilerplate line or a month name by editing TOML in a pull
request; no Python changes.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

import jsonschema

from curation import patterns
from curation.errors import InvalidInput, Problem
from curation.paths import RULES_DIR, SCHEMA_DIR

# Rules files are validated with one keyword more than JSON Schema has:
# "linearTime": true marks a string that is a regex searched in seed text, which must
# run in time linear in that text (see curation.patterns); "linearTime": "window", one
# that is only ever searched in windows of bounded length (limits.window_chars).


def _linear_time(
    validator: Any, marked: bool | str, instance: Any, schema: Mapping[str, Any]
) -> Iterator[jsonschema.ValidationError]:
    del validator, schema
    if marked is False or not isinstance(instance, str):
        return
    # Any window length will do: what is checked is that none is needed to be unbounded.
    max_input = 1 if marked == "window" else None
    reason = patterns.why_unbounded(instance, max_input=max_input)
    if reason is not None:
        # Drop the "pattern '...': " prefix: the problem already names the field.
        yield jsonschema.ValidationError(
            "this regex cannot run in time linear in the text: " + reason.split(": ", 1)[-1]
        )


_Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, {"linearTime": _linear_time}
)


@dataclass(frozen=True, slots=True)
class RulesFile:
    """One parsed rules file. Equality and hashing go by name and content digest."""

    name: str
    sha256: str
    data: Mapping[str, Any] = field(compare=False, hash=False)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Every rules file, by name (the file name without ``.toml``)."""

    files: Mapping[str, RulesFile]

    def __getitem__(self, name: str) -> RulesFile:
        return self.files[name]

    def __iter__(self) -> Iterator[RulesFile]:
        return iter(self.files[name] for name in sorted(self.files))

    @property
    def digests(self) -> dict[str, str]:
        return {f"{name}.toml": self.files[name].sha256 for name in sorted(self.files)}


class ValidDigests(Protocol):
    """Digests of inputs known to pass their checks, and a way to note more (the record
    cache keeps them between builds: :class:`curation.cache.ValidDigestMemo`)."""

    def __contains__(self, digest: object) -> bool: ...

    def add(self, digest: str) -> None: ...


def checked_digest(name: str, sha256: str, schema: bytes) -> str:
    """What decides whether a rules file passes its checks: its name, the sha256 of its
    bytes and its schema's bytes (the code that checks it names the memo's file).

    >>> checked_digest("dedup", "00", b"{}") == checked_digest("dedup", "00", b"{}")
    True
    >>> checked_digest("dedup", "00", b"{}") == checked_digest("dedup", "01", b"{}")
    False
    """
    digest = hashlib.sha256(f"{name}\0{sha256}\0".encode())
    digest.update(hashlib.sha256(schema).digest())
    return digest.hexdigest()


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def load_rules(
    rules_dir: Path = RULES_DIR,
    schema_dir: Path = SCHEMA_DIR / "rules",
    valid: ValidDigests | None = None,
) -> RuleSet:
    """Read and validate every ``*.toml`` in ``rules_dir``; report all problems at once.

    ``valid``, if given, holds the :func:`checked_digest` of rules files an earlier
    build found valid: they are read but not checked again (the schema and the
    linear-time check of every regex cost a tenth of a second, each build), and it is
    told of each file found valid now."""
    problems: list[Problem] = []
    files: dict[str, RulesFile] = {}
    for path in sorted(rules_dir.glob("*.toml")):
        raw = path.read_bytes()
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            problems.append(Problem(str(path), f"not valid TOML: {error}"))
            continue
        schema_path = schema_dir / f"{path.stem}.schema.json"
        if not schema_path.is_file():
            problems.append(
                Problem(str(path), f"no schema for this rules file (expected {schema_path})")
            )
            continue
        schema_bytes = schema_path.read_bytes()
        sha256 = hashlib.sha256(raw).hexdigest()
        checked = checked_digest(path.stem, sha256, schema_bytes)
        if valid is None or checked not in valid:
            validator = _Validator(json.loads(schema_bytes.decode("utf-8")))
            errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
            for invalid in errors:
                location = "/".join(str(part) for part in invalid.absolute_path) or "(top level)"
                problems.append(Problem(f"{path}#{location}", invalid.message))
            if errors:
                continue
        if valid is not None:
            valid.add(checked)
        files[path.stem] = RulesFile(path.stem, sha256, _freeze(data))
    if problems:
        raise InvalidInput(problems)
    return RuleSet(MappingProxyType(files))
