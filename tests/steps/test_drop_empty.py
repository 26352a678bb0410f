"""drop_empty: a record cleaning left empty is dropped with a reason, anything else kept."""

from __future__ import annotations

import pytest

from curation.record import Record
from curation.rules import load_rules
from curation.steps import PIPELINE, drop_empty
from curation.steps.base import Drop

RULES = load_rules()


@pytest.mark.parametrize("text", ["", " ", "\n\n"])
def test_empty_is_dropped_with_reason(text: str) -> None:
    result = drop_empty.STEP.run(Record("000_0000000000000000", 0, text), RULES)
    assert isinstance(result, Drop)
    assert result.reason == "empty_after_cleaning"


def test_text_is_kept() -> None:
    record = Record("000_0000000000000000", 0, "x")
    assert drop_empty.STEP.run(record, RULES) == (record,)


def test_runs_last() -> None:
    assert PIPELINE[-1] is drop_empty.STEP
