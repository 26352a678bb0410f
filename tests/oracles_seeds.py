"""Seed checks that faster ones replaced, kept as they were (at 1ce824c) to check the
new ones against (``tests/test_seeds_fast_paths.py``)."""

from __future__ import annotations

import unicodedata
from typing import Any

from curation.seeds import BIDI_CONTROLS


def sidecar_value_problems(sidecar: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, problem) for each string value holding a control or bidi control character."""
    problems = []
    for field, value in sidecar.items():
        if not isinstance(value, str):
            continue
        for index, character in enumerate(value, start=1):
            if character in BIDI_CONTROLS or unicodedata.category(character) == "Cc":
                name = unicodedata.name(character, "control character")
                problems.append(
                    (
                        field,
                        f"holds U+{ord(character):04X} {name} at character {index}: control "
                        "and bidi control characters are not allowed in sidecar values",
                    )
                )
                break
    return problems
