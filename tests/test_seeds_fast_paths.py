"""The fast paths of validating a seed's sidecar answer as the slow ones did.

The fast schema check (``seeds._surely_valid``) passes only what jsonschema passes, and
passes the sidecars seeds usually have (else it would save nothing); the value check
finds what the character loop it skips found (``tests/oracles_seeds.py``)."""

from __future__ import annotations

import copy
import hashlib
import json
import random
import sys
import unicodedata
from typing import Any

import pytest

from curation import seeds
from curation.seeds import SIDECAR_SCHEMA, sidecar_validator
from tests import oracles_seeds
from tests.test_build import SEEDS

VALIDATOR = sidecar_validator()

VALID: dict[str, Any] = {
    "id": "0000012_28aad851b5c6fc96",
    "sha256": "28aad851b5c6fc961dd36bd875c16993b734d671e2d3eec140816b6560df3397",
    "languages": ["ru", "en"],
    "source": "Новая газета",
    "date": "2024-03-01",
    "url": "https://example.org/a/b?c=d#e",
    "title": "日本語の見出し",
    "license": "CC BY 4.0",
    "provenance": None,
    "contributor": "مساهم",
    "date_added": "2026-01-01",
}

# Values in several scripts and shapes, some that the schema accepts and some not.
TEXTS = [
    "",
    " ",
    "x",
    "Ünïcode",
    "Кириллица",
    "中文标题",
    "العربية",
    "हिन्दी",
    "line\n",
    "\n",
    "2024-03-01",
    "2024-03-01\n",
    "２０２４-０３-０１",
    "٢٠٢٤-٠٣-٠١",
    "2024-3-01",
    "20240-03-01",
    "2024/03/01",
    "http://x",
    "https://",
    "http://",
    "https://example.org/путь",
    "https://example.org/a b",
    "https://example.org/a\u00a0b",
    "https://example.org/a\n",
    "ftp://example.org",
    "HTTPS://example.org",
    "en",
    "EN",
    "e",
    "eng",
    "ру",
    "28aad851b5c6fc96",
    "0000012_28aad851b5c6fc96",
    "012_28aad851b5c6fc96",
    "12_28aad851b5c6fc96",
    "0000012_28AAD851B5C6FC96",
    "0000012_28aad851b5c6fc96\n",
    "0000012_28aad851b5c6fc9",
    "0000012__28aad851b5c6fc96",
    "٠١٢_28aad851b5c6fc96",
    "a" * 64,
    "A" * 64,
    "a" * 63,
    "a" * 64 + "\n",
    "g" * 64,
]
OTHERS: list[Any] = [
    None,
    0,
    1.5,
    True,
    [],
    ["en"],
    ["en", "en"],
    ["en", "ru", "zh"],
    ["EN"],
    ["en", None],
    ["en", 1],
    ["e"],
    [["en"]],
    {},
    {"en": 1},
]


def made_up_sidecars() -> list[Any]:
    """The valid sidecar, each field set to every value above, fields dropped and added,
    and random mixtures of all of it."""
    found: list[Any] = [VALID, [], None, "{}", {}]
    for field in VALID:
        for value in TEXTS + OTHERS:
            changed = copy.deepcopy(VALID)
            changed[field] = value
            found.append(changed)
        dropped = dict(VALID)
        del dropped[field]
        found.append(dropped)
    found.append({**VALID, "extra": None})
    pick = random.Random(9)
    for _ in range(3000):
        mixed = copy.deepcopy(VALID)
        for field in pick.sample(sorted(VALID), pick.randint(1, 4)):
            mixed[field] = copy.deepcopy(pick.choice(TEXTS + OTHERS))
        found.append(mixed)
    return found


def test_the_fast_check_was_written_for_this_schema() -> None:
    """If this fails, the sidecar schema changed: make seeds._surely_valid pass only what
    the new schema passes (test below), then put the new sha256 in CHECKED_SCHEMA_SHA256."""
    assert hashlib.sha256(SIDECAR_SCHEMA.read_bytes()).hexdigest() == seeds.CHECKED_SCHEMA_SHA256
    assert seeds._checked_schema() == VALIDATOR.schema


def test_what_the_fast_check_passes_jsonschema_passes() -> None:
    passed = 0
    for sidecar in made_up_sidecars():
        if seeds._surely_valid(sidecar):
            passed += 1
            assert list(VALIDATOR.iter_errors(sidecar)) == [], sidecar
    assert passed > 100  # not a check that passes nothing


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.json")), ids=lambda p: p.stem)
def test_the_repositorys_sidecars_pass_the_fast_check(path: Any) -> None:
    sidecar = json.loads(path.read_text(encoding="utf-8"))
    assert seeds._surely_valid(sidecar)
    assert seeds._schema_problems(sidecar, VALIDATOR, str(path)) == []


def test_a_sidecar_the_fast_check_refuses_gets_jsonschemas_problems() -> None:
    wrong = {**VALID, "languages": ["EN"], "url": "ftp://example.org"}
    problems = seeds._schema_problems(wrong, VALIDATOR, "x.json")
    assert [p.where for p in problems] == ["x.json#languages/0", "x.json#url"]


def test_the_control_characters_are_those_of_category_cc() -> None:
    every = (chr(code) for code in range(sys.maxunicode + 1))
    assert frozenset(c for c in every if unicodedata.category(c) == "Cc") == seeds.CONTROLS


def test_value_problems_are_found_as_the_character_loop_found_them() -> None:
    pick = random.Random(3)
    alphabet = [
        *"aZ09 -_./:",
        *"éßøĳ",
        *"Кириллица",
        *"中文標題",
        *"العربية",
        *"हिन्दी",
        *"\t\n\r\x00\x1f\x7f\x80\x9f\xa0\xad",
        *seeds.BIDI_CONTROLS,
        "\u200e",
        "\u200f",
        "\u061c",
        "\u2028",
        "\ufeff",
        "\U0001f600",
        "\udcff",
    ]
    for sidecar in made_up_sidecars()[:400]:
        if not isinstance(sidecar, dict):
            continue
        for field in sidecar:
            if pick.random() < 0.5:
                length = pick.randint(0, 12)
                sidecar[field] = "".join(pick.choice(alphabet) for _ in range(length))
        found = seeds.sidecar_value_problems(sidecar)
        assert found == oracles_seeds.sidecar_value_problems(sidecar), sidecar
