"""Every step of the pipeline finishes on hostile text: long runs, no spaces, deep nesting.

The inputs are the shapes that make a backtracking regex or a nested loop blow up
(runs of any one character the rules mention, lines without a space, brackets and
quotes nested deep), at a small size. Whether a step is linear is measured by
``nox -s bench`` (its adversarial corpus), never by a timed test; here each step
must return a well-formed result (tests/test_patterns.py checks that the steps
compile their patterns through curation.patterns, which refuses unbounded ones).

The steps are taken from ``PIPELINE`` and the characters from the rules files, so
a step or a rule merged later is covered without editing this file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation.record import Record, replay
from curation.rules import RuleSet, load_rules
from curation.steps import PIPELINE
from curation.steps.base import Drop, Step

pytestmark = pytest.mark.property

RULES: RuleSet = load_rules()


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, Sequence):
        for item in value:
            yield from _strings(item)


# Every character any rules file mentions (marks, brackets, quotes, letters of the
# listed phrases), plus the whitespace and ASCII the rules do not spell out.
RULE_CHARACTERS = sorted(
    {c for rules_file in RULES for text in _strings(rules_file.data) for c in text}
    | set(" \n\t\N{NO-BREAK SPACE}-.aA1")
)
OPENERS, CLOSERS = "([{（【「『《〈«“‘\"'", ")]}）】」』》〉»”’\"'"

character = st.sampled_from(RULE_CHARACTERS)
# A run of one character, or of a short unit ("a.", ". ", "数 "), repeated.
run = st.builds(
    lambda unit, count: unit * count,
    st.text(character, min_size=1, max_size=3),
    st.integers(min_value=1, max_value=600),
)
nesting = st.builds(
    lambda depth, kind, middle: OPENERS[kind] * depth + middle + CLOSERS[kind] * depth,
    st.integers(min_value=1, max_value=300),
    st.integers(min_value=0, max_value=len(OPENERS) - 1),
    st.text(character, max_size=5),
)
# A long line without spaces: words of rule characters glued together.
unspaced = st.lists(st.text(character, min_size=1, max_size=8), max_size=200).map("".join)
HOSTILE = st.lists(st.one_of(run, nesting, unspaced), min_size=1, max_size=4).map("".join)
LANGUAGES = st.sampled_from([None, ["en"], ["zh"], ["ar"], ["de", "en"]])


def _record(text: str, languages: list[str] | None) -> Record:
    return Record("000_0000000000000000", 0, text, declared={"languages": languages})


def _check_output(step: Step, record: Record, result: object) -> list[Record]:
    if isinstance(result, Drop):
        assert result.reason
        return []
    assert isinstance(result, tuple | list)
    records = list(result)
    for out in records:
        assert isinstance(out, Record)
        assert isinstance(out.text, str)
    return records


@pytest.mark.parametrize("step", PIPELINE, ids=lambda step: step.name)
@settings(max_examples=40, deadline=None)
@given(text=HOSTILE, languages=LANGUAGES)
def test_every_step_finishes_on_hostile_text(
    step: Step, text: str, languages: list[str] | None
) -> None:
    record = _record(text, languages)
    records = _check_output(step, record, step.run(record, RULES))
    if len(records) == 1:
        assert replay(text, records[0].provenance) == records[0].text


@settings(max_examples=40, deadline=None)
@given(text=HOSTILE, languages=LANGUAGES)
def test_the_whole_pipeline_finishes_on_hostile_text(
    text: str, languages: list[str] | None
) -> None:
    records = [_record(text, languages)]
    for step in PIPELINE:
        records = [
            out
            for record in records
            for out in _check_output(step, record, step.run(record, RULES))
        ]
