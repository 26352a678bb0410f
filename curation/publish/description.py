"""What a dataset is, in its maintainers' words: ``dataset.toml``, read for the card.

The data card and ``croissant.json`` say two kinds of things. What describes *this*
corpus in words (its subject, why it exists, what it is for and not for, its known
biases, what the maintainers say about its license) is the maintainers' text, kept
in ``dataset.toml`` beside ``pyproject.toml`` and edited there. What the build can
compute (sizes, languages, sources, licenses, counts, schema, checksums) the build
writes. No sentence about a corpus lives in the code, so a card cannot go on saying
something that stopped being true when the corpus changed.
"""

from __future__ import annotations

import functools
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

import jsonschema

from curation.errors import InvalidInput, Problem
from curation.paths import SCHEMA_DIR

DESCRIPTION_SCHEMA_PATH = SCHEMA_DIR / "dataset.schema.json"
LICENSES_PATH = Path(__file__).with_name("licenses.toml")


@dataclass(frozen=True)
class DatasetDescription:
    """``dataset.toml``, validated. Every text is Markdown written by the maintainers."""

    summary: str
    motivation: str | None
    intended_uses: tuple[str, ...]
    out_of_scope_uses: tuple[str, ...]
    limitations: tuple[str, ...]
    license_note: str | None
    task_categories: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def plain_summary(self) -> str:
        """The summary on one line (Croissant's ``description``)."""
        return " ".join(self.summary.split())


def load_description(path: Path) -> DatasetDescription:
    """Read and validate ``path``; every problem is reported with its field."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(
            [
                Problem(
                    str(path),
                    "not found: the data card's description of the corpus lives there",
                    "copy dataset.toml from the curation repository and write your corpus's "
                    "summary, uses and limitations into it",
                )
            ]
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InvalidInput([Problem(str(path), f"not valid TOML: {error}")]) from None
    validator = jsonschema.Draft202012Validator(
        json.loads(DESCRIPTION_SCHEMA_PATH.read_text(encoding="utf-8"))
    )
    problems = [
        Problem(f"{path}#{'.'.join(str(p) for p in error.absolute_path) or '(top)'}", error.message)
        for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))
    ]
    if problems:
        raise InvalidInput(problems)

    def text(name: str) -> str | None:
        value = data.get(name)
        return value.strip() if isinstance(value, str) else None

    return DatasetDescription(
        summary=data["summary"].strip(),
        motivation=text("motivation"),
        intended_uses=tuple(data["intended_uses"]),
        out_of_scope_uses=tuple(data["out_of_scope_uses"]),
        limitations=tuple(data["limitations"]),
        license_note=text("license_note"),
        task_categories=tuple(data["task_categories"]),
        tags=tuple(data["tags"]),
    )


@functools.lru_cache(maxsize=1)
def _hub_licenses() -> tuple[frozenset[str], dict[str, str]]:
    data = tomllib.loads(LICENSES_PATH.read_text(encoding="utf-8"))
    return frozenset(data["hub_ids"]), dict(data["aliases"])


def hub_license_id(statement: str | None) -> str | None:
    """The Hub's id for a sidecar's license statement, or None when it names none.

    >>> hub_license_id("CC BY 4.0"), hub_license_id("cc0"), hub_license_id("all rights reserved")
    ('cc-by-4.0', 'cc0-1.0', None)
    """
    if not statement:
        return None
    ids, aliases = _hub_licenses()
    key = "-".join(statement.strip().lower().replace("_", " ").split())
    key = aliases.get(key, key)
    return key if key in ids else None
