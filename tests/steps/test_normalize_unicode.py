"""normalize_unicode: data-driven cases (tests/steps/cases/normalize_unicode.json) and its rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curation.record import Record, replay
from curation.rules import load_rules
from curation.steps import normalize_unicode

CASES = json.loads(
    (Path(__file__).parent / "cases" / "normalize_unicode.json").read_text(encoding="utf-8")
)
RULES = load_rules()


def run(text: str) -> Record:
    (record,) = normalize_unicode.STEP.run(Record("000_0000000000000000", 0, text), RULES)
    return record


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_case(case: dict[str, str]) -> None:
    record = run(case["input"])
    assert record.text == case["expected"], case["comment"]
    assert replay(case["input"], record.provenance) == record.text
    if case["kind"] == "negative":
        assert record.provenance == ()


def test_rules_are_named_for_what_they_did() -> None:
    record = run("SchÃ¶n\r\nx\u00a0 y ")
    rules = {e.rule for e in record.provenance}
    assert any(rule.startswith("ftfy_") for rule in rules)
    assert {"line_end", "space_character", "repeated_spaces", "document_end"} <= rules
    passes = {name for name, _ in normalize_unicode.PASSES}
    assert {e.step.split("/")[1].split(".")[0] for e in record.provenance} <= passes
    assert {e.step.split("/")[0] for e in record.provenance} == {normalize_unicode.STEP_ID}


def test_ftfy_configuration_is_fully_explicit() -> None:
    """An ftfy upgrade that changes a default must not change our output silently."""
    config = normalize_unicode.FTFY_CONFIG
    assert config.fix_character_width is False
    assert config.uncurl_quotes is False
    assert config.normalization is None
