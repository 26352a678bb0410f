"""The step contract for repair_layout, on arbitrary and on realistic-looking text.

Total (never raises), idempotent (its output is a fixed point), its provenance replays,
its output is in the paragraph format every later step relies on, and it records
only rule names it declares.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation.record import Record, replay
from curation.rules import RuleSet, load_rules
from curation.steps import repair_layout

pytestmark = pytest.mark.property

RULES: RuleSet = load_rules()
KNOWN_RULES = {rule for names in repair_layout.RULE_NAMES.values() for rule in names}

# Text without lone surrogates: the contract excludes them.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)

# Pieces of the layouts the step repairs, in the scripts it meets, so that examples
# reach the hyphen, wrap, CJK and sentence-spacing code, not only the early exits.
PIECES = st.sampled_from(
    [
        "word", "Word", "the", "economy", "раз", "личных", "Китай", "Ки", "тай", "well",
        "known", "Anglo", "Saxon", "Belt-and", "COVID", "19", "97.39", "e.g.", "U.S.",
        "Huanqiu.com", "http://example.org/A.Bc", "Mail.Ru", "a&amp;b",
        "数字", "合作", "深化数", "字合作", "、", "。", ",", "“", "”", "(", ")", "カタカナ",
        "ひらがな", "한국어", "단어", "…", ". . .",
        " ", " ", " ", "  ", "\n", "\n", "\n\n", "\n\n\n", " \n", "\t", "\u2028", "\r",
        "-", "-\n", "–", "—", ".", ".", "!", "?", ";", ":", "\"", "»", "•", "1. ",
    ]
)  # fmt: skip
PIECE_TEXT = st.lists(PIECES, max_size=80).map("".join)

# A long line (a wrapped CJK paragraph or prose line), to reach width estimation
# and the interval search with realistic lengths.
LINE = st.lists(PIECES, min_size=5, max_size=40).map("".join)
WRAPPED = st.lists(LINE, min_size=1, max_size=12).map("\n".join)

TEXTS = st.one_of(ANY_TEXT, PIECE_TEXT, WRAPPED)
LANGUAGES = st.sampled_from([None, [], ["en"], ["ru"], ["zh", "en"], ["ro"], ["xx"], ["ja"]])


def _record(text: str, languages: list[str] | None) -> Record:
    return Record(
        seed_id="000_0000000000000000", part=0, text=text, declared={"languages": languages}
    )


def _run(record: Record) -> Record:
    (out,) = repair_layout.STEP.run(record, RULES)
    return out


@settings(max_examples=150, deadline=None)
@given(TEXTS, LANGUAGES)
def test_total_and_replays(text: str, languages: list[str] | None) -> None:
    out = _run(_record(text, languages))
    assert replay(text, out.provenance) == out.text


@settings(max_examples=150, deadline=None)
@given(TEXTS, LANGUAGES)
def test_idempotent(text: str, languages: list[str] | None) -> None:
    once = _run(_record(text, languages))
    twice = _run(once)
    assert twice.text == once.text
    assert twice.provenance == once.provenance


@settings(max_examples=150, deadline=None)
@given(TEXTS, LANGUAGES)
def test_output_is_one_paragraph_per_line(text: str, languages: list[str] | None) -> None:
    out = _run(_record(text, languages)).text
    assert out == out.strip()
    assert "\n\n\n" not in out
    assert re.search(r"(?<!\n)\n(?!\n)", out) is None, "a single line break is left"
    for paragraph in out.split("\n\n"):
        assert paragraph == paragraph.strip()
        assert out == "" or paragraph, "an empty paragraph"


@settings(max_examples=150, deadline=None)
@given(TEXTS, LANGUAGES)
def test_records_only_declared_rules_under_its_passes(
    text: str, languages: list[str] | None
) -> None:
    out = _run(_record(text, languages))
    for edit in out.provenance:
        step, _, pass_name = edit.step.partition("/")
        assert step == repair_layout.STEP_ID
        assert edit.rule in repair_layout.RULE_NAMES[pass_name]
        assert edit.rule in KNOWN_RULES
