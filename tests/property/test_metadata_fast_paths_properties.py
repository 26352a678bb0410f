"""The fast paths of extract_metadata's page reading and of the paragraph classifier
answer as the code they replaced at fe50d69 (``tests/oracles.py``) on generated text:
Latin, Cyrillic, CJK and Arabic words, digits of several scripts, the marks of menus,
code, addresses and copyright notices, the last narrow and the first wide code point,
and any text at all."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from curation.rules import load_rules
from curation.steps.classify_paragraphs import (
    classifier_rules,
    display_width,
    language_lists,
    measure,
    measured,
    width_at_least,
)
from curation.steps.headers import _ADDRESS, _menu_case, _without_addresses
from curation.steps.strip_boilerplate import (
    compile_rules,
    remembered_paragraph_rule,
    whole_paragraph_rule,
)
from tests import oracles

pytestmark = pytest.mark.property

RULES = load_rules()
CLASSIFIER = classifier_rules(RULES["boilerplate"])
COMPILED = compile_rules(RULES["boilerplate"])
LISTS = {code: language_lists(code, CLASSIFIER) for code in ("en", "ru", "ar", "zh", "th", None)}

words = st.sampled_from(
    ["Trade", "grows", "the", "and", "Xinhua", "ТАСС", "и", "в", "Москве", "的", "了", "人民日报",
     "数字丝绸之路", "في", "التجارة", "٢٠٢٤", "2024", "１２", "ＡＢＣ", "ǅ", "ß", "İ",
     "x.org", "a@b.es", "https://x.org/a", "@handle", "www.bbc.co.uk", "N.Y.C."]
)  # fmt: skip
marks = st.sampled_from(
    [" ", "  ", "\u00a0", ".", "。", ",", "、", "!", "?", ":", "：", ";", "(", ")", "{", "}",
     "=", " = ", "=>", "<div>", "</p>", "$ ", ">>> ", "─", "│", "|", " | ", " / ", "›", "»",
     "·", "•", "©", "®", "-", "–", "\u10ff", "\u1100", "_", "%", "?", "&", "~", "+", "\n"]
)  # fmt: skip
paragraphs = st.one_of(
    st.lists(st.one_of(words, marks), max_size=40).map("".join),
    st.lists(words, max_size=40).map(" ".join),
    st.text(max_size=200),
)


@settings(max_examples=500, deadline=None)
@given(paragraphs, st.sampled_from(sorted(LISTS, key=str)))
@example("https://x.org/a;", None)  # a code mark at an address's end: not code since v6
def test_measure_as_before(paragraph: str, language: str | None) -> None:
    lists = LISTS[language]
    expected = oracles.measure(paragraph, lists, CLASSIFIER)
    assert measure(paragraph, lists, CLASSIFIER) == expected
    assert measured(paragraph, lists, CLASSIFIER) == expected


@settings(max_examples=500, deadline=None)
@given(paragraphs, st.integers(0, 300))
def test_width_at_least_is_the_width_compared(paragraph: str, columns: int) -> None:
    assert width_at_least(paragraph, columns) == (display_width(paragraph) >= columns)


@settings(max_examples=500, deadline=None)
@given(st.lists(paragraphs, max_size=6).map("\n".join))
def test_without_addresses_is_the_address_pattern_replaced(page: str) -> None:
    assert _without_addresses(page) == _ADDRESS.sub(" ", page)


@settings(max_examples=300, deadline=None)
@given(paragraphs)
def test_remembered_paragraph_rule_is_the_rule(paragraph: str) -> None:
    expected = oracles.whole_paragraph_rule(paragraph, COMPILED)
    assert whole_paragraph_rule(paragraph, COMPILED) == expected
    assert remembered_paragraph_rule(paragraph, COMPILED) == expected
    assert remembered_paragraph_rule(paragraph, COMPILED) == expected


@settings(max_examples=500, deadline=None)
@given(paragraphs, st.integers(0, 8))
def test_menu_case_as_before(line: str, max_words: int) -> None:
    assert _menu_case(line, max_words) == oracles.menu_case(line, max_words)
