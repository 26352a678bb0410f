"""The paragraph classifier's features are counted on fast paths (text with no wide
character, counts made in C): each gives what the plain per-character or per-word
count gives, on the texts it takes and on the near-misses it must leave to the
slow path (a wide character, a character just below or at U+1100)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation.rules import load_rules
from curation.steps.classify_paragraphs import (
    classifier_rules,
    display_width,
    language_lists,
    measure,
)
from tests.oracles import _letter_words, _word_count

CLASSIFIER = classifier_rules(load_rules()["boilerplate"])
WORD = re.compile(r"\w+")


def display_width_by_character(text: str) -> int:
    """The width as every character is asked (what display_width counts)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def letter_words_by_word(words: list[str]) -> int:
    return sum(_word_count(w) for w in words if not w.isdigit())


def stopword_density_by_word(words: list[str], stopwords: frozenset[str]) -> float | None:
    if not words:
        return 0.0
    return round(sum(1 for w in words if w.casefold() in stopwords) / len(words), 4)


def title_case_share_by_word(words: list[str]) -> float:
    cased = [w for w in words if w[0].isupper() or w[0].islower()]
    return round(sum(1 for w in cased if w[0].isupper()) / len(cased), 4) if cased else 0.0


# Near-misses of the "nothing wide" test: ASCII, Latin and Cyrillic (taken fast), the
# last code point before U+1100 and U+1100 itself (a wide Hangul letter), CJK, fullwidth
# forms, a wide character that is not a letter, and a digit of another script.
NEAR_MISSES = [
    "",
    "Trade grew by a third in 2024.",
    "Товарооборот вырос на треть в 2024 году.",
    "Ora postării: 17:37",
    "\u10ff",
    "\u10ff\u1100",
    "\u1100",
    "数字丝绸之路 2024 年",
    "ＡＢＣ１２３",
    "、。「」",
    "٢٠٢٤ ١٧:٣٧",
    "Ѐ\u1100Ѐ",
]
alphabet = st.sampled_from(
    [*"aZ 9_.,-", "Ж", "ж", "\u10ff", "\u1100", "中", "的", "Ａ", "ａ", "、", "٣", "ǅ", "ß"]
)
texts = st.one_of(st.text(), st.lists(alphabet, max_size=40).map("".join))


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_display_width_near_misses(text: str) -> None:
    assert display_width(text) == display_width_by_character(text)


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_letter_words_near_misses(text: str) -> None:
    words = WORD.findall(text.strip())
    assert _letter_words(text.strip(), words) == letter_words_by_word(words)


@pytest.mark.parametrize("language", ["en", "ru", "zh", None])
@pytest.mark.parametrize("text", NEAR_MISSES)
def test_measure_near_misses(text: str, language: str | None) -> None:
    check_measure(text, language)


def check_measure(text: str, language: str | None) -> None:
    lists = language_lists(language, CLASSIFIER)
    features = measure(text, lists, CLASSIFIER)
    stripped = text.strip()
    words = WORD.findall(stripped)
    assert features.width == display_width_by_character(stripped)
    assert features.letter_words == letter_words_by_word(words)
    assert features.title_case_share == title_case_share_by_word(words)
    if lists.words is not None:
        assert features.stopword_density == stopword_density_by_word(words, lists.words)


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(texts)
def test_fast_counts_equal_the_plain_counts(text: str) -> None:
    assert display_width(text) == display_width_by_character(text)
    words = WORD.findall(text.strip())
    assert _letter_words(text.strip(), words) == letter_words_by_word(words)
    check_measure(text, "en")
    check_measure(text, "ru")
